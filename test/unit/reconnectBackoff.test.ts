// Reconnecting to an engine that flaps: it connects, lists well, and drops its event stream at once
// (test/support/hostileEngine.ts, mode flapping). A good listing alone must not reset the backoff,
// or such an engine is reconnected to, and re-listed, every initialMs for as long as it flaps; nor
// may the re-list that follows the opening of the stream reconnect before the backoff is over.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startHostileEngine, type HostileEngine } from '../support/hostileEngine';
import { newTestGraph } from '../support/testGraph';
import { waitFor } from '../support/docker';

describe('reconnect backoff', () => {
  let engine: HostileEngine | undefined;
  after(async () => engine?.close());

  it('an engine whose event stream drops at once is retried ever more slowly, up to maxMs', async () => {
    const hostile = (engine = await startHostileEngine('flapping'));
    const reconnect = { initialMs: 100, maxMs: 800, stableMs: 5_000 };
    const graph = newTestGraph([{ name: 'flapping', host: hostile.host, origin: 'setting', current: true }], 2000, { reconnect });
    // Each connection starts with GET /version (the API version to speak). The engines inside the
    // recorded listing's DinD containers are tried too, through this engine, and may ask it as well.
    const connects = () => hostile.requests.flatMap((r, i) => (r === 'GET /version' ? [hostile.requestTimes[i]] : []));
    try {
      await graph.refreshAll();
      await waitFor('8 connections', 15_000, async () => connects().length >= 8, 100);
    } finally {
      graph.dispose();
    }
    const at = connects().slice(0, 8);
    const gaps = at.slice(1).map((time, i) => time - at[i]);
    // Backoff 100, 200, 400, then 800 ms each (timers never fire early); reset by each good listing
    // it would stay near 100 ms.
    assert.ok(gaps.filter((gap) => gap >= reconnect.maxMs).length >= 3, `the retries reach the longest backoff: gaps ${gaps.join(', ')} ms`);
  });
});
