import { isContainerTarget, resolveTarget, TargetError, type ResolvedTarget } from '../model/targets';
import { ContainerNode } from '../views/nodes/containerNode';
import type { EngineService } from '../services/engineService';
import { UserFacingError } from '../model/userFacingError';

/**
 * Every command that acts on a container takes a tree node or `{ engine?, path }`. Both resolve
 * against the latest listing, so a node from an older render still finds its container.
 */
export async function resolveContainerArgument(controller: EngineService, argument: unknown): Promise<ResolvedTarget> {
  const graphReady = controller.ready();
  const target = argument instanceof ContainerNode ? argument.target : argument;
  if (!isContainerTarget(target)) {
    throw new UserFacingError('Pick a container in the Matryoshka view, or pass { engine?: string, path: string[] } naming one.');
  }
  await graphReady;
  try {
    return resolveTarget(controller.snapshot(), target);
  } catch (error) {
    if (error instanceof TargetError) throw new UserFacingError(error.message);
    throw error;
  }
}
