import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EngineGraph } from '../../src/engine/engineGraph';
import { newTestGraph } from '../support/testGraph';
import type { ContainerSnapshot, EngineSnapshot } from '../../src/model/snapshot';
import { docker, dockerIn, waitFor } from '../support/docker';
import {
  LABEL,
  NAMES,
  ensureNestedFixture,
  fixtureIsHealthy,
  killInnerDockerd,
  relayProcesses,
  removeNestedFixture,
  restartInnerContainers,
  startInnerDockerd,
} from '../support/nestedFixture';
import { ownName } from '../support/runId';

function find(engine: EngineSnapshot | undefined, name: string): ContainerSnapshot {
  const found = engine?.containers.find((c) => c.name === name);
  assert.ok(found, `${name} is listed on ${engine?.name ?? '(no engine)'}: ${engine?.containers.map((c) => c.name).join(', ')}`);
  return found;
}

function at(graph: EngineGraph, ...path: string[]): ContainerSnapshot {
  let engine: EngineSnapshot | undefined = graph.snapshot()[0];
  let container: ContainerSnapshot | undefined;
  for (const name of path) {
    container = find(engine, name);
    engine = container.inner;
  }
  return container as ContainerSnapshot;
}

const EVENT = ownName('it-event');
const HIDDEN = ownName('it-while-hidden');
const MEANWHILE = ownName('it-meanwhile');
const PRIVILEGED = ownName('it-privileged-plain');

async function namesIn(path: string[]): Promise<string[]> {
  return (await dockerIn(path, ['ps', '-a', '--format', '{{.Names}}'])).split('\n').filter(Boolean).sort();
}

describe('the engine graph on the real engine', { timeout: 600_000 }, () => {
  let graph: EngineGraph;
  let created = false;

  before(async () => {
    created = (await ensureNestedFixture()).created;
    graph = newTestGraph();
    await graph.refreshAll();
  });

  after(async () => {
    graph?.dispose();
    if (created && !process.env.MATRYOSHKA_KEEP_FIXTURE) await removeNestedFixture();
  });

  it('classifies every kind of container', () => {
    assert.equal(at(graph, NAMES.plain).classification.mode, 'plain');
    const dood = at(graph, NAMES.dood);
    assert.equal(dood.classification.mode, 'dood');
    assert.equal(dood.inner, undefined, 'a DooD container is never probed for an engine');
    const dind = at(graph, NAMES.dind);
    assert.equal(dind.classification.mode, 'dind');
    assert.equal(dind.classification.privileged, true);
    const sysbox = at(graph, NAMES.sysbox);
    assert.equal(sysbox.classification.mode, 'sysbox');
    assert.equal(sysbox.classification.privileged, false);
    assert.equal(at(graph, NAMES.dind, NAMES.dindInner).classification.mode, 'dind');
  });

  it('nests children under the container that runs their engine, to depth 2, as each engine lists them', async () => {
    assert.deepEqual(graph.snapshot()[0].containers.map((c) => c.name).sort(), await namesIn([]));
    assert.deepEqual(at(graph, NAMES.dind).inner?.containers.map((c) => c.name).sort(), await namesIn([NAMES.dind]));
    assert.deepEqual(at(graph, NAMES.dind, NAMES.dindInner).inner?.containers.map((c) => c.name).sort(), await namesIn([NAMES.dind, NAMES.dindInner]));
    assert.deepEqual(at(graph, NAMES.sysbox).inner?.containers.map((c) => c.name).sort(), await namesIn([NAMES.sysbox]));
    assert.equal(at(graph, NAMES.dind, NAMES.dindInner, NAMES.grandchild).summary.State, 'running');
    assert.equal(at(graph, NAMES.dind).inner?.depth, 1);
    assert.equal(at(graph, NAMES.dind, NAMES.dindInner).inner?.depth, 2);
  });

  it('asks each engine in the API version it reports', async () => {
    const inner = at(graph, NAMES.dind).inner as EngineSnapshot;
    const reported = await dockerIn([NAMES.dind], ['version', '--format', '{{.Server.APIVersion}}']);
    assert.equal(graph.apiFor(inner.key)?.negotiatedVersion, reported);
  });

  it('follows events at depth 2 without a manual refresh', async () => {
    const path = [NAMES.dind, NAMES.dindInner];
    await dockerIn(path, ['run', '-d', '--name', EVENT, '--label', LABEL, 'busybox:latest', 'sleep', '600']);
    await waitFor(`${EVENT} in the graph`, 15_000, async () => at(graph, ...path).inner?.containers.some((c) => c.name === EVENT));
    await dockerIn(path, ['rm', '-f', EVENT]);
    await waitFor(`${EVENT} gone from the graph`, 15_000, async () => !at(graph, ...path).inner?.containers.some((c) => c.name === EVENT));
  });

  it('does no work while no view is visible, and catches up when one is', async () => {
    await graph.setActive(false);
    await dockerIn([NAMES.dind], ['run', '-d', '--name', HIDDEN, '--label', LABEL, 'busybox:latest', 'sleep', '600']);
    try {
      await new Promise((r) => setTimeout(r, 1500));
      assert.ok(!at(graph, NAMES.dind).inner?.containers.some((c) => c.name === HIDDEN), 'no re-list while hidden');
      await graph.setActive(true);
      assert.ok(at(graph, NAMES.dind).inner?.containers.some((c) => c.name === HIDDEN), 'listed once visible again');
    } finally {
      await graph.setActive(true);
      await dockerIn([NAMES.dind], ['rm', '-f', HIDDEN]);
    }
  });

  it('keeps at most two relays per inner engine at rest through 200 refreshes, and none once closed', async () => {
    const paths = { sysbox: [NAMES.sysbox], inner: [NAMES.dind, NAMES.dindInner], dind: [NAMES.dind] };
    // `docker top` counts nested containers' processes too, and other clients (a VS Code window, a
    // benchmark) may hold relays there: count ours as the difference from a baseline without us.
    const count = async () => {
      const inner = await relayProcesses(paths.inner);
      return { sysbox: await relayProcesses(paths.sysbox), inner, dind: (await relayProcesses(paths.dind)) - inner };
    };
    graph.dispose();
    await new Promise((r) => setTimeout(r, 1000));
    const baseline = await count();
    graph = newTestGraph();
    for (let i = 0; i < 200; i++) await graph.refreshAll();
    await new Promise((r) => setTimeout(r, 500));
    for (const path of Object.values(paths)) {
      const key = (at(graph, ...path).inner as EngineSnapshot).key;
      assert.ok(graph.relayConnections(key) <= 2, `${path.join(' › ')}: ${graph.relayConnections(key)} relay connections`);
    }
    const atRest = await count();
    assert.ok(atRest.sysbox - baseline.sysbox <= 2 && atRest.sysbox > baseline.sysbox, `${atRest.sysbox - baseline.sysbox} relays of ours in ${NAMES.sysbox}`);
    assert.ok(atRest.inner - baseline.inner <= 2 && atRest.inner > baseline.inner, `${atRest.inner - baseline.inner} relays of ours in ${NAMES.dindInner}`);
    // it-dind also carries one hop of each relay of the engine inside it-dind-inner.
    assert.ok(atRest.dind - baseline.dind <= 4 && atRest.dind > baseline.dind, `${atRest.dind - baseline.dind} relays of ours in ${NAMES.dind}`);
    graph.dispose();
    await waitFor('our relays gone', 10_000, async () => JSON.stringify(await count()) === JSON.stringify(baseline));
    graph = newTestGraph();
    await graph.refreshAll();
  });

  it('shows a killed inner engine as disconnected, then recovers with a container created meanwhile', async () => {
    await killInnerDockerd();
    const down = await waitFor(`${NAMES.dind} shown disconnected`, 15_000, async () => {
      const status = at(graph, NAMES.dind).inner?.status;
      return status?.kind === 'disconnected' ? status : undefined;
    });
    assert.match(down.reason, /\S/);
    assert.equal(at(graph, NAMES.dind).classification.mode, 'dind', 'still DinD while its engine is down');
    await startInnerDockerd();
    await dockerIn([NAMES.dind], ['run', '-d', '--name', MEANWHILE, '--label', LABEL, 'busybox:latest', 'sleep', '600']);
    await waitFor(`${NAMES.dind} reconnected with ${MEANWHILE}`, 30_000, async () => {
      const inner = at(graph, NAMES.dind).inner;
      return inner?.status.kind === 'connected' && inner.containers.some((c) => c.name === MEANWHILE);
    });
    await dockerIn([NAMES.dind], ['rm', '-f', MEANWHILE]);
    await restartInnerContainers();
    assert.ok(await fixtureIsHealthy(), 'the nesting is back for the suites after this one');
  });

  it('says why a privileged container without a relay has no engine', async () => {
    await docker(['run', '-d', '--name', PRIVILEGED, '--privileged', '--label', LABEL, 'busybox:latest', 'sleep', '600']);
    try {
      const c = await waitFor(`${PRIVILEGED} probed`, 15_000, async () => {
        await graph.refreshAll();
        const found = graph.snapshot()[0].containers.find((x) => x.name === PRIVILEGED);
        return found?.inner?.status.kind === 'disconnected' ? found : undefined;
      });
      assert.equal(c.classification.mode, 'plain');
      assert.equal(c.classification.privileged, true);
      assert.match(c.inner?.status.kind === 'disconnected' ? c.inner.status.reason : '', /no relay.*docker system dial-stdio: not installed/);
    } finally {
      await docker(['rm', '-f', PRIVILEGED]);
    }
  });
});
