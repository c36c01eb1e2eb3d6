import * as vscode from 'vscode';
import { notificationText } from '../model/markdown';
import type { ContainerTarget, ResolvedTarget } from '../model/targets';
import { ComparePanel } from '../views/comparePanel';
import type { EngineService } from '../services/engineService';
import { wrapCommand } from './commandErrors';
import { UserFacingError } from '../model/userFacingError';
import { resolveContainerArgument, resolveEngineArgument } from './containerArgument';
import { InspectDocuments } from './inspectDocuments';
import { runContainerAction, targetOrPick } from './containerCommands';
import type { ContainerTerminals } from '../terminals/containerTerminals';
import type { WorkspaceLauncher } from '../engine/workspaceLauncher';
import { launchWorkspace, type LaunchedOffer } from './launchCommand';
import type { LaunchJournal } from './launchJournal';
import { copyDockerHost, loadImageInto, openDockerHostTerminal, removeWorkspace } from './workspaceActions';
import type { HealthStore } from '../views/healthStore';
import { runEngineHealth } from './healthCommand';
import { copyImageIntoEngine } from './imageCommands';
import type { CommandId } from '../model/contributions';
import type { PortForwards } from '../services/portForwards';
import { copyForwardAddress, forwardPort, openForwardInBrowser, stopForwarding } from './portCommands';
import { containerUri, openContainerFolder, refreshFiles } from './fileCommands';
import type { EngineBridges } from '../engine/engineBridges';
import { bridgeEngine, copyBridgedDockerHost, openBridgedHostTerminal, unbridgeEngine } from './bridgeCommands';
import type { TreeViewState } from '../views/treeViewState';
import type { ContainerActivity } from '../services/containerActivity';
import { askFilter, removeProject, resolveProjectArgument, runProjectAction, setFilter } from './composeCommands';

export interface CommandContext {
  engineService: EngineService;
  extensionUri: vscode.Uri;
  terminals: ContainerTerminals;
  log: vscode.LogOutputChannel;
  health: HealthStore;
  /** Selects a container in the tree; `focus: false` leaves the keyboard where the user is. */
  reveal(target: ResolvedTarget, focus?: boolean): Promise<void>;
  launcher: WorkspaceLauncher;
  launches: LaunchJournal;
  /** dev.matryoshka.version on what Matryoshka creates. */
  version: string;
  /** Where client certificates of published inner engines are kept. */
  certRoot: string;
  /** Engines used from the host through a local socket (see engineBridge.ts). */
  bridges: EngineBridges;
  /** The tree's selection as last reported (see staleTreeArguments). */
  selection(): readonly unknown[];
  forwards: PortForwards;
  /** The tree's filter and infrastructure toggle. */
  treeState: TreeViewState;
  /** What the rows say while an action runs ("stopping…"). */
  activity: ContainerActivity;
}

const launchDeps = (context: CommandContext) => ({
  ...context,
  log: (message: string) => context.log.warn(message),
  offerLaunched: (target: ContainerTarget, what: LaunchedOffer) => offerLaunched(context, target, what),
});

type Handler = (context: CommandContext, ...args: unknown[]) => unknown;

/** Every command Matryoshka contributes, in one table (typed by COMMAND_IDS, which package.json matches). */
export const COMMANDS: Record<CommandId, Handler> = {
  'matryoshka.refresh': ({ engineService }) => engineService.refresh(),

  'matryoshka.retryEngine': async ({ engineService }, argument) => engineService.retryEngine((await resolveEngineArgument(engineService, argument)).engine.key),

  'matryoshka.copyId': async ({ engineService }, argument) => {
    const target = await resolveContainerArgument(engineService, argument);
    await vscode.env.clipboard.writeText(target.container.id);
    vscode.window.setStatusBarMessage(`Copied the id of ${target.container.name}`, 3000);
    return target.container.id;
  },

  'matryoshka.inspect': async ({ engineService }, argument) => {
    const target = await resolveContainerArgument(engineService, argument);
    const document = await vscode.workspace.openTextDocument(InspectDocuments.uriFor(target));
    await vscode.languages.setTextDocumentLanguage(document, 'json');
    await vscode.window.showTextDocument(document, { preview: true });
    return document.uri.toString();
  },

  'matryoshka.attachTerminal': async ({ engineService, terminals }, argument) =>
    terminals.openShell(await targetOrPick(engineService, argument, 'Open a shell in which container?', true)),

  'matryoshka.showLogs': async ({ engineService, terminals }, argument) =>
    terminals.openLogs(await targetOrPick(engineService, argument, 'Follow the logs of which container?', false)),

  'matryoshka.start': (context, clicked, selected) => runContainerAction(context, 'start', clicked, selected),
  'matryoshka.stop': (context, clicked, selected) => runContainerAction(context, 'stop', clicked, selected),
  'matryoshka.restart': (context, clicked, selected) => runContainerAction(context, 'restart', clicked, selected),
  'matryoshka.remove': (context, clicked, selected) => runContainerAction(context, 'remove', clicked, selected),

  'matryoshka.compare': async ({ engineService, extensionUri, log }, argument) => {
    const target = await targetOrPick(engineService, argument, 'Compare docker ps outside and inside which container?', true);
    const classification = target.container.classification;
    if (classification.mode === 'plain' && !classification.dood) {
      throw new UserFacingError(`${target.container.name} has no Docker inside (no socket, no engine): there is nothing to compare.`);
    }
    return ComparePanel.open(target, engineService, extensionUri, log).update();
  },

  'matryoshka.launchWorkspace': (context, argument) => launchWorkspace(launchDeps(context), undefined, argument),
  'matryoshka.launchDood': (context, argument) => launchWorkspace(launchDeps(context), 'dood', argument),
  'matryoshka.launchDind': (context, argument) => launchWorkspace(launchDeps(context), 'dind', argument),
  'matryoshka.launchSysbox': (context, argument) => launchWorkspace(launchDeps(context), 'sysbox', argument),
  'matryoshka.removeWorkspace': (context, argument) => removeWorkspace(context, argument),
  'matryoshka.loadImage': (context, argument) => loadImageInto(context, argument),
  'matryoshka.copyDockerHost': (context, argument) => copyDockerHost(context, argument),
  'matryoshka.openDockerHostTerminal': (context, argument) => openDockerHostTerminal(context, argument),
  'matryoshka.engineHealth': ({ engineService, health, extensionUri, log }, argument) => runEngineHealth(engineService, health, argument, extensionUri, log),

  'matryoshka.copyImageIntoEngine': (context, argument) => copyImageIntoEngine(context, argument),

  'matryoshka.openContainerFolder': ({ engineService }, argument) => openContainerFolder(engineService, argument),
  'matryoshka.containerUri': ({ engineService }, argument) => containerUri(engineService, argument),
  'matryoshka.refreshFiles': (_context, node) => refreshFiles(node),
  'matryoshka.bridgeEngine': ({ engineService, bridges }, argument) => bridgeEngine({ engineService, bridges }, argument),
  'matryoshka.unbridgeEngine': ({ engineService, bridges }, argument) => unbridgeEngine({ engineService, bridges }, argument),
  'matryoshka.copyBridgedDockerHost': ({ engineService, bridges }, argument) => copyBridgedDockerHost({ engineService, bridges }, argument),
  'matryoshka.openBridgedHostTerminal': ({ engineService, bridges }, argument) => openBridgedHostTerminal({ engineService, bridges }, argument),

  'matryoshka.reveal': async ({ engineService, reveal }, argument) => {
    const target = await resolveContainerArgument(engineService, argument);
    await reveal(target);
    return { engine: target.at.engine, path: target.at.path, id: target.container.id };
  },

  'matryoshka.forwardPort': (context, argument) => forwardPort(context, argument),
  'matryoshka.stopForwarding': (context, argument) => stopForwarding(context, argument),
  'matryoshka.openForwardInBrowser': (context, argument) => openForwardInBrowser(context, argument),
  'matryoshka.copyForwardAddress': (context, argument) => copyForwardAddress(context, argument),
  'matryoshka.filter': ({ treeState }) => askFilter(treeState),
  'matryoshka.clearFilter': ({ treeState }) => treeState.setFilter(''),
  'matryoshka.setFilter': ({ treeState }, argument) => setFilter(treeState, argument),
  'matryoshka.showInfrastructure': ({ treeState }) => treeState.setShowInfrastructure(true),
  'matryoshka.hideInfrastructure': ({ treeState }) => treeState.setShowInfrastructure(false),
  'matryoshka.composeStart': ({ engineService, log }, argument) => runProjectAction(engineService, log, 'start', argument),
  'matryoshka.composeStop': ({ engineService, log }, argument) => runProjectAction(engineService, log, 'stop', argument),
  'matryoshka.composeRestart': ({ engineService, log }, argument) => runProjectAction(engineService, log, 'restart', argument),
  'matryoshka.composeRemove': ({ engineService, log }, argument) => removeProject(engineService, log, argument),
  'matryoshka.composeLogs': async ({ engineService, terminals }, argument) => terminals.openProjectLogs(await resolveProjectArgument(engineService, argument)),
};

/**
 * After a launch: what a person does next with the workspace, offered, never awaited. The actions
 * run directly (not through executeCommand), under the one error wrapper.
 */
function offerLaunched(context: CommandContext, target: ContainerTarget, what: LaunchedOffer): void {
  if (what.published) offerPublished(context, target);
  if (!what.ready) return;
  const name = target.path[target.path.length - 1];
  const actions = ['Attach Shell', 'Compare', ...(what.hostsEngine ? ['Use from the Host'] : [])];
  void vscode.window.showInformationMessage(notificationText(`The workspace ${name} is ready.`), ...actions).then(async (choice) => {
    if (choice === 'Attach Shell') await wrapCommand('matryoshka.attachTerminal', context.log, () => COMMANDS['matryoshka.attachTerminal'](context, target))();
    if (choice === 'Compare') await wrapCommand('matryoshka.compare', context.log, () => COMMANDS['matryoshka.compare'](context, target))();
    if (choice === 'Use from the Host') await wrapCommand('matryoshka.bridgeEngine', context.log, () => COMMANDS['matryoshka.bridgeEngine'](context, target))();
  });
}

/**
 * After a launch with a published engine: the two things a user does next, offered, never awaited.
 * The actions run directly (not through executeCommand), under the one error wrapper, so that a
 * failure is shown and logged once.
 */
function offerPublished(context: CommandContext, target: ContainerTarget): void {
  const name = target.path[target.path.length - 1];
  void vscode.window
    .showInformationMessage(notificationText(`The engine inside ${name} is published on 127.0.0.1 with TLS.`), 'Open Host Terminal', 'Copy DOCKER_HOST')
    .then(async (choice) => {
      if (choice === 'Open Host Terminal') await wrapCommand('matryoshka.openDockerHostTerminal', context.log, () => openDockerHostTerminal(context, target))();
      if (choice === 'Copy DOCKER_HOST') await wrapCommand('matryoshka.copyDockerHost', context.log, () => copyDockerHost(context, target))();
    });
}

/**
 * A menu command chosen while the tree was refreshing gets no node for the rows (VS Code forgets
 * them until it renders them again): (nothing, [nothing, …]). The selection we were last told of
 * is what the person right-clicked when it has the same size; otherwise we cannot know which row
 * it was, and saying so beats asking them to pick again or acting on another container.
 */
export function staleTreeArguments(args: unknown[], selection: readonly unknown[]): unknown[] {
  // A tree menu always passes two arguments (the row, then the multi-selection or undefined); a
  // plain `executeCommand(id)` or `executeCommand(id, undefined)` passes fewer and means "ask".
  if (args.length < 2 || (args[0] !== undefined && args[0] !== null)) return args;
  if (Array.isArray(args[1]) && args[1].length > 0 && args[1].length === selection.length) return [selection[0], [...selection], ...args.slice(2)];
  throw new UserFacingError('The Matryoshka view was refreshing when you chose that: choose it again.');
}

export function registerCommands(context: CommandContext): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, handler]) =>
    vscode.commands.registerCommand(
      id,
      wrapCommand(id, context.log, (...args: unknown[]) => handler(context, ...staleTreeArguments(args, context.selection()))),
    ),
  );
}
