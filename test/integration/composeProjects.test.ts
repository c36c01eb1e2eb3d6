import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EngineApi } from '../../src/engine/engineApi';
import type { EngineGraph } from '../../src/engine/engineGraph';
import { removeProjectContainer } from '../../src/engine/composeProject';
import { projectActionTargets, resolveProject } from '../../src/model/composeProjects';
import { groupChildren, type ComposeProjectModel } from '../../src/model/grouping';
import type { EngineSnapshot } from '../../src/model/snapshot';
import { containerChildren, containerNodeId } from '../../src/model/treeModel';
import { composeUp, runSuffix, type ComposeProjectFixture } from '../support/composeFixture';
import { dockerIn } from '../support/docker';
import { NAMES, ensureNestedFixture, removeNestedFixture } from '../support/nestedFixture';
import { newTestGraph } from '../support/testGraph';

/** The project's row under it-dind, as the tree groups the engine inside it. */
function projectRow(graph: EngineGraph, project: string): ComposeProjectModel {
  const dind = graph.snapshot()[0].containers.find((c) => c.name === NAMES.dind);
  assert.ok(dind?.inner, `${NAMES.dind} runs a listed engine`);
  const at = { engine: 'default', path: [NAMES.dind] };
  const rows = groupChildren(containerChildren(dind, at, 'engine default'), dind.inner.key, at, containerNodeId(dind), { showInfrastructure: false });
  const row = rows.find((r): r is ComposeProjectModel => r.kind === 'project' && r.name === project);
  assert.ok(row, `project ${project} is a row under ${NAMES.dind}: ${rows.map((r) => r.kind).join(', ')}`);
  return row;
}

async function stateIn(via: string[], project: string): Promise<string[]> {
  const lines = await dockerIn(via, ['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Label "com.docker.compose.service"}}={{.State}}']);
  return lines.split('\n').filter(Boolean).sort();
}

describe('Compose projects on the real engine, inside a DinD (depth 1)', { timeout: 600_000 }, () => {
  const project = `itcompose${runSuffix()}`;
  let fixture: ComposeProjectFixture | undefined;
  let graph: EngineGraph;
  let created = false;

  before(async () => {
    created = (await ensureNestedFixture()).created;
    fixture = await composeUp([NAMES.dind], project);
    graph = newTestGraph();
    await graph.refreshAll();
  });

  after(async () => {
    graph?.dispose();
    await fixture?.down();
    if (created && !process.env.MATRYOSHKA_KEEP_FIXTURE) await removeNestedFixture();
  });

  it('groups the project docker-compose brought up inside it-dind: services, running/total, working directory', () => {
    const row = projectRow(graph, project);
    assert.deepEqual(row.members.map((m) => m.label).sort(), ['web', 'worker']);
    assert.equal(row.total, 2);
    assert.equal(row.running, 2);
    assert.equal(row.workingDir, fixture?.workingDir, 'the working directory as docker-compose labelled it');
    assert.deepEqual(row.enginePath, { engine: 'default', path: [NAMES.dind] });
  });

  it('stops and starts the whole project through its engine, as the project commands do', async () => {
    const resolved = resolveProject(graph.snapshot(), { engine: 'default', path: [NAMES.dind], project });
    const api = graph.apiFor(resolved.engine.key) as EngineApi;
    await Promise.all(projectActionTargets('stop', resolved.containers).map((c) => api.containerAction(c.id, 'stop')));
    assert.deepEqual(await stateIn([NAMES.dind], project), ['web=exited', 'worker=exited']);
    await graph.refreshAll();
    assert.equal(projectRow(graph, project).running, 0);

    const stopped = resolveProject(graph.snapshot(), { engine: 'default', path: [NAMES.dind], project });
    assert.equal(projectActionTargets('start', stopped.containers).length, 2);
    await Promise.all(projectActionTargets('start', stopped.containers).map((c) => api.containerAction(c.id, 'start')));
    assert.deepEqual(await stateIn([NAMES.dind], project), ['web=running', 'worker=running']);
    await graph.refreshAll();
    assert.equal(projectRow(graph, project).running, 2);
  });

  it('removes the project containers and keeps their volumes unless asked', async () => {
    const resolved = resolveProject(graph.snapshot(), { engine: 'default', path: [NAMES.dind], project });
    const web = resolved.containers.find((c) => c.summary.Labels?.['com.docker.compose.service'] === 'web');
    assert.ok(web);
    const volume = (await dockerIn([NAMES.dind], ['inspect', '--format', '{{range .Mounts}}{{.Name}}{{end}}', web.id])).trim();
    assert.ok(volume, 'web has an anonymous volume on /data');
    const api = graph.apiFor(resolved.engine.key) as EngineApi;
    await Promise.all(resolved.containers.map((c) => removeProjectContainer(api, c.id, false)));
    assert.deepEqual(await stateIn([NAMES.dind], project), []);
    assert.equal((await dockerIn([NAMES.dind], ['volume', 'ls', '-q', '--filter', `name=${volume}`])).trim(), volume, 'the volume stays');
    await dockerIn([NAMES.dind], ['volume', 'rm', volume]);
    await graph.refreshAll();
    const engine = graph.snapshot()[0].containers.find((c) => c.name === NAMES.dind)?.inner as EngineSnapshot;
    assert.throws(() => resolveProject(graph.snapshot(), { engine: 'default', path: [NAMES.dind], project }), new RegExp(`No Compose project "${project}" on the engine inside default › ${NAMES.dind}`));
    assert.ok(engine.status.kind === 'connected');
  });
});
