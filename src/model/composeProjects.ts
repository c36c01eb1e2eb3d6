import { isRunning } from './classify';
import { COMPOSE_LABELS, composeProjectOf } from './grouping';
import { plainText } from './markdown';
import { naturalCompare } from './naturalOrder';
import type { ContainerSnapshot, EngineSnapshot } from './snapshot';
import { resolveTarget, TargetError } from './targets';
import { pathLabel, type NodePath } from './treeModel';

/** How commands name a Compose project: the engine running it (as `{ engine?, path }` names an engine) and the project. */
export interface ComposeProjectTarget {
  engine?: string;
  /** Containers from the root engine down to the one whose engine runs the project ([] for a root engine). */
  path: string[];
  project: string;
}

export interface ResolvedProject {
  name: string;
  engine: EngineSnapshot;
  enginePath: NodePath;
  containers: ContainerSnapshot[];
}

export function isProjectTarget(value: unknown): value is ComposeProjectTarget {
  if (typeof value !== 'object' || value === null) return false;
  const { engine, path, project } = value as Record<string, unknown>;
  return (engine === undefined || typeof engine === 'string') && Array.isArray(path) && path.every((p) => typeof p === 'string') && typeof project === 'string' && project !== '';
}

/** The project's engine and its containers in the latest listing; errors say where it stopped. */
export function resolveProject(roots: readonly EngineSnapshot[], target: ComposeProjectTarget): ResolvedProject {
  let engine: EngineSnapshot | undefined;
  let enginePath: NodePath;
  if (target.path.length === 0) {
    engine = target.engine === undefined ? roots.find((e) => e.current) ?? roots[0] : roots.find((e) => e.name === target.engine);
    if (!engine) throw new TargetError(`No engine named "${target.engine ?? '(current)'}". Engines: ${roots.map((e) => e.name).join(', ') || 'none'}.`);
    enginePath = { rootEngine: engine.name, containers: [] };
  } else {
    const host = resolveTarget(roots, { engine: target.engine, path: target.path });
    engine = host.container.inner;
    enginePath = host.path;
    if (!engine) throw new TargetError(`${pathLabel(host.path)} runs no engine Matryoshka can reach, so it runs no Compose project.`);
  }
  const where = target.path.length ? `the engine inside ${pathLabel(enginePath)}` : `engine "${engine.name}"`;
  if (engine.status.kind !== 'connected') throw new TargetError(`Cannot reach ${where}: ${engine.status.kind === 'disconnected' ? engine.status.reason : 'still connecting'}.`);
  const containers = engine.containers.filter((c) => composeProjectOf(c) === target.project);
  if (containers.length === 0) {
    const known = [...new Set(engine.containers.flatMap((c) => composeProjectOf(c) ?? []))].sort(naturalCompare);
    throw new TargetError(`No Compose project "${target.project}" on ${where} (projects: ${known.join(', ') || 'none'}).`);
  }
  return { name: target.project, engine, enginePath, containers };
}

/** The service a project's container runs (its container name when unlabelled). */
export function serviceOf(container: ContainerSnapshot): string {
  return container.summary.Labels?.[COMPOSE_LABELS.service] || container.name;
}

/** The containers a project action acts on: Start what is not running, Stop and Restart what is. */
export function projectActionTargets(action: 'start' | 'stop' | 'restart' | 'remove', containers: readonly ContainerSnapshot[]): ContainerSnapshot[] {
  if (action === 'start') return containers.filter((c) => !isRunning(c.summary));
  if (action === 'stop') return containers.filter((c) => isRunning(c.summary));
  return [...containers];
}

/** The question before Remove Containers: every container that goes, by service, and what happens to volumes. */
export function projectRemoveConfirmation(project: ResolvedProject): { message: string; detail: string } {
  const lines = [...project.containers]
    .sort((a, b) => naturalCompare(serviceOf(a), serviceOf(b)) || naturalCompare(a.name, b.name))
    .map((c) => `${serviceOf(c)}: ${c.name} (${c.summary.State ?? 'unknown'})${c.inner ? ', runs an engine: everything inside it goes too' : ''}`);
  const where = project.enginePath.containers.length ? ` inside ${pathLabel(project.enginePath)}` : ` on ${project.enginePath.rootEngine}`;
  return {
    message: `Remove the ${project.containers.length} container${project.containers.length === 1 ? '' : 's'} of Compose project ${project.name}${where}?`,
    detail: `${lines.join('\n')}\n\nRunning containers are stopped first. Volumes stay unless you tick "Also remove volumes".`,
  };
}

const MAX_PENDING = 64 * 1024;

/**
 * Splits one container's log text into lines prefixed with its service, the way `docker compose logs`
 * prints them (`web-1  | …`), keeping a partial last line until the rest arrives, so that lines of
 * several containers interleave whole.
 */
export class LinePrefixer {
  private pending = '';

  constructor(private readonly prefix: string) {}

  push(text: string): string[] {
    const parts = (this.pending + text).split('\n');
    this.pending = parts.pop() ?? '';
    const lines = parts.map((line) => `${this.prefix}${line.replace(/\r$/, '')}`);
    // A container that never ends a line is not held back (nor held in memory) past this.
    if (this.pending.length > MAX_PENDING) lines.push(...this.flush());
    return lines;
  }

  /** What is left when the stream ends (a last line without a newline). */
  flush(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest ? [`${this.prefix}${rest}`] : [];
  }
}

/** Prefixes padded to one width, as `docker compose logs` aligns them: `web-1    | `. */
export function logPrefixes(containers: readonly ContainerSnapshot[]): Map<string, string> {
  const names = new Map(containers.map((c) => {
    const number = c.summary.Labels?.[COMPOSE_LABELS.number];
    return [c.id, plainText(number ? `${serviceOf(c)}-${number}` : serviceOf(c))] as const;
  }));
  const width = Math.max(0, ...[...names.values()].map((n) => n.length));
  return new Map([...names].map(([id, name]) => [id, `${name.padEnd(width)} | `]));
}
