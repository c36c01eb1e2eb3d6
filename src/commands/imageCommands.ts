import * as vscode from 'vscode';
import { copyDestinations } from '../model/images';
import { iconSafeText } from '../model/markdown';
import type { EngineSnapshot } from '../model/snapshot';
import { resolveTarget, TargetError } from '../model/targets';
import { pathLabel } from '../model/treeModel';
import { ImageNode, type ImageTarget } from '../views/nodes/imageNodes';
import type { EngineService } from '../services/engineService';
import { UserFacingError } from '../model/userFacingError';
import { loadImageInto, type WorkspaceActionDeps } from './workspaceActions';

function isImageTarget(value: unknown): value is ImageTarget & { into?: string } {
  if (typeof value !== 'object' || value === null) return false;
  const { engine, path, image, into } = value as Record<string, unknown>;
  return (engine === undefined || typeof engine === 'string') && Array.isArray(path) && path.every((p) => typeof p === 'string') && typeof image === 'string' && (into === undefined || typeof into === 'string');
}

/** The engine an image target names: a root engine, or the engine inside the last container of the path. */
function engineOf(controller: EngineService, target: ImageTarget): EngineSnapshot {
  const roots = controller.snapshot();
  const root = roots.find((e) => e.name === target.engine) ?? (target.engine === undefined ? roots.find((e) => e.current) : undefined);
  if (!root) throw new UserFacingError(`No engine named "${target.engine ?? '(current)'}".`);
  if (target.path.length === 0) return root;
  try {
    const resolved = resolveTarget(roots, { engine: root.name, path: target.path });
    if (!resolved.container.inner) throw new UserFacingError(`${pathLabel(resolved.path)} runs no engine Matryoshka can reach.`);
    return resolved.container.inner;
  } catch (error) {
    if (error instanceof TargetError) throw new UserFacingError(error.message);
    throw error;
  }
}

/**
 * "Copy into inner engine…" on an image: picks a running DinD or Sysbox container on the same
 * engine and hands the copy to loadImageInto (matryoshka.loadImage), which streams `docker save` into its engine.
 * Takes an image node or `{ engine?, path, image, into? }` (path: the containers down to the
 * image's engine, [] for a root engine; into: the destination container's name, skipping the pick).
 */
export async function copyImageIntoEngine(deps: WorkspaceActionDeps, argument: unknown): Promise<unknown> {
  const { controller } = deps;
  await controller.ready();
  const target = argument instanceof ImageNode ? argument.target : argument;
  if (!isImageTarget(target)) throw new UserFacingError('Pick an image under an Images node of the Matryoshka view.');
  const engine = engineOf(controller, target);
  const where = pathLabel({ rootEngine: engine.depth === 0 ? engine.name : target.engine ?? engine.name, containers: target.path });
  const destinations = copyDestinations(engine);
  if (destinations.length === 0) {
    throw new UserFacingError(`No running DinD or Sysbox container on ${where} has an engine that answers: start one, then copy ${target.image} into it.`);
  }
  let into = destinations.find((c) => c.name === target.into);
  if (target.into !== undefined && !into) throw new UserFacingError(`${target.into} is not a running DinD or Sysbox container on ${where} (candidates: ${destinations.map((c) => c.name).join(', ')}).`);
  if (!into) {
    const picked = await vscode.window.showQuickPick(
      destinations.map((c) => ({ label: iconSafeText(c.name), description: iconSafeText(`${c.classification.mode} · ${c.summary.Image ?? ''}`), container: c })),
      { title: iconSafeText(`Copy ${target.image} into the engine inside which container?`), placeHolder: iconSafeText(`Running DinD and Sysbox containers on ${where}`) },
    );
    if (!picked) throw new vscode.CancellationError();
    into = picked.container;
  }
  return loadImageInto(deps, { engine: target.engine, path: [...target.path, into.name], image: target.image });
}
