// UI test: launching a DinD workspace from the command palette, as a new user would, in code-server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRequire } from 'node:module';
import { openUiSession } from './uiSession.mjs';

const require = createRequire(import.meta.url);
const workbench = require('../../out/test/ui/workbench.js');
const { NAMES, ensureNestedFixture } = require('../../out/test/support/nestedFixture.js');
const { docker } = require('../../out/test/support/docker.js');
const { ownName } = require('../../out/test/support/runId.js');

const NAME = ownName('it4-ui-dind');

async function leftovers() {
  const filter = `label=dev.matryoshka.workspace=${NAME}`;
  return [...(await docker(['ps', '-aq', '--filter', filter])).split('\n'), ...(await docker(['volume', 'ls', '-q', '--filter', filter])).split('\n')].filter(Boolean);
}

async function removeWorkspace() {
  await docker(['rm', '-f', '-v', NAME]).catch(() => undefined);
  for (const volume of [`${NAME}-var-lib-docker`, `${NAME}-certs`]) await docker(['volume', 'rm', '-f', volume]).catch(() => undefined);
}

/** The palette flow up to the consent dialog: engine, name, image, folder, publish. */
async function startDindLaunch(page) {
  const image = await workbench.startLaunch(page, 'Matryoshka: Launch DinD Workspace (privileged)…', NAME, ['Keep the inner engine private']);
  assert.equal(image, 'docker:dind', 'the image defaults to matryoshka.dind.image');
}

describe('launching a workspace from the palette', { timeout: 400_000 }, () => {
  let session;

  before(async () => {
    await ensureNestedFixture();
    await removeWorkspace();
    session = await openUiSession();
    await workbench.openViewContainer(session.page, 'Matryoshka');
    // The tree has listed the engines (and the palette knows the commands) once it shows the fixture.
    await workbench.treeRowsWhen(session.page, 'Engines', (rows) => rows.some((r) => r.label === NAMES.dind), 60_000);
  });

  after(async () => {
    await session?.close();
    await removeWorkspace();
  });

  it('asks before --privileged, and Cancel creates nothing', async () => {
    const { page } = session;
    await startDindLaunch(page);
    const text = await workbench.answerDialog(page, 'Cancel');
    assert.match(text, new RegExp(`Launch ${NAME} on default with --privileged\\?`));
    assert.match(text, /root inside is root on the host/);
    await page.waitForTimeout(1000);
    assert.deepEqual(await leftovers(), []);
  });

  it('launches a DinD workspace and shows it selected in the tree with its engine', async () => {
    const { page } = session;
    await startDindLaunch(page);
    await workbench.answerDialog(page, 'Launch');
    const rows = await workbench.treeRowsWhen(page, 'Engines', (rs) => {
      const row = rs.find((r) => r.label === NAME);
      return Boolean(row?.expanded && /dind/.test(row.description ?? ''));
    }, 180_000);
    const row = rows.find((r) => r.label === NAME);
    assert.ok(row, `${NAME} in the tree; rows: ${rows.map((r) => r.label).join(', ')}`);
    assert.equal(row.level, 2, 'directly under the engine that runs it');
    assert.equal(row.expanded, true, 'its inner engine is expanded');
    assert.match(row.description ?? '', /^dind workspace · up [^·]+ · docker:dind$/);
    // The reveal's selection reaches the page a moment after the row shows.
    const selectedRows = page.locator('.pane-body .monaco-list-row[aria-selected="true"] .label-name');
    await selectedRows.filter({ hasText: NAME }).waitFor({ timeout: 10_000 }).catch(async (error) => {
      await workbench.screenshot(page, 'failure-launch-selection');
      throw error;
    });
    assert.deepEqual((await selectedRows.allInnerTexts()).map((s) => s.trim()), [NAME]);
    assert.equal(await docker(['inspect', '--format', '{{.HostConfig.Privileged}} {{index .Config.Labels "dev.matryoshka.workspace"}}', NAME]), `true ${NAME}`);
    await page.mouse.move(900, 600);
    await page.waitForTimeout(500);
    await workbench.screenshot(page, 'launch');
  });

  it('launches DooD with the open folder at the same path, and Sysbox without a question about privileges', async () => {
    const { page } = session;
    const dood = ownName('it4-ui-dood');
    const sysbox = ownName('it4-ui-sysbox');
    try {
      await workbench.runCommand(page, 'Matryoshka: Launch DooD Workspace (socket binding)…');
      await workbench.pickQuickItem(page, 'default');
      await workbench.answerInputBox(page, /: name$/, dood);
      assert.equal(await workbench.answerInputBox(page, /: image$/, undefined), 'docker:cli');
      await workbench.pickQuickItem(page, 'workspace');
      const consent = await workbench.answerDialog(page, 'Launch');
      assert.match(consent, /-v \/var\/run\/docker\.sock:\/var\/run\/docker\.sock/);
      assert.match(consent, /every container on this engine/);
      await workbench.startLaunch(page, 'Matryoshka: Launch Sysbox Workspace…', sysbox, ['Keep the inner engine private']);
      // The launch has finished when its workspace is revealed with its engine expanded (the row
      // shows "running" earlier, while the launch still waits for the engine inside).
      const rows = await workbench.treeRowsWhen(page, 'Engines', (rs) => {
        const done = rs.find((r) => r.label === sysbox);
        return Boolean(done?.expanded && /^sysbox workspace · up /.test(done.description ?? '') && /^dood workspace · up /.test(rs.find((r) => r.label === dood)?.description ?? ''));
      }, 180_000);
      assert.match(rows.find((r) => r.label === dood)?.description ?? '', /^dood workspace · up [^·]+ · docker:cli$/);
      assert.match(rows.find((r) => r.label === sysbox)?.description ?? '', /^sysbox workspace · up [^·]+ · docker:dind$/);
      const [workingDir, privileged] = (await docker(['inspect', '--format', '{{.Config.WorkingDir}} {{.HostConfig.Privileged}}', dood])).split(' ');
      assert.match(workingDir, /\/workspace$/, 'the open folder, at the same path');
      assert.equal(privileged, 'false');
      assert.equal(await docker(['inspect', '--format', '{{.HostConfig.Runtime}} {{.HostConfig.Privileged}}', sysbox]), 'sysbox-runc false');
      await workbench.screenshot(page, 'launch-dood-sysbox');
    } catch (error) {
      await workbench.screenshot(page, 'failure-launch-dood-sysbox');
      throw error;
    } finally {
      for (const name of [dood, sysbox]) await docker(['rm', '-f', '-v', name]).catch(() => undefined);
      for (const volume of [`${sysbox}-var-lib-docker`, `${sysbox}-certs`]) await docker(['volume', 'rm', '-f', volume]).catch(() => undefined);
    }
  });

  it('removes the workspace from its context menu after listing what goes', async () => {
    const { page } = session;
    // A workspace row offers Remove Workspace… alone: removing just its container would leave its volumes.
    const entries = await workbench.menuEntries(page, NAME, 'Remove Workspace…');
    assert.ok(entries.some((e) => e.startsWith('Remove Workspace')) && !entries.some((e) => e.startsWith('Remove Container')), `the menu: ${entries.join(', ')}`);
    // While engines churn (other clients creating containers), VS Code can hand a menu command a row
    // it has just re-rendered away; Matryoshka then says to choose again. Do as a user would.
    for (let attempt = 1; attempt <= 3; attempt++) {
      const opened = await workbench.contextMenu(page, NAME, 'Remove Workspace…').then(() => true, () => false);
      if (opened && (await page.locator('.monaco-dialog-box').waitFor({ timeout: 5_000 }).then(() => true, () => false))) break;
      await page.keyboard.press('Escape');
      await workbench.dismissDialogsAndNotifications(page);
    }
    const text = await workbench.answerDialog(page, 'Remove').catch(async (error) => {
      await workbench.screenshot(page, 'failure-launch-remove');
      throw error;
    });
    assert.match(text, new RegExp(`container ${NAME}\\b`));
    assert.match(text, new RegExp(`volume ${NAME}-var-lib-docker`));
    assert.match(text, /The inner engine's image cache goes with its volumes?\./);
    // When it is done, it says what it removed.
    await page.locator('.notification-toast', { hasText: `Removed the workspace ${NAME} from` }).waitFor({ timeout: 60_000 });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await leftovers()).length) await page.waitForTimeout(500);
    assert.deepEqual(await leftovers(), []);
  });
});
