import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import type { EngineGraph, EngineConnectors } from '../../src/engine/engineGraph';
import { StreamAgent } from '../../src/engine/streamAgent';
import { classify, staticFacts, type ClassifyInput } from '../../src/model/classify';
import type { EngineSnapshot } from '../../src/model/snapshot';
import { containerChildren } from '../../src/model/treeModel';
import { recordedEngine } from '../support/recorded';
import { graphOver, RecordedEngine, recordedGraphSnapshot } from '../support/recordedEngines';

const graphWith = (connectors: EngineConnectors, maxDepth = 8): EngineGraph => graphOver(connectors, undefined, maxDepth);

/**
 * Every relay reaches the recorded host again, as a container that mounts the host's socket does:
 * without identities the graph would nest the host under each of its candidates without end.
 */
function loopingConnectors(): { connectors: EngineConnectors; connects: () => number } {
  const host = new RecordedEngine('host', []);
  let connects = 0;
  return {
    connects: () => connects,
    connectors: {
      root: async (endpoint) => host.connection(`engine "${endpoint.name}"`, 8),
      inner: async (_parent, _id, label) => {
        connects++;
        return host.connection(label, 1);
      },
    },
  };
}

function depthOf(engine: EngineSnapshot | undefined): number {
  return engine ? 1 + Math.max(0, ...engine.containers.map((c) => depthOf(c.inner))) : 0;
}

describe('engine identity', () => {
  it('shows a relay that reaches an engine already listed as DooD of it, and stops there', async () => {
    const { connectors, connects } = loopingConnectors();
    const graph = graphWith(connectors);
    await graph.refreshAll();
    const root = graph.snapshot()[0];
    assert.equal(depthOf(root), 1, 'nothing is nested below the host');
    const aliased = root.containers.filter((c) => c.classification.aliasOf !== undefined);
    assert.ok(aliased.length > 0, 'the candidates were probed');
    for (const container of aliased) {
      assert.equal(container.classification.aliasOf, 'default');
      assert.equal(container.classification.mode === 'sysbox' ? 'sysbox' : 'dood', container.classification.mode);
      assert.equal(container.classification.hostsEngine, false);
      assert.ok(container.classification.evidence.includes('the socket inside answers as engine "default"'));
    }
    const probes = connects();
    await graph.refreshAll();
    assert.equal(connects(), probes, 'an engine known to be an alias is not probed again while its container runs');
    graph.dispose();
  });

  it('stops following inner engines at the depth limit, with a note on the container', async () => {
    const snapshot = await recordedGraphSnapshot();
    const graph = graphWith(
      {
        root: async (endpoint) => new RecordedEngine('host', []).connection(`engine "${endpoint.name}"`, 8),
        inner: async () => {
          throw new Error('no inner engine may be opened at maxDepth 0');
        },
      },
      0,
    );
    await graph.refreshAll();
    const root = graph.snapshot()[0];
    const hosts = root.containers.filter((c) => c.notFollowed !== undefined);
    const expected = snapshot.containers.filter((c) => c.inner !== undefined).map((c) => c.name).sort();
    assert.ok(expected.length > 0);
    for (const name of expected) assert.ok(hosts.some((c) => c.name === name), `${name} has a note`);
    for (const container of hosts) {
      assert.equal(container.inner, undefined);
      const notes = containerChildren(container, { engine: 'default', path: [container.name] }, 'engine default');
      assert.ok(notes.some((m) => m.kind === 'note' && m.note.kind === 'limit' && /matryoshka\.maxDepth/.test(m.note.text)));
    }
    graph.dispose();
  });
});

describe('classify with a probe that found an alias', () => {
  const host = recordedEngine('host');
  const privilegedDind = host.containers.find((c) => host.inspect.get(c.Id)?.HostConfig?.Privileged && c.State === 'running');

  it('is DooD of the engine the socket answers as, not DinD', () => {
    assert.ok(privilegedDind, 'the recording has a running privileged container');
    const input: ClassifyInput = {
      summary: privilegedDind,
      inspect: host.inspect.get(privilegedDind.Id),
      engineSocketPaths: ['/var/run/docker.sock'],
      sysboxRuntimes: ['sysbox-runc'],
    };
    input.facts = staticFacts(input);
    assert.equal(classify({ ...input, probe: { answered: true } }).mode, 'dind');
    const aliased = classify({ ...input, probe: { answered: false, reason: 'x', aliasOf: 'default › ci' } });
    assert.equal(aliased.mode, 'dood');
    assert.equal(aliased.dood, true);
    assert.equal(aliased.privileged, true);
    assert.equal(aliased.aliasOf, 'default › ci');
    assert.ok(aliased.evidence.includes('the socket inside answers as engine "default › ci"'));
    const notes = containerChildren(
      { engineKey: 'default', id: privilegedDind.Id, name: 'agent', summary: privilegedDind, classification: aliased },
      { engine: 'default', path: ['agent'] },
      'engine default',
    );
    assert.ok(notes.some((m) => m.kind === 'note' && m.note.text.startsWith('Talks to default › ci')), 'names the engine it talks to when that is not its own');
  });
});

describe('StreamAgent relay cap', () => {
  it('refuses a stream past maxOpen, pooled or upgraded, and frees a slot when one closes', async () => {
    const opened: PassThrough[] = [];
    const agent = new StreamAgent(async () => {
      const stream = new PassThrough();
      opened.push(stream);
      return stream;
    }, { maxOpen: 2, label: 'default › agent' });
    const open = () => new Promise<Error | null>((resolve) => agent.createConnection({}, (error) => resolve(error)));
    assert.equal(await open(), null);
    assert.equal(await open(), null);
    const refused = await open();
    assert.match(refused?.message ?? '', /2 relays into default › agent are open/);
    assert.equal(opened.length, 2, 'no third process was started');
    opened[0].destroy();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(await open(), null);
    assert.equal(agent.liveStreams, 2);
    agent.destroy();
  });
});
