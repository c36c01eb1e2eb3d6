// UI test: "Use This Engine from the Host" in a real VS Code (code-server) in Chromium, as a person
// uses it: the context menu on the DinD two levels down, the row marked as bridged, and a terminal on
// this machine whose docker CLI lists that engine's containers. Not compiled: it uses the compiled
// helpers in out/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it as itTest } from 'node:test';
import { createRequire } from 'node:module';
import { REPO_ROOT } from '../../scripts/codeServer.mjs';
import { openUiSession } from './uiSession.mjs';

const require = createRequire(import.meta.url);
const workbench = require('../../out/test/ui/workbench.js');
const { until, activeTerminalText } = workbench;
const { NAMES, ensureNestedFixture, removeNestedFixture } = require('../../out/test/support/nestedFixture.js');

const BRIDGED = '⇄ used from the host';

describe('Use This Engine from the Host in VS Code', { timeout: 300_000 }, () => {
  let session;
  let page;
  let created = false;
  // The window's own Docker CLI config: the bridge's context goes there, so that nothing this test
  // makes (or a killed code-server leaves) reaches the machine's context store.
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-ui-docker-'));
  let failures = 0;
  const it = (title, body) => itTest(title, async () => {
    try {
      await body();
    } catch (error) {
      if (page) await workbench.screenshot(page, `failure-bridge-${++failures}`).catch(() => undefined);
      throw error;
    }
  });
  const description = async () => (await workbench.treeRowLabels(page, 'Engines')).find((r) => r.label === NAMES.dindInner)?.description ?? '';

  before(async () => {
    created = (await ensureNestedFixture()).created;
    session = await openUiSession({ env: { DOCKER_CONFIG: configDir } });
    page = session.page;
    await workbench.openViewContainer(page, 'Matryoshka');
    await until(`the tree down to ${NAMES.grandchild}`, 60_000, async () => (await workbench.treeRowLabels(page, 'Engines')).some((r) => r.label === NAMES.grandchild));
  });

  after(async () => {
    await session?.close();
    fs.rmSync(configDir, { recursive: true, force: true });
    if (created && !process.env.MATRYOSHKA_KEEP_FIXTURE) await removeNestedFixture();
  });

  it('bridges the DinD two levels down from its context menu; a host terminal there lists its containers', async () => {
    assert.ok(!(await description()).includes(BRIDGED), 'not bridged before');
    await workbench.contextMenu(page, NAMES.dindInner, 'Use This Engine from the Host');
    await until('the row marked as used from the host', 60_000, async () => (await description()).includes(BRIDGED), async () => `its description: ${await description()}`);
    const contexts = fs.readdirSync(path.join(configDir, 'contexts', 'meta'));
    assert.equal(contexts.length, 1, 'one Docker context in the window\'s store');
    // The notification that says so would cover the terminal in the picture.
    await workbench.dismissDialogsAndNotifications(page);

    await workbench.contextMenu(page, NAMES.dindInner, 'Open Host Terminal Here');
    await page.getByText(`docker → default › ${NAMES.dind} › ${NAMES.dindInner}`).first().waitFor({ timeout: 30_000 });
    await until('the new terminal to take the keyboard', 30_000, () => page.evaluate(() => Boolean(document.activeElement?.closest('.terminal-wrapper.active'))));
    await until('the host shell\'s prompt', 30_000, async () => /[#$>]\s*$/m.test(await activeTerminalText(page)), async () => `the terminal shows: ${JSON.stringify(await activeTerminalText(page))}`);
    await page.keyboard.type("docker ps --format 'name={{.Names}}'");
    await page.keyboard.press('Enter');
    const text = await until(`docker ps to list ${NAMES.grandchild}`, 60_000, async () => {
      const shown = await activeTerminalText(page);
      return shown.includes(`name=${NAMES.grandchild}`) ? shown : undefined;
    }, async () => `the terminal shows: ${JSON.stringify(await activeTerminalText(page))}`);
    assert.ok(!text.includes(`name=${NAMES.dind}\n`) && !text.includes(`name=${NAMES.child}`), `only the engine two levels down, not the host's or it-dind's containers: ${text}`);
    await page.mouse.move(900, 300);
    await page.waitForTimeout(300);
    await workbench.screenshot(page, 'bridge-host-terminal');
    assert.ok(fs.statSync(path.join(REPO_ROOT, 'test-results', 'bridge-host-terminal.png')).size > 10_000);
  });

  it('Stop Using from the Host clears the row and removes the context', async () => {
    await workbench.runCommand(page, 'Terminal: Kill All Terminals');
    await workbench.openViewContainer(page, 'Matryoshka');
    await workbench.contextMenu(page, NAMES.dindInner, 'Stop Using from the Host');
    await until('the row no longer marked', 30_000, async () => !(await description()).includes(BRIDGED), async () => `its description: ${await description()}`);
    assert.deepEqual(fs.readdirSync(path.join(configDir, 'contexts', 'meta')), []);
  });
});
