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
    const report = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
    await report.locator('h1').waitFor({ timeout: 30_000 });
    assert.equal(await report.locator('h1').innerText(), `Health of ${fixturePath(VFS)}`);
    assert.match(await report.locator('.summary').innerText(), /^\S+\s*\d+ problems?: .*; \d+ checks? passed\.$/);
    // Problems first: the groups are errors, warnings, then the passed checks, folded.
    const groups = await report.locator('main > .group').evaluateAll((nodes) => nodes.map((n) => `${n.tagName.toLowerCase()}.${n.className}`));
    assert.equal(groups.at(-1), 'details.group status-ok', JSON.stringify(groups));
    assert.ok(groups.slice(0, -1).every((g) => /^section\.group status-(error|warn)$/.test(g)), JSON.stringify(groups));
    assert.equal(await report.locator('details.group').getAttribute('open'), null, 'passed checks are folded');
    const storage = report.locator('article.item', { hasText: 'storage driver' }).first();
    assert.match(await storage.getAttribute('class'), /status-warn/);
    assert.match(await storage.innerText(), /uses the vfs storage driver[\s\S]*What to do: /);
    // The icon's colour is the theme's warning colour.
    const [iconColour, themeWarning] = await storage.locator('.icon').evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(document.documentElement).getPropertyValue('--vscode-problemsWarningIcon-foreground').trim()]);
    assert.ok(themeWarning, 'the theme defines a warning colour');
    assert.equal(iconColour, await storage.locator('.icon').evaluate((el, colour) => { const probe = document.createElement('span'); probe.style.color = colour; el.append(probe); const c = getComputedStyle(probe).color; probe.remove(); return c; }, themeWarning));
    await storage.locator('vscode-button', { hasText: 'Copy what to do' }).click();
    await report.locator('.notice', { hasText: 'Copied what to do to the clipboard.' }).waitFor({ timeout: 10_000 });
    // The row's badge is a decoration in the theme's warning colour, not text in its description.
    const rows = await rowsUntil(page, `${VFS} is not shown`, (r) => r.some((x) => x.label === VFS));
    assert.match(rows.find((r) => r.label === VFS).description, /^dind · up [^·]+ · docker:dind$/);
    const row = page.locator('.pane-body .monaco-list-row[role="treeitem"]').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${VFS}$`) }) }).first();
    const badge = await row.locator('.monaco-icon-label').first().evaluate((el) => ({ className: el.className, after: getComputedStyle(el, '::after').content, color: getComputedStyle(el, '::after').color }));
    const problems = Number((await report.locator('.summary').innerText()).match(/(\d+) problems?/)[1]);
    assert.match(badge.className, /monaco-decoration-itemColor/, JSON.stringify(badge));
    assert.equal(badge.after, `"${problems}"`, JSON.stringify(badge));
    // Run again checks once more and says so.
    await report.locator('vscode-button', { hasText: 'Run again' }).click();
    await report.locator('.notice', { hasText: /^Checked again at / }).waitFor({ timeout: 120_000 });
    await workbench.widenSideBar(page, 220);
    // The problems open the row's tooltip.
    await row.hover();
    const hover = page.locator('.monaco-hover:visible, .workbench-hover:visible').first();
    await hover.waitFor({ timeout: 10_000 });
    // The tooltip is resolved on hover: "Loading..." first.
    let hoverText = '';
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await page.waitForTimeout(200)) {
      hoverText = await hover.innerText().catch(() => '');
      if (hoverText && !/^Loading/.test(hoverText)) break;
    }
    assert.match(hoverText, new RegExp(`^Health: ${problems} problems? at the last check`));
    await workbench.screenshot(page, 'health-tooltip');
    await page.mouse.move(900, 800);
    await page.waitForTimeout(600);
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
