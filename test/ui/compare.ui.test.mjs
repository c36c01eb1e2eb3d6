// UI test: the compare view at ordinary editor widths, in code-server + Chromium. It measures the
// webview's own document (inside its iframe): the page must never scroll sideways.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRequire } from 'node:module';
import { REPO_ROOT } from '../../scripts/codeServer.mjs';
import { openUiSession } from './uiSession.mjs';

const require = createRequire(import.meta.url);
const workbench = require('../../out/test/ui/workbench.js');
const { NAMES, ensureNestedFixture } = require('../../out/test/support/nestedFixture.js');
const { docker, dockerIn } = require('../../out/test/support/docker.js');

const RUN = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
// Siblings enough that the DooD diagram has a "+ N more", whatever else runs on the engine.
const EXTRA = Array.from({ length: 7 }, (_, i) => `it20-sibling-${i}-${RUN}`);
const MEASURED = path.join(REPO_ROOT, 'test-results', 'compare-widths.json');

describe('the compare view at ordinary widths', { timeout: 400_000 }, () => {
  let session;
  let page;
  const measured = {};

  before(async () => {
    await ensureNestedFixture();
    await Promise.all(EXTRA.map((name) => docker(['run', '-d', '--name', name, '--label', `dev.matryoshka.test=compare-${RUN}`, 'busybox:latest', 'sleep', '600'])));
    session = await openUiSession();
    page = session.page;
  });

  after(async () => {
    await session?.close();
    await Promise.all(EXTRA.map((name) => docker(['rm', '-f', name]).catch(() => undefined)));
    fs.mkdirSync(path.dirname(MEASURED), { recursive: true });
    fs.writeFileSync(MEASURED, `${JSON.stringify(measured, null, 2)}\n`);
  });

  for (const width of [1000, 1400, 700]) {
    it(`DinD at an editor ${width} px wide: no sideways scrolling, RELATION beside NAMES, children inside the container`, async () => {
      const frame = await openCompare(page, NAMES.dind);
      await setEditorWidth(page, width);
      await frame.locator(`.diagram .chip:has-text("${NAMES.dindInner}")`).waitFor({ timeout: 30_000 });
      const fit = await measure(page, frame);
      measured[`dind@${width}`] = fit;
      console.log(`compare ${NAMES.dind} at editor width ${fit.editorWidth}: scrollWidth ${fit.scrollWidth}, clientWidth ${fit.clientWidth}, widest element right edge ${fit.widest}`);
      assert.ok(Math.abs(fit.editorWidth - width) <= 2, `the editor is ${fit.editorWidth} px wide, not ${width}`);
      assert.ok(fit.scrollWidth <= fit.clientWidth, `the page scrolls sideways: scrollWidth ${fit.scrollWidth} > clientWidth ${fit.clientWidth}`);
      assert.ok(fit.widest <= fit.clientWidth, `an element (${fit.widestWhat}) ends at ${fit.widest}, beyond ${fit.clientWidth}`);

      const heads = await frame.locator('table[data-side="inner"] th').allInnerTexts();
      assert.deepEqual(heads.slice(0, 2), ['NAMES', 'RELATION']);
      // Coloured by relation: a child and a row not visible inside differ in colour.
      const colour = (side, relation) => frame.locator(`table[data-side="${side}"] tr.relation-${relation} td.col-relation`).first().evaluate((td) => getComputedStyle(td).color);
      assert.notEqual(await colour('inner', 'child'), await colour('outer', 'outside-only'));

      // Long columns end in "…" on one line, with the whole text on hover.
      const command = frame.locator('table[data-side="outer"] tr.relation-self td.col-command');
      assert.match(await command.getAttribute('title'), /^".*"$/);
      assert.equal(await command.evaluate((td) => getComputedStyle(td).textOverflow), 'ellipsis');
      assert.match(await frame.locator('table[data-side="outer"] tr.relation-self td.col-created').getAttribute('title'), /\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$/);

      // Side by side only when both fit (each list wants 640 px); one above the other otherwise.
      const outer = await frame.locator('section.list').nth(0).boundingBox();
      const inner = await frame.locator('section.list').nth(1).boundingBox();
      if (width >= 1400) assert.equal(Math.round(inner.y), Math.round(outer.y), 'side by side at 1400 px');
      else assert.ok(inner.y >= outer.y + outer.height, 'stacked below 1400 px');

      // The children inside the container's box, the nested engine with its count.
      const inside = await frame.locator('.diagram .box.container .chip .name').allInnerTexts();
      assert.ok(inside.includes(NAMES.child) && inside.includes(NAMES.dindInner), JSON.stringify(inside));
      // Others may start and stop containers there too: the count follows what the nested engine runs
      // (the view re-lists on its events), so compare until both agree or the bound passes.
      const nested = frame.locator(`.diagram .box.container .chip:has-text("${NAMES.dindInner}") .nested`);
      let shownText = '';
      let expected = '';
      for (const deadline = Date.now() + 15_000; Date.now() < deadline; await page.waitForTimeout(300)) {
        const running = (await dockerIn([NAMES.dind, NAMES.dindInner], ['ps', '-q'])).split('\n').filter(Boolean).length;
        expected = `its engine: ${running} container${running === 1 ? '' : 's'}`;
        shownText = await nested.innerText();
        if (running >= 1 && shownText === expected) break;
      }
      assert.equal(shownText, expected);
      await page.mouse.move(5, 5);
      await workbench.screenshot(page, `compare-dind-${width}`);
    });
  }

  it('DooD: the container inside the shared engine beside its siblings; "+ N more" expands', async () => {
    const frame = await openCompare(page, NAMES.dood);
    await setEditorWidth(page, 1000);
    const engineBox = frame.locator('.diagram > .box.engine');
    const chips = engineBox.locator(':scope > .items > .chip');
    await frame.locator('.diagram button.more').waitFor({ timeout: 30_000 });
    assert.deepEqual(await chips.first().locator('.name').innerText(), NAMES.dood);
    assert.match(await chips.first().getAttribute('class'), /relation-self/);
    assert.ok(await chips.nth(1).evaluate((el) => el.classList.contains('relation-sibling')));
    const before = await chips.count();
    const more = frame.locator('.diagram button.more');
    const hidden = Number((await more.innerText()).match(/^\+ (\d+) more$/)?.[1]);
    assert.ok(hidden > 0, await more.innerText());
    await more.click();
    await frame.locator('.diagram button.more', { hasText: 'Show fewer' }).waitFor({ timeout: 5_000 });
    assert.equal(await chips.count(), before + hidden);
    const all = await chips.locator('.name').allInnerTexts();
    for (const name of EXTRA) assert.ok(all.includes(name), `${name} among the siblings once expanded`);
    const fit = await measure(page, frame);
    measured['dood-expanded@1000'] = fit;
    assert.ok(fit.scrollWidth <= fit.clientWidth, `scrollWidth ${fit.scrollWidth} > clientWidth ${fit.clientWidth}`);
    await page.mouse.move(5, 5);
    await workbench.screenshot(page, 'compare-dood-1000');
  });

  it('Copy and Refresh say what they did', async () => {
    const frame = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
    const notice = frame.locator('.notice');
    await frame.locator('vscode-button', { hasText: 'Copy as text' }).click();
    await frame.locator('.notice', { hasText: /^Copied the verdict and both lists \(\d+ rows\) to the clipboard as text\.$/ }).waitFor({ timeout: 10_000 });
    // The list of siblings stays expanded across the refresh.
    await frame.locator('vscode-button', { hasText: 'Refresh' }).click();
    await frame.locator('.notice', { hasText: /^Refreshed at .+: \d+ rows outside, \d+ rows inside\.$/ }).waitFor({ timeout: 15_000 });
    assert.match(await notice.innerText(), /^Refreshed at/);
    assert.equal(await frame.locator('.diagram button.more').innerText(), 'Show fewer');
    await workbench.screenshot(page, 'compare-refreshed');
  });
});

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

/** Resizes the browser so that the editor area is `width` px wide (the side bar keeps its width). */
async function setEditorWidth(page, width) {
  for (let attempt = 0; attempt < 4; attempt++) {
    const box = await page.locator('.part.editor').boundingBox();
    if (Math.abs(box.width - width) <= 1) break;
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: Math.round(viewport.width + width - box.width), height: viewport.height });
    await page.waitForTimeout(500);
  }
  await page.waitForTimeout(500);
}

/** The webview document's widths, and the element reaching furthest right. */
async function measure(page, frame) {
  const inside = await frame.locator('html').evaluate((html) => {
    let widest = 0;
    let widestWhat = '';
    for (const el of html.querySelectorAll('body *')) {
      const right = el.getBoundingClientRect().right;
      if (right > widest) {
        widest = right;
        widestWhat = `<${el.tagName.toLowerCase()} class="${el.className}">`;
      }
    }
    return { scrollWidth: html.scrollWidth, clientWidth: html.clientWidth, bodyScrollWidth: document.body.scrollWidth, widest: Math.ceil(widest), widestWhat };
  });
  return { ...inside, editorWidth: Math.round((await page.locator('.part.editor').boundingBox()).width) };
}
