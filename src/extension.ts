import * as vscode from 'vscode';
import { registerCommands } from './commands/commandTable';
import { INSPECT_SCHEME, InspectDocuments } from './commands/inspectDocuments';
import { EnginesView } from './views/enginesView';
import { RefreshController } from './views/refreshController';
import { ContainerTerminals } from './terminals/containerTerminals';
import { ShellProfileProvider } from './terminals/shellProfileProvider';
import { ComparePanel } from './views/comparePanel';

/** What other extensions and the tests get from `activate`. */
export interface MatryoshkaApi {
  controller: RefreshController;
  view: EnginesView;
  terminals: ContainerTerminals;
  /** How long activate() took, in milliseconds (no engine is contacted during activation). */
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): MatryoshkaApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Matryoshka', { log: true });
  const controller = new RefreshController(log);
  const view = new EnginesView(controller);
  const terminals = new ContainerTerminals(controller);
  context.subscriptions.push(
    log,
    controller,
    view,
    terminals,
    vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, new InspectDocuments(controller)),
    ShellProfileProvider.register(controller, terminals, log),
    ComparePanel.register(controller, context.extensionUri, log),
    ...registerCommands({ controller, terminals, log, extensionUri: context.extensionUri, reveal: (target) => view.reveal(target), selection: () => view.lastSelection }),
  );
  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return { controller, view, terminals, activationMs };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
