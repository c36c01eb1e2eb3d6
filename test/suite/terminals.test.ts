// Terminals, logs and actions through VS Code's own API, on a container two engines deep.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MatryoshkaApi } from '../../src/extension';
import { dockerIn, waitFor } from '../support/docker';
import { LABEL, NAMES, fixturePath } from '../support/nestedFixture';
import { ownName } from '../support/runId';
import { resolveTarget } from '../../src/model/targets';
import { apiWithFixture } from './matryoshkaApi';

const DEPTH2 = [NAMES.dind, NAMES.dindInner];
const DEEP = [...DEPTH2, NAMES.grandchild];
/** How a terminal on the grandchild is named: `it-grandchild-k3f9 (default › … › it-grandchild-k3f9)`. */
const DEEP_TERMINAL = `${NAMES.grandchild} (${fixturePath(...DEEP)})`;
const LOGS = ownName('it-vscode-logs');
const STOPPED = ownName('it-stopped');
const TTY_LOGS = ownName('it5-tty-logs');


describe('Terminals and actions in VS Code', function () {
  this.timeout(300_000);
  let matryoshka: MatryoshkaApi;

  before(async () => {
    matryoshka = await apiWithFixture();
  });

  it('attaches a terminal to a container two engines deep and reads back what it writes', async () => {
    const shells = async () => (await dockerIn(DEPTH2, ['top', NAMES.grandchild, '-eo', 'pid,args'])).split('\n').slice(1).filter((line) => /\bsh$/.test(line.trim())).length;
    const before = await shells();
    const terminal = await vscode.commands.executeCommand<vscode.Terminal>('matryoshka.attachTerminal', { path: [...DEPTH2, NAMES.grandchild] });
    assert.ok(terminal, 'the command resolves to the terminal');
    assert.ok(terminal.name.includes(DEEP_TERMINAL), terminal.name);
    await waitFor('a prompt', 15_000, async () => /#\s/.test(matryoshka.terminals.transcript(terminal) ?? ''));
    terminal.sendText('echo matryoshka-$((6*7))');
    await waitFor('the command output', 15_000, async () => /matryoshka-42/.test(matryoshka.terminals.transcript(terminal) ?? ''));
    assert.equal(await shells(), before + 1);
    terminal.dispose();
    await waitFor(`the shell gone from ${NAMES.grandchild}`, 15_000, async () => (await shells()) === before);
  });

  it('input sent at once after attachTerminal, before the shell connects, runs once', async () => {
    const marker = `/tmp/sent-at-once-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
    const terminal = await vscode.commands.executeCommand<vscode.Terminal>('matryoshka.attachTerminal', { path: [...DEPTH2, NAMES.grandchild] });
    try {
      terminal.sendText(`echo first >> ${marker}; echo second >> ${marker}`);
      terminal.sendText(`echo third >> ${marker}`);
      const read = () => dockerIn(DEPTH2, ['exec', NAMES.grandchild, 'cat', marker]).catch(() => '');
      await waitFor('the marker file', 20_000, async () => (await read()).includes('third'));
      // dockerIn trims the last line break.
      assert.equal(await read(), 'first\nsecond\nthird');
      assert.doesNotMatch(matryoshka.terminals.transcript(terminal) ?? '', /not sent/);
    } finally {
      terminal.dispose();
      await dockerIn(DEPTH2, ['exec', NAMES.grandchild, 'rm', '-f', marker]).catch(() => undefined);
    }
  });

  it('says in the terminal that the shell failed, keeps its output until a key is pressed, and closes cleanly after exit 0', async () => {
    const terminal = await vscode.commands.executeCommand<vscode.Terminal>('matryoshka.attachTerminal', { path: [NAMES.dind, NAMES.child] });
    await waitFor('a prompt', 15_000, async () => /#\s/.test(matryoshka.terminals.transcript(terminal) ?? ''));
    const closed = new Promise<vscode.Terminal>((resolve) => vscode.window.onDidCloseTerminal((t) => t === terminal && resolve(t)));
    terminal.sendText('echo kept-$((40+2)); exit 5');
    await waitFor('the exit message', 15_000, async () => /exited with code 5\]/.test(matryoshka.terminals.transcript(terminal) ?? ''));
    const transcript = matryoshka.terminals.transcript(terminal) ?? '';
    assert.match(transcript, /kept-42[\s\S]*\[press any key to close this terminal\]/);
    assert.ok(vscode.window.terminals.includes(terminal), 'still open, with its output');
    terminal.sendText('x', false);
    assert.equal((await closed).exitStatus?.code, undefined, 'no exit code for VS Code to show as an error');

    const clean = await vscode.commands.executeCommand<vscode.Terminal>('matryoshka.attachTerminal', { path: [NAMES.dind, NAMES.child] });
    await waitFor('a prompt', 15_000, async () => /#\s/.test(matryoshka.terminals.transcript(clean) ?? ''));
    const cleanClosed = new Promise<vscode.Terminal>((resolve) => vscode.window.onDidCloseTerminal((t) => t === clean && resolve(t)));
    clean.sendText('exit');
    assert.equal((await cleanClosed).exitStatus?.code, 0, 'exit 0 closes the terminal as VS Code\'s own do');
  });

  it('follows logs with stdout and stderr apart, and stops, starts and removes at depth 2', async () => {
    await dockerIn(DEPTH2, ['run', '-d', '--name', LOGS, '--label', LABEL, 'busybox:latest', 'sh', '-c', 'echo to-stdout; echo to-stderr >&2; sleep 600']);
    try {
      await vscode.commands.executeCommand('matryoshka.refresh');
      const target = { path: [...DEPTH2, LOGS] };
      const logs = await vscode.commands.executeCommand<vscode.Terminal>('matryoshka.showLogs', target);
      await waitFor('both lines', 15_000, async () => /to-stderr/.test(matryoshka.terminals.transcript(logs) ?? '') && /to-stdout/.test(matryoshka.terminals.transcript(logs) ?? ''));
      assert.match(matryoshka.terminals.transcript(logs) ?? '', /\x1b\[31m[^\x1b]*to-stderr/, 'stderr is shown in red');
      assert.doesNotMatch(matryoshka.terminals.transcript(logs) ?? '', /\x1b\[31m[^\x1b]*to-stdout/);
      logs.dispose();
      const state = () => dockerIn(DEPTH2, ['inspect', '--format', '{{.State.Status}}', LOGS]);
      await vscode.commands.executeCommand('matryoshka.stop', target);
      assert.equal(await state(), 'exited');
      await vscode.commands.executeCommand('matryoshka.start', target);
      assert.equal(await state(), 'running');
      await vscode.commands.executeCommand('matryoshka.remove', { ...target, skipConfirmation: true });
      assert.doesNotMatch(await dockerIn(DEPTH2, ['ps', '-a', '--format', '{{.Names}}']), new RegExp(`^${LOGS}$`, 'm'));
    } finally {
      await dockerIn(DEPTH2, ['rm', '-f', LOGS]).catch(() => undefined);
    }
  });

  it('says which container and what to do when it cannot attach', async () => {
    await dockerIn([NAMES.dind], ['create', '--name', STOPPED, '--label', LABEL, 'busybox:latest', 'true']);
    try {
      await vscode.commands.executeCommand('matryoshka.refresh');
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('matryoshka.attachTerminal', { path: [NAMES.dind, STOPPED] })),
        new RegExp(`${fixturePath(NAMES.dind, STOPPED)} is created: start it first`),
      );
    } finally {
      await dockerIn([NAMES.dind], ['rm', '-f', STOPPED]);
    }
  });

  it('a shell from the terminal profile is a terminal like any other (tracked, answering, named)', async () => {
    const target = resolveTarget(matryoshka.engineService.snapshot(), { path: [...DEPTH2, NAMES.grandchild] });
    const profile = matryoshka.terminals.shellProfile(target);
    const options = profile.options as vscode.ExtensionTerminalOptions;
    assert.ok(options.name?.includes(DEEP_TERMINAL), options.name);
    // What VS Code does with the profile it gets from the provider.
    const terminal = vscode.window.createTerminal(options);
    try {
      // At once, before the shell connects: queued like any other terminal's input.
      terminal.sendText('echo profile-$((6*7))');
      await waitFor('the command output', 20_000, async () => /profile-42/.test(matryoshka.terminals.transcript(terminal) ?? ''));
      assert.match(matryoshka.terminals.transcript(terminal) ?? '', /#\s/, 'a prompt');
    } finally {
      terminal.dispose();
    }
  });

  it('follows the logs of a TTY container with timestamps', async () => {
    await dockerIn(DEPTH2, ['run', '-d', '-t', '--name', TTY_LOGS, '--label', LABEL, 'busybox:latest', 'sh', '-c', 'echo tty-out; echo tty-err >&2; sleep 600']);
    try {
      await vscode.commands.executeCommand('matryoshka.refresh');
      const logs = await vscode.commands.executeCommand<vscode.Terminal>('matryoshka.showLogs', { path: [...DEPTH2, TTY_LOGS] });
      const text = () => matryoshka.terminals.transcript(logs) ?? '';
      await waitFor('both lines', 15_000, async () => /tty-out/.test(text()) && /tty-err/.test(text()));
      assert.match(text(), /^\d{4}-\d\d-\d\dT[\d:.]+Z tty-out\r\n/m, 'a timestamp, then the line as the TTY wrote it');
      assert.match(text(), /^\d{4}-\d\d-\d\dT[\d:.]+Z tty-err\r\n/m);
      logs.dispose();
    } finally {
      await dockerIn(DEPTH2, ['rm', '-f', TTY_LOGS]);
    }
  });
});
