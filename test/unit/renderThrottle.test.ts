import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RenderThrottle, type RenderBatch, type ThrottleClock } from '../../src/model/renderThrottle';
import type { TreeNode } from '../../src/views/nodes/treeNode';
import { NodeCache } from '../../src/views/nodes/nodeCache';
import { containerNodeId, engineRowIds } from '../../src/model/treeModel';
import { innerEngineKey, type ContainerSnapshot } from '../../src/model/snapshot';
import { recordedGraphSnapshot } from '../support/recordedEngines';

/** Timers on a simulated clock: time moves only when the test says so, so every schedule is exact. */
class FakeClock implements ThrottleClock {
  /** How much sooner than asked timers fire (Node's do when set late in a long turn of the event loop). */
  constructor(private readonly early = 0) {}
  private time = 0;
  private timers: Array<{ at: number; callback: () => void; handle: number }> = [];
  private nextHandle = 1;

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    // Never sooner than 1 ms, as with Node's timers: a wait cut short is always waited again.
    this.timers.push({ at: this.time + Math.max(this.early ? 1 : 0, ms - this.early), callback, handle });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.handle !== handle);
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.callback();
    }
    this.time = end;
  }
}

function throttled(early = 0): { clock: FakeClock; throttle: RenderThrottle; renders: Array<{ at: number; batch: RenderBatch }> } {
  const clock = new FakeClock(early);
  const renders: Array<{ at: number; batch: RenderBatch }> = [];
  const throttle = new RenderThrottle({ quietMs: 100, minIntervalMs: 300 }, (batch) => renders.push({ at: clock.now(), batch }), clock);
  return { clock, throttle, renders };
}

describe('render throttle: how often the tree renders while engines churn', () => {
  it('shows a single change after a quiet spell 100 ms later, with the engine that changed', () => {
    const { clock, throttle, renders } = throttled();
    clock.advance(5_000);
    throttle.schedule('default/abc');
    clock.advance(99);
    assert.equal(renders.length, 0);
    clock.advance(1);
    assert.equal(renders.length, 1);
    assert.equal(renders[0].at, 5_100);
    assert.equal(renders[0].batch.at, 5_100);
    assert.deepEqual([...renders[0].batch.engines], ['default/abc']);
    assert.equal(renders[0].batch.all, false);
  });

  it('renders at most once per 300 ms under 30 s of events every 5 ms, and never loses the last change', () => {
    const { clock, throttle, renders } = throttled();
    const keys = ['default/dind', 'default/dind/inner'];
    for (let t = 0; t < 30_000; t += 5) {
      throttle.schedule(keys[(t / 5) % 2]);
      clock.advance(5);
    }
    clock.advance(1_000);
    const gaps = renders.slice(1).map((r, i) => r.at - renders[i].at);
    assert.ok(Math.min(...gaps) >= 300, `renders are 300 ms apart or more (smallest gap ${Math.min(...gaps)} ms)`);
    // The first render at 100 ms, then one per 300 ms up to 29,800 ms, and one at 30,100 ms for the last events.
    assert.equal(renders.length, 101);
    assert.ok(renders[renders.length - 1].at >= 30_000 - 5, 'the last change rendered after the churn ended');
    assert.ok(renders.every((r) => r.batch.engines.size === 2 && !r.batch.all), 'each render names both engines that changed');
  });

  it('never renders before its time when timers fire early', () => {
    const { clock, throttle, renders } = throttled(40);
    for (let t = 0; t < 3_000; t += 5) {
      throttle.schedule('a');
      clock.advance(5);
    }
    clock.advance(1_000);
    assert.equal(renders[0].at, 100);
    const gaps = renders.slice(1).map((r, i) => r.at - renders[i].at);
    assert.ok(Math.min(...gaps) >= 300, `smallest gap ${Math.min(...gaps)} ms`);
  });

  it('renders at once on flush (a manual refresh) with what was pending, and counts it for the interval', () => {
    const { clock, throttle, renders } = throttled();
    throttle.schedule('a');
    clock.advance(50);
    throttle.flush();
    assert.equal(renders.length, 1);
    assert.equal(renders[0].at, 50);
    assert.equal(renders[0].batch.all, true);
    assert.deepEqual([...renders[0].batch.engines], ['a']);
    clock.advance(500);
    assert.equal(renders.length, 1, 'the timer of the flushed change does not render again');
    throttle.flush();
    throttle.schedule('b');
    clock.advance(299);
    assert.equal(renders.length, 2);
    clock.advance(1);
    assert.equal(renders.length, 3, 'a change right after a flush waits out the interval');
  });

  it('the clock alone (uptimes) renders a batch of no engine, within the same limits, and joins a pending change', () => {
    const { clock, throttle, renders } = throttled();
    throttle.scheduleClock();
    clock.advance(100);
    assert.equal(renders.length, 1);
    assert.deepEqual({ all: renders[0].batch.all, engines: [...renders[0].batch.engines] }, { all: false, engines: [] });
    throttle.schedule('a');
    throttle.scheduleClock();
    clock.advance(299);
    assert.equal(renders.length, 1, 'the interval holds for the clock too');
    clock.advance(1);
    assert.equal(renders.length, 2);
    assert.deepEqual([...renders[1].batch.engines], ['a'], 'one render for the change and the clock');
  });

  it('a change of the set of engines (no key) renders everything; nothing renders after dispose', () => {
    const { clock, throttle, renders } = throttled();
    throttle.schedule(undefined);
    clock.advance(100);
    assert.equal(renders[0].batch.all, true);
    throttle.schedule('a');
    throttle.dispose();
    clock.advance(1_000);
    throttle.flush();
    assert.equal(renders.length, 1);
  });
});

class FakeNode implements TreeNode {
  constructor(readonly id: string, readonly parent: TreeNode | undefined, public state = 0) {}
  treeItem(): never {
    throw new Error('not rendered here');
  }
  children(): TreeNode[] {
    return [];
  }
  update(fresh: FakeNode): void {
    this.state = fresh.state;
  }
}

describe('node cache: one object per row id', () => {
  it('keeps the first object for an id and gives it the state of the newer one', () => {
    const cache = new NodeCache();
    const [root] = cache.adopt(undefined, [new FakeNode('engine:default', undefined, 1)]);
    const [row] = cache.adopt(root, [new FakeNode('c1', root, 1)]);
    const again = cache.adopt(root, [new FakeNode('c1', root, 2), new FakeNode('c2', root, 2)]);
    assert.equal(again[0], row);
    assert.equal((row as FakeNode).state, 2);
    assert.equal(cache.get('c2'), again[1]);
    assert.equal(cache.adopt(undefined, [new FakeNode('engine:default', undefined, 3)])[0], root);
  });

  it('forgets rows that went away, with everything below them', () => {
    const cache = new NodeCache();
    const [root] = cache.adopt(undefined, [new FakeNode('engine:default', undefined)]);
    const [dind] = cache.adopt(root, [new FakeNode('dind', root)]);
    cache.adopt(dind, [new FakeNode('child', dind)]);
    assert.ok(cache.expanded(dind));
    cache.adopt(root, []);
    assert.equal(cache.get('dind'), undefined);
    assert.equal(cache.get('child'), undefined);
    assert.equal(cache.expanded(dind), false);
    assert.equal(cache.size, 1);
    const [fresh] = cache.adopt(root, [new FakeNode('dind', root)]);
    assert.notEqual(fresh, dind, 'a row that returns is a new object');
  });

  it('finds the row of an engine by key: the engine row at the root, the hosting container row inside', async () => {
    const host = await recordedGraphSnapshot();
    const dind = host.containers.find((c): c is ContainerSnapshot & { inner: NonNullable<ContainerSnapshot['inner']> } => !!c.inner);
    assert.ok(dind, 'the recording has a container that runs an engine');
    assert.equal(dind.inner.key, innerEngineKey(host.key, dind.id));
    assert.ok(engineRowIds(dind.inner.key).includes(containerNodeId(dind)));
    assert.ok(engineRowIds(host.key).includes(`engine:${host.key}`));
  });
});
