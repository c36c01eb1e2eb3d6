import { isRunning } from './classify';
import { COMPOSE_LABELS, composeProjectOf } from './grouping';
import { plainText } from './markdown';
import { naturalCompare } from './naturalOrder';
import type { ContainerSnapshot, EngineSnapshot } from './snapshot';
import { engineLabel, parseTarget, resolveEngine, TargetError, type NodePath, type Target } from './targets';

/** How commands name a Compose project: the engine running it (as `{ engine?, path }` names an engine) and the project. */
export interface ComposeProjectTarget extends Target {
  project: string;
}

export interface ResolvedProject {
  name: string;
  engine: EngineSnapshot;
  enginePath: NodePath;
  containers: ContainerSnapshot[];
}

/** A well-formed `{ engine?, path, project }` (the engine as a target names one), or undefined. */
export function parseProjectTarget(value: unknown): ComposeProjectTarget | undefined {
  const target = parseTarget(value);
  const project = (value as { project?: unknown } | null)?.project;
  return target && typeof project === 'string' && project !== '' ? { ...target, project } : undefined;
}

/** The project's engine and its containers in the latest listing; errors say where it stopped. */
export function resolveProject(roots: readonly EngineSnapshot[], target: ComposeProjectTarget): ResolvedProject {
  const { engine, at: enginePath } = resolveEngine(roots, target);
  const where = engineLabel(enginePath);
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
  return {
    message: `Remove the ${project.containers.length} container${project.containers.length === 1 ? '' : 's'} of Compose project ${project.name} on ${engineLabel(project.enginePath)}?`,
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

/** Every Compose project on every listed engine, at every depth, for a pick. */
export function listProjects(roots: readonly EngineSnapshot[]): { target: ComposeProjectTarget; label: string; description: string }[] {
  const found: { target: ComposeProjectTarget; label: string; description: string }[] = [];
  const walk = (engine: EngineSnapshot, at: NodePath) => {
    if (engine.status.kind !== 'connected') return;
    const names = [...new Set(engine.containers.flatMap((c) => composeProjectOf(c) ?? []))].sort(naturalCompare);
    for (const project of names) found.push({ target: { engine: at.engine, path: [...at.path], project }, label: project, description: engineLabel(at) });
    for (const c of engine.containers) if (c.inner) walk(c.inner, { engine: at.engine, path: [...at.path, c.name] });
  };
  for (const root of roots) walk(root, { engine: root.name, path: [] });
  return found;
}
