import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { type EngineGraph } from '../../src/engine/engineGraph';
import { StreamAgent } from '../../src/engine/streamAgent';
import type { Mode } from '../../src/model/classify';
import { innerEngineKey, type EngineSnapshot } from '../../src/model/snapshot';
import { RECORDED, recordedEngine } from '../support/recorded';
import { graphOver, recordedConnectors } from '../support/recordedEngines';
import { LOCAL_ENGINE } from '../support/testGraph';

const newGraph = (connectors: ReturnType<typeof recordedConnectors>['connectors']): EngineGraph => graphOver(connectors);

/** Lets every pending callback run (the fake engines answer on setImmediate). */
async function until(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail(`never happened: ${what}`);
}

/** What each recorded container is, from the table in test/fixtures/recorded/README.md: mode, also DooD, privileged, runs an engine that answered. */
const RECORDED_AS: Record<string, [Mode, boolean, boolean, boolean]> = {
  'fx-plain': ['plain', false, false, false],
  'fx-dood': ['dood', true, false, false],
  'fx-dood-env': ['dood', true, false, false],
  'fx-dind': ['dind', false, true, true],
  'fx-sysbox': ['sysbox', false, false, true],
  // Exited: its dockerd could not start, so nothing answers inside.
  'fx-dind-dood': ['dind', true, true, false],
  'fx-stopped': ['plain', false, false, false],
  'fx-child': ['plain', false, false, false],
  'fx-dind-inner': ['dind', false, true, true],
  'fx-grandchild': ['plain', false, false, false],
  'fx-sysbox-child': ['plain', false, false, false],
};

/** The engine as its recording has it: every container as listed and inspected, an inner engine wherever one was recorded. */
function assertShowsRecording(engine: EngineSnapshot, folder: string, key: string, depth: number): void {
  const recording = recordedEngine(folder);
  assert.equal(engine.key, key);
  assert.equal(engine.name, depth === 0 ? 'default' : folder);
  assert.equal(engine.depth, depth);
  assert.equal(engine.endpoint, depth === 0 ? 'unix:///var/run/docker.sock' : 'exec: docker system dial-stdio');
  assert.deepEqual(engine.status, { kind: 'connected' });
  assert.deepEqual(engine.version, recording.version);
  assert.deepEqual(engine.containers.map((c) => c.id), recording.containers.map((c) => c.Id));
  for (const container of engine.containers) {
    assert.equal(container.engineKey, key);
    assert.deepEqual(container.summary, recording.containers.find((c) => c.Id === container.id));
    assert.deepEqual(container.inspect, recording.inspect.get(container.id));
    const { mode, dood, privileged, hostsEngine, aliasOf } = container.classification;
    assert.deepEqual([mode, dood, privileged, hostsEngine], RECORDED_AS[container.name], container.name);
    assert.equal(aliasOf, undefined);
    assert.equal(container.notFollowed, undefined);
    if (fs.existsSync(path.join(RECORDED, container.name, 'containers.json'))) {
      assert.ok(container.inner, `${container.name} shows its engine`);
      assertShowsRecording(container.inner, container.name, innerEngineKey(key, container.id), depth + 1);
    } else {
      assert.equal(container.inner, undefined, container.name);
    }
  }
}

function everyContainer(engines: EngineSnapshot[]): EngineSnapshot['containers'] {
  return engines.flatMap((e) => [...e.containers, ...everyContainer(e.containers.flatMap((c) => (c.inner ? [c.inner] : [])))]);
}

describe('engine graph over recorded engines: what is asked of each engine, and when', () => {
  it('cold: opens relays to the engines the host listing shows before the host has answered any inspect', async () => {
    const { connectors, engines, log } = recordedConnectors();
    const graph = newGraph(connectors);
    try {
      // Create the host's recording up front and hold its inspects.
      await connectors.root(LOCAL_ENGINE);
      const host = engines.get('host');
      assert.ok(host);
      log.length = 0;
      host.inspectGate.close();
      let resolved = false;
      const all = graph.refreshAll().then(() => (resolved = true));
      await until('fx-dind listed its containers', () => (engines.get('fx-dind')?.lists ?? 0) > 0);
      assert.equal(host.inspectsAnswered, 0, 'no host inspect has answered yet');
      const connects = log.filter((line) => line.startsWith('connect ')).sort();
      // Running docker:dind containers: nominated by their image in the listing alone. Exited ones
      // (fx-dind-dood) and containers without an engine image are never probed.
      assert.deepEqual(connects, ['connect fx-dind', 'connect fx-dind-inner', 'connect fx-sysbox']);
      assert.equal(resolved, false, 'refreshAll waits for the host inspects');
      host.inspectGate.open();
      await all;
      assert.equal(host.inspectsAnswered, 7);
    } finally {
      graph.dispose();
    }
  });

  it('cold: refreshAll resolves with the complete picture, every container inspected and classified as from the recordings', async () => {
    const { connectors, engines } = recordedConnectors();
    const graph = newGraph(connectors);
    try {
      await connectors.root(LOCAL_ENGINE);
      engines.get('host')?.inspectGate.close();
      const all = graph.refreshAll();
      await until('the host listed', () => (engines.get('host')?.lists ?? 0) > 0);
      // What a view would show while inspects are outstanding: never a container without them.
      for (const c of everyContainer(graph.snapshot())) assert.ok(c.inspect, `${c.name} shown before its inspect`);
      engines.get('host')?.inspectGate.open();
      await all;
      const roots = graph.snapshot();
      assert.equal(roots.length, 1);
      assertShowsRecording(roots[0], 'host', 'default', 0);
    } finally {
      graph.dispose();
    }
  });

  it('inspects through a relay one request at a time, and on the host several at once', async () => {
    const { connectors, engines } = recordedConnectors();
    const graph = newGraph(connectors);
    try {
      await graph.refreshAll();
      assert.equal(engines.get('fx-dind')?.maxInFlightInspects, 1, 'fx-dind has two containers, inspected in sequence');
      assert.ok((engines.get('host')?.maxInFlightInspects ?? 0) > 1, 'the host socket takes inspects in parallel');
    } finally {
      graph.dispose();
    }
  });

  it('warm: inner engines already open are listed alongside their parent, not after it', async () => {
    const { connectors, engines } = recordedConnectors();
    const graph = newGraph(connectors);
    try {
      await graph.refreshAll();
      const host = engines.get('host');
      const inner = engines.get('fx-dind-inner');
      assert.ok(host && inner);
      const before = inner.lists;
      host.listGate.close();
      const all = graph.refreshAll();
      await until('the engine two levels down listed again', () => inner.lists > before);
      assert.equal(host.lists, 1, 'while the host listing is still outstanding');
      host.listGate.open();
      await all;
    } finally {
      graph.dispose();
    }
  });

  it('event streams open once the tree has listed, and one re-list follows each', async () => {
    const { connectors, engines } = recordedConnectors();
    const graph = newGraph(connectors);
    try {
      await connectors.root(LOCAL_ENGINE);
      const host = engines.get('host');
      assert.ok(host);
      host.inspectGate.close();
      const all = graph.refreshAll();
      await until('fx-dind listed and inspected', () => (engines.get('fx-dind')?.inspectsAnswered ?? 0) === 2);
      // fx-dind's listing is complete; its stream (over a relay: a process) waits for the tree.
      assert.equal(engines.get('fx-dind')?.eventStreams, 0);
      host.inspectGate.open();
      await all;
      await until('four event streams open', () => [...engines.values()].every((e) => e.eventStreams === 1));
      const listed = [...engines.values()].map((e) => e.lists);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual([...engines.values()].map((e) => e.lists), listed.map((n) => n + 1), 'one re-list per engine after its stream opened');
    } finally {
      graph.dispose();
    }
  });
});

describe('StreamAgent', () => {
  it('prints as one short line: docker-modem formats every request\'s options with util.inspect', () => {
    const agent = new StreamAgent(() => Promise.reject(new Error('not used')));
    const text = inspect({ agent }, { showHidden: true, depth: null });
    assert.ok(text.length < 120, `${text.length} characters`);
    agent.destroy();
  });

  it('closes a relay that finished starting after its transport was disposed', async () => {
    let started: (socket: PassThrough) => void = () => undefined;
    const agent = new StreamAgent(() => new Promise((resolve) => (started = resolve)));
    const failed = new Promise<Error>((resolve) => agent.createConnection({}, (error) => resolve(error as Error)));
    agent.destroy();
    const relay = new PassThrough();
    started(relay);
    assert.match((await failed).message, /closed/);
    assert.equal(relay.destroyed, true);
  });
});
