import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { naturalCompare } from '../../src/model/naturalOrder';
import type { EngineSnapshot } from '../../src/model/snapshot';
import { engineChildren } from '../../src/model/treeModel';
import { recordedGraphSnapshots } from '../support/recordedEngines';
import { LOCAL_ENGINE } from '../support/testGraph';

describe('natural order', () => {
  it('orders digit runs as numbers, the way the benchmark names its children', () => {
    const names = ['mbench-child-1-10', 'mbench-child-1-2', 'mbench-child-1-1', 'mbench-child-2-1', 'mbench-child-10-1'];
    assert.deepEqual([...names].sort(naturalCompare), ['mbench-child-1-1', 'mbench-child-1-2', 'mbench-child-1-10', 'mbench-child-2-1', 'mbench-child-10-1']);
  });

  it('is a total order: case and leading zeros only break ties, so the order never depends on what came first', () => {
    const names = ['b', 'B', 'a10', 'a010', 'a9', 'A9', 'a', 'a-1', 'a_1', '10', '9', ''];
    const once = [...names].sort(naturalCompare);
    const reversed = [...names].reverse().sort(naturalCompare);
    assert.deepEqual(once, reversed);
    assert.deepEqual(once, ['', '9', '10', 'a', 'A9', 'a9', 'a010', 'a10', 'a-1', 'a_1', 'B', 'b']);
    for (const a of names) for (const b of names) assert.equal(Math.sign(naturalCompare(a, b)) + Math.sign(naturalCompare(b, a)), 0, `${a} vs ${b}`);
  });

  it('compares digit runs longer than any number type without losing precision', () => {
    assert.ok(naturalCompare('x-99999999999999999998', 'x-99999999999999999999') < 0);
    assert.ok(naturalCompare('x-100000000000000000000', 'x-99999999999999999999') > 0);
  });

  describe('on the recorded engine', () => {
    let host: EngineSnapshot;
    before(async () => {
      [host] = await recordedGraphSnapshots([LOCAL_ENGINE], 'grouping');
    });

    it('lists fx-build-1, fx-build-2, fx-build-10 in that order, as the engine named them', () => {
      const builds = engineChildren(host, { engine: 'default', path: [] })
        .flatMap((c) => (c.kind === 'container' ? [c.container.name] : []))
        .filter((name) => name.startsWith('fx-build-'));
      assert.deepEqual(builds, ['fx-build-1', 'fx-build-2', 'fx-build-10']);
    });
  });
});
