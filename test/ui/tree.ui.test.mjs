// UI test: the Matryoshka view in a real VS Code (code-server) in Chromium, as a user sees it.
// Not compiled: it drives code-server from scripts/ (ESM) and uses the compiled helpers in out/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRequire } from 'node:module';
import { REPO_ROOT } from '../../scripts/codeServer.mjs';
import { openUiSession } from './uiSession.mjs';

const require = createRequire(import.meta.url);
const workbench = require('../../out/test/ui/workbench.js');
const { LABEL, NAMES, ensureNestedFixture, fixturePath, removeNestedFixture } = require('../../out/test/support/nestedFixture.js');
const { OWN_ID, ownName } = require('../../out/test/support/runId.js');
const { docker, dockerIn, waitFor } = require('../../out/test/support/docker.js');
const { composeUp } = require('../../out/test/support/composeFixture.js');
const { createKubePods } = require('../../out/test/support/kubeFixture.js');


describe('the Matryoshka view in VS Code', { timeout: 300_000 }, () => {
  let session;
  let page;
  let created = false;
  // What a user recognises: a Compose project on the host, pods of a kicbase-like node inside it-dind.
  const project = `webstore-${OWN_ID}`;
  const namespace = `shop-${OWN_ID}`;
  let compose;
  let pods;

  before(async () => {
    created = (await ensureNestedFixture()).created;
    session = await openUiSession();
    page = session.page;
  });

  after(async () => {
    await session?.close();
    await compose?.down();
    await pods?.remove();
    if (created && !process.env.MATRYOSHKA_KEEP_FIXTURE) await removeNestedFixture();
  });

  it('shows each container nested under the container that runs its engine', async () => {
    await workbench.openViewContainer(page, 'Matryoshka');
    const rows = await workbench.treeRowsWhen(page, 'Engines', (rs) => rs.some((r) => r.label === NAMES.grandchild), 60_000);
    const level = (label) => {
      const row = rows.find((r) => r.label === label);
      assert.ok(row, `"${label}" is shown; rows: ${rows.map((r) => `${'  '.repeat(r.level - 1)}${r.label}`).join(' | ')}`);
      return row.level;
    };
    const host = rows.find((r) => r.level === 1);
    assert.ok(host, 'an engine row at the top');
    assert.equal(level(NAMES.dind), 2);
    assert.equal(level(NAMES.child), 3);
    assert.equal(level(NAMES.dindInner), 3);
    assert.equal(level(NAMES.grandchild), 4);
    assert.equal(level(NAMES.sysbox), 2);
    assert.equal(level(NAMES.sysboxChild), 3);
    assert.equal(level(NAMES.dood), 2);
    assert.equal(level(NAMES.plain), 2);
    // Rows are in document order: each child sits below its own parent, not elsewhere.
    const order = rows.map((r) => r.label);
    const at = (label) => order.indexOf(label);
    assert.ok(at(NAMES.dind) < at(NAMES.child) && at(NAMES.dind) < at(NAMES.dindInner) && at(NAMES.dindInner) < at(NAMES.grandchild));
    assert.ok(at(NAMES.sysbox) < at(NAMES.sysboxChild));
    assert.match(rows.find((r) => r.label === NAMES.dind).description ?? '', /^dind · up [^·]+ · docker:dind$/);
    assert.match(rows.find((r) => r.label === NAMES.sysbox).description ?? '', /sysbox/);
    await workbench.widenSideBar(page, 260);
    await page.mouse.move(900, 600); // no hover tooltip or sash highlight in the picture
    await page.waitForTimeout(600);
    await workbench.screenshot(page, 'tree');
    assert.ok(fs.statSync(path.join(REPO_ROOT, 'test-results', 'tree.png')).size > 10_000);
  });

  it('groups a Compose project by service and pods by namespace, in natural order, sandboxes hidden', async () => {
    // Made only now, so that the rows above have the place they had. Pods are created in the order
    // natural order must not follow by accident: web-10 before web-2.
    const podSpecs = [
      { name: 'web-10', containers: ['nginx'], labels: { app: 'web' } },
      { name: 'web-2', containers: ['nginx', 'log-sidecar'], labels: { app: 'web' } },
    ];
    const made = await Promise.allSettled([composeUp([], project), createKubePods([NAMES.dind], namespace, podSpecs)]);
    [compose, pods] = made.map((m) => (m.status === 'fulfilled' ? m.value : undefined));
    for (const m of made) if (m.status === 'rejected') throw m.reason;
    await workbench.openViewContainer(page, 'Matryoshka');
    // Created, then started: the rows count running containers once the engines have listed them started.
    const described = (rs, label, text) => rs.some((r) => r.label === label && (r.description ?? '').startsWith(text));
    const rows = await workbench.treeRowsWhen(page, 'Engines', (rs) => described(rs, project, '2/2 running') && described(rs, 'web-2', '2/2 running') && described(rs, 'web-10', '1/1 running'), 60_000);
    const shown = (r) => `${'  '.repeat(r.level - 1)}${r.label}`;
    const at = (label) => rows.findIndex((r) => r.label === label);
    const projectRow = rows[at(project)];
    assert.ok(projectRow, `the project row is shown; rows: ${rows.map(shown).join(' | ')}`);
    assert.equal(projectRow.level, 2, 'a project on the host is a row beside its containers');
    assert.equal(projectRow.description, `2/2 running · ${compose.workingDir}`);
    assert.deepEqual(rows.slice(at(project) + 1, at(project) + 3).map((r) => [r.label, r.level]).sort(), [['web', 3], ['worker', 3]]);
    const ns = rows[at(namespace)];
    assert.ok(ns, `namespace ${namespace} is shown under ${NAMES.dind}; rows: ${rows.map(shown).join(' | ')}`);
    assert.equal(ns.level, 3);
    assert.ok(at(NAMES.dind) < at(namespace), `under ${NAMES.dind}`);
    // Pods in natural order: web-2 before web-10, each named by the pod, one level below the namespace.
    const podRows = rows.slice(at(namespace) + 1).filter((r, i, all) => all.slice(0, i + 1).every((x) => x.level > ns.level) && r.level === ns.level + 1);
    assert.deepEqual(podRows.map((r) => [r.label, r.description]), [['web-2', '2/2 running'], ['web-10', '1/1 running']]);
    await workbench.expandRow(page, 'web-2', 'Engines');
    const expanded = await workbench.treeRowsWhen(page, 'Engines', (rs) => rs.some((r) => r.label === 'log-sidecar'), 15_000);
    const pod = expanded.findIndex((r) => r.label === 'web-2' && r.level === ns.level + 1);
    assert.deepEqual(expanded.slice(pod + 1, pod + 3).map((r) => [r.label, r.level]), [['log-sidecar', ns.level + 2], ['nginx', ns.level + 2]], 'containers by their Kubernetes names; the POD sandbox hidden');
    assert.ok(!expanded.some((r) => r.label === 'POD'), 'no sandbox row');
    // The side bar was widened for the first picture.
    await page.mouse.move(900, 600); // no hover tooltip or sash highlight in the picture
    await page.waitForTimeout(600);
    await workbench.screenshot(page, 'grouping');
    assert.ok(fs.statSync(path.join(REPO_ROOT, 'test-results', 'grouping.png')).size > 10_000);
  });

  it('filters through Filter… in the view title, keeping the ancestors of a match, and clears with one click', async () => {
    const described = () => page.locator(`.part.sidebar .pane-header[aria-label*="filter: ${namespace}"]`).count();
    await typeFilter(page, namespace);
    try {
      const filtered = await workbench.treeRowsWhen(page, 'Engines', (rs) => !rs.some((r) => r.label === project) && rs.some((r) => r.label === namespace), 30_000);
      const labels = filtered.map((r) => r.label);
      assert.ok(labels.includes(NAMES.dind) && labels.includes('web-2') && labels.includes('web-10'), `the namespace, its pods and ${NAMES.dind} above them: ${labels.join(' | ')}`);
      for (const gone of [project, NAMES.plain, NAMES.child, NAMES.sysbox]) assert.ok(!labels.includes(gone), `${gone} is filtered out: ${labels.join(' | ')}`);
      assert.equal(await described(), 1, 'the filter is shown in the view\'s description');
      await page.mouse.move(900, 600);
      await workbench.screenshot(page, 'grouping-filter');
      await workbench.clickViewTitleAction(page, 'Clear Filter');
      // Rows far down may be outside the list's viewport on a busy engine: the project row (filtered out above) tells.
      const cleared = await workbench.treeRowsWhen(page, 'Engines', (rs) => rs.some((r) => r.label === project), 30_000);
      assert.ok(cleared.some((r) => r.label === project), `the rows the filter hid are back: ${cleared.map((r) => r.label).join(' | ')}`);
      assert.equal(await described(), 0, 'the filter is gone from the view');
    } finally {
      // The tests after this one read the whole tree, as it was before these two.
      if (await described()) await workbench.runCommand(page, 'Matryoshka: Clear Filter');
      await compose?.down();
      await pods?.remove();
      compose = pods = undefined;
    }
  });

  it('expands a DooD container to the note about siblings', async () => {
    await workbench.expandRow(page, NAMES.dood, 'Engines');
    // The children render a moment after the row reports itself expanded.
    let rows = [];
    let index = -1;
    const deadline = Date.now() + 15_000;
    do {
      rows = await workbench.treeRowLabels(page, 'Engines');
      index = rows.findIndex((r) => r.label === NAMES.dood);
      if (/siblings/.test(rows[index + 1]?.label ?? '')) break;
      await page.waitForTimeout(200);
    } while (Date.now() < deadline);
    assert.match(rows[index + 1]?.label ?? '', /siblings/);
    assert.equal(rows[index + 1].level, rows[index].level + 1);
  });

  it('runs Refresh from the command palette, which lists again what no event announced', async () => {
    // Untagging the image a container runs changes what the engine lists for it (the image's id
    // instead of its name) with no container event: only a refresh shows it.
    const name = ownName('it14-refresh');
    const image = `${name}:tagged`;
    await docker(['tag', 'busybox:latest', image]);
    try {
      await docker(['run', '-d', '--name', name, '--label', `dev.matryoshka.test=refresh-${OWN_ID}`, image, 'sleep', '600']);
      const shown = (rows) => rows.find((r) => r.label === name)?.description ?? '';
      // `docker run -d` is two events (create, then start): the row may show "created" in between.
      const before = await workbench.treeRowsWhen(page, 'Engines', (rows) => /^up [^·]+ · /.test(shown(rows)) && shown(rows).endsWith(image), 30_000);
      assert.match(shown(before), new RegExp(`^up [^·]+ · ${name}:tagged$`), `the new container is listed with its image's name: ${shown(before)}`);
      await docker(['rmi', image]);
      const id = (await docker(['inspect', '--format', '{{.Image}}', name])).replace(/^sha256:/, '').slice(0, 12);
      // No event re-lists the engine: the row keeps the name until the refresh.
      const unprompted = await workbench.treeRowsWhen(page, 'Engines', (rows) => !shown(rows).endsWith(image), 3_000);
      assert.ok(shown(unprompted).endsWith(image), `nothing but a refresh re-lists it (the row showed ${shown(unprompted)})`);
      await workbench.runCommand(page, 'Matryoshka: Refresh');
      const after = await workbench.treeRowsWhen(page, 'Engines', (rows) => shown(rows).includes(id), 15_000);
      assert.ok(shown(after).includes(id), `after the refresh the row shows the image's id ${id}: ${shown(after)}`);
      assert.ok(after.some((r) => r.label === NAMES.grandchild), 'still nested after a refresh');
    } finally {
      await docker(['rm', '-f', name]).catch(() => undefined);
      await docker(['rmi', image]).catch(() => undefined);
    }
  });

  it('opens a shell in a container two engines deep from the context menu', async () => {
    await workbench.contextMenu(page, NAMES.grandchild, 'Attach Shell');
    const terminal = page.locator('.terminal-wrapper.active .xterm, .terminal .xterm').first();
    await terminal.waitFor({ state: 'visible', timeout: 40_000 }).catch(async (error) => {
      await workbench.screenshot(page, 'terminal-failure');
      throw error;
    });
    const rowsText = () => page.locator('.xterm-rows').first().innerText().catch(() => '');
    const deadline = Date.now() + 20_000;
    while (!/#\s*$/m.test(await rowsText()) && Date.now() < deadline) await page.waitForTimeout(200);
    await terminal.click();
    await page.keyboard.type('echo matryoshka-$((6*7)) from $(hostname)');
    await page.keyboard.press('Enter');
    while (!/matryoshka-42 from/.test(await rowsText()) && Date.now() < deadline + 10_000) await page.waitForTimeout(200);
    assert.match(await rowsText(), /matryoshka-42 from \w+/);
    await page.mouse.move(900, 300);
    await page.waitForTimeout(300);
    await workbench.screenshot(page, 'terminal');
  });

  it('compares docker ps inside a DinD with the host (light theme)', async () => {
    const frame = await openCompare(page, NAMES.dind);
    const verdict = await frame.locator('.verdict').innerText();
    assert.match(verdict, new RegExp(`^${NAMES.dind} runs its own engine: \\d+ children that default cannot see\\.$`));
    const inner = await frame.locator('table[data-side="inner"] tbody tr').evaluateAll((rows) => rows.map((r) => r.className));
    assert.ok(inner.length >= 2 && inner.every((c) => c === 'relation-child'), JSON.stringify(inner));
    assert.ok(await frame.locator('.diagram .box.container .chip').count() >= 2, 'the diagram draws the children inside the container');
    await page.mouse.move(900, 800);
    await workbench.screenshot(page, 'compare-dind');
  });

  it('compares a DooD container in a dark theme, showing markup from the engine as text', async () => {
    const hostileName = ownName('it-hostile');
    await docker(['run', '-d', '--name', hostileName, '--label', LABEL, 'busybox:latest', 'sh', '-c', 'echo "<img src=x onerror=alert(1)>"; sleep 600']);
    try {
      await workbench.runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
      await workbench.runCommand(page, 'Matryoshka: Refresh');
      const frame = await openCompare(page, NAMES.dood);
      assert.match(await frame.locator('.verdict').innerText(), new RegExp(`^${NAMES.dood} shares default's engine: its \\d+ containers are siblings, itself among them\\.$`));
      const hostile = frame.locator('table[data-side="inner"] tbody tr', { hasText: hostileName });
      await hostile.waitFor({ timeout: 15_000 });
      assert.match(await hostile.innerText(), /"sh -c 'echo "<img/);
      assert.equal(await frame.locator('img').count(), 0, 'no element made from engine text');
      await page.mouse.move(900, 800);
      await workbench.screenshot(page, 'compare-dood');
    } finally {
      await docker(['rm', '-f', hostileName]);
    }
  });

  it('restores the compare view after a window reload', async () => {
    await workbench.runCommand(page, 'Developer: Reload Window');
    await page.waitForTimeout(1000);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const frame = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
    await frame.locator('.verdict').waitFor({ timeout: 60_000 });
    assert.match(await frame.locator('.verdict').innerText(), new RegExp(`^${NAMES.dood} shares default's engine`));
    assert.match(await frame.locator('h1').innerText(), new RegExp(fixturePath(NAMES.dood)));
  });

});

/**
 * Filter… from the view title, then the text and Enter. The box has been seen to close again just
 * after opening (focus moving on under load): then it is opened again.
 */
async function typeFilter(page, text) {
  const input = page.locator('.quick-input-widget').filter({ has: page.locator('.quick-input-title', { hasText: /Filter the Matryoshka view/ }) }).locator('input.input');
  for (let attempt = 1; ; attempt++) {
    await workbench.clickViewTitleAction(page, 'Filter…');
    try {
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(text, { timeout: 5_000 });
      await input.press('Enter', { timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw new Error(`the Filter… box did not take the text in 3 tries: ${error.message}`);
    }
  }
}

/** Opens the compare view from the tree's context menu and returns the webview's content frame. */
async function openCompare(page, name) {
  await workbench.runCommand(page, 'View: Close All Editors');
  if (await page.locator('.part.panel').isVisible()) await workbench.runCommand(page, 'View: Hide Panel');
  await workbench.dismissDialogsAndNotifications(page);
  await workbench.openViewContainer(page, 'Matryoshka');
  await workbench.contextMenu(page, name, 'Compare docker ps Outside and Inside');
  const frame = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  await frame.locator('.verdict').waitFor({ timeout: 30_000 });
  return frame;
}
