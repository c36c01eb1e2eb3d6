import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { ContainerSummary } from '../../src/model/apiTypes';
import type { ContainerSnapshot, EngineSnapshot } from '../../src/model/snapshot';
import { isContainerTarget, listEngines, parseTarget, resolveEngine, resolveTarget, targetFromLabel, TargetError, type ContainerTarget } from '../../src/model/targets';
import { readJson } from '../support/recorded';
import { recordedGraphSnapshots, REMOTE_ENGINE } from '../support/recordedEngines';
import { LOCAL_ENGINE } from '../support/testGraph';

function recordedId(engine: string, name: string): string {
  const summary = readJson<ContainerSummary[]>(engine, 'containers.json').find((c) => c.Names?.[0] === `/${name}`);
  assert.ok(summary, `${name} is in the ${engine} recording`);
  return summary.Id;
}

const DIND = recordedId('host', 'fx-dind');
const INNER = recordedId('fx-dind', 'fx-dind-inner');
const GRANDCHILD = recordedId('fx-dind-inner', 'fx-grandchild');
const DEEP = ['fx-dind', 'fx-dind-inner', 'fx-grandchild'];

/** The recorded host as the current engine, and the same recording as a second, non-current engine "remote". */
let recordedRoots: EngineSnapshot[] = [];
before(async () => {
  recordedRoots = await recordedGraphSnapshots([REMOTE_ENGINE, LOCAL_ENGINE]);
});

/** A copy of what the engine graph showed, for each test to change as it likes. */
function roots(): EngineSnapshot[] {
  return structuredClone(recordedRoots);
}

function recordedHost(): EngineSnapshot {
  const host = roots().find((e) => e.name === 'default');
  assert.ok(host);
  return host;
}

function child(engine: EngineSnapshot, name: string): ContainerSnapshot {
  const found = engine.containers.find((c) => c.name === name);
  assert.ok(found, `${name} is on ${engine.name}`);
  return found;
}

function throwsTarget(target: ContainerTarget, message: string | RegExp, engines = roots()): void {
  assert.throws(
    () => resolveTarget(engines, target),
    (error: unknown) => {
      assert.ok(error instanceof TargetError, `a TargetError, got ${String(error)}`);
      if (typeof message === 'string') assert.equal(error.message, message);
      else assert.match(error.message, message);
      return true;
    },
  );
}

describe('resolveTarget on the recorded engines', () => {
  it('walks names down to the grandchild on the current engine', () => {
    const resolved = resolveTarget(roots(), { path: DEEP });
    assert.equal(resolved.container.name, 'fx-grandchild');
    assert.equal(resolved.container.id, GRANDCHILD);
    assert.equal(resolved.container.engineKey, `default/${DIND}/${INNER}`);
    assert.deepEqual(resolved.engines.map((e) => e.name), ['default', 'fx-dind', 'fx-dind-inner']);
    assert.deepEqual(resolved.engines.map((e) => e.key), ['default', `default/${DIND}`, `default/${DIND}/${INNER}`]);
    assert.deepEqual(resolved.at, { engine: 'default', path: DEEP });
    assert.deepEqual(resolved.chain.map((c) => c.id), [DIND, INNER, GRANDCHILD], 'the containers to walk through, for reveal');
  });

  it('without a current engine uses the first one', () => {
    const engines = roots().map((e) => ({ ...e, current: false }));
    assert.equal(resolveTarget(engines, { path: ['fx-plain'] }).engines[0].name, 'remote');
  });

  it('takes an engine by name', () => {
    const onDefault = resolveTarget(roots(), { engine: 'default', path: DEEP });
    assert.equal(onDefault.engines[0].key, 'default');
    const onRemote = resolveTarget(roots(), { engine: 'remote', path: DEEP });
    assert.equal(onRemote.container.id, GRANDCHILD);
    assert.equal(onRemote.container.engineKey, `remote/${DIND}/${INNER}`);
    assert.deepEqual(onRemote.at, { engine: 'remote', path: DEEP });
  });

  it('takes ids: a prefix of at least 4 characters or the full id, and reports names', () => {
    const byPrefix = resolveTarget(roots(), { path: [DIND.slice(0, 4), INNER.slice(0, 12), GRANDCHILD] });
    assert.equal(byPrefix.container.id, GRANDCHILD);
    assert.deepEqual(byPrefix.at.path, DEEP, 'the path is in names whatever the target used');
    assert.equal(resolveTarget(roots(), { path: [DIND] }).container.name, 'fx-dind');
    throwsTarget({ path: [DIND.slice(0, 3)] }, new RegExp(`^No container "${DIND.slice(0, 3)}" on default `));
  });

  it('an id prefix that fits two containers is ambiguous', () => {
    const host = recordedHost();
    const plain = child(host, 'fx-plain');
    const stopped = child(host, 'fx-stopped');
    // The same engine answer with fx-stopped's id sharing fx-plain's first 6 characters.
    stopped.id = plain.id.slice(0, 6) + stopped.id.slice(6);
    throwsTarget({ path: [plain.id.slice(0, 6)] }, /^Several containers match "0735b8" on default \(containers: /, [host]);
    assert.equal(resolveTarget([host], { path: [plain.id.slice(0, 7)] }).container.name, 'fx-plain');
  });
});

describe('resolveTarget errors say where it stopped', () => {
  it('an unknown engine lists the engines', () => {
    throwsTarget({ engine: 'build-box', path: ['fx-plain'] }, 'No engine named "build-box". Engines: remote, default.');
    throwsTarget({ path: ['fx-plain'] }, 'No engine named "(current)". Engines: none.', []);
  });

  it('an unknown container names the engine it looked on and lists its containers', () => {
    throwsTarget({ path: ['fx-dind', 'ghost'] }, 'No container "ghost" on default › fx-dind (containers: fx-dind-inner, fx-child).');
    throwsTarget(
      { engine: 'remote', path: ['ghost'] },
      'No container "ghost" on remote (containers: fx-dind-dood, fx-sysbox, fx-dind, fx-stopped, fx-dood-env, fx-dood, fx-plain).',
    );
  });

  it('a path through a container without an engine stops there', () => {
    throwsTarget({ path: ['fx-plain', 'x'] }, 'default › fx-plain runs no engine Matryoshka can reach, so it has no containers inside.');
    throwsTarget({ path: ['fx-dood', 'fx-plain'] }, /^default › fx-dood runs no engine/, roots());
  });

  it('a path through a disconnected inner engine gives its reason', () => {
    const host = recordedHost();
    const dind = child(host, 'fx-dind');
    const inner = dind.inner as EngineSnapshot;
    dind.inner = { ...inner, status: { kind: 'disconnected', reason: 'docker system dial-stdio: exit status 1', permanent: false } };
    throwsTarget({ path: ['fx-dind', 'fx-child'] }, 'Cannot reach default › fx-dind: docker system dial-stdio: exit status 1.', [host]);
    assert.equal(resolveTarget([host], { path: ['fx-dind'] }).container.name, 'fx-dind', 'the hosting container itself still resolves');
    const connecting = { ...recordedHost(), status: { kind: 'connecting' as const } };
    throwsTarget({ path: ['fx-plain'] }, 'Cannot reach default: still connecting.', [connecting]);
  });
});

describe('one target for engines and containers', () => {
  it('an empty path is the root engine; a path names the engine its last container runs', () => {
    const root = resolveEngine(roots(), { engine: 'remote', path: [] });
    assert.equal(root.engine.key, 'remote');
    assert.equal(root.host, undefined);
    assert.deepEqual(root.at, { engine: 'remote', path: [] });
    const current = resolveEngine(roots(), { path: [] });
    assert.equal(current.engine.key, 'default', 'without an engine name: the current engine');
    const inner = resolveEngine(roots(), { path: ['fx-dind', 'fx-dind-inner'] });
    assert.equal(inner.engine.key, `default/${DIND}/${INNER}`);
    assert.equal(inner.host?.container.id, INNER);
    assert.equal(inner.host?.engine.key, `default/${DIND}`);
    assert.deepEqual(inner.at, { engine: 'default', path: ['fx-dind', 'fx-dind-inner'] });
  });

  it('a container that runs no engine is not an engine, and an engine is not a container', () => {
    assert.throws(() => resolveEngine(roots(), { path: ['fx-plain'] }), /^Error: default › fx-plain runs no engine Matryoshka can reach \(DinD and Sysbox containers do\)\.$/);
    assert.throws(() => resolveTarget(roots(), { engine: 'default', path: [] }), /^Error: Name a container: engine "default" is an engine\.$/);
  });

  it('every engine at every depth, with the same paths the resolver takes', () => {
    const all = listEngines(roots());
    const labels = all.map((e) => [e.at.engine, ...e.at.path].join(' › '));
    assert.ok(labels.includes('default › fx-dind › fx-dind-inner'), labels.join(', '));
    for (const listed of all) assert.equal(resolveEngine(roots(), listed.at).engine.key, listed.engine.key, `${listed.engine.key} resolves back`);
  });

  it('parses what callers pass: { engine } alone is that root engine, extra fields are dropped', () => {
    assert.deepEqual(parseTarget({ engine: 'default' }), { engine: 'default', path: [] });
    assert.deepEqual(parseTarget({ engine: 'default', path: ['a'], image: 'x' }), { engine: 'default', path: ['a'] });
    assert.deepEqual(parseTarget({ path: [] }), { path: [] });
    for (const bad of [undefined, null, 'default', {}, { engine: 1 }, { path: 'a' }, { path: [1] }]) assert.equal(parseTarget(bad), undefined, JSON.stringify(bad));
    assert.deepEqual(targetFromLabel('default › ci > build / x'), { engine: 'default', path: ['ci', 'build', 'x'] });
  });
});

describe('isContainerTarget', () => {
  it('accepts an optional engine name and a non-empty path of strings', () => {
    assert.equal(isContainerTarget({ path: ['fx-plain'] }), true);
    assert.equal(isContainerTarget({ engine: 'default', path: DEEP }), true);
    assert.equal(isContainerTarget({ engine: undefined, path: ['a'], extra: 1 }), true);
  });

  it('rejects everything else', () => {
    for (const value of [
      undefined,
      null,
      'fx-plain',
      ['fx-plain'],
      {},
      { path: [] },
      { path: 'fx-plain' },
      { path: ['fx-dind', 3] },
      { engine: 3, path: ['fx-plain'] },
      { engine: null, path: ['fx-plain'] },
      { engine: 'default' },
    ]) {
      assert.equal(isContainerTarget(value), false, JSON.stringify(value));
    }
  });
});
