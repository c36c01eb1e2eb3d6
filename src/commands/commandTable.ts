import * as vscode from 'vscode';
import type { ResolvedTarget } from '../model/targets';
import { EngineNode } from '../views/nodes/engineNode';
import { ComparePanel } from '../views/comparePanel';
import type { RefreshController } from '../views/refreshController';
import { UserFacingError, wrapCommand } from './commandErrors';
import { resolveContainerArgument } from './containerArgument';
import { InspectDocuments } from './inspectDocuments';
import { runContainerAction, targetOrPick } from './containerCommands';
import type { ContainerTerminals } from '../terminals/containerTerminals';
import type { HealthStore } from '../views/healthStore';
import { runEngineHealth } from './healthCommand';
import { copyImageIntoEngine } from './imageCommands';

export interface CommandContext {
  controller: RefreshController;
  extensionUri: vscode.Uri;
  terminals: ContainerTerminals;
  log: vscode.LogOutputChannel;
  health: HealthStore;
  reveal(target: ResolvedTarget): Promise<void>;
}

type Handler = (context: CommandContext, ...args: unknown[]) => unknown;

/** Every command Matryoshka contributes, in one table (package.json lists the same ids). */
export const COMMANDS: Record<string, Handler> = {
  'matryoshka.refresh': ({ controller }) => controller.refresh(),

  'matryoshka.retryEngine': ({ controller }, node) => {
    if (!(node instanceof EngineNode)) throw new UserFacingError('Pick an engine in the Matryoshka view to retry.');
    return controller.retryEngine(node.engine.key);
  },

  'matryoshka.copyId': async ({ controller }, argument) => {
    const target = await resolveContainerArgument(controller, argument);
    await vscode.env.clipboard.writeText(target.container.id);
    vscode.window.setStatusBarMessage(`Copied the id of ${target.container.name}`, 3000);
    return target.container.id;
  },

  'matryoshka.inspect': async ({ controller }, argument) => {
    const target = await resolveContainerArgument(controller, argument);
    const document = await vscode.workspace.openTextDocument(InspectDocuments.uriFor(target));
    await vscode.languages.setTextDocumentLanguage(document, 'json');
    await vscode.window.showTextDocument(document, { preview: true });
    return document.uri.toString();
  },

  'matryoshka.attachTerminal': async ({ controller, terminals }, argument) =>
    terminals.openShell(await targetOrPick(controller, argument, 'Open a shell in which container?', true)),

  'matryoshka.showLogs': async ({ controller, terminals }, argument) =>
    terminals.openLogs(await targetOrPick(controller, argument, 'Follow the logs of which container?', false)),

  'matryoshka.start': ({ controller }, clicked, selected) => runContainerAction(controller, 'start', clicked, selected),
  'matryoshka.stop': ({ controller }, clicked, selected) => runContainerAction(controller, 'stop', clicked, selected),
  'matryoshka.restart': ({ controller }, clicked, selected) => runContainerAction(controller, 'restart', clicked, selected),
  'matryoshka.remove': ({ controller }, clicked, selected) => runContainerAction(controller, 'remove', clicked, selected),

  'matryoshka.compare': async ({ controller, extensionUri, log }, argument) => {
    const target = await targetOrPick(controller, argument, 'Compare docker ps outside and inside which container?', true);
    const classification = target.container.classification;
    if (classification.mode === 'plain' && !classification.dood) {
      throw new UserFacingError(`${target.container.name} has no Docker inside (no socket, no engine): there is nothing to compare.`);
    }
    return ComparePanel.open(target, controller, extensionUri, log).update();
  },

  'matryoshka.engineHealth': ({ controller, health }, argument) => runEngineHealth(controller, health, argument),

  'matryoshka.copyImageIntoEngine': ({ controller }, argument) => copyImageIntoEngine(controller, argument),

  'matryoshka.reveal': async ({ controller, reveal }, argument) => {
    const target = await resolveContainerArgument(controller, argument);
    await reveal(target);
    return { engine: target.path.rootEngine, path: target.path.containers, id: target.container.id };
  },
};

export function registerCommands(context: CommandContext): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, handler]) =>
    vscode.commands.registerCommand(id, wrapCommand(id, context.log, (...args: unknown[]) => handler(context, ...args))),
  );
}
