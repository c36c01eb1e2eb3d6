import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EngineApi } from '../../src/engine/engineApi';
import type { EngineGraph } from '../../src/engine/engineGraph';
import { ShellBridge, type TerminalSink } from '../../src/terminals/shellBridge';
import { INPUT_QUEUE_LIMIT } from '../../src/model/inputQueue';
import { dockerIn, waitFor } from '../support/docker';
import { NAMES, fixturePath } from '../support/nestedFixture';
import { ownName } from '../support/runId';
import { graphAtDepth2 } from '../support/testGraph';

const DEPTH2 = [NAMES.dind, NAMES.dindInner];
const WHERE = fixturePath(...DEPTH2, NAMES.grandchild);
const MISSING = ownName('it-no-such-container');

/** What a terminal would show, and how it ended. */
class RecordingSink implements TerminalSink {
  text = '';
  closed = false;
  code: number | undefined;
  write(text: string): void {
    this.text += text;
  }
  close(code?: number): void {
    this.closed = true;
    this.code = code;
  }
}

describe('input sent while a shell two engines deep connects', { timeout: 300_000 }, () => {
  let graph: EngineGraph;
  let api: EngineApi;
  let grandchildId: string;
  const suffix = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  const file = `/tmp/queued-${suffix}`;
  /** The file's lines (dockerIn trims the output); none when it does not exist. */
  const read = async (path: string) => (await dockerIn([...DEPTH2], ['exec', NAMES.grandchild, 'cat', path]).catch(() => '')).split('\n').filter(Boolean);

  before(async () => {
    let engine;
    ({ graph, engine, api } = await graphAtDepth2());
    grandchildId = engine.containers.find((c) => c.name === NAMES.grandchild)?.id ?? assert.fail(NAMES.grandchild);
  });

  after(async () => {
    await dockerIn([...DEPTH2], ['exec', NAMES.grandchild, 'rm', '-f', file, `${file}-closed`, `${file}-big`]).catch(() => undefined);
    graph?.dispose();
  });

  it('is written once the shell runs: keystrokes, a multi-line paste, a control character and a resize, in order and once', async () => {
    const sink = new RecordingSink();
    const bridge = new ShellBridge(api, grandchildId, WHERE, undefined, sink);
    const opening = bridge.open({ rows: 24, columns: 80 });
    try {
      // All of it before the shell is connected: open() has not had a reply from the engine yet.
      for (const key of `echo a >> ${file}; echo b >> ${file}\r`) bridge.input(key);
      bridge.input(`echo c >> ${file}\recho d >> ${file}\r`);
      // ^U erases the line typed before it (ash's line editor and the TTY alike): out of order, x would be written.
      bridge.input(`echo x >> ${file}\x15`);
      bridge.resize({ rows: 33, columns: 111 });
      bridge.input(`stty size >> ${file}; echo e >> ${file}\r`);
      assert.equal(sink.text, '', 'nothing shown yet: the shell is still connecting');
      await opening;
      await waitFor('the queued commands to run', 20_000, async () => (await read(file)).includes('e'));
      assert.deepEqual(await read(file), ['a', 'b', 'c', 'd', '33 111', 'e']);
      // Typed after connecting: straight to the shell, behind the queued input.
      bridge.input(`echo f >> ${file}\r`);
      await waitFor('the command typed after connecting', 20_000, async () => (await read(file)).includes('f'));
      assert.deepEqual(await read(file), ['a', 'b', 'c', 'd', '33 111', 'e', 'f'], 'each line once');
      assert.doesNotMatch(sink.text, /not sent|more than/);
    } finally {
      bridge.close();
    }
  });

  it('a paste near the bound arrives whole; past the bound the terminal says so once and the rest is not sent', async () => {
    const sink = new RecordingSink();
    const bridge = new ShellBridge(api, grandchildId, WHERE, undefined, sink);
    const opening = bridge.open(undefined);
    try {
      const lines = Array.from({ length: 1700 }, (_, i) => `echo ${i} >> ${file}-big\r`).join('');
      assert.ok(lines.length > 56 * 1024 && lines.length < INPUT_QUEUE_LIMIT, `a paste of ${lines.length} bytes`);
      bridge.input(lines);
      bridge.input(`: ${'x'.repeat(8 * 1024)}\r`);
      bridge.input(`echo dropped >> ${file}-big\r`);
      await opening;
      await waitFor('the pasted lines to run', 60_000, async () => (await read(`${file}-big`)).length >= 1700);
      bridge.input(`echo connected >> ${file}-big\r`);
      await waitFor('the line typed after connecting', 20_000, async () => (await read(`${file}-big`)).includes('connected'));
      assert.deepEqual(await read(`${file}-big`), [...Array.from({ length: 1700 }, (_, i) => String(i)), 'connected']);
      assert.equal(sink.text.split(`more than 64 KiB typed before the shell in ${WHERE} connected`).length, 2, 'said once');
      assert.doesNotMatch(sink.text, /not sent: the input/);
    } finally {
      bridge.close();
    }
  });

  it('is dropped with a "not sent" line when the shell cannot be opened', async () => {
    const sink = new RecordingSink();
    const bridge = new ShellBridge(api, MISSING, WHERE, undefined, sink);
    const opening = bridge.open(undefined);
    bridge.input('echo lost\r');
    await opening;
    assert.equal(sink.closed, false, 'kept open, so that the reason stays readable');
    assert.match(sink.text, /\[press any key to close this terminal\]/);
    assert.match(sink.text, new RegExp(`Could not open a shell in ${WHERE}: .*${MISSING}`));
    assert.match(sink.text, new RegExp(`not sent: the input typed before the shell in ${WHERE} connected \\(10 bytes\\)`));
    bridge.input('more\r');
    assert.doesNotMatch(sink.text, /more/, 'nothing is echoed or queued after the end');
    assert.deepEqual([sink.closed, sink.code], [true, undefined], 'the key closes it, without an exit code for VS Code to report as an error');
  });

  it('is dropped when the terminal is closed before the shell connects, and no shell is left running', async () => {
    const shells = async () => (await dockerIn([...DEPTH2], ['top', NAMES.grandchild, '-eo', 'pid,args'])).split('\n').slice(1).filter((line) => /\bsh$/.test(line.trim())).length;
    const before = await shells();
    const sink = new RecordingSink();
    const bridge = new ShellBridge(api, grandchildId, WHERE, undefined, sink);
    const opening = bridge.open(undefined);
    bridge.input(`echo closed >> ${file}-closed\r`);
    bridge.close();
    await opening;
    await waitFor(`no shell of ours in ${NAMES.grandchild}`, 10_000, async () => (await shells()) === before);
    assert.deepEqual(await read(`${file}-closed`), []);
    assert.equal(sink.text, '', 'a closed terminal is not written to');
  });
});
