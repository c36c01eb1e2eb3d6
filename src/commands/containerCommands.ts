import * as vscode from 'vscode';
import { isRunning } from '../model/classify';
import { countInner, listTargets, type ResolvedTarget } from '../model/targets';
import { pathLabel } from '../model/treeModel';
import type { RefreshController } from '../views/refreshController';
import { UserFacingError } from './commandErrors';
import { resolveContainerArgument } from './containerArgument';

export type ContainerAction = 'start' | 'stop' | 'restart' | 'remove';

const VERBS: Record<ContainerAction, { doing: string; done: string }> = {
  start: { doing: 'Starting', done: 'start' },
  stop: { doing: 'Stopping', done: 'stop' },
  restart: { doing: 'Restarting', done: 'restart' },
  remove: { doing: 'Removing', done: 'remove' },
};

/** A quick pick of containers across all engines, labelled with where they are nested. */
export async function pickContainer(controller: RefreshController, title: string, onlyRunning: boolean): Promise<ResolvedTarget> {
  await controller.ready();
  const targets = listTargets(controller.snapshot()).filter((t) => !onlyRunning || isRunning(t.container.summary));
  if (targets.length === 0) throw new UserFacingError(onlyRunning ? 'No running container on any engine.' : 'No container on any engine.');
  const picked = await vscode.window.showQuickPick(
    targets.map((target) => ({
      label: target.container.name,
      description: pathLabel(target.path),
      detail: `${target.container.summary.Image ?? ''} · ${target.container.summary.Status ?? ''}`,
      target,
    })),
    { title, matchOnDescription: true, placeHolder: 'Containers at every depth: engine › container › …' },
  );
  if (!picked) throw new vscode.CancellationError();
  return picked.target;
}

/** A tree node, a `{ engine?, path }` target, or nothing (then ask). */
export function targetOrPick(controller: RefreshController, argument: unknown, title: string, onlyRunning: boolean): Promise<ResolvedTarget> {
  return argument === undefined ? pickContainer(controller, title, onlyRunning) : resolveContainerArgument(controller, argument);
}

/**
 * Start, stop, restart or remove one container or a multi-selection. Removing asks first, and says
 * how many containers inside go with a container that runs an engine. Programmatic callers may pass
 * `skipConfirmation: true` in the target.
 */
export async function runContainerAction(controller: RefreshController, action: ContainerAction, clicked: unknown, selected: unknown): Promise<void> {
  const arguments_ = Array.isArray(selected) && selected.length > 1 ? selected : [clicked];
  const targets = await Promise.all(
    arguments_.map((a) => targetOrPick(controller, a, `${VERBS[action].done[0].toUpperCase()}${VERBS[action].done.slice(1)} which container?`, action === 'stop' || action === 'restart')),
  );
  const skip = typeof clicked === 'object' && clicked !== null && (clicked as { skipConfirmation?: unknown }).skipConfirmation === true;
  if (action === 'remove' && !skip && !(await confirmRemove(targets))) return;
  const failures: string[] = [];
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `${VERBS[action].doing} ${targets.map((t) => t.container.name).join(', ')}` },
    async () => {
      await Promise.all(
        targets.map(async (target) => {
          const api = controller.apiFor(target.container.engineKey);
          try {
            if (!api) throw new Error('its engine is not connected');
            await api.containerAction(target.container.id, action);
            await controller.relist(target.container.engineKey);
          } catch (error) {
            failures.push(`Could not ${VERBS[action].done} ${pathLabel(target.path)}: ${(error as Error).message}`);
          }
        }),
      );
    },
  );
  if (failures.length) throw new UserFacingError(failures.join('\n'));
}

async function confirmRemove(targets: ResolvedTarget[]): Promise<boolean> {
  const lines = targets.map((t) => {
    const inner = countInner(t.container);
    return `${pathLabel(t.path)}${inner ? `: runs an engine with ${inner} container${inner === 1 ? '' : 's'} inside, which go with it` : ''}`;
  });
  const answer = await vscode.window.showWarningMessage(
    targets.length === 1 ? `Remove ${targets[0].container.name}?` : `Remove ${targets.length} containers?`,
    { modal: true, detail: `${lines.join('\n')}\n\nRunning containers are stopped first; their anonymous volumes are removed too.` },
    'Remove',
  );
  return answer === 'Remove';
}
