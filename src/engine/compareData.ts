import type { ContainerSummary } from '../model/apiTypes';
import { compareLists, type Comparison } from '../model/compare';
import { type ResolvedTarget, pathLabel } from '../model/targets';
import type { EngineGraph } from './engineGraph';
import { connectInnerEngine } from './innerEngine';

/**
 * `docker ps` as the engine running the container sees it, beside `docker ps` as the container's
 * own Docker client sees it. For DooD the inner list is asked through the container itself (a
 * relay inside it), so the view proves what the container sees rather than reusing the host's list.
 */
export async function gatherComparison(graph: EngineGraph, target: ResolvedTarget, deadlineMs: number, now = Date.now()): Promise<Comparison> {
  const container = target.container;
  const outerApi = graph.apiFor(container.engineKey);
  if (!outerApi) throw new Error(`the engine running ${pathLabel(target.at)} is not connected`);
  const outer = await outerApi.listContainers(false);
  let inner: ContainerSummary[] | undefined;
  let innerError: string | undefined;
  try {
    const innerApi = container.inner ? graph.apiFor(container.inner.key) : undefined;
    if (innerApi) {
      inner = await innerApi.listContainers(false);
    } else {
      const relay = await connectInnerEngine(outerApi, container.id, pathLabel(target.at), deadlineMs);
      try {
        inner = await relay.api.listContainers(false);
      } finally {
        relay.transport.dispose();
      }
    }
  } catch (error) {
    innerError = (error as Error).message;
  }
  return compareLists({
    container: { id: container.id, name: container.name, mode: container.classification.mode, dood: container.classification.dood },
    outerEngine: target.engines[target.engines.length - 1]?.name ?? target.at.engine,
    outer,
    inner,
    innerError,
    now,
    nestedEngines: nestedEngines(target),
  });
}

/** Running containers of each engine inside a container on either list, as last listed by the graph. */
function nestedEngines(target: ResolvedTarget): Map<string, number> {
  const counts = new Map<string, number>();
  const onEngine = [...(target.engines[target.engines.length - 1]?.containers ?? []), ...(target.container.inner?.containers ?? [])];
  for (const container of onEngine) {
    if (container.inner?.status.kind !== 'connected') continue;
    counts.set(container.id, container.inner.containers.filter((c) => c.summary.State === 'running').length);
  }
  return counts;
}
