// UI test: containers on the real engine carrying hostile text (in a mount's folder name, labels, the
// command; Docker's own rules keep names plain) as a user sees them: the tree row, its tooltip on
// hover, and the error notification that quotes the engine's words. All of it must be text.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createRequire } from 'node:module';
import { openUiSession } from './uiSession.mjs';

const require = createRequire(import.meta.url);
const workbench = require('../../out/test/ui/workbench.js');
const { docker } = require('../../out/test/support/docker.js');
const { ownName } = require('../../out/test/support/runId.js');

const LABEL = 'dev.matryoshka.test=faults';
const RUNNING = ownName('it9-hostile');
const BROKEN = ownName('it9-hostile-cmd');
const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '"><script>alert(2)';
const LINK = '[Run me](command:matryoshka.refresh)';
const FOLDER = path.join('/tmp', `it9-${process.pid}`, `${IMG} ${SCRIPT} ${LINK}`);

/** POST /containers/create with JSON (the CLI's -v and --mount syntaxes cannot carry these characters). */
function create(name, body) {
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath: '/var/run/docker.sock', method: 'POST', path: `/v1.41/containers/create?name=${name}`, headers: { 'content-type': 'application/json' } }, (response) => {
      let text = '';
      response.on('data', (c) => (text += c));
      response.on('end', () => (response.statusCode === 201 ? resolve(JSON.parse(text).Id) : reject(new Error(`${response.statusCode} ${text}`))));
    });
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

describe('hostile engine text in VS Code', { timeout: 420_000 }, () => {
  let session;
  let page;

  before(async () => {
    await docker(['rm', '-f', RUNNING, BROKEN]).catch(() => undefined);
    fs.mkdirSync(FOLDER, { recursive: true });
    const labels = { 'dev.matryoshka.test': 'faults', [`it9.${IMG}`]: `${SCRIPT} ${LINK} \u202Eexe.txt \u0000nul` };
    await create(RUNNING, { Image: 'busybox:latest', Cmd: ['sleep', '3600'], Labels: labels, HostConfig: { Mounts: [{ Type: 'bind', Source: FOLDER, Target: '/it9', ReadOnly: true }] } });
    await docker(['start', RUNNING]);
    // Starting it fails, and the engine's error quotes the command: a link, an image tag, a script.
    await create(BROKEN, { Image: 'busybox:latest', Cmd: [`${LINK} ${IMG} ${SCRIPT}`], Labels: labels });
    session = await openUiSession();
    page = session.page;
  });

  after(async () => {
    await session?.close();
    await docker(['rm', '-f', RUNNING, BROKEN]).catch(() => undefined);
    fs.rmSync(path.dirname(FOLDER), { recursive: true, force: true });
  });

  it('shows the row, the tooltip and the notification as text, with no link, image or script', async () => {
    await workbench.openViewContainer(page, 'Matryoshka');
    const rows = await workbench.treeRowsWhen(page, 'Engines', (rs) => rs.some((r) => r.label === RUNNING) && rs.some((r) => r.label === BROKEN), 120_000);
    assert.ok(rows.some((r) => r.label === RUNNING), `the row ${RUNNING}; rows: ${rows.map((r) => r.label).join(' | ')}`);

    // The tooltip (on hover) lists the mount with the folder's name as typed.
    // A hover shows after a delay and goes when the pointer leaves: move off and on until it shows.
    const row = workbench.treeRow(page, RUNNING);
    const hover = page.locator('.monaco-hover', { hasText: 'Mounts' }).last();
    const hoverDeadline = Date.now() + 120_000;
    while (!(await hover.isVisible())) {
      assert.ok(Date.now() < hoverDeadline, 'the tooltip of the row shows on hover');
      await page.mouse.move(900, 600);
      await row.hover();
      await hover.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => undefined);
    }
    const text = await hover.innerText();
    assert.ok(text.includes(`bind ${FOLDER} → /it9 (read-only)`), `the mount line as text; hover: ${text}`);
    assert.equal(await hover.locator('img, script, a[href], iframe').count(), 0, 'no element from the engine text');
    await workbench.screenshot(page, 'hostile-tooltip');

    // Start the broken one: the engine refuses, quoting the command; the notification shows it.
    await page.mouse.move(900, 600);
    await workbench.contextMenu(page, BROKEN, 'Start Container');
    const toast = page.locator('.notification-toast', { hasText: 'Run me' }).last();
    await toast.waitFor({ state: 'visible', timeout: 90_000 });
    const message = await toast.innerText();
    assert.ok(message.includes(BROKEN), `names the container; got: ${message}`);
    assert.ok(message.includes('[Run me]\\(command:matryoshka.refresh)') && message.includes(IMG), `the engine's words as text; got: ${message}`);
    // One notification: a menu command that fails does not reject as well, which VS Code would
    // show a second time ("Command … resulted in an error"). It shows the text: no link, no element.
    await page.waitForTimeout(1500);
    const bodies = page.locator('.notification-toast', { hasText: 'Run me' }).locator('.notification-list-item-message');
    assert.equal(await bodies.count(), 1, `one notification; got: ${(await bodies.allInnerTexts()).join(' | ')}`);
    for (const body of await bodies.all()) {
      assert.ok((await body.innerText()).includes('[Run me]\\(command:'), `escaped: ${await body.innerText()}`);
      assert.equal(await body.locator('a, img, script').count(), 0, `no link or element in the message: ${await body.innerHTML()}`);
    }
    await workbench.screenshot(page, 'hostile');
  });
});
