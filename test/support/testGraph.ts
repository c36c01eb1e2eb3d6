import assert from 'node:assert/strict';
import type { EngineApi } from '../../src/engine/engineApi';
import type { EngineSnapshot } from '../../src/model/snapshot';
import { NAMES, ensureNestedFixture } from './nestedFixture';
import type { EngineEndpoint } from '../../src/engine/endpoints';
import { EngineGraph, type GraphOptions } from '../../src/engine/engineGraph';

export const LOCAL_ENGINE: EngineEndpoint = { name: 'default', host: 'unix:///var/run/docker.sock', origin: 'default', current: true };

/** An engine graph as the extension makes one, with a short debounce and backoff for tests. */
export function newTestGraph(endpoints: EngineEndpoint[] = [LOCAL_ENGINE], deadlineMs = 10_000, extra: Partial<GraphOptions> = {}): EngineGraph {
  const graph = new EngineGraph({
    sysboxRuntimes: ['sysbox-runc'],
    deadlineMs,
    debounceMs: 50,
    reconnect: { initialMs: 200, maxMs: 1000, stableMs: 10_000 },
    maxDepth: 8,
    log: () => undefined,
    ...extra,
  });
  graph.setEndpoints(endpoints);
  return graph;
}

/** The nested fixture's engine two levels down (it-dind › it-dind-inner), listed by a test graph. */
export async function graphAtDepth2(): Promise<{ graph: EngineGraph; engine: EngineSnapshot; api: EngineApi }> {
  await ensureNestedFixture();
  const graph = newTestGraph();
  await graph.refreshAll();
  let engine = graph.snapshot()[0];
  for (const name of [NAMES.dind, NAMES.dindInner]) engine = engine.containers.find((c) => c.name === name)?.inner ?? assert.fail(`the engine inside ${name}`);
  return { graph, engine, api: graph.apiFor(engine.key) as EngineApi };
}
