// Kubernetes-labelled containers (as cri-dockerd makes them in a kicbase node) inside it-dind, listed
// by the engine layer on the real engine and grouped as the tree shows them: namespace › pod ›
// containers by their Kubernetes names, the sandbox hidden unless asked for.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EngineGraph } from '../../src/engine/engineGraph';
import { groupChildren, isInfrastructure, type GroupedChild, type KubeNamespaceModel, type TreeOptions } from '../../src/model/grouping';
import { FilterResult, parseFilter, type TreeFilter } from '../../src/model/treeFilter';
import { containerChildren, containerNodeId } from '../../src/model/treeModel';
import { runSuffix } from '../support/composeFixture';
import { createKubePods, type KubeFixture } from '../support/kubeFixture';
import { NAMES, ensureNestedFixture, removeNestedFixture } from '../support/nestedFixture';
import { newTestGraph } from '../support/testGraph';

describe('Kubernetes pods on the real engine, inside a DinD (depth 1)', { timeout: 600_000 }, () => {
  const namespace = `shop-${runSuffix()}`;
  let pods: KubeFixture | undefined;
  let graph: EngineGraph;
  let created = false;

  /** The rows under it-dind as the tree groups them with `options`. */
  function dindRows(options: TreeOptions): GroupedChild[] {
    const dind = graph.snapshot()[0].containers.find((c) => c.name === NAMES.dind);
    assert.ok(dind?.inner, `${NAMES.dind} runs a listed engine`);
    const at = { engine: 'default', path: [NAMES.dind] };
    return groupChildren(containerChildren(dind, at, 'engine default'), dind.inner.key, at, containerNodeId(dind), options);
  }

  function namespaceRow(options: TreeOptions): KubeNamespaceModel {
    const rows = dindRows(options);
    const row = rows.find((r): r is KubeNamespaceModel => r.kind === 'namespace' && r.name === namespace);
    assert.ok(row, `namespace ${namespace} is a row under ${NAMES.dind}; rows: ${rows.map((r) => (r.kind === 'container' ? r.container.name : r.kind)).join(', ')}`);
    return row;
  }

  const labels = (row: KubeNamespaceModel) => row.pods.map((pod) => `${pod.name}: ${pod.shown.map((c) => c.label).join(', ')}`);

  before(async () => {
    created = (await ensureNestedFixture()).created;
    // Created in the order natural order must not follow by accident: web-10 before web-2.
    pods = await createKubePods([NAMES.dind], namespace, [
      { name: 'web-10', containers: ['nginx'], labels: { app: 'web' } },
      { name: 'web-2', containers: ['nginx', 'log-sidecar'], labels: { app: 'web' } },
    ]);
    graph = newTestGraph();
    await graph.refreshAll();
  });

  after(async () => {
    graph?.dispose();
    await pods?.remove();
    if (created && !process.env.MATRYOSHKA_KEEP_FIXTURE) await removeNestedFixture();
  });

  it('lists every container with the labels cri-dockerd gave it (the engine layer)', () => {
    const inner = graph.snapshot()[0].containers.find((c) => c.name === NAMES.dind)?.inner;
    const listed = inner?.containers.filter((c) => c.summary.Labels?.['io.kubernetes.pod.namespace'] === namespace) ?? [];
    assert.deepEqual(listed.map((c) => c.name).sort(), [...(pods?.names ?? [])].sort());
    assert.equal(listed.filter(isInfrastructure).length, 2, 'the two sandboxes are recognised as such');
  });

  it('groups them namespace › pod (natural order) › containers by their Kubernetes names, the sandboxes hidden', () => {
    const row = namespaceRow({ showInfrastructure: false });
    assert.deepEqual(labels(row), ['web-2: log-sidecar, nginx', 'web-10: nginx']);
    assert.deepEqual(
      row.pods.map((pod) => [pod.running, pod.total, pod.hiddenInfrastructure]),
      [
        [2, 2, 1],
        [1, 1, 1],
      ],
      'running/total count the pods\' work, the sandbox is hidden',
    );
    // No pod container leaks out of its pod as a row of its own.
    assert.ok(!dindRows({ showInfrastructure: false }).some((r) => r.kind === 'container' && r.container.name.includes(namespace)));
  });

  it('shows the sandboxes when infrastructure is shown', () => {
    assert.deepEqual(labels(namespaceRow({ showInfrastructure: true })), ['web-2: log-sidecar, nginx, POD', 'web-10: nginx, POD']);
  });

  it('filters by pod name, keeping it-dind above it', () => {
    const hidden = isInfrastructure;
    const filter = new FilterResult(parseFilter('web-10') as TreeFilter, graph.snapshot(), hidden);
    const dind = graph.snapshot()[0].containers.find((c) => c.name === NAMES.dind);
    assert.ok(dind && filter.shows(dind), `${NAMES.dind} stays as the way down to the match`);
    assert.deepEqual(labels(namespaceRow({ showInfrastructure: false, filter })), ['web-10: nginx']);
  });
});
