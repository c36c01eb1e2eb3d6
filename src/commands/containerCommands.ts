import * as vscode from 'vscode';
import { iconSafeText, notificationText } from '../model/markdown';
import { isRunning } from '../model/classify';
import { actionTargets, removeConfirmation, type ContainerAction } from '../model/containerActions';
import { isContainerTarget, listTargets, type ResolvedTarget } from '../model/targets';
import { pathLabel } from '../model/treeModel';
import type { RefreshController } from '../views/refreshController';
import { EngineApiError } from '../engine/engineApi';
import { UserFacingError } from './commandErrors';
import { ContainerNode } from '../views/nodes/containerNode';
import { resolveContainerArgument } from './containerArgument';

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
      label: iconSafeText(target.container.name),
      description: iconSafeText(pathLabel(target.path)),
      detail: iconSafeText(`${target.container.summary.Image ?? ''} · ${target.container.summary.Status ?? ''}`),
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

/** The containers a command got: the clicked one and, from a multi-selection, the others; not engines or notes. */
function containerArguments(clicked: unknown, selected: unknown): unknown[] {
  const isContainer = (a: unknown) => a instanceof ContainerNode || isContainerTarget(a);
  const others = Array.isArray(selected) ? selected.filter((a) => a !== clicked && isContainer(a)) : [];
  return [clicked, ...others];
}

/**
 * Start, stop, restart or remove one container or a multi-selection (VS Code passes the clicked
 * node and the selection). Removing asks first, and says how many containers inside go with a
 * container that runs an engine. Programmatic callers may pass `skipConfirmation: true` in the target.
 */
export async function runContainerAction(
  controller: RefreshController,
  log: vscode.LogOutputChannel,
  action: ContainerAction,
  clicked: unknown,
  selected: unknown,
): Promise<void> {
  const title = `${VERBS[action].done[0].toUpperCase()}${VERBS[action].done.slice(1)} which container?`;
  const resolved = await Promise.all(
    containerArguments(clicked, selected).map((a) => targetOrPick(controller, a, title, action === 'stop' || action === 'restart')),
  );
  const targets = actionTargets(action, resolved);
  const skip = typeof clicked === 'object' && clicked !== null && (clicked as { skipConfirmation?: unknown }).skipConfirmation === true;
  if (action === 'remove' && !skip && !(await confirmRemove(resolved))) return;
  const failures: string[] = [];
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: iconSafeText(`${VERBS[action].doing} ${targets.map((t) => t.container.name).join(', ')}`) },
    async () => {
      await Promise.all(
        targets.map(async (target) => {
          const api = controller.apiFor(target.container.engineKey);
          try {
            if (!api) throw new Error('its engine is not connected');
            await api.containerAction(target.container.id, action);
            await controller.relist(target.container.engineKey);
          } catch (error) {
            // The engine's own words read better than the request that failed (the log keeps both).
            const said = error instanceof EngineApiError && error.engineMessage ? `${api?.label ?? 'the engine'} said: ${error.engineMessage}` : (error as Error).message;
            failures.push(`Could not ${VERBS[action].done} ${pathLabel(target.path)}: ${said}`);
            log.error(`${action} ${pathLabel(target.path)}: ${(error as Error).message}`);
          }
        }),
      );
    },
  );
  if (failures.length) throw new UserFacingError(failures.join('\n'));
}

async function confirmRemove(targets: ResolvedTarget[]): Promise<boolean> {
  const { message, detail } = removeConfirmation(targets);
  return (await vscode.window.showWarningMessage(notificationText(message), { modal: true, detail: notificationText(detail) }, 'Remove')) === 'Remove';
}
