import * as vscode from 'vscode';
import { dockerConfigDir } from '../engine/dockerContexts';
import { defaultSocketFolder } from '../engine/engineBridge';
import { EngineBridges, type StoredBridge } from '../engine/engineBridges';
import type { EngineService } from './engineService';

const STORE_KEY = 'matryoshka.bridges';

/**
 * The window's bridges: sockets in the user's runtime folder (else a private folder of the
 * extension's own storage), contexts in the Docker CLI's store, the list kept in workspace state
 * so that a reload brings the same bridges back.
 */
export function hostBridges(context: vscode.ExtensionContext, engineService: EngineService, log: vscode.LogOutputChannel): EngineBridges {
  const bridges = new EngineBridges({
    socketFolders: [defaultSocketFolder(), vscode.Uri.joinPath(context.globalStorageUri, 'bridges').fsPath],
    dockerConfigDir: dockerConfigDir(),
    store: {
      load: () => validStored(context.workspaceState.get<unknown>(STORE_KEY)),
      save: (list) => void context.workspaceState.update(STORE_KEY, list),
    },
    log: (message) => log.info(message),
    onDidChange: () => engineService.rerender(),
  });
  context.subscriptions.push({ dispose: () => bridges.dispose() });
  void bridges
    .removeStale()
    .then((removed) => removed.length && log.info(`removed bridge contexts a crash left behind: ${removed.join(', ')}`))
    .catch((error: Error) => log.warn(`stale bridges: ${error.message}`));
  // Only bridges the person opened in this workspace come back, and never in Restricted Mode.
  if (bridges.storedCount > 0 && vscode.workspace.isTrusted) {
    void engineService
      .ready()
      .then((graph) => bridges.restore(graph))
      .then((failed) => {
        for (const why of failed) log.warn(`could not use again from the host: ${why}`);
        engineService.rerender();
      })
      .catch((error: Error) => log.warn(`restoring bridges: ${error.message}`));
  }
  return bridges;
}

/** Workspace state is ours, but kept across versions: take only entries of the shape written. */
function validStored(value: unknown): StoredBridge[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (entry): entry is StoredBridge =>
      typeof entry === 'object' && entry !== null && typeof entry.engine === 'string' && typeof entry.engineKey === 'string' && Array.isArray(entry.path) && entry.path.every((p: unknown) => typeof p === 'string'),
  );
}
