import type { ContainerSnapshot, EngineSnapshot } from './snapshot';
import type { NodePath } from './treeModel';

/** How other commands and extensions name a container: `{ engine?: "default", path: ["ci-runner", "build-42"] }`. */
export interface ContainerTarget {
  engine?: string;
  path: string[];
}

export interface ResolvedTarget {
  container: ContainerSnapshot;
  /** The engines from the root down to the one running the container. */
  engines: EngineSnapshot[];
  /** The containers from the root engine's down to this one (the last): how to walk to it. */
  chain: ContainerSnapshot[];
  path: NodePath;
}

export function isContainerTarget(value: unknown): value is ContainerTarget {
  if (typeof value !== 'object' || value === null) return false;
  const { engine, path } = value as Record<string, unknown>;
  return (engine === undefined || typeof engine === 'string') && Array.isArray(path) && path.length > 0 && path.every((p) => typeof p === 'string');
}

export class TargetError extends Error {}

/** Exact names and full ids win over id prefixes, as with the Docker CLI. */
function lookup(containers: readonly ContainerSnapshot[], wanted: string): ContainerSnapshot[] {
  const exact = containers.filter((c) => c.name === wanted || c.id === wanted);
  if (exact.length) return exact;
  return wanted.length >= 4 ? containers.filter((c) => c.id.startsWith(wanted)) : [];
}

/** Walks the chain of names (or ids) from an engine down; errors name where it stopped and what is there. */
export function resolveTarget(roots: readonly EngineSnapshot[], target: ContainerTarget): ResolvedTarget {
  const root = target.engine === undefined ? roots.find((e) => e.current) ?? roots[0] : roots.find((e) => e.name === target.engine);
  if (!root) {
    throw new TargetError(`No engine named "${target.engine ?? '(current)'}". Engines: ${roots.map((e) => e.name).join(', ') || 'none'}.`);
  }
  let engine = root;
  const engines: EngineSnapshot[] = [];
  const names: string[] = [];
  const chain: ContainerSnapshot[] = [];
  let found: ContainerSnapshot | undefined;
  for (const [index, wanted] of target.path.entries()) {
    const where = [root.name, ...names].join(' › ');
    if (engine.status.kind !== 'connected') {
      throw new TargetError(`Cannot reach ${where}: ${engine.status.kind === 'disconnected' ? engine.status.reason : 'still connecting'}.`);
    }
    const hits = lookup(engine.containers, wanted);
    if (hits.length !== 1) {
      const known = engine.containers.map((c) => c.name).join(', ') || 'none';
      throw new TargetError(`${hits.length ? 'Several containers match' : 'No container'} "${wanted}" on ${where} (containers: ${known}).`);
    }
    found = hits[0];
    chain.push(found);
    engines.push(engine);
    names.push(found.name);
    if (index < target.path.length - 1) {
      if (!found.inner) throw new TargetError(`${[root.name, ...names].join(' › ')} runs no engine Matryoshka can reach, so it has no containers inside.`);
      engine = found.inner;
    }
  }
  return { container: found as ContainerSnapshot, engines, chain, path: { rootEngine: root.name, containers: names } };
}

/** Every container at every depth with its path, for pickers ("default › ci-runner › build-42"). */
export function listTargets(roots: readonly EngineSnapshot[]): ResolvedTarget[] {
  const found: ResolvedTarget[] = [];
  const walk = (engine: EngineSnapshot, engines: EngineSnapshot[], above: ContainerSnapshot[], names: string[], root: string) => {
    if (engine.status.kind !== 'connected') return;
    for (const container of engine.containers) {
      const path = { rootEngine: root, containers: [...names, container.name] };
      const chain = [...above, container];
      found.push({ container, engines: [...engines, engine], chain, path });
      if (container.inner) walk(container.inner, [...engines, engine], chain, path.containers, root);
    }
  };
  for (const root of roots) walk(root, [], [], [], root.name);
  return found;
}

/** How many containers run inside a container's engine, at every depth (what removing it takes along). */
export function countInner(container: ContainerSnapshot): number {
  const inner = container.inner;
  if (!inner || inner.status.kind !== 'connected') return 0;
  return inner.containers.reduce((n, c) => n + 1 + countInner(c), 0);
}
