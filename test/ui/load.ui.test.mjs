// UI test: 300 containers arrive in a DinD of our own while its row is open in a context menu, as a
// user sees it in code-server. The menu's command still gets its row; the picture of the tree with
// the 300 rows is test-results/load-300.png. (The counts and timings are in test/suite/load.test.ts.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRequire } from 'node:module';
import { openUiSession } from './uiSession.mjs';

const require = createRequire(import.meta.url);
const workbench = require('../../out/test/ui/workbench.js');
const { fillLoadDind, removeLoadDind, startLoadDind } = require('../../out/test/support/loadFixture.js');

const DIND = 'ld-ui-dind';
const PREFIX = 'ld-u-';

describe('the tree while 300 containers arrive', { timeout: 300_000 }, () => {
  let session;
  let page;

  before(async () => {
    await startLoadDind(DIND);
    session = await openUiSession();
    page = session.page;
  });

  after(async () => {
    await session?.close();
    await removeLoadDind(DIND);
  });

  it('keeps a context menu on the DinD working while its engine fills, and shows the 300 rows under it', async () => {
    await workbench.openViewContainer(page, 'Matryoshka');
    await waitForRows((rows) => rows.some((r) => r.label === DIND && r.expanded === true), `${DIND} expanded`);
    const filling = fillLoadDind(DIND, PREFIX, 300, 0);
    // The menu opens once rows arrive, stays open over several renders, and acts on its row.
    await waitForRows((rows) => rows.some((r) => r.label.startsWith(PREFIX)), 'the first new rows');
    await workbench.treeRow(page, DIND).click({ button: 'right' });
    await page.waitForTimeout(1_500);
    await workbench.pickMenuEntry(page, 'Copy Container ID');
    await page.locator('.part.statusbar').getByText(`Copied the id of ${DIND}`).waitFor({ timeout: 10_000 });
    const { createMs } = await filling;
    const rows = await waitForRows((all) => all.some((r) => r.label === `${PREFIX}299`) || all.filter((r) => r.label.startsWith(PREFIX)).length >= 10, 'rows of the new containers');
    const dindRow = rows.find((r) => r.label === DIND);
    assert.equal(dindRow?.expanded, true, `${DIND} is still expanded`);
    assert.ok(rows.filter((r) => r.label.startsWith(PREFIX)).every((r) => r.level === dindRow.level + 1), 'the new containers are nested under the DinD');
    await workbench.widenSideBar(page, 260);
    await page.mouse.move(900, 600);
    await page.waitForTimeout(600);
    await workbench.screenshot(page, 'load-300');
    console.log(`300 containers created in ${(createMs / 1000).toFixed(1)} s`);
  });

  async function waitForRows(predicate, what) {
    const rows = await workbench.treeRowsWhen(page, 'Engines', predicate, 90_000, 300);
    if (predicate(rows)) return rows;
    throw new Error(`timed out waiting for ${what}; rows: ${rows.map((r) => r.label).join(', ')}`);
  }
});
