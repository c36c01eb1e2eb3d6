import type { ContainerSnapshot, EngineSnapshot } from './snapshot';
import { splitTrimmed } from './linearText';

/** An engine a workspace can be launched on, at any depth. */
export interface LaunchTarget {
  engine: EngineSnapshot;
  /** "default" for a root engine, "default › ci-runner" for the engine inside ci-runner. */
  label: string;
  /** The root engine's name and the containers down to (and including) the one hosting this engine. */
  rootEngine: string;
  containerPath: string[];
  /** The container that runs this engine, and the engine that runs that container (inner engines). */
  host?: { container: ContainerSnapshot; engine: EngineSnapshot };
  /**
   * The engine's socket as its own host sees it: a unix root engine's path, or the usual path
   * inside the container for an inner engine; undefined for tcp and ssh engines (no DooD there).
   */
  socketPath?: string;
  /** Published ports and folders are on this machine: only for unix root engines. */
  local: boolean;
}

export const PATH_SEPARATOR = ' › ';

/** Every connected engine, roots first, then inner engines depth-first. */
export function launchTargets(roots: readonly EngineSnapshot[]): LaunchTarget[] {
  const found: LaunchTarget[] = [];
  const walk = (engine: EngineSnapshot, rootEngine: string, containerPath: string[], host: LaunchTarget['host']) => {
    if (engine.status.kind !== 'connected') return;
    const unix = engine.depth === 0 && engine.endpoint.startsWith('unix://') ? engine.endpoint.slice('unix://'.length) : undefined;
    found.push({
      engine,
      label: [rootEngine, ...containerPath].join(PATH_SEPARATOR),
      rootEngine,
      containerPath,
      host,
      socketPath: engine.depth === 0 ? unix : '/var/run/docker.sock',
      local: unix !== undefined,
    });
    for (const container of engine.containers) {
      if (container.inner) walk(container.inner, rootEngine, [...containerPath, container.name], { container, engine });
    }
  };
  for (const root of roots) walk(root, root.name, [], undefined);
  return found;
}

/**
 * Finds the engine a caller named: a root engine's name, or a path of container names below it
 * ("default › ci-runner", also with ">" or "/" between the parts). Undefined: the current engine.
 */
export function findLaunchTarget(targets: readonly LaunchTarget[], roots: readonly EngineSnapshot[], wanted: string | undefined): LaunchTarget | string {
  if (wanted === undefined) {
    const current = roots.find((r) => r.current) ?? roots[0];
    const target = targets.find((t) => t.engine === current);
    return target ?? `The current engine${current ? ` (${current.name})` : ''} is not connected${current?.status.kind === 'disconnected' ? `: ${current.status.reason}` : ''}.`;
  }
  const parts = splitTrimmed(wanted, /[›>/]/).filter(Boolean);
  const hit = targets.find((t) => t.rootEngine === parts[0] && t.containerPath.length === parts.length - 1 && t.containerPath.every((c, i) => c === parts[i + 1]));
  if (hit) return hit;
  return `No connected engine "${wanted}". Engines: ${targets.map((t) => t.label).join(', ') || 'none'}.`;
}
