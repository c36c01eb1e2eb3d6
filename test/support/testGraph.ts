import type { EngineEndpoint } from '../../src/engine/endpoints';
import { EngineGraph, type GraphOptions } from '../../src/engine/engineGraph';

export const LOCAL_ENGINE: EngineEndpoint = { name: 'default', host: 'unix:///var/run/docker.sock', origin: 'default', current: true };

/** An engine graph as the extension makes one, with a short debounce and backoff for tests. */
export function newTestGraph(endpoints: EngineEndpoint[] = [LOCAL_ENGINE], deadlineMs = 10_000, extra: Partial<GraphOptions> = {}): EngineGraph {
  const graph = new EngineGraph({
    sysboxRuntimes: ['sysbox-runc'],
    deadlineMs,
    debounceMs: 50,
    reconnect: { initialMs: 200, maxMs: 1000 },
    maxDepth: 8,
    log: () => undefined,
    ...extra,
  });
  graph.setEndpoints(endpoints);
  return graph;
}
