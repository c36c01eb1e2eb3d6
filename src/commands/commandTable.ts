import * as vscode from 'vscode';
import type { ResolvedTarget } from '../model/targets';
import { EngineNode } from '../views/nodes/engineNode';
import type { RefreshController } from '../views/refreshController';
import { UserFacingError, wrapCommand } from './commandErrors';
import { resolveContainerArgument } from './containerArgument';
import { InspectDocuments } from './inspectDocuments';

export interface CommandContext {
  controller: RefreshController;
  log: vscode.LogOutputChannel;
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
