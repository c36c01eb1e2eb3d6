import * as vscode from 'vscode';
import { bridgeContextName, dockerConfigDir } from '../engine/dockerContexts';
import { defaultSocketFolder } from '../engine/engineBridge';
import { EngineBridges, type StaleBridge, type StoredBridge } from '../engine/engineBridges';
import { notificationText } from '../model/markdown';
import type { EngineService } from './engineService';

const STORE_KEY = 'matryoshka.bridges';
export const RESTORE = 'Restore';
export const CLEAN_UP = 'Clean up';

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
  void startBridges(bridges, engineService, log).catch((error: Error) => log.warn(`bridges at start: ${error.message}`));
  return bridges;
}

/**
 * At start: bridges the window closed come back, those a crash left behind are the person's call.
 * The list is read first, before a bridge opened meanwhile rewrites it.
 */
async function startBridges(bridges: EngineBridges, engineService: EngineService, log: vscode.LogOutputChannel): Promise<void> {
  const stored = bridges.stored();
  const stale = await bridges.findStale();
  const crashed = new Set(stale.map((entry) => entry.context));
  // Only bridges the person opened in this workspace come back, and never in Restricted Mode.
  if (vscode.workspace.isTrusted && stored.some((entry) => !crashed.has(bridgeContextName(entry.engine, entry.path)))) {
    void engineService
      .ready()
      .then((graph) => bridges.restore(graph, stored, crashed))
      .then((failed) => {
        for (const why of failed) log.warn(`could not use again from the host: ${why}`);
        engineService.rerender();
      })
      .catch((error: Error) => log.warn(`restoring bridges: ${error.message}`));
  }
  if (stale.length) await recoverStaleBridges(bridges, engineService, log, { stale, stored });
}

/**
 * Bridges a crash left behind (`stale`, else what is found now): in a trusted workspace the person
 * chooses to restore them or clean them up, in a notification that waits for them; dismissed, or in
 * Restricted Mode (no question: nothing opens a bridge there), they are cleaned up. `only`: just
 * these contexts (tests, which must not touch what another run left).
 */
export async function recoverStaleBridges(
  bridges: EngineBridges,
  engineService: EngineService,
  log: vscode.LogOutputChannel,
  { stale, stored = bridges.stored(), only }: { stale?: StaleBridge[]; stored?: readonly StoredBridge[]; only?: readonly string[] } = {},
): Promise<{ restored: string[]; removed: string[] }> {
  const found = (stale ?? (await bridges.findStale())).filter((entry) => !only || only.includes(entry.context));
  if (!found.length) return { restored: [], removed: [] };
  const choice = vscode.workspace.isTrusted ? await vscode.window.showInformationMessage(staleQuestion(found), RESTORE, CLEAN_UP) : undefined;
  let restored: string[] = [];
  if (choice === RESTORE) {
    const graph = await engineService.ready();
    const outcome = await bridges.restoreStale(graph, engineService.snapshot(), found, stored);
    restored = outcome.restored;
    engineService.rerender();
    if (outcome.failed.length) {
      void vscode.window.showWarningMessage(notificationText(`Could not use again from the host, so cleaned up: ${outcome.failed.join('; ')}`));
    }
  }
  const restoredSet = new Set(restored);
  bridges.forget(found.map((entry) => entry.context).filter((name) => !restoredSet.has(name)));
  const removed = await bridges.removeStale(found);
  if (removed.length) log.info(`removed bridge contexts and sockets a crash left behind: ${removed.join(', ')}`);
  if (restored.length) log.info(`restored bridges a crash left behind: ${restored.join(', ')}`);
  return { restored, removed };
}

function staleQuestion(stale: readonly StaleBridge[]): string {
  const labels = stale.map((entry) => entry.label).join(', ');
  const one = stale.length === 1;
  return notificationText(
    `${one ? 'An engine was' : `${stale.length} engines were`} used from the host when VS Code last ended without closing ${one ? 'its bridge' : 'their bridges'}: ${labels}. ` +
      `Restore ${one ? 'it' : 'them'}, or clean up the leftover ${one ? 'socket and Docker context' : 'sockets and Docker contexts'}?`,
  );
}

/** Workspace state is ours, but kept across versions: take only entries of the shape written. */
function validStored(value: unknown): StoredBridge[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (entry): entry is StoredBridge =>
      typeof entry === 'object' && entry !== null && typeof entry.engine === 'string' && typeof entry.engineKey === 'string' && Array.isArray(entry.path) && entry.path.every((p: unknown) => typeof p === 'string'),
  );
}
