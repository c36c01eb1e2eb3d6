// UI test: the extension host dies in the middle of a launch. A DinD workspace is launched from the
// palette; as soon as the engine shows a container with the workspace's label (the launch is then
// waiting for the engine inside), the extension host process is killed with SIGKILL, the way a
// crash ends it: no deactivate, no finally, no cleanup. The window and code-server live on. When
// Matryoshka is activated again, it must find what the launch left by its labels and offer to remove
// it; after the person says so, nothing with the workspace's label or names may remain.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRequire } from 'node:module';
import { openUiSession } from './uiSession.mjs';

const require = createRequire(import.meta.url);
const workbench = require('../../out/test/ui/workbench.js');
const { NAMES, ensureNestedFixture } = require('../../out/test/support/nestedFixture.js');
const { docker } = require('../../out/test/support/docker.js');

const NAME = 'rm-interrupted';
const VOLUMES = [`${NAME}-var-lib-docker`, `${NAME}-certs`];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Everything that carries the workspace's label or one of its names: containers, volumes, networks. */
async function leftovers() {
  const label = `label=dev.matryoshka.workspace=${NAME}`;
  const lines = async (args) => (await docker(args)).split('\n').filter(Boolean);
  return [
    ...(await lines(['ps', '-a', '--format', 'container {{.Names}} ({{.State}})', '--filter', label])),
    ...(await lines(['ps', '-a', '--format', 'container {{.Names}} ({{.State}})', '--filter', `name=^${NAME}$`])),
    ...(await lines(['volume', 'ls', '--format', 'volume {{.Name}}', '--filter', label])),
    ...(await lines(['volume', 'ls', '--format', 'volume {{.Name}}'])).filter((v) => VOLUMES.includes(v.slice(7))),
    ...(await lines(['network', 'ls', '--format', 'network {{.Name}}', '--filter', label])),
    ...(await lines(['network', 'ls', '--format', 'network {{.Name}}'])).filter((n) => n.slice(8).startsWith(NAME)),
  ].filter((line, index, all) => all.indexOf(line) === index);
}

async function removeWorkspace() {
  await docker(['rm', '-f', '-v', NAME]).catch(() => undefined);
  for (const volume of VOLUMES) await docker(['volume', 'rm', '-f', volume]).catch(() => undefined);
}

/** The extension hosts code-server runs (its process group): `--type=extensionHost` on their command line. */
function extensionHosts(serverPid) {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((pid) => {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      return cmdline.includes('--type=extensionHost') && group === serverPid ? [Number(pid)] : [];
    } catch {
      return []; // gone meanwhile
    }
  });
}

async function waitForFixture(page) {
  await workbench.openViewContainer(page, 'Matryoshka');
  await workbench.treeRowsWhen(page, 'Engines', (rows) => rows.some((r) => r.label === NAMES.dind), 90_000);
}

describe('a launch whose extension host is killed half-way', { timeout: 420_000 }, () => {
  let session;
  let page;

  before(async () => {
    await ensureNestedFixture();
    await removeWorkspace();
    session = await openUiSession();
    page = session.page;
    await waitForFixture(page);
  });

  after(async () => {
    await session?.close();
    await removeWorkspace();
  });

  it('is found by its labels on the next activation, offered for removal, and removed without a trace', async () => {
    const figures = {};
    try {
      await workbench.startLaunch(page, 'Matryoshka: Launch DinD Workspace (privileged)…', NAME, ['Keep the inner engine private']);
      await workbench.answerDialog(page, 'Launch');
      const launched = Date.now();
      while (!(await docker(['ps', '-aq', '--filter', `label=dev.matryoshka.workspace=${NAME}`]))) {
        if (Date.now() - launched > 60_000) assert.fail(`no container labelled dev.matryoshka.workspace=${NAME} within 60 s of Launch`);
        await sleep(100);
      }
      const hosts = extensionHosts(session.server.process.pid);
      assert.equal(hosts.length, 1, `one extension host in code-server's process group (found ${hosts.join(', ') || 'none'})`);
      process.kill(hosts[0], 'SIGKILL');
      const killed = Date.now();
      figures.killedAfterLaunchMs = killed - launched;
      const left = await leftovers();
      figures.leftAtKill = left;
      assert.ok(left.some((l) => l.startsWith(`container ${NAME}`)), `the launch had created its container: ${left.join(', ')}`);

      // VS Code restarts an extension host that crashed (or offers to); a person would reload the window otherwise.
      const offer = page.locator('.notification-toast', { hasText: `The launch of ${NAME} on default was interrupted` });
      const restart = page.locator('.notification-toast .monaco-button', { hasText: /^Restart/ });
      let reloaded = false;
      while (!(await offer.isVisible())) {
        const waited = Date.now() - killed;
        if (figures.newExtensionHostAfterKillMs === undefined && extensionHosts(session.server.process.pid).some((pid) => pid !== hosts[0])) figures.newExtensionHostAfterKillMs = waited;
        if (waited > 120_000) {
          await workbench.screenshot(page, 'failure-interrupted-no-offer');
          assert.fail('no offer to clean up the interrupted launch within 120 s');
        }
        if (await restart.first().isVisible()) {
          figures.restartedBy = `clicking "${(await restart.first().innerText()).trim()}"`;
          await restart.first().click();
        } else if (!reloaded && waited > 30_000) {
          figures.restartedBy = 'reloading the window';
          reloaded = true;
          await page.reload();
          await waitForFixture(page);
        }
        await page.waitForTimeout(250);
      }
      figures.restartedBy ??= 'VS Code, by itself';
      figures.offerAfterKillMs = Date.now() - killed;
      figures.extensionHostRestarted = extensionHosts(session.server.process.pid).filter((pid) => pid !== hosts[0]).length === 1;
      // For the picture: the toast done sliding in, and the tree showing what the launch left.
      await workbench.treeRowsWhen(page, 'Engines', (rows) => rows.some((r) => r.label === NAME), 15_000, 250);
      await page.mouse.move(900, 600);
      await page.waitForTimeout(1_000);
      await workbench.screenshot(page, 'interrupted-launch');
      const text = await offer.innerText();
      assert.match(text, new RegExp(`It left container ${NAME}, volume ${NAME}-certs, volume ${NAME}-var-lib-docker\\. Remove them\\?`));

      await offer.getByRole('button', { name: 'Remove Them' }).click();
      const clicked = Date.now();
      let remaining = await leftovers();
      while (remaining.length && Date.now() - clicked < 60_000) {
        await sleep(250);
        remaining = await leftovers();
      }
      figures.removedAfterClickMs = Date.now() - clicked;
      assert.deepEqual(remaining, [], 'no container, volume or network of the workspace remains');

      // The journal forgot the launch: the next window does not ask again.
      await page.reload();
      await waitForFixture(page);
      await page.waitForTimeout(3_000);
      assert.equal(await page.locator('.notification-toast', { hasText: 'was interrupted' }).count(), 0, 'the offer is not made again');
    } catch (error) {
      await workbench.screenshot(page, 'failure-interrupted-launch');
      throw error;
    } finally {
      console.log(`interrupted launch: ${JSON.stringify(figures)}`);
      fs.mkdirSync('test-results', { recursive: true });
      fs.writeFileSync(path.join('test-results', 'interrupted-launch.json'), JSON.stringify(figures, null, 2));
    }
  });
});
