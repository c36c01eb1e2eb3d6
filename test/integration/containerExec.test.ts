import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EngineApi } from '../../src/engine/engineApi';
import { ShellSession, chooseShell, runExec } from '../../src/engine/containerExec';
import type { EngineGraph } from '../../src/engine/engineGraph';
import { newTestGraph } from '../support/testGraph';
import { followLogs } from '../../src/engine/logFollower';
import type { EngineSnapshot } from '../../src/model/snapshot';
import { dockerIn, waitFor } from '../support/docker';
import {
  LABEL,
  NAMES,
  ensureNestedFixture,
  killInnerDockerd,
  relayProcesses,
  removeNestedFixture,
  restartInnerContainers,
  startInnerDockerd,
} from '../support/nestedFixture';
import { ownName } from '../support/runId';

const DEPTH2 = [NAMES.dind, NAMES.dindInner];
const LOGS = ownName('it-logs');
const ACTIONS = ownName('it-actions');

function innerEngine(graph: EngineGraph, path: string[]): EngineSnapshot {
  let engine: EngineSnapshot | undefined = graph.snapshot()[0];
  for (const name of path) engine = engine?.containers.find((c) => c.name === name)?.inner;
  assert.ok(engine, `the engine inside ${path.join(' › ')}`);
  return engine;
}

/** Reads a shell's output until `pattern` shows up. */
function expectOutput(session: ShellSession, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in: ${JSON.stringify(seen)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = seen.match(pattern);
      if (match) {
        clearTimeout(timer);
        session.off('data', onData);
        resolve(match[0]);
      }
    };
    session.on('data', onData);
  });
}

describe('shells, logs and actions two engines deep', { timeout: 300_000 }, () => {
  let graph: EngineGraph;
  let api: EngineApi;
  let grandchildId: string;
  let created = false;

  before(async () => {
    created = (await ensureNestedFixture()).created;
    graph = newTestGraph();
    await graph.refreshAll();
    const engine = innerEngine(graph, DEPTH2);
    api = graph.apiFor(engine.key) as EngineApi;
    grandchildId = engine.containers.find((c) => c.name === NAMES.grandchild)?.id as string;
    assert.ok(api && grandchildId);
  });

  after(async () => {
    graph?.dispose();
    if (created && !process.env.MATRYOSHKA_KEEP_FIXTURE) await removeNestedFixture();
  });

  it('runs a command with stdin closed and returns its output and exit code', async () => {
    const result = await runExec(api, grandchildId, ['sh', '-c', 'echo hi | cat; echo oops >&2; exit 3']);
    assert.deepEqual(result, { stdout: 'hi\n', stderr: 'oops\n', exitCode: 3 });
  });

  it('picks sh where there is no bash (busybox)', async () => {
    assert.match(await chooseShell(api, grandchildId, undefined), /(^|\/)sh$/);
    assert.equal(await chooseShell(api, grandchildId, '/bin/ash'), '/bin/ash');
  });

  it('a TTY shell answers commands, follows resizes, reports its exit code and leaves no process', async () => {
    // Other clients (a running VS Code, a benchmark) may hold relays there too: compare with now.
    const relaysAtRest = await relayProcesses([NAMES.dind, NAMES.dindInner]);
    const session = await ShellSession.open(api, grandchildId, 'sh', { rows: 24, cols: 80 });
    const exited = new Promise<{ code?: number; reason?: string }>((resolve) => session.once('exit', resolve));
    session.write('echo matryoshka-$((6*7))\r');
    assert.equal(await expectOutput(session, /matryoshka-42/), 'matryoshka-42');
    await session.resize(33, 111);
    session.write('stty size\r');
    assert.equal(await expectOutput(session, /33 111/), '33 111');
    session.write('exit 7\r');
    assert.deepEqual(await exited, { code: 7 });
    // Count shells rather than expect none: an earlier run's terminal may still be open there.
    const shells = async () => (await dockerIn(DEPTH2, ['top', NAMES.grandchild, '-eo', 'pid,args'])).split('\n').slice(1).filter((line) => /\bsh$/.test(line.trim())).length;
    const before = await shells();
    const closing = await ShellSession.open(api, grandchildId, 'sh', { rows: 24, cols: 80 });
    closing.write('echo ready\r');
    await expectOutput(closing, /ready/);
    assert.equal(await shells(), before + 1, 'the shell runs');
    closing.close();
    await waitFor(`the shell gone from ${NAMES.grandchild}`, 10_000, async () => (await shells()) === before);
    await waitFor('the relays back at rest', 10_000, async () => (await relayProcesses([NAMES.dind, NAMES.dindInner])) <= relaysAtRest);
  });

  it('a lost engine ends the shell with the reason, not a hang', async () => {
    const engine = innerEngine(graph, [NAMES.dind]);
    const childId = engine.containers.find((c) => c.name === NAMES.child)?.id as string;
    const session = await ShellSession.open(graph.apiFor(engine.key) as EngineApi, childId, 'sh', { rows: 24, cols: 80 });
    const ended = new Promise<{ code?: number; reason?: string }>((resolve) => session.once('exit', resolve));
    session.write('echo alive\r');
    await expectOutput(session, /alive/);
    await killInnerDockerd();
    try {
      const exit = await Promise.race([ended, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the shell did not end')), 15_000))]);
      assert.equal(exit.code, undefined);
      assert.match(exit.reason ?? '', /\S/);
    } finally {
      await startInnerDockerd();
      await restartInnerContainers();
      await graph.refreshAll();
      api = graph.apiFor(innerEngine(graph, DEPTH2).key) as EngineApi;
    }
  });

  it('follows the logs of a non-TTY container with stdout and stderr apart', async () => {
    await dockerIn(DEPTH2, ['run', '-d', '--name', LOGS, '--label', LABEL, 'busybox:latest', 'sh', '-c', 'echo out-1; echo err-1 >&2; echo out-2; sleep 600']);
    try {
      const seen = { stdout: '', stderr: '' };
      const stop = await followLogs(api, LOGS, false, 100, { onText: (kind, text) => (seen[kind] += text), onEnd: () => undefined });
      await waitFor('both lines of stdout and the line of stderr', 10_000, async () => seen.stdout.includes('out-2') && seen.stderr.includes('err-1'));
      stop();
      assert.doesNotMatch(seen.stdout, /err-1/);
      assert.doesNotMatch(seen.stderr, /out-/);
      assert.match(seen.stdout, /^\d{4}-\d\d-\d\dT[\d:.]+Z out-1\n/m, 'with timestamps');
    } finally {
      await dockerIn(DEPTH2, ['rm', '-f', LOGS]);
    }
  });

  it('stop, start, restart and remove change the state as the engine reports it', async () => {
    await dockerIn(DEPTH2, ['run', '-d', '--name', ACTIONS, '--label', LABEL, 'busybox:latest', 'sleep', '600']);
    const state = () => dockerIn(DEPTH2, ['inspect', '--format', '{{.State.Status}}', ACTIONS]);
    await api.containerAction(ACTIONS, 'stop');
    assert.equal(await state(), 'exited');
    await api.containerAction(ACTIONS, 'start');
    assert.equal(await state(), 'running');
    const startedAt = await dockerIn(DEPTH2, ['inspect', '--format', '{{.State.StartedAt}}', ACTIONS]);
    await api.containerAction(ACTIONS, 'restart');
    assert.notEqual(await dockerIn(DEPTH2, ['inspect', '--format', '{{.State.StartedAt}}', ACTIONS]), startedAt);
    await api.containerAction(ACTIONS, 'remove');
    assert.doesNotMatch(await dockerIn(DEPTH2, ['ps', '-a', '--format', '{{.Names}}']), new RegExp(`^${ACTIONS}$`, 'm'));
  });
});
