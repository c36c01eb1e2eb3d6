import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  LinePrefixer,
  listProjects,
  logPrefixes,
  parseProjectTarget,
  projectActionTargets,
  projectRemoveConfirmation,
  resolveProject,
} from '../../src/model/composeProjects';
import type { EngineSnapshot } from '../../src/model/snapshot';
import { recordedGraphSnapshots } from '../support/recordedEngines';
import { LOCAL_ENGINE } from '../support/testGraph';

describe('Compose project actions on the recorded engines', () => {
  let roots: EngineSnapshot[];
  before(async () => {
    roots = await recordedGraphSnapshots([LOCAL_ENGINE], 'grouping');
  });

  it('finds every project at every depth, and resolves one by its engine and name', () => {
    assert.deepEqual(
      listProjects(roots).map((p) => [p.target, p.description]),
      [
        [{ engine: 'default', path: [], project: 'fxshop' }, 'engine "default"'],
        [{ engine: 'default', path: ['fxshop_ci_1'], project: 'fxinner' }, 'the engine inside default › fxshop_ci_1'],
      ],
    );
    const inner = resolveProject(roots, { engine: 'default', path: ['fxshop_ci_1'], project: 'fxinner' });
    assert.deepEqual(inner.containers.map((c) => c.name).sort(), ['fxinner_app_1', 'fxinner_db_1']);
    assert.deepEqual(inner.enginePath, { engine: 'default', path: ['fxshop_ci_1'] });
  });

  it('says which projects an engine runs when the one asked for is not there', () => {
    assert.throws(() => resolveProject(roots, { path: [], project: 'nope' }), /No Compose project "nope" on engine "default" \(projects: fxshop\)/);
    assert.throws(() => resolveProject(roots, { path: ['fx-build-1'], project: 'fxshop' }), /fx-build-1 runs no engine/);
  });

  it('takes only well-formed targets', () => {
    assert.deepEqual(parseProjectTarget({ engine: 'default', path: [], project: 'fxshop', extra: 1 }), { engine: 'default', path: [], project: 'fxshop' });
    assert.equal(parseProjectTarget({ path: [], project: '' }), undefined);
    assert.equal(parseProjectTarget({ path: [1], project: 'x' }), undefined);
    assert.equal(parseProjectTarget('fxshop'), undefined);
  });

  it('starts what is stopped and stops what runs', () => {
    const shop = resolveProject(roots, { path: [], project: 'fxshop' });
    assert.deepEqual(projectActionTargets('start', shop.containers).map((c) => c.name), ['fxshop_migrate_1']);
    assert.deepEqual(projectActionTargets('stop', shop.containers).map((c) => c.name).sort(), ['fxshop_ci_1', 'fxshop_web_1', 'fxshop_web_2', 'fxshop_worker_1']);
  });

  it('asks before removing, listing every container by service and what goes with the DinD', () => {
    const { message, detail } = projectRemoveConfirmation(resolveProject(roots, { path: [], project: 'fxshop' }));
    assert.equal(message, 'Remove the 5 containers of Compose project fxshop on engine "default"?');
    assert.deepEqual(detail.split('\n').slice(0, 5), [
      'ci: fxshop_ci_1 (running), runs an engine: everything inside it goes too',
      'migrate: fxshop_migrate_1 (exited)',
      'web: fxshop_web_1 (running)',
      'web: fxshop_web_2 (running)',
      'worker: fxshop_worker_1 (running)',
    ]);
    assert.match(detail, /Volumes stay unless you tick "Also remove volumes"/);
  });

  it('prefixes log lines like docker compose logs, padded to one width', () => {
    const shop = resolveProject(roots, { path: [], project: 'fxshop' });
    const prefixes = logPrefixes(shop.containers);
    const byName = new Map(shop.containers.map((c) => [c.name, prefixes.get(c.id)]));
    assert.equal(byName.get('fxshop_web_2'), 'web-2     | ');
    assert.equal(byName.get('fxshop_migrate_1'), 'migrate-1 | ');
  });
});

describe('log lines of several containers', () => {
  it('keeps a partial line until its end arrives, so lines interleave whole', () => {
    const web = new LinePrefixer('web | ');
    assert.deepEqual(web.push('one\ntw'), ['web | one']);
    assert.deepEqual(web.push('o\r\nthree'), ['web | two']);
    assert.deepEqual(web.flush(), ['web | three']);
    assert.deepEqual(web.flush(), []);
  });

  it('does not hold back a container that never ends a line', () => {
    const flood = new LinePrefixer('x | ');
    const lines = flood.push('a'.repeat(70 * 1024));
    assert.equal(lines.length, 1);
    assert.equal(lines[0].length, 'x | '.length + 70 * 1024);
  });
});
