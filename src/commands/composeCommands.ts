import * as vscode from 'vscode';
import { iconSafeText } from '../model/markdown';
import {
  listProjects,
  parseProjectTarget,
  projectActionTargets,
  projectRemoveConfirmation,
  resolveProject,
  serviceOf,
  type ResolvedProject,
} from '../model/composeProjects';
import { parseFilterArgument } from '../model/filterArgument';
import { TargetError, engineLabel } from '../model/targets';
import { UserFacingError } from '../model/userFacingError';
import { EngineApiError } from '../engine/engineApi';
import { removeProjectContainer, removeProjectVolumes } from '../engine/composeProject';
import type { EngineService } from '../services/engineService';
import type { TreeViewState } from '../views/treeViewState';

type ProjectAction = 'start' | 'stop' | 'restart';

const VERBS: Record<ProjectAction | 'remove', { doing: string; done: string }> = {
  start: { doing: 'Starting', done: 'start' },
  stop: { doing: 'Stopping', done: 'stop' },
  restart: { doing: 'Restarting', done: 'restart' },
  remove: { doing: 'Removing', done: 'remove' },
};

/**
 * A project row (it carries `{ engine, path, project }` as `.target`), such an object from another
 * extension, or nothing (then ask). Resolved against the latest listing.
 */
export async function resolveProjectArgument(service: EngineService, argument: unknown): Promise<ResolvedProject> {
  await service.ready();
  const given = typeof argument === 'object' && argument !== null && 'target' in argument ? (argument as { target: unknown }).target : argument;
  let target = parseProjectTarget(given);
  if (!target && argument !== undefined) {
    throw new UserFacingError('Pick a Compose project in the Matryoshka view, or pass { engine?: string, path: string[], project: string } naming one.');
  }
  if (!target) {
    const items = listProjects(service.snapshot()).map((p) => ({ label: iconSafeText(p.label), description: iconSafeText(p.description), target: p.target }));
    if (items.length === 0) throw new UserFacingError('No engine Matryoshka lists runs a Compose project.');
    const picked = await vscode.window.showQuickPick(items, { title: 'Which Compose project?' });
    if (!picked) throw new vscode.CancellationError();
    target = picked.target;
  }
  try {
    return resolveProject(service.snapshot(), target);
  } catch (error) {
    if (error instanceof TargetError) throw new UserFacingError(error.message);
    throw error;
  }
}

function failureText(project: ResolvedProject, container: string, verb: string, error: unknown, label: string | undefined): string {
  // The engine's own words read better than the request that failed (the log keeps both).
  const said = error instanceof EngineApiError && error.engineMessage ? `${label ?? 'the engine'} said: ${error.engineMessage}` : (error as Error).message;
  return `Could not ${verb} ${container} of project ${project.name} on ${engineLabel(project.enginePath)}: ${said}`;
}

/** Start, Stop or Restart every container of a project (Start what is stopped, Stop what runs), all at once. */
export async function runProjectAction(service: EngineService, log: vscode.LogOutputChannel, action: ProjectAction, argument: unknown): Promise<string[]> {
  const project = await resolveProjectArgument(service, argument);
  const api = service.apiFor(project.engine.key);
  if (!api) throw new UserFacingError(`${engineLabel(project.enginePath)} is not connected; refresh and try again.`);
  const targets = projectActionTargets(action, project.containers);
  const failures: string[] = [];
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: iconSafeText(`${VERBS[action].doing} Compose project ${project.name}`) },
    () =>
      Promise.all(
        targets.map(async (container) => {
          try {
            await api.containerAction(container.id, action);
          } catch (error) {
            failures.push(failureText(project, container.name, VERBS[action].done, error, api.label));
            log.error(`${action} ${container.name} (project ${project.name}): ${(error as Error).message}`);
          }
        }),
      ),
  );
  await service.relist(project.engine.key);
  if (failures.length) throw new UserFacingError(failures.join('\n'));
  return targets.map((c) => c.name);
}

interface RemoveChoice {
  containers: string[];
  volumes: boolean;
}

/**
 * Asks before removing: a list of every container that goes (each can be unticked to keep it) and,
 * unticked, "Also remove volumes". Enter removes what is ticked; Escape removes nothing.
 */
async function askRemove(project: ResolvedProject): Promise<RemoveChoice | undefined> {
  const { message } = projectRemoveConfirmation(project);
  type Item = vscode.QuickPickItem & { id?: string; volumes?: boolean };
  const items: Item[] = [
    ...project.containers.map((c): Item => ({ label: iconSafeText(c.name), description: iconSafeText(`${serviceOf(c)} · ${c.summary.State ?? 'unknown'}`), detail: c.inner ? 'runs an engine: everything inside it goes too' : undefined, id: c.id })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: 'Also remove volumes', description: 'anonymous volumes of these containers and volumes labelled with the project', volumes: true },
  ];
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = iconSafeText(message);
  pick.placeholder = 'Ticked containers are removed (running ones are stopped first); press Enter to remove, Escape to keep everything';
  pick.canSelectMany = true;
  pick.items = items;
  pick.selectedItems = items.filter((i) => i.id !== undefined);
  try {
    return await new Promise<RemoveChoice | undefined>((resolve) => {
      pick.onDidAccept(() => resolve({ containers: pick.selectedItems.flatMap((i) => i.id ?? []), volumes: pick.selectedItems.some((i) => i.volumes) }));
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
  } finally {
    pick.dispose();
  }
}

/**
 * Remove Containers of a project. Programmatic callers may pass `skipConfirmation: true` and
 * `removeVolumes: true` with the target; volumes go only when asked.
 */
export async function removeProject(service: EngineService, log: vscode.LogOutputChannel, argument: unknown): Promise<{ containers: string[]; volumes: string[] }> {
  const project = await resolveProjectArgument(service, argument);
  const options = (typeof argument === 'object' && argument !== null ? argument : {}) as { skipConfirmation?: unknown; removeVolumes?: unknown };
  const choice = options.skipConfirmation === true ? { containers: project.containers.map((c) => c.id), volumes: options.removeVolumes === true } : await askRemove(project);
  if (!choice || choice.containers.length === 0) return { containers: [], volumes: [] };
  const api = service.apiFor(project.engine.key);
  if (!api) throw new UserFacingError(`${engineLabel(project.enginePath)} is not connected; refresh and try again.`);
  const going = project.containers.filter((c) => choice.containers.includes(c.id));
  const failures: string[] = [];
  let volumes: string[] = [];
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: iconSafeText(`Removing Compose project ${project.name}`) }, async () => {
    await Promise.all(
      going.map(async (container) => {
        try {
          await removeProjectContainer(api, container.id, choice.volumes);
        } catch (error) {
          failures.push(failureText(project, container.name, 'remove', error, api.label));
          log.error(`remove ${container.name} (project ${project.name}): ${(error as Error).message}`);
        }
      }),
    );
    if (choice.volumes && failures.length === 0) {
      try {
        volumes = await removeProjectVolumes(api, project.name);
      } catch (error) {
        failures.push(`Removed the containers of ${project.name}, but not its volumes: ${(error as Error).message}`);
      }
    }
  });
  await service.relist(project.engine.key);
  if (failures.length) throw new UserFacingError(failures.join('\n'));
  return { containers: going.map((c) => c.name), volumes };
}

/** Filter…: asks for the text (the current one filled in); an empty text clears the filter. */
export async function askFilter(state: TreeViewState): Promise<string | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Filter the Matryoshka view',
    prompt: 'Shows containers whose name, image, Compose project or service, pod, or labels contain this text, with the rows above them. Empty clears the filter.',
    value: state.filter?.text ?? '',
  });
  if (text === undefined) return undefined;
  return (await state.setFilter(text))?.text ?? '';
}

/** matryoshka.setFilter `{ text }`: an empty text clears the filter. */
export async function setFilter(state: TreeViewState, argument: unknown): Promise<string> {
  return (await state.setFilter(parseFilterArgument(argument)))?.text ?? '';
}
