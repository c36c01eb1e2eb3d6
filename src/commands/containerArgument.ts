import { parseTarget, resolveEngine, resolveTarget, TargetError, type ResolvedEngine, type ResolvedTarget, type Target } from '../model/targets';
import type { EngineService } from '../services/engineService';
import { UserFacingError } from '../model/userFacingError';

/**
 * What a command argument names: a tree row (every row that stands for an engine or a container
 * carries `.target`) or a `{ engine?, path }` object from another extension. Undefined otherwise.
 */
export function targetOfArgument(argument: unknown): Target | undefined {
  if (typeof argument === 'object' && argument !== null && 'target' in argument) return parseTarget((argument as { target: unknown }).target);
  return parseTarget(argument);
}

/** True for a tree row (it carries its own target), false for an object another extension passed. */
export function isTreeRow(argument: unknown): boolean {
  return typeof argument === 'object' && argument !== null && 'target' in argument && 'treeItem' in argument;
}

/**
 * Every command that acts on a container takes a tree node or `{ engine?, path }`. Both resolve
 * against the latest listing, so a node from an older render still finds its container.
 */
export async function resolveContainerArgument(service: EngineService, argument: unknown): Promise<ResolvedTarget> {
  const graphReady = service.ready();
  const target = targetOfArgument(argument);
  if (!target || target.path.length === 0) {
    throw new UserFacingError('Pick a container in the Matryoshka view, or pass { engine?: string, path: string[] } naming one.');
  }
  await graphReady;
  return asUserFacing(() => resolveTarget(service.snapshot(), target));
}

/** An engine row, a container that runs an engine, or `{ engine?, path? }` (no path: the root engine). */
export async function resolveEngineArgument(service: EngineService, argument: unknown): Promise<ResolvedEngine> {
  const graphReady = service.ready();
  const target = targetOfArgument(argument);
  if (!target) throw new UserFacingError('Pick an engine in the Matryoshka view, or pass { engine?: string, path?: string[] } naming one.');
  await graphReady;
  return asUserFacing(() => resolveEngine(service.snapshot(), target));
}

function asUserFacing<T>(resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    if (error instanceof TargetError) throw new UserFacingError(error.message);
    throw error;
  }
}
