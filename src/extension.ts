import * as vscode from 'vscode';
import { registerCommands } from './commands/commandTable';
import { INSPECT_SCHEME, InspectDocuments } from './commands/inspectDocuments';
import { EnginesView } from './views/enginesView';
import { RefreshController } from './views/refreshController';
import { ContainerTerminals } from './terminals/containerTerminals';
import { pickContainer } from './commands/containerCommands';
import { ComparePanel } from './views/comparePanel';
import { HEALTH_SCHEME, HealthStore } from './views/healthStore';
import { nodeServices } from './views/nodeServices';

/** What other extensions and the tests get from `activate`. */
export interface MatryoshkaApi {
  controller: RefreshController;
  view: EnginesView;
  terminals: ContainerTerminals;
  /** The last health check of each engine and container (the tree's badges). */
  health: HealthStore;
  /** How long activate() took, in milliseconds (no engine is contacted during activation). */
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): MatryoshkaApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Matryoshka', { log: true });
  const controller = new RefreshController(log);
  const health = new HealthStore();
  const view = new EnginesView(controller, nodeServices(controller, health), health.onDidChangeBadges);
  const terminals = new ContainerTerminals(controller);
  context.subscriptions.push(
    log,
    controller,
    view,
    terminals,
    health,
    vscode.workspace.registerTextDocumentContentProvider(HEALTH_SCHEME, health),
    vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, new InspectDocuments(controller)),
    vscode.window.registerTerminalProfileProvider('matryoshka.containerShell', {
      provideTerminalProfile: async () => terminals.shellProfile(await pickContainer(controller, 'Open a shell in which container?', true)),
    }),
    ComparePanel.register(controller, context.extensionUri, log),
    ...registerCommands({ controller, terminals, log, health, extensionUri: context.extensionUri, reveal: (target) => view.reveal(target) }),
  );
  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return { controller, view, terminals, health, activationMs };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
