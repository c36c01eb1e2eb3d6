import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EngineGraph } from '../../src/engine/engineGraph';
import type { ContainerSnapshot, EngineSnapshot } from '../../src/model/snapshot';
import { docker } from '../support/docker';
import { NAMES, ensureNestedFixture, relayProcesses } from '../support/nestedFixture';
import { newTestGraph } from '../support/testGraph';

/** Unique to this run, so that two runs on one engine never remove each other's containers. */
const RUN = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const LABEL = `dev.matryoshka.test=identity-${RUN}`;
/** The CI-agent setup of the report: privileged, an engine image, the host's socket, no dockerd. */
const AGENT = `mx-agent-${RUN}`;
/** The same with the CLI image: privileged and the socket are the only nominations. */
const CLI_AGENT = `mx-cli-agent-${RUN}`;
const SOCKET = '/var/run/docker.sock:/var/run/docker.sock';

function listed(engine: EngineSnapshot | undefined, name: string): ContainerSnapshot {
  const found = engine?.containers.find((c) => c.name === name);
  assert.ok(found, `${name} is listed on ${engine?.name ?? '(no engine)'}`);
  return found;
}

/** Fails instead of hanging: the bug this suite guards against is a listing that never ends. */
function within<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)));
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

function depthOf(engine: EngineSnapshot | undefined): number {
  if (!engine) return 0;
  return 1 + Math.max(0, ...engine.containers.map((c) => depthOf(c.inner)));
}

describe('engines known by their identity (real engine)', { timeout: 300_000 }, () => {
  let graph: EngineGraph | undefined;

  before(async () => {
    await docker(['run', '-d', '--name', AGENT, '--label', LABEL, '--privileged', '-v', SOCKET, '--entrypoint', 'sleep', 'docker:dind', '86400']);
    await docker(['run', '-d', '--name', CLI_AGENT, '--label', LABEL, '--privileged', '-v', SOCKET, 'docker:cli', 'sleep', '86400']);
  });

  after(async () => {
    graph?.dispose();
    const ids = (await docker(['ps', '-aq', '--filter', `label=${LABEL}`])).split('\n').filter(Boolean);
    if (ids.length) await docker(['rm', '-f', ...ids]);
  });

  it('lists a privileged container holding the host socket as DooD of the host, once, and the tree completes', async () => {
    graph = newTestGraph();
    await within('the first listing', 60_000, graph.refreshAll());
    const root = graph.snapshot()[0];
    assert.equal(root.status.kind, 'connected');
    for (const name of [AGENT, CLI_AGENT]) {
      const agent = listed(root, name);
      assert.equal(agent.classification.mode, 'dood', `${name}: ${agent.classification.evidence.join('; ')}`);
      assert.equal(agent.classification.aliasOf, 'default');
      assert.equal(agent.inner, undefined, `${name} shows no engine of its own`);
      assert.ok(agent.classification.evidence.includes('the socket inside answers as engine "default"'), agent.classification.evidence.join('; '));
      assert.ok(agent.classification.privileged);
    }
    // The host is listed once, not again below the agents: the deepest path is the nested fixture's.
    assert.ok(depthOf(root) <= 4, `the tree is ${depthOf(root)} engines deep`);
  });

  it('holds at most 2 relays in each agent after a minute of events', async () => {
    assert.ok(graph, 'the first test built the graph');
    await graph.whenFollowing();
    const churn = `mx-churn-${RUN}`;
    const ends = Date.now() + 60_000;
    for (let i = 0; Date.now() < ends && i < 200; i++) {
      await docker(['run', '-d', '--name', `${churn}-${i}`, '--label', LABEL, 'busybox:latest', 'true']);
      await docker(['rm', '-f', `${churn}-${i}`]);
    }
    await within('a refresh after the churn', 60_000, graph.refreshAll());
    for (const name of [AGENT, CLI_AGENT]) {
      const relays = await relayProcesses([name]);
      assert.ok(relays <= 2, `${name} runs ${relays} relay processes`);
      assert.equal(listed(graph.snapshot()[0], name).classification.mode, 'dood');
    }
  });

  it('stops at the depth limit with a note instead of the deeper engine', async () => {
    await ensureNestedFixture();
    const shallow = newTestGraph(undefined, 10_000, { maxDepth: 1 });
    try {
      await within('a listing with maxDepth 1', 60_000, shallow.refreshAll());
      const outer = listed(shallow.snapshot()[0], NAMES.dind);
      assert.ok(outer.inner, 'depth 1 is listed');
      const inner = listed(outer.inner, NAMES.dindInner);
      assert.equal(inner.inner, undefined, 'depth 2 is not listed');
      assert.match(inner.notFollowed ?? '', /deeper than 1 level.*matryoshka\.maxDepth/);
    } finally {
      shallow.dispose();
    }
  });
});
