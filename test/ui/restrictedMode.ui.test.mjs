// UI test: Restricted Mode on the real engine. code-server runs with workspace trust on and opens a
// folder it does not trust, whose .vscode/settings.json asks for a privileged image (that exists on
// the engine), `/:/host` as Binds and as Mounts under keys a user might try, a hostile engine
// endpoint, and tries to turn the consent question off. Matryoshka talks to the engine through a
// recording proxy (DOCKER_HOST); the hostile endpoint is a TCP port this test listens on. Every
// create-capable command is driven from the palette and, through a test-only extension, by
// vscode.commands.executeCommand with arguments: none may create anything or carry the folder's values.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRequire } from 'node:module';
import { openUiSession } from './uiSession.mjs';
import { creates, startHostileListener, startRecordingProxy } from './recordingProxy.mjs';

const require = createRequire(import.meta.url);
const workbench = require('../../out/test/ui/workbench.js');
const { NAMES, ensureNestedFixture } = require('../../out/test/support/nestedFixture.js');
const { docker } = require('../../out/test/support/docker.js');
const { OWN_ID, ownName } = require('../../out/test/support/runId.js');

const EVIL_IMAGE = 'rm-evil/privileged:latest';
const HOST_ROOT = { Type: 'bind', Source: '/', Target: '/host' };
const PROBE = path.join(path.dirname(new URL(import.meta.url).pathname), 'restrictedProbe');
const CONFIRMED = ownName('rm-p-confirmed');

const folderSettings = (port) => ({
  'matryoshka.dood.image': EVIL_IMAGE,
  'matryoshka.dind.image': EVIL_IMAGE,
  'matryoshka.sysbox.image': EVIL_IMAGE,
  'matryoshka.sysbox.runtimes': ['runc'],
  'matryoshka.engines': [{ name: 'rm-hostile', host: `tcp://127.0.0.1:${port}` }],
  'matryoshka.confirmPrivilegedLaunch': false,
  'matryoshka.launch.engineTimeoutSeconds': 5,
  // Keys Matryoshka does not have: a user might hope they reach the create request.
  'matryoshka.dind.createOptions': { HostConfig: { Privileged: true, Binds: ['/:/host'], Mounts: [HOST_ROOT] } },
  'matryoshka.dind.binds': ['/:/host'],
  'matryoshka.dind.mounts': [HOST_ROOT],
  'matryoshka.launch.hostConfig': { Binds: ['/:/host'], Mounts: [HOST_ROOT] },
});

/** The calls another extension makes; each either ends at the Restricted Mode question or is refused. */
const CALLS = [
  ['matryoshka.launchDind', { name: ownName('rm-x-dind'), folder: null, skipConfirmation: true }],
  ['matryoshka.launchDood', { name: ownName('rm-x-dood'), skipConfirmation: true }],
  ['matryoshka.launchSysbox', { name: ownName('rm-x-sysbox'), folder: null, skipConfirmation: true }],
  ['matryoshka.launchWorkspace', { name: ownName('rm-x-any'), folder: null, skipConfirmation: true }],
  ['matryoshka.launchDind', { name: ownName('rm-x-hostile'), engine: 'rm-hostile', skipConfirmation: true }],
  ['matryoshka.launchDind', { name: ownName('rm-x-root'), folder: '/', skipConfirmation: true }],
  ['matryoshka.launchDind', { name: ownName('rm-x-binds'), skipConfirmation: true, Binds: ['/:/host'] }],
  ['matryoshka.launchDind', { name: ownName('rm-x-mounts'), skipConfirmation: true, HostConfig: { Mounts: [HOST_ROOT] } }],
  ['matryoshka.loadImage', { path: [NAMES.dind], image: 'busybox:latest' }],
];

/** This process's workspaces (`rm-x-dind-k3f9`) and their volumes (`rm-x-dind-k3f9-certs`). */
const OURS = new RegExp(`^rm-[xp]-\\w+-${OWN_ID}(-|$)`);

async function removeOurs() {
  const names = (await docker(['ps', '-a', '--format', '{{.Names}}'])).split('\n').filter((n) => OURS.test(n));
  if (names.length) await docker(['rm', '-f', '-v', ...names]);
  const volumes = (await docker(['volume', 'ls', '-q'])).split('\n').filter((n) => OURS.test(n));
  if (volumes.length) await docker(['volume', 'rm', '-f', ...volumes]);
}

/** Not one byte sent to any engine, at any depth, carried the folder's image, mounts or endpoint. */
function assertNothingOfTheFolder(proxy) {
  const seen = Object.fromEntries(proxy.seen);
  assert.deepEqual(Object.entries(seen).filter(([, count]) => count > 0), [], JSON.stringify(seen));
}

/** Cancels the dialog that is open; done when it is gone or the next call's dialog replaced it. */
async function cancelDialog(page) {
  const dialog = page.locator('.monaco-dialog-box');
  const text = await dialog.innerText();
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await page.waitForFunction((before) => document.querySelector('.monaco-dialog-box')?.innerText !== before, text, { timeout: 30_000 });
  return text;
}

/** The rows a quick pick offers (labels as shown). */
async function offered(page) {
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name');
  await rows.first().waitFor({ timeout: 30_000 });
  return (await rows.allInnerTexts()).map((t) => t.trim());
}

/** A palette launch up to the Restricted Mode question, which is cancelled; returns what it showed. */
async function paletteLaunch(page, { command, mode, name, image, folder, publish }) {
  await workbench.runCommand(page, command);
  if (mode) await workbench.pickQuickItem(page, mode);
  const engines = await offered(page);
  await workbench.pickQuickItem(page, 'default');
  await workbench.answerInputBox(page, /: name$/, name);
  const imageShown = await workbench.answerInputBox(page, /: image$/, undefined);
  await workbench.pickQuickItem(page, folder);
  if (publish) await workbench.pickQuickItem(page, 'Keep the inner engine private');
  await page.locator('.monaco-dialog-box').waitFor({ timeout: 30_000 });
  return { engines, imageShown };
}

describe('Restricted Mode: an untrusted folder\'s settings never reach an engine', { timeout: 600_000 }, () => {
  let session;
  let page;
  let proxy;
  let hostile;
  let tmp;
  const dialogs = [];

  before(async () => {
    await ensureNestedFixture();
    await removeOurs();
    // The folder's image exists, so that an unprotected launch would create at once rather than fail a pull.
    await docker(['tag', 'busybox:latest', EVIL_IMAGE]);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rm-restricted-'));
    fs.writeFileSync(path.join(tmp, 'calls.json'), JSON.stringify(CALLS));
    hostile = await startHostileListener();
    proxy = await startRecordingProxy({ dir: tmp, needles: ['rm-evil', '/:/host', '"Target":"/host"', 'rm-hostile', `127.0.0.1:${hostile.port}`] });
    session = await openUiSession({
      workspaceTrust: true,
      // Restricted Mode without the startup question (which a test would otherwise have to refuse).
      settings: { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'always' },
      env: { DOCKER_HOST: `unix://${proxy.socketPath}`, MATRYOSHKA_PROBE_DIR: tmp },
      extraExtensions: [PROBE],
      prepareFolder: (folder) => {
        fs.mkdirSync(path.join(folder, '.vscode'));
        fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify(folderSettings(hostile.port), null, 2));
      },
    });
    page = session.page;
    await workbench.openViewContainer(page, 'Matryoshka');
    await workbench.treeRowsWhen(page, 'Engines', (rows) => rows.some((r) => r.label === NAMES.dind), 60_000);
  });

  after(async () => {
    await session?.close();
    await proxy?.close();
    await hostile?.close();
    await removeOurs().catch(() => undefined);
    await docker(['rmi', EVIL_IMAGE]).catch(() => undefined);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the palette launches ask the Restricted Mode question with the user\'s defaults, and Cancel creates nothing', async () => {
    try {
      const flows = [
        { command: 'Matryoshka: Launch DinD Workspace (privileged)…', name: ownName('rm-p-dind'), image: 'docker:dind', folder: 'No folder', publish: true },
        { command: 'Matryoshka: Launch DooD Workspace (socket binding)…', name: ownName('rm-p-dood'), image: 'docker:cli', folder: 'workspace' },
        { command: 'Matryoshka: Launch Sysbox Workspace…', name: ownName('rm-p-sysbox'), image: 'docker:dind', folder: 'No folder', publish: true },
        { command: 'Matryoshka: Launch Workspace…', mode: 'DinD: Docker in Docker', name: ownName('rm-p-any'), image: 'docker:dind', folder: 'No folder', publish: true },
      ];
      for (const flow of flows) {
        const { engines, imageShown } = await paletteLaunch(page, flow);
        assert.ok(engines.includes('default') && !engines.includes('rm-hostile'), `engines offered: ${engines.join(', ')}`);
        assert.equal(imageShown, flow.image, 'the image input starts from the user-level default, not the folder\'s');
        if (flow.name === ownName('rm-p-dind')) {
          await page.waitForTimeout(300);
          await workbench.screenshot(page, 'restricted-mode');
        }
        dialogs.push(await workbench.answerDialog(page, 'Cancel'));
      }
      // Copy Image: as far as the image pick (it creates no container; the call below runs it through).
      await workbench.runCommand(page, 'Matryoshka: Copy Image into Inner Engine…');
      await workbench.pickQuickItem(page, NAMES.dind);
      assert.ok((await offered(page)).includes('busybox:latest'));
      await page.keyboard.press('Escape');
    } catch (error) {
      await workbench.screenshot(page, 'failure-restricted-palette');
      throw error;
    }
    for (const text of dialogs) {
      assert.match(text, new RegExp(`Restricted Mode: launch the \\w+ workspace rm-p-\\w+-${OWN_ID} on default`));
      assert.match(text, /Image: docker:(dind|cli) \(as you entered it\)/);
      assert.doesNotMatch(text, /Image: rm-evil/);
      assert.match(text, /trust the folder \(Manage Workspace Trust\)/);
    }
    assert.match(dialogs[0], /--privileged/);
    assert.match(dialogs[1], /-v \/\S+:\/var\/run\/docker\.sock/);
  });

  it('calls through vscode.commands.executeCommand get the same question (skipConfirmation is not honoured) or are refused', async () => {
    await workbench.dismissDialogsAndNotifications(page);
    await workbench.runCommand(page, 'Matryoshka Probe: Run Calls');
    const resultsFile = path.join(tmp, 'results.json');
    const read = () => (fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : undefined);
    const asked = [];
    const deadline = Date.now() + 180_000;
    const modePick = page.locator('.quick-input-widget .quick-input-title', { hasText: 'how should Docker run inside it?' });
    while (!read()?.done) {
      if (Date.now() > deadline) {
        await workbench.screenshot(page, 'failure-restricted-probe');
        assert.fail(`the probe did not finish: ${JSON.stringify(read())}`);
      }
      if (await page.locator('.monaco-dialog-box').isVisible()) asked.push(await cancelDialog(page));
      else if (await modePick.isVisible()) await workbench.pickQuickItem(page, 'DinD: Docker in Docker');
      else await page.waitForTimeout(200);
    }
    const results = read();
    assert.equal(results.trusted, false, 'the window is in Restricted Mode');
    const outcome = (i) => `${results.calls[i].outcome}${results.calls[i].message ? `: ${results.calls[i].message}` : ''}`;
    for (const i of [0, 1, 2, 3]) assert.equal(outcome(i), 'resolved', `${CALLS[i][0]} ends at the question (cancelled)`);
    assert.match(outcome(4), /^rejected: No connected engine "rm-hostile".*In Restricted Mode the engines named in this folder's settings are not used/);
    assert.match(outcome(5), /^rejected: Mounting "\/" would hand the container the whole file system/);
    assert.match(outcome(6), /^rejected: Unknown launch option "Binds"/);
    assert.match(outcome(7), /^rejected: Unknown launch option "HostConfig"/);
    assert.equal(results.calls[8].outcome, 'resolved', `loadImage: ${outcome(8)}`);
    assert.deepEqual(results.matryoshkaExports, ['apiVersion', 'refresh', 'version'], 'another extension gets the small API, no engines, terminals or transcripts');
    assert.equal(asked.length, 4, `one question for each launch that got that far:\n${asked.join('\n---\n')}`);
    for (const [i, text] of asked.entries()) {
      assert.match(text, new RegExp(`Restricted Mode: launch the \\w+ workspace rm-x-\\w+-${OWN_ID} on default`));
      assert.match(text, /Image: docker:(dind|cli) \(your user settings or the default\)/, `question ${i}`);
      assert.doesNotMatch(text, /rm-evil\/privileged:latest \(/);
    }
    dialogs.push(...asked);
  });

  it('nothing was created on any engine, nothing of the folder\'s reached one, and the hostile endpoint was never dialled', async () => {
    const made = creates(proxy.requests);
    const tunnelled = proxy.requests.filter((r) => r.depth === 'tunnelled');
    const summary = `${proxy.requests.length} requests (${tunnelled.length} to inner engines) over ${proxy.connections()} connections`;
    console.log(`proxy: ${summary}; creates: ${made.length}; hostile connections: ${hostile.connections.length}; needles: ${JSON.stringify(Object.fromEntries(proxy.seen))}`);
    assert.deepEqual(made, [], summary);
    assert.ok(tunnelled.some((r) => r.method === 'POST' && /\/images\/load/.test(r.path)), 'the proxy sees requests to inner engines (the loadImage call)');
    assertNothingOfTheFolder(proxy);
    assert.deepEqual(hostile.connections, []);
    assert.ok(!(await workbench.treeRowLabels(page, 'Engines')).some((r) => r.label === 'rm-hostile'), 'the folder\'s engine is not in the tree');
    assert.equal(await docker(['ps', '-aq', '--filter', 'name=^rm-[xp]-']), '');
    assert.equal(await docker(['volume', 'ls', '-q', '--filter', 'name=^rm-[xp]-']), '');
    fs.mkdirSync('test-results', { recursive: true });
    fs.writeFileSync(path.join('test-results', 'restricted-mode-dialogs.txt'), dialogs.join('\n\n-----\n\n'));
  });

  it('a launch the person confirms uses only user-level values: one create, without the folder\'s image or mounts', async () => {
    const before = proxy.requests.length;
    try {
      await workbench.startLaunch(page, 'Matryoshka: Launch DooD Workspace (socket binding)…', CONFIRMED);
      await workbench.answerDialog(page, 'Launch');
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && (await docker(['ps', '-q', '--filter', `name=^${CONFIRMED}$`])) === '') await page.waitForTimeout(500);
      const made = creates(proxy.requests.slice(before));
      assert.deepEqual(made.map((r) => r.path.replace(/^\/v[\d.]+/, '')), [`/containers/create?name=${CONFIRMED}`]);
      assertNothingOfTheFolder(proxy);
      const inspect = JSON.parse(await docker(['inspect', CONFIRMED]))[0];
      assert.equal(inspect.Config.Image, 'docker:cli');
      assert.deepEqual(inspect.HostConfig.Binds, [`${proxy.socketPath}:/var/run/docker.sock`]);
      assert.deepEqual(inspect.HostConfig.Mounts ?? [], []);
      assert.equal(inspect.HostConfig.Privileged, false);
    } finally {
      await docker(['rm', '-f', '-v', CONFIRMED]).catch(() => undefined);
    }
  });
});
