import * as vscode from 'vscode';
import { iconSafeText, notificationText } from '../model/markdown';
import { actionTargets, removeConfirmation, type ContainerAction } from '../model/containerActions';
import { type ResolvedTarget, pathLabel } from '../model/targets';
import type { EngineService } from '../services/engineService';
import type { ContainerActivity } from '../services/containerActivity';
import { EngineApiError } from '../engine/engineApi';
import { UserFacingError } from '../model/userFacingError';
import { resolveContainerArgument, targetOfArgument } from './containerArgument';
import { pickContainer } from '../views/containerPick';

const VERBS: Record<ContainerAction, { doing: string; done: string }> = {
  start: { doing: 'Starting', done: 'start' },
  stop: { doing: 'Stopping', done: 'stop' },
  restart: { doing: 'Restarting', done: 'restart' },
  remove: { doing: 'Removing', done: 'remove' },
};

export interface ContainerActionDeps {
  engineService: EngineService;
  log: vscode.LogOutputChannel;
  /** What the rows say while the engine works ("stopping…"). */
  activity: ContainerActivity;
}

/** A tree node, a `{ engine?, path }` target, or nothing (then ask). */
export function targetOrPick(engineService: EngineService, argument: unknown, title: string, onlyRunning: boolean): Promise<ResolvedTarget> {
  return argument === undefined ? pickContainer(engineService, title, onlyRunning) : resolveContainerArgument(engineService, argument);
}

/** The containers a command got: the clicked one and, from a multi-selection, the others; not engines or notes. */
function containerArguments(clicked: unknown, selected: unknown): unknown[] {
  const isContainer = (a: unknown) => (targetOfArgument(a)?.path.length ?? 0) > 0;
  const others = Array.isArray(selected) ? selected.filter((a) => a !== clicked && isContainer(a)) : [];
  return [clicked, ...others];
}

/**
 * Start, stop, restart or remove one container or a multi-selection (VS Code passes the clicked
 * node and the selection). Removing asks first, and says how many containers inside go with a
 * container that runs an engine. Programmatic callers may pass `skipConfirmation: true` in the target.
 */
export async function runContainerAction(
  { engineService, log, activity }: ContainerActionDeps,
  action: ContainerAction,
  clicked: unknown,
  selected: unknown,
): Promise<void> {
  const title = `${VERBS[action].done[0].toUpperCase()}${VERBS[action].done.slice(1)} which container?`;
  const resolved = await Promise.all(
    containerArguments(clicked, selected).map((a) => targetOrPick(engineService, a, title, action === 'stop' || action === 'restart')),
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
          const api = engineService.apiFor(target.container.engineKey);
          try {
            if (!api) throw new Error('its engine is not connected');
            const { engineKey, id } = target.container;
            // The row says what is under way until the listing after it shows the outcome.
            await activity.during(engineKey, id, VERBS[action].doing.toLowerCase(), async () => {
              await api.containerAction(id, action);
              await engineService.relist(engineKey);
            });
          } catch (error) {
            // The engine's own words read better than the request that failed (the log keeps both).
            const said = error instanceof EngineApiError && error.engineMessage ? `${api?.label ?? 'the engine'} said: ${error.engineMessage}` : (error as Error).message;
            failures.push(`Could not ${VERBS[action].done} ${pathLabel(target.at)}: ${said}`);
            log.error(`${action} ${pathLabel(target.at)}: ${(error as Error).message}`);
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
