import * as vscode from 'vscode';
import type { MatryoshkaApi, MatryoshkaPublicApi } from './extensionApi';
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
import { wrapCommand } from './commands/commandErrors';
import { removeWorkspace } from './commands/workspaceActions';
import { HealthStore } from './views/healthStore';
import { nodeServices } from './views/nodeServices';
import { TreeViewState } from './views/treeViewState';
import { certificatePruner } from './engine/clientCertificates';
import { PortForwards } from './services/portForwards';
import { ContainerFileSystem } from './views/containerFileSystem';
import { ContainerFileBrowser } from './views/fileBrowser';
import { hostBridges, recoverStaleBridges } from './services/hostBridges';
import { ContainerActivity } from './services/containerActivity';

export type { MatryoshkaApi, MatryoshkaPublicApi } from './extensionApi';

export function activate(context: vscode.ExtensionContext): MatryoshkaPublicApi | MatryoshkaApi {
  const started = performance.now();
  const version = String(context.extension.packageJSON.version);
  const log = vscode.window.createOutputChannel('Matryoshka', { log: true });
  const engineService = new EngineService(log, newHostKeyChecker((message) => log.info(message)));
  const health = new HealthStore();
  const forwards = new PortForwards(engineService, context.workspaceState, (message) => log.info(message));
  const fileSystem = ContainerFileSystem.register(engineService, (message) => log.warn(message));
  const fileBrowser = new ContainerFileBrowser(fileSystem);
  // Forwards show as rows under their containers: a change re-renders like a new badge does.
  const servicesChanged: vscode.Event<void> = (listener, thisArgs, disposables) => {
    const both = vscode.Disposable.from(health.onDidChangeBadges(listener, thisArgs), forwards.onDidChange(listener, thisArgs));
    disposables?.push(both);
    return both;
  };
  const treeState = new TreeViewState(context.workspaceState);
  const activity = new ContainerActivity();
  const bridges = hostBridges(context, engineService, log);
  const view = new EnginesView(engineService, nodeServices(engineService, health, { forwards, files: fileBrowser, bridged: (key) => bridges.infoFor(key) !== undefined, activity }), servicesChanged, treeState);
  const terminals = new ContainerTerminals(engineService);
  const certRoot = vscode.Uri.joinPath(context.globalStorageUri, 'certs').fsPath;
  const launcher = new WorkspaceLauncher({
    certRoot,
    // Read when a launch waits, so a changed setting applies without a reload.
    get innerEngineTimeoutMs() {
      return readLaunchSettings().engineTimeoutMs;
    },
    get deadlineMs() {
      return engineService.requestDeadlineMs;
    },
    log: (message) => log.info(message),
  });
  const launches = new LaunchJournal(context.globalState);
  // The one error wrapper shows a failed removal once; the journal entry is closed either way.
  const removeLeftovers = (entry: { engine: string; name: string }) =>
    wrapCommand('matryoshka.removeWorkspace', log, () => removeWorkspace({ engineService, launcher, certRoot }, { engine: entry.engine, name: entry.name, skipConfirmation: true }))();
  const recover = () => recoverInterruptedLaunches(engineService, launches, removeLeftovers);
  context.subscriptions.push(
    log,
    engineService,
    treeState,
    activity,
    view,
    terminals,
    health,
    forwards,
    fileSystem,
    fileBrowser,
    fileBrowser.onDidRequestRefresh((node) => view.provider.refreshNode(node)),
    // Only the row of the container an action runs on: a whole-tree refresh would race a reveal.
    activity.onDidChange(({ engineKey, containerId }) => view.provider.refreshContainer(engineKey, containerId)),
    // Certificates of a workspace removed by any means (docker rm too) go once its engine lists it gone.
    engineService.onDidChange(certificatePruner(certRoot, () => engineService.snapshot(), log)),
    vscode.window.registerFileDecorationProvider(health),
    vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, new InspectDocuments(engineService)),
    ShellProfileProvider.register(engineService, terminals, log),
    ComparePanel.register(engineService, context.extensionUri, log),
    ...registerCommands({
      engineService,
      terminals,
      log,
      extensionUri: context.extensionUri,
      reveal: (target, focus) => view.reveal(target, focus),
      health,
      launcher,
      launches,
      version,
      certRoot,
      bridges,
      selection: () => view.lastSelection,
      forwards,
      treeState,
      activity,
    }),
  );
  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  // Engines are contacted at activation only when a launch was interrupted (rare).
  if (launches.pending().length) void recover().catch((error: Error) => log.warn(`interrupted launches: ${error.message}`));
  // Likewise only when the last window forwarded ports: they are started again.
  if (forwards.pending()) void forwards.restore();
  const publicApi: MatryoshkaPublicApi = { apiVersion: 1, version, refresh: () => engineService.refresh() };
  // Only the extension-host tests of this extension run it in test mode (extensionTestsPath);
  // installed, or started from a debugger, it hands no extension its engines or terminals.
  if (context.extensionMode !== vscode.ExtensionMode.Test) return Object.freeze(publicApi);
  return {
    ...publicApi, engineService, view, terminals, health, launches, recoverInterruptedLaunches: recover, activationMs, certRoot, forwards, fileSystem,
    recoverStaleBridges: (only) => recoverStaleBridges(bridges, engineService, log, { only }),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
