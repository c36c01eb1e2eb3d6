import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  groupChildren,
  projectDescription,
  podDescription,
  type ComposeProjectModel,
  type GroupedChild,
  type KubeNamespaceModel,
  type TreeOptions,
} from '../../src/model/grouping';
import type { EngineSnapshot } from '../../src/model/snapshot';
import { containerChildren, engineChildren, engineNodeId } from '../../src/model/treeModel';
import type { NodePath } from '../../src/model/targets';
import { recordedGraphSnapshots } from '../support/recordedEngines';
import { LOCAL_ENGINE } from '../support/testGraph';

const ROOT: NodePath = { engine: 'default', path: [] };
const PLAIN: TreeOptions = { showInfrastructure: false };

/** One line per row, the way the tree shows it: groups with their rows indented below. */
function outline(rows: GroupedChild[], indent = ''): string[] {
  return rows.flatMap((row): string[] => {
    if (row.kind === 'container') return [`${indent}${row.label ?? row.container.name}`];
    if (row.kind === 'note') return [`${indent}note: ${row.note.text}`];
    if (row.kind === 'project') return [`${indent}project ${row.name} (${projectDescription(row)})`, ...outline(row.shown, `${indent}  `)];
    return [`${indent}namespace ${row.name}`, ...row.pods.flatMap((pod) => [`${indent}  pod ${pod.name} (${podDescription(pod)})`, ...outline(pod.shown, `${indent}    `)])];
  });
}

function hostRows(host: EngineSnapshot, options: TreeOptions): GroupedChild[] {
  return groupChildren(engineChildren(host, ROOT), host.key, ROOT, engineNodeId(host), options);
}

describe('grouping the recorded engines (docker-compose project, cri-dockerd labels)', () => {
  let host: EngineSnapshot;
  before(async () => {
    [host] = await recordedGraphSnapshots([LOCAL_ENGINE], 'grouping');
  });

  it('groups the Compose project and the pods, names rows by service and Kubernetes container, hides sandboxes', () => {
    assert.deepEqual(outline(hostRows(host, PLAIN)), [
      'project fxshop (4/5 running · /tmp/fx-grouping-projects/fxshop)',
      '  ci',
      '  web #1',
      '  web #2',
      '  worker',
      '  migrate',
      'namespace kube-system',
      '  pod coredns-5d78c9869d-x7k2p (1/1 running)',
      '    coredns',
      '  pod etcd-minikube (1/1 running)',
      '    etcd',
      'namespace shop',
      '  pod web-0 (2/2 running)',
      '    log-sidecar',
      '    nginx',
      'fx-build-1',
      'fx-build-2',
      'fx-build-10',
    ]);
  });

  it('shows the sandboxes under their pods when infrastructure is shown, without counting them as the pod\'s containers', () => {
    const rows = hostRows(host, { showInfrastructure: true });
    const shop = rows.find((r): r is KubeNamespaceModel => r.kind === 'namespace' && r.name === 'shop');
    assert.ok(shop);
    assert.deepEqual(outline([shop]), ['namespace shop', '  pod web-0 (2/2 running)', '    log-sidecar', '    nginx', '    POD']);
    assert.equal(shop.pods[0].hiddenInfrastructure, 0);
    const hidden = hostRows(host, PLAIN).find((r): r is KubeNamespaceModel => r.kind === 'namespace' && r.name === 'shop');
    assert.equal(hidden?.pods[0].hiddenInfrastructure, 1);
  });

  it('keeps every container of the project with the engine path, for the project actions', () => {
    const project = hostRows(host, PLAIN).find((r): r is ComposeProjectModel => r.kind === 'project');
    assert.ok(project);
    assert.deepEqual(project.members.map((m) => m.container.name).sort(), ['fxshop_ci_1', 'fxshop_migrate_1', 'fxshop_web_1', 'fxshop_web_2', 'fxshop_worker_1']);
    assert.deepEqual(project.enginePath, ROOT);
    assert.equal(project.engineKey, host.key);
    assert.deepEqual(project.members.find((m) => m.label === 'ci')?.at, { engine: 'default', path: ['fxshop_ci_1'] });
  });

  it('keeps nesting: the DinD service of the project still holds its engine, whose project groups at depth 1', () => {
    const project = hostRows(host, PLAIN).find((r): r is ComposeProjectModel => r.kind === 'project');
    const ci = project?.members.find((m) => m.label === 'ci');
    assert.ok(ci?.container.inner, 'the engine inside fxshop_ci_1 was listed');
    const inner = ci.container.inner;
    const rows = groupChildren(containerChildren(ci.container, ci.at, 'engine default'), inner.key, ci.at, `container:${ci.container.engineKey}/${ci.container.id}`, PLAIN);
    assert.deepEqual(outline(rows), ['project fxinner (2/2 running · /tmp/fx-grouping-projects/fxinner)', '  app', '  db']);
    const fxinner = rows[0] as ComposeProjectModel;
    assert.deepEqual(fxinner.enginePath, { engine: 'default', path: ['fxshop_ci_1'] });
    assert.notEqual(fxinner.id, (hostRows(host, PLAIN)[0] as ComposeProjectModel).id);
  });

  it('gives groups ids from the engine and the names, the same on every listing', async () => {
    const [again] = await recordedGraphSnapshots([LOCAL_ENGINE], 'grouping');
    const ids = (rows: GroupedChild[]) => rows.flatMap((r) => (r.kind === 'project' ? [r.id] : r.kind === 'namespace' ? [r.id, ...r.pods.map((p) => p.id)] : []));
    const first = ids(hostRows(host, PLAIN));
    assert.equal(new Set(first).size, 6);
    assert.deepEqual(ids(hostRows(again, PLAIN)), first);
  });
});
