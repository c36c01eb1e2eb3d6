import type { EngineSnapshot } from './snapshot';
import { listEngines, pathLabel, resolveEngine, targetFromLabel, TargetError, type ResolvedEngine } from './targets';

/** An engine a workspace can be launched on, at any depth. */
export interface LaunchTarget extends ResolvedEngine {
  /** "default" for a root engine, "default › ci-runner" for the engine inside ci-runner. */
  label: string;
  /**
   * The engine's socket as its own host sees it: a unix root engine's path, or the usual path
   * inside the container for an inner engine; undefined for tcp and ssh engines (no DooD there).
   */
  socketPath?: string;
  /** Published ports and folders are on this machine: only for unix root engines. */
  local: boolean;
}

function launchTargetOf(resolved: ResolvedEngine): LaunchTarget {
  const { engine } = resolved;
  const unix = engine.depth === 0 && engine.endpoint.startsWith('unix://') ? engine.endpoint.slice('unix://'.length) : undefined;
  return { ...resolved, label: pathLabel(resolved.at), socketPath: engine.depth === 0 ? unix : '/var/run/docker.sock', local: unix !== undefined };
}

/** Every connected engine, roots first, then inner engines depth-first. */
export function launchTargets(roots: readonly EngineSnapshot[]): LaunchTarget[] {
  return listEngines(roots).filter((e) => e.engine.status.kind === 'connected').map(launchTargetOf);
}

/**
 * The engine a caller named: a root engine's name, or a path of container names below it
 * ("default › ci-runner", also with ">" or "/" between the parts). Undefined: the current engine.
 * A string when there is no connected engine of that name (the message to show).
 */
export function findLaunchTarget(roots: readonly EngineSnapshot[], wanted: string | undefined): LaunchTarget | string {
  const known = () => launchTargets(roots).map((t) => t.label).join(', ') || 'none';
  let resolved: ResolvedEngine;
  try {
    resolved = resolveEngine(roots, wanted === undefined ? { path: [] } : targetFromLabel(wanted));
  } catch (error) {
    if (!(error instanceof TargetError)) throw error;
    return wanted === undefined ? error.message : `No connected engine "${wanted}". Engines: ${known()}.`;
  }
  if (resolved.engine.status.kind === 'connected') return launchTargetOf(resolved);
  if (wanted !== undefined) return `No connected engine "${wanted}". Engines: ${known()}.`;
  const current = resolved.engine;
  return `The current engine (${current.name}) is not connected${current.status.kind === 'disconnected' ? `: ${current.status.reason}` : ''}.`;
}
