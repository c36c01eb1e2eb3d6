// UI tests: the terminal profile and multi-select actions in a real VS Code (code-server) in
// Chromium, as a person uses them. Not compiled: it uses the compiled helpers in out/.
import assert from 'node:assert/strict';
import { after, before, describe, it as itTest } from 'node:test';
import { createRequire } from 'node:module';
import { openUiSession } from './uiSession.mjs';

const require = createRequire(import.meta.url);
const workbench = require('../../out/test/ui/workbench.js');
const { until, activeTerminalText } = workbench;
const { LABEL, NAMES, ensureNestedFixture, fixturePath, removeNestedFixture } = require('../../out/test/support/nestedFixture.js');
const { ownName } = require('../../out/test/support/runId.js');
const { dockerIn } = require('../../out/test/support/docker.js');

const PROFILE = 'Matryoshka: container shell';
const DEPTH2 = [NAMES.dind, NAMES.dindInner];
// Ends at once on SIGTERM (a bare `sleep` as PID 1 ignores it and waits out the grace period).
const QUICK_TO_STOP = ['busybox:latest', 'sh', '-c', 'trap "exit 0" TERM; sleep 600 & wait'];

/** In Matryoshka's container pick: types `name` and accepts the row that shows it. */
async function pickContainer(page, name, path) {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: 'Open a shell in which container?' }).waitFor({ timeout: 30_000 });
  await widget.locator('input.input').fill(name);
  const row = widget.locator('.quick-input-list .monaco-list-row.focused', { hasText: path });
  await row.waitFor({ timeout: 10_000 });
  assert.match(await row.innerText(), new RegExp(`${name}[\\s\\S]*${path}`));
  await page.keyboard.press('Enter');
}

describe('terminal profile and multi-select in VS Code', { timeout: 300_000 }, () => {
  let session;
  let page;
  let created = false;
  /** `it`, with a screenshot of the workbench when the test fails (test-results/failure-<n>.png). */
  let failures = 0;
  const it = (title, body) => itTest(title, async () => {
    try {
      await body();
    } catch (error) {
      if (page) await workbench.screenshot(page, `failure-terminals-${++failures}`).catch(() => undefined);
      throw error;
    }
  });

  before(async () => {
    created = (await ensureNestedFixture()).created;
    session = await openUiSession();
    page = session.page;
    await workbench.openViewContainer(page, 'Matryoshka');
    await until(`the tree down to ${NAMES.grandchild}`, 60_000, async () => (await workbench.treeRowLabels(page, 'Engines')).some((r) => r.label === NAMES.grandchild));
  });

  after(async () => {
    await session?.close();
    if (created && !process.env.MATRYOSHKA_KEEP_FIXTURE) await removeNestedFixture();
  });

  it('opens a shell two engines deep from "Matryoshka: container shell" in the terminal\'s "+" menu', async () => {
    await workbench.runCommand(page, 'View: Toggle Terminal');
    // Toggling opens the default shell, which takes the keyboard once its process has started. A
    // drop-down opened before that closes under the pointer when the focus moves (seen in CI), so
    // wait until the new terminal holds the focus.
    await until('the default terminal to take the focus', 30_000, () =>
      page.evaluate(() => Boolean(document.activeElement?.closest('.terminal-wrapper.active'))));
    const launchProfile = page.locator('.part.panel [aria-label="Launch Profile..."]').first();
    await launchProfile.waitFor({ timeout: 30_000 });
    await launchProfile.click();
    await workbench.pickMenuEntry(page, PROFILE);
    await pickContainer(page, NAMES.grandchild, fixturePath(...DEPTH2));
    // The new terminal's tab names the container and its path.
    await page.getByText(`${NAMES.grandchild} (${fixturePath(...DEPTH2, NAMES.grandchild)})`).first().waitFor({ timeout: 30_000 });
    await until('the prompt of busybox sh', 30_000, async () => /^\/ # /m.test(await activeTerminalText(page)), async () => `the terminal shows: ${JSON.stringify(await activeTerminalText(page))}`);
    const hostname = await dockerIn(DEPTH2, ['inspect', '--format', '{{.Config.Hostname}}', NAMES.grandchild]);
    await page.locator('.terminal-wrapper.active .xterm').first().click();
    await page.keyboard.type('echo profile-$((6*7)) in $(hostname)');
    await page.keyboard.press('Enter');
    await until('the output', 20_000, async () => (await activeTerminalText(page)).includes(`profile-42 in ${hostname}`), async () => `the terminal shows: ${JSON.stringify(await activeTerminalText(page))}`);
    await page.mouse.move(900, 300);
    await page.waitForTimeout(300);
    await workbench.screenshot(page, 'terminal-profile');
  });

  it('dismissing the container pick opens nothing and shows no error', async () => {
    const terminals = async () => page.locator('.part.panel .terminal-tabs-entry, .part.panel .tabs-list .monaco-list-row').count();
    const before = await terminals();
    await workbench.dismissDialogsAndNotifications(page);
    // VS Code 1.100 lists this command without its "Terminal:" category.
    await workbench.runCommand(page, 'Create New Terminal (With Profile)');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('input.input').fill(PROFILE);
    const row = widget.locator('.quick-input-list .monaco-list-row', { hasText: PROFILE }).first();
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    await widget.locator('.quick-input-title', { hasText: 'Open a shell in which container?' }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
    // VS Code shows what a profile provider throws as an error notification ("Canceled"): none may come.
    const toast = page.locator('.notification-toast', { hasText: /cancel|profile|matryoshka/i });
    const appeared = await toast.first().waitFor({ timeout: 3_000 }).then(() => true, () => false);
    assert.equal(appeared, false, `no notification about it; got: ${appeared ? await toast.allInnerTexts() : ''}`);
    assert.equal(await terminals(), before);
  });

  it('stops, starts and removes two selected containers from the context menu, asking first for both', async () => {
    const names = [ownName('it5-ui-a'), ownName('it5-ui-b')];
    const state = (name) => dockerIn([NAMES.dind], ['inspect', '--format', '{{.State.Status}}', name]);
    const descriptions = async () => JSON.stringify((await workbench.treeRowLabels(page, 'Engines')).filter((r) => names.includes(r.label)));
    const description = async (name) => (await workbench.treeRowLabels(page, 'Engines')).find((r) => r.label === name)?.description ?? '';
    try {
      for (const name of names) await dockerIn([NAMES.dind], ['run', '-d', '--name', name, '--label', LABEL, ...QUICK_TO_STOP]);
      await workbench.runCommand(page, 'View: Hide Panel');
      await workbench.openViewContainer(page, 'Matryoshka');
      await until('both rows', 30_000, async () => (await Promise.all(names.map(description))).every((d) => /^up /.test(d)));

      await workbench.selectRows(page, names);
      await workbench.contextMenu(page, names[1], 'Stop Container');
      await until('both rows exited', 30_000, async () => (await Promise.all(names.map(description))).every((d) => /^exited/.test(d)), descriptions);
      assert.deepEqual(await Promise.all(names.map(state)), ['exited', 'exited']);

      await workbench.selectRows(page, names);
      await workbench.contextMenu(page, names[0], 'Start Container');
      await until('both rows running', 30_000, async () => (await Promise.all(names.map(description))).every((d) => /^up /.test(d)), descriptions);
      assert.deepEqual(await Promise.all(names.map(state)), ['running', 'running']);

      await workbench.selectRows(page, names);
      await workbench.contextMenu(page, names[0], 'Remove Container…');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 10_000 });
      const text = await dialog.innerText();
      assert.match(text, /Remove 2 containers\?/);
      for (const name of names) assert.ok(text.includes(fixturePath(NAMES.dind, name)), `the question names ${name}: ${text}`);
      await workbench.screenshot(page, 'remove-confirmation');
      await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
      await until('both rows gone', 30_000, async () => !(await workbench.treeRowLabels(page, 'Engines')).some((r) => names.includes(r.label)));
      const left = await dockerIn([NAMES.dind], ['ps', '-a', '--format', '{{.Names}}']);
      for (const name of names) assert.ok(!left.split('\n').includes(name), `${name} is gone from the engine`);
    } finally {
      await dockerIn([NAMES.dind], ['rm', '-f', ...names]).catch(() => undefined);
    }
  });

  it('what is typed right after Attach Shell in the context menu, before the shell connects, runs', async () => {
    await workbench.runCommand(page, 'Terminal: Kill All Terminals');
    await workbench.openViewContainer(page, 'Matryoshka');
    const hostname = await dockerIn(DEPTH2, ['inspect', '--format', '{{.Config.Hostname}}', NAMES.grandchild]);
    await workbench.contextMenu(page, NAMES.grandchild, 'Attach Shell');
    // As a person does: as soon as the new terminal has the keyboard, type.
    await page.waitForFunction(() => document.activeElement?.closest('.terminal-wrapper.active') !== null, undefined, { timeout: 30_000 });
    // The shell has not connected when typing starts (it takes a second or more two engines deep).
    assert.doesNotMatch(await activeTerminalText(page), /^\/ # /m, 'no prompt yet');
    await page.keyboard.type('echo early-$((6*7)) in $(hostname)');
    await page.keyboard.press('Enter');
    await until('the output', 30_000, async () => (await activeTerminalText(page)).includes(`early-42 in ${hostname}`), async () => `the terminal shows: ${JSON.stringify(await activeTerminalText(page))}`);
    assert.equal((await activeTerminalText(page)).split(`early-42 in ${hostname}`).length, 2, 'the command ran once');
    await page.mouse.move(900, 300);
    await page.waitForTimeout(300);
    await workbench.screenshot(page, 'terminal-typed-while-connecting');
    // Closing the terminal hangs the shell up; a stopped code-server would leave it running.
    await workbench.runCommand(page, 'Terminal: Kill All Terminals');
  });
});
