import type { ContainerSnapshot, EngineSnapshot } from './snapshot';
import { splitTrimmed } from './linearText';

/**
 * The one way to name a container or an engine, for tree rows, commands, palette picks and other
 * extensions: `{ engine: "default", path: ["ci-runner", "build-42"] }` is the container build-42
 * inside ci-runner on the root engine "default"; `path: []` is the root engine itself, and for an
 * engine command a non-empty path names the engine that its last container runs. Without `engine`,
 * the current root engine, as with the Docker CLI.
 */
export interface Target {
  engine?: string;
  path: string[];
}

/** A target whose root engine is named: where a row sits, and what the resolvers report. */
export interface NodePath extends Target {
  engine: string;
}

/** A target that names a container (a non-empty path). */
export type ContainerTarget = Target;

export interface ResolvedTarget {
  container: ContainerSnapshot;
  /** The engines from the root down to the one running the container. */
  engines: EngineSnapshot[];
  /** The containers from the root engine's down to this one (the last): how to walk to it. */
  chain: ContainerSnapshot[];
  at: NodePath;
}

export interface ResolvedEngine {
  engine: EngineSnapshot;
  /** The root engine and the containers down to (and including) the one that runs this engine. */
  at: NodePath;
  /** The container that runs this engine, and the engine that runs that container (inner engines). */
  host?: { container: ContainerSnapshot; engine: EngineSnapshot };
}

export const PATH_SEPARATOR = ' › ';

export function pathLabel(at: NodePath): string {
  return [at.engine, ...at.path].join(PATH_SEPARATOR);
}

/**
 * How messages name an engine, the one place that says it: `engine "default"` for a root engine,
 * `the engine inside default › ci-runner` for the engine inside the container at that path.
 */
export function engineLabel(at: NodePath): string {
  return at.path.length ? `the engine inside ${pathLabel(at)}` : rootEngineLabel(at.engine);
}

export function rootEngineLabel(name: string): string {
  return `engine "${name}"`;
}

/** The engine that runs the container at `at`: "default › ci-runner" for default › ci-runner › build-42. */
export function engineLabelOf(at: NodePath): string {
  return pathLabel({ engine: at.engine, path: at.path.slice(0, -1) });
}

/** "default › ci-runner" (also with ">" or "/" between the parts) as a target. */
export function targetFromLabel(label: string): Target {
  const [engine, ...path] = splitTrimmed(label, /[›>/]/).filter(Boolean);
  return { engine, path };
}

/** A well-formed `{ engine?, path }`; `{ engine }` alone names that root engine. Extra fields are dropped. */
export function parseTarget(value: unknown): Target | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { engine, path } = value as Record<string, unknown>;
  if (engine !== undefined && typeof engine !== 'string') return undefined;
  if (path === undefined) return typeof engine === 'string' ? { engine, path: [] } : undefined;
  if (!Array.isArray(path) || !path.every((p) => typeof p === 'string')) return undefined;
  return engine === undefined ? { path: [...path] } : { engine, path: [...path] };
}

export function isContainerTarget(value: unknown): value is ContainerTarget {
  const target = parseTarget(value);
  return target !== undefined && target.path.length > 0;
}

export class TargetError extends Error {}

/** Exact names and full ids win over id prefixes, as with the Docker CLI. */
function lookup(containers: readonly ContainerSnapshot[], wanted: string): ContainerSnapshot[] {
  const exact = containers.filter((c) => c.name === wanted || c.id === wanted);
  if (exact.length) return exact;
  return wanted.length >= 4 ? containers.filter((c) => c.id.startsWith(wanted)) : [];
}

function rootOf(roots: readonly EngineSnapshot[], name: string | undefined): EngineSnapshot {
  const root = name === undefined ? roots.find((e) => e.current) ?? roots[0] : roots.find((e) => e.name === name);
  if (!root) throw new TargetError(`No engine named "${name ?? '(current)'}". Engines: ${roots.map((e) => e.name).join(', ') || 'none'}.`);
  return root;
}

/**
 * The one resolver: walks the chain of names (or ids) from the root engine down. Errors name where
 * it stopped and what is there. An empty path resolves to the root engine alone.
 */
function walk(roots: readonly EngineSnapshot[], target: Target): { root: EngineSnapshot; engines: EngineSnapshot[]; chain: ContainerSnapshot[]; at: NodePath } {
  const root = rootOf(roots, target.engine);
  let engine = root;
  const engines: EngineSnapshot[] = [];
  const chain: ContainerSnapshot[] = [];
  const at = (): NodePath => ({ engine: root.name, path: chain.map((c) => c.name) });
  for (const wanted of target.path) {
    const above = chain[chain.length - 1];
    if (above) {
      if (!above.inner) throw new TargetError(`${pathLabel(at())} runs no engine Matryoshka can reach, so it has no containers inside.`);
      engine = above.inner;
    }
    if (engine.status.kind !== 'connected') {
      throw new TargetError(`Cannot reach ${pathLabel(at())}: ${engine.status.kind === 'disconnected' ? engine.status.reason : 'still connecting'}.`);
    }
    const hits = lookup(engine.containers, wanted);
    if (hits.length !== 1) {
      const known = engine.containers.map((c) => c.name).join(', ') || 'none';
      throw new TargetError(`${hits.length ? 'Several containers match' : 'No container'} "${wanted}" on ${pathLabel(at())} (containers: ${known}).`);
    }
    engines.push(engine);
    chain.push(hits[0]);
  }
  return { root, engines, chain, at: at() };
}

/** The container a target names. */
export function resolveTarget(roots: readonly EngineSnapshot[], target: Target): ResolvedTarget {
  if (target.path.length === 0) throw new TargetError(`Name a container: ${rootEngineLabel(rootOf(roots, target.engine).name)} is an engine.`);
  const { engines, chain, at } = walk(roots, target);
  return { container: chain[chain.length - 1], engines, chain, at };
}

/** The engine a target names: the root engine for an empty path, else the engine its last container runs. */
export function resolveEngine(roots: readonly EngineSnapshot[], target: Target): ResolvedEngine {
  const { root, engines, chain, at } = walk(roots, target);
  const container = chain[chain.length - 1];
  if (!container) return { engine: root, at };
  if (!container.inner) {
    throw new TargetError(`${pathLabel(at)} runs no engine Matryoshka can reach (DinD and Sysbox containers do).`);
  }
  return { engine: container.inner, at, host: { container, engine: engines[engines.length - 1] } };
}

/** Every container at every depth with its path, for pickers ("default › ci-runner › build-42"). */
export function listTargets(roots: readonly EngineSnapshot[]): ResolvedTarget[] {
  const found: ResolvedTarget[] = [];
  const visit = (engine: EngineSnapshot, engines: EngineSnapshot[], above: ContainerSnapshot[], root: string) => {
    if (engine.status.kind !== 'connected') return;
    for (const container of engine.containers) {
      const chain = [...above, container];
      found.push({ container, engines: [...engines, engine], chain, at: { engine: root, path: chain.map((c) => c.name) } });
      if (container.inner) visit(container.inner, [...engines, engine], chain, root);
    }
  };
  for (const root of roots) visit(root, [], [], root.name);
  return found;
}

/** Every engine at every depth, roots first then inner engines depth-first, whatever its status. */
export function listEngines(roots: readonly EngineSnapshot[]): ResolvedEngine[] {
  const found: ResolvedEngine[] = [];
  const visit = (engine: EngineSnapshot, at: NodePath, host: ResolvedEngine['host']) => {
    found.push({ engine, at, host });
    for (const container of engine.containers) {
      if (container.inner) visit(container.inner, { engine: at.engine, path: [...at.path, container.name] }, { container, engine });
    }
  };
  for (const root of roots) visit(root, { engine: root.name, path: [] }, undefined);
  return found;
}

/** How many containers run inside a container's engine, at every depth (what removing it takes along). */
export function countInner(container: ContainerSnapshot): number {
  const inner = container.inner;
  if (!inner || inner.status.kind !== 'connected') return 0;
  return inner.containers.reduce((n, c) => n + 1 + countInner(c), 0);
}
