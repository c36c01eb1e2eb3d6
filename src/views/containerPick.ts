import * as vscode from 'vscode';
import { isRunning } from '../model/classify';
import { iconSafeText } from '../model/markdown';
import { listTargets, type ResolvedTarget, pathLabel } from '../model/targets';
import { UserFacingError } from '../model/userFacingError';
import type { EngineService } from '../services/engineService';

/** A quick pick of containers across all engines, labelled with where they are nested. */
export async function pickContainer(engineService: EngineService, title: string, onlyRunning: boolean): Promise<ResolvedTarget> {
  await engineService.ready();
  const targets = listTargets(engineService.snapshot()).filter((t) => !onlyRunning || isRunning(t.container.summary));
  if (targets.length === 0) throw new UserFacingError(onlyRunning ? 'No running container on any engine.' : 'No container on any engine.');
  const picked = await vscode.window.showQuickPick(
    targets.map((target) => ({
      label: iconSafeText(target.container.name),
      description: iconSafeText(pathLabel(target.at)),
      detail: iconSafeText(`${target.container.summary.Image ?? ''} · ${target.container.summary.Status ?? ''}`),
      target,
    })),
    { title, matchOnDescription: true, placeHolder: 'Containers at every depth: engine › container › …' },
  );
  if (!picked) throw new vscode.CancellationError();
  return picked.target;
}
