// Under a filter, which engines' rows a change makes render again (FilterResult.changedEngines), on the
// recorded grouping engines: the host and the engine inside fxshop_ci_1. The "changed" listings are
// the recorded ones with a recorded container left out or listed under another name, as a relist
// after `docker rm` or `docker rename` would show them.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { isInfrastructure } from '../../src/model/grouping';
import type { ContainerSnapshot, EngineSnapshot } from '../../src/model/snapshot';
import { FilterResult, parseFilter, type TreeFilter } from '../../src/model/treeFilter';
import { recordedGraphSnapshots } from '../support/recordedEngines';
import { LOCAL_ENGINE } from '../support/testGraph';

function result(host: EngineSnapshot, text: string): FilterResult {
  return new FilterResult(parseFilter(text) as TreeFilter, [host], isInfrastructure);
}

/** The host with the inner engine of fxshop_ci_1 listed as `change` makes it. */
function withInner(host: EngineSnapshot, change: (containers: ContainerSnapshot[]) => ContainerSnapshot[]): EngineSnapshot {
  return {
    ...host,
    containers: host.containers.map((c) => (c.inner ? { ...c, inner: { ...c.inner, containers: change(c.inner.containers) } } : c)),
  };
}

describe('which rows a change renders under a filter', () => {
  let host: EngineSnapshot;
  let inner: EngineSnapshot;

  before(async () => {
    [host] = await recordedGraphSnapshots([LOCAL_ENGINE], 'grouping');
    const ci = host.containers.find((c) => c.name === 'fxshop_ci_1');
    assert.ok(ci?.inner, 'the recording has the engine inside fxshop_ci_1');
    inner = ci.inner;
  });

  it('nothing when the same listing comes again', () => {
    assert.deepEqual([...result(host, 'fxinner_db').changedEngines(result(host, 'fxinner_db'))], []);
  });

  it('the engines above a match that goes away, whose rows it kept', () => {
    const gone = withInner(host, (containers) => containers.filter((c) => c.name !== 'fxinner_db_1'));
    assert.deepEqual([...result(gone, 'fxinner_db').changedEngines(result(host, 'fxinner_db'))].sort(), [host.key, inner.key].sort());
  });

  it('the engines above a new match deep down', () => {
    const gone = withInner(host, (containers) => containers.filter((c) => c.name !== 'fxinner_db_1'));
    assert.deepEqual([...result(host, 'fxinner_db').changedEngines(result(gone, 'fxinner_db'))].sort(), [host.key, inner.key].sort());
  });

  it('a rename that changes what matches, and none that does not', () => {
    const renamed = withInner(host, (containers) => containers.map((c) => (c.name === 'fxinner_app_1' ? { ...c, name: 'fxinner_app_2', summary: { ...c.summary, Names: ['/fxinner_app_2'] } } : c)));
    // fxinner_app_1 matched and its new name does not: its engine's rows change, and the host's
    // (fxshop_ci_1 no longer leads to a match).
    assert.deepEqual([...result(renamed, 'fxinner_app_1').changedEngines(result(host, 'fxinner_app_1'))].sort(), [host.key, inner.key].sort());
    // "fxinner" matches it under both names: the same rows show (the relisted engine renders anyway).
    assert.equal(inner.containers.filter((c) => result(renamed, 'fxinner').shows(c)).length, 2);
    assert.deepEqual([...result(renamed, 'fxinner').changedEngines(result(host, 'fxinner'))], []);
  });

  it('nothing for a change the filter hides', () => {
    const gone = withInner(host, (containers) => containers.filter((c) => c.name !== 'fxinner_app_1'));
    assert.deepEqual([...result(gone, 'fxshop_web').changedEngines(result(host, 'fxshop_web'))], []);
  });
});
