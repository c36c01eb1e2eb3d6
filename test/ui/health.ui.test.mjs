// UI test: Check Engine Health and the Images node as a user meets them, in code-server + Chromium.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { ensureCodeServer, launchBrowser, startCodeServer, REPO_ROOT } from '../../scripts/codeServer.mjs';

const require = createRequire(import.meta.url);
const workbench = require('../../out/test/ui/workbench.js');
const { NAMES, ensureNestedFixture, fixturePath } = require('../../out/test/support/nestedFixture.js');
const { ownName } = require('../../out/test/support/runId.js');
const { docker, dockerIn, waitFor } = require('../../out/test/support/docker.js');

const VFS = ownName('it8-ui-vfs');
const LABEL = 'dev.matryoshka.test=health';

/** Right-clicks the tree row `label` and picks `entry`, moving to it as a person does. */
async function contextMenu(page, label, entry) {
  const row = page.locator('.pane-body .monaco-list-row[role="treeitem"]').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();
  await row.click({ button: 'right' });
  const item = page.getByRole('menuitem', { name: entry }).first();
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  const box = await item.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
  await page.waitForTimeout(300);
  await page.mouse.down();
  await page.mouse.up();
}


async function rowsUntil(page, what, test, timeoutMs = 60_000) {
  const rows = await workbench.treeRowsWhen(page, 'Engines', test, timeoutMs, 300);
  if (test(rows)) return rows;
  throw new Error(`${what}; rows: ${rows.map((r) => `${r.label} [${r.description ?? ''}]`).join(' | ')}`);
}

describe('engine health and images in VS Code', { timeout: 400_000 }, () => {
  let server;
  let browser;
  let page;
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-ui-health-'));

  before(async () => {
    await ensureNestedFixture();
    await docker(['rm', '-f', '-v', VFS]).catch(() => undefined);
    await docker(['run', '-d', '--name', VFS, '--label', LABEL, '--privileged', 'docker:dind', '--storage-driver', 'vfs']);
    await waitFor(`the engine inside ${VFS}`, 180_000, async () => (await dockerIn([VFS], ['version', '--format', '{{.Server.Version}}'])) || undefined, 500);
    const vsix = path.join(runDir, 'matryoshka.vsix');
    execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: REPO_ROOT, stdio: 'inherit' });
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '-o', vsix], { cwd: REPO_ROOT, stdio: 'inherit' });
    const extensionsDir = path.join(runDir, 'extensions');
    execFileSync(process.execPath, [await ensureCodeServer(), '--extensions-dir', extensionsDir, '--install-extension', vsix], { stdio: 'inherit' });
    const folder = path.join(runDir, 'workspace');
    fs.mkdirSync(folder);
    server = await startCodeServer({ folder, extensionsDir, userDataDir: path.join(runDir, 'user-data') });
    browser = await launchBrowser();
    page = await workbench.openWorkbench(browser, `${server.url}?folder=${encodeURIComponent(folder)}`);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    fs.rmSync(runDir, { recursive: true, force: true });
    await docker(['rm', '-f', '-v', VFS]);
  });

  it('Check Engine Health from the context menu opens the report and badges the row', async () => {
    await workbench.openViewContainer(page, 'Matryoshka');
    await rowsUntil(page, `${VFS} is not shown`, (rows) => rows.some((r) => r.label === VFS));
    await contextMenu(page, VFS, 'Check Engine Health');
    // While other clients churn containers the tree re-renders often, and VS Code then hands the
    // command no node (its handle went stale): the command asks instead, as it does from the palette.
    const tab = page.locator('.tab', { hasText: 'Health of default' }).first();
    const picker = page.locator('.quick-input-widget', { hasText: 'Check the health of which engine or container?' });
    await Promise.race([tab.waitFor({ timeout: 120_000 }), picker.waitFor({ timeout: 120_000 })]).catch(() => undefined);
    if (await picker.isVisible()) {
      await page.keyboard.type(VFS);
      await picker.locator('.monaco-list-row', { hasText: fixturePath(VFS) }).first().click();
    }
    await tab.waitFor({ timeout: 120_000 }).catch(async (error) => {
      await workbench.screenshot(page, 'health-failure');
      throw error;
    });
    const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    const deadline = Date.now() + 30_000;
    let text = '';
    while (Date.now() < deadline && !/storage driver/.test(text)) {
      // Monaco renders spaces as no-break spaces.
      text = (await editor.innerText().catch(() => '')).replace(/\u00a0/g, ' ');
      await page.waitForTimeout(300);
    }
    assert.match(text, new RegExp(`Health of ${fixturePath(VFS)}`));
    assert.match(text, /\[warn\]\s+storage driver/);
    assert.match(text, /uses the vfs storage driver/);
    assert.match(text, /What to do: /);
    assert.match((await page.locator('.tab.active').innerText()).replace(/\u00a0/g, ' '), new RegExp(`Health of ${fixturePath(VFS)}`));
    const rows = await rowsUntil(page, 'no badge on the row', (r) => /^⚠ \d+ · /.test(r.find((x) => x.label === VFS)?.description ?? ''));
    assert.match(rows.find((r) => r.label === VFS).description, /^⚠ \d+ · docker:dind · running · dind$/);
    await workbench.widenSideBar(page, 220);
    await page.mouse.move(900, 800);
    await page.waitForTimeout(400);
    await workbench.screenshot(page, 'health');
  });

  it('Images under an inner engine: busybox with its size and the container using it', async () => {
    await workbench.runCommand(page, 'View: Close All Editors');
    await workbench.openViewContainer(page, 'Matryoshka');
    await rowsUntil(page, `${NAMES.grandchild} is not shown`, (rows) => rows.some((r) => r.label === NAMES.grandchild));
    // The Images row of it-dind-inner is the one right after it-grandchild.
    const imagesRow = page.locator('.pane-body .monaco-list-row[role="treeitem"]').filter({ has: page.locator('.label-name', { hasText: /^Images$/ }) });
    const rows = await workbench.treeRowLabels(page, 'Engines');
    const at = rows.findIndex((r) => r.label === NAMES.grandchild);
    assert.equal(rows[at + 1]?.label, 'Images', `Images follows ${NAMES.grandchild}`);
    const index = rows.slice(0, at + 1).filter((r) => r.label === 'Images').length;
    await imagesRow.nth(index).locator('.monaco-tl-twistie').click();
    const after = await rowsUntil(page, 'busybox:latest under Images', (r) => r[at + 2]?.label === 'busybox:latest');
    assert.equal(after[at + 2].description, `1.98 MB · used by ${NAMES.grandchild}`);
    assert.equal(after[at + 2].level, rows[at].level + 1);
    await page.mouse.move(900, 800);
    await page.waitForTimeout(400);
    await workbench.screenshot(page, 'images');
  });
});
