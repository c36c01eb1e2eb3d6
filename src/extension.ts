import * as vscode from 'vscode';
import { registerCommands } from './commands/commandTable';
import { INSPECT_SCHEME, InspectDocuments } from './commands/inspectDocuments';
import { EnginesView } from './views/enginesView';
import { EngineService } from './services/engineService';
import { newHostKeyChecker } from './views/hostKeyPrompt';
import { ContainerTerminals } from './terminals/containerTerminals';
import { ShellProfileProvider } from './terminals/shellProfileProvider';
import { ComparePanel } from './views/comparePanel';
import { WorkspaceLauncher } from './engine/workspaceLauncher';
import { readLaunchSettings } from './services/settings';
import { LaunchJournal, recoverInterruptedLaunches } from './commands/launchJournal';
import { HEALTH_SCHEME, HealthStore } from './views/healthStore';
import { nodeServices } from './views/nodeServices';

/** What other extensions and the tests get from `activate`. */
export interface MatryoshkaApi {
  controller: EngineService;
  view: EnginesView;
  terminals: ContainerTerminals;
  /** Launches in progress (what survives a window that closed mid-launch). */
  launches: LaunchJournal;
  /** Finds what interrupted launches left and offers to remove it; resolves to the names cleaned up. */
  recoverInterruptedLaunches(): Promise<string[]>;
  /** The last health check of each engine and container (the tree's badges). */
  health: HealthStore;
  /** How long activate() took, in milliseconds (no engine is contacted during activation). */
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): MatryoshkaApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Matryoshka', { log: true });
  const controller = new EngineService(log, newHostKeyChecker((message) => log.info(message)));
  const health = new HealthStore();
  const view = new EnginesView(controller, nodeServices(controller, health), health.onDidChangeBadges);
  const terminals = new ContainerTerminals(controller);
  const certRoot = vscode.Uri.joinPath(context.globalStorageUri, 'certs').fsPath;
  const launcher = new WorkspaceLauncher({
    certRoot,
    // Read when a launch waits, so a changed setting applies without a reload.
    get innerEngineTimeoutMs() {
      return readLaunchSettings().engineTimeoutMs;
    },
    get deadlineMs() {
      return controller.requestDeadlineMs;
    },
    log: (message) => log.info(message),
  });
  const launches = new LaunchJournal(context.globalState);
  const recover = () => recoverInterruptedLaunches(controller, launches);
  context.subscriptions.push(
    log,
    controller,
    view,
    terminals,
    health,
    vscode.workspace.registerTextDocumentContentProvider(HEALTH_SCHEME, health),
    vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, new InspectDocuments(controller)),
    ShellProfileProvider.register(controller, terminals, log),
    ComparePanel.register(controller, context.extensionUri, log),
    ...registerCommands({
      controller,
      terminals,
      log,
      extensionUri: context.extensionUri,
      reveal: (target, focus) => view.reveal(target, focus),
      health,
      launcher,
      launches,
      version: String(context.extension.packageJSON.version),
      certRoot,
      selection: () => view.lastSelection,
    }),
  );
  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  // Engines are contacted at activation only when a launch was interrupted (rare).
  if (launches.pending().length) void recover().catch((error: Error) => log.warn(`interrupted launches: ${error.message}`));
  return { controller, view, terminals, health, launches, recoverInterruptedLaunches: recover, activationMs };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
