import * as vscode from 'vscode';
import { copyDestinations } from '../model/images';
import { iconSafeText } from '../model/markdown';
import { parseTarget, pathLabel, type Target } from '../model/targets';
import { UserFacingError } from '../model/userFacingError';
import { loadImageInto, type WorkspaceActionDeps } from './workspaceActions';
import { isTreeRow, resolveEngineArgument } from './containerArgument';

/** `{ engine?, path, image, into? }`: an image row's target, or what another extension passed. */
function imageArgument(argument: unknown): { target: Target; image: string; into?: string } | undefined {
  const raw = isTreeRow(argument) ? (argument as { target: unknown }).target : argument;
  const target = parseTarget(raw);
  if (!target || typeof raw !== 'object' || raw === null) return undefined;
  const { image, into } = raw as Record<string, unknown>;
  if (typeof image !== 'string' || (into !== undefined && typeof into !== 'string')) return undefined;
  return { target, image, into };
}

/**
 * "Copy into inner engine…" on an image: picks a running DinD or Sysbox container on the same
 * engine and hands the copy to loadImageInto (matryoshka.loadImage), which streams `docker save` into its engine.
 * Takes an image node or `{ engine?, path, image, into? }` (path: the containers down to the
 * image's engine, [] for a root engine; into: the destination container's name, skipping the pick).
 */
export async function copyImageIntoEngine(deps: WorkspaceActionDeps, argument: unknown): Promise<unknown> {
  const { engineService } = deps;
  await engineService.ready();
  const target = imageArgument(argument);
  if (!target) throw new UserFacingError('Pick an image under an Images node of the Matryoshka view.');
  const { engine, at } = await resolveEngineArgument(engineService, target.target);
  const where = pathLabel(at);
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
  return loadImageInto(deps, { engine: at.engine, path: [...at.path, into.name], image: target.image });
}
