import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { groupChildren, isInfrastructure, type GroupedChild, type TreeOptions } from '../../src/model/grouping';
import type { EngineSnapshot } from '../../src/model/snapshot';
import { FilterResult, parseFilter, type TreeFilter } from '../../src/model/treeFilter';
import { containerChildren, engineChildren, engineNodeId, type ChildModel } from '../../src/model/treeModel';
import type { NodePath } from '../../src/model/targets';
import { recordedGraphSnapshots } from '../support/recordedEngines';
import { LOCAL_ENGINE } from '../support/testGraph';

const ROOT: NodePath = { engine: 'default', path: [] };

/** Every container name the tree shows under `rows`, at every depth (through groups and inner engines). */
function shownNames(rows: GroupedChild[], options: TreeOptions): string[] {
  return rows.flatMap((row): string[] => {
    if (row.kind === 'note') return [`note: ${row.note.text}`];
    if (row.kind === 'project') return shownNames(row.shown, options);
    if (row.kind === 'namespace') return row.pods.flatMap((pod) => shownNames(pod.shown, options));
    const inner = row.container.inner;
    const below = inner ? groupChildren(containerChildren(row.container, row.at, 'x'), inner.key, row.at, row.container.id, options) : [];
    return [row.container.name, ...shownNames(below.filter((b) => !(b.kind === 'note' && b.note.kind !== 'empty')), options)];
  });
}

function filtered(host: EngineSnapshot, text: string, showInfrastructure = false): string[] {
  const filter = parseFilter(text) as TreeFilter;
  assert.ok(filter, `"${text}" is a filter`);
  const options: TreeOptions = { showInfrastructure, filter: new FilterResult(filter, [host], (c) => !showInfrastructure && isInfrastructure(c)) };
  return shownNames(groupChildren(engineChildren(host, ROOT), host.key, ROOT, engineNodeId(host), options), options);
}

describe('the filter on the recorded engines', () => {
  let host: EngineSnapshot;
  before(async () => {
    [host] = await recordedGraphSnapshots([LOCAL_ENGINE], 'grouping');
  });

  it('matches a name deep down and keeps its ancestors only', () => {
    assert.deepEqual(filtered(host, 'fxinner_db'), ['fxshop_ci_1', 'fxinner_db_1']);
  });

  it('matches Compose project and service names (labels), case-insensitively', () => {
    assert.deepEqual(filtered(host, 'FXINNER'), ['fxshop_ci_1', 'fxinner_app_1', 'fxinner_db_1']);
    assert.deepEqual(filtered(host, 'com.docker.compose.service=web'), ['fxshop_web_1', 'fxshop_web_2']);
  });

  it('shows everything inside a container that matches (a matching DinD keeps its engine)', () => {
    assert.deepEqual(filtered(host, 'fxshop_ci'), ['fxshop_ci_1', 'fxinner_app_1', 'fxinner_db_1']);
  });

  it('matches images', () => {
    assert.deepEqual(filtered(host, 'docker:dind'), ['fxshop_ci_1', 'fxinner_app_1', 'fxinner_db_1']);
  });

  it('matches pods, namespaces and Kubernetes container names through their labels; sandboxes only when shown', () => {
    assert.deepEqual(filtered(host, 'web-0'), ['k8s_log-sidecar_web-0_shop_a3d9e7f1-2c4b-4d6a-8e0f-1b3c5d7e9f21_0', 'k8s_nginx_web-0_shop_a3d9e7f1-2c4b-4d6a-8e0f-1b3c5d7e9f21_0']);
    assert.deepEqual(filtered(host, 'io.kubernetes.container.name=coredns'), ['k8s_coredns_coredns-5d78c9869d-x7k2p_kube-system_5b1f8c2e-6a0d-4c4e-9f3e-2d7f1c0a9b11_0']);
    assert.deepEqual(filtered(host, 'podsandbox'), ['note: Nothing here matches the filter']);
    assert.equal(filtered(host, 'podsandbox', true).length, 3);
  });

  it('says so when nothing matches, and an empty or blank text is no filter', () => {
    assert.deepEqual(filtered(host, 'no-such-thing'), ['note: Nothing here matches the filter']);
    assert.equal(parseFilter(''), undefined);
    assert.equal(parseFilter('   '), undefined);
    assert.equal(parseFilter(42), undefined);
  });

  it('counts what matches by itself, not the ancestors it keeps', () => {
    const result = new FilterResult(parseFilter('fxinner') as TreeFilter, [host], isInfrastructure);
    assert.equal(result.matches, 2);
  });

  it('leaves engine notes alone and filters nothing when there is no filter', () => {
    const rows: ChildModel[] = engineChildren(host, ROOT);
    const options: TreeOptions = { showInfrastructure: true };
    assert.equal(shownNames(groupChildren(rows, host.key, ROOT, 'x', options), options).length, 17);
  });
});
