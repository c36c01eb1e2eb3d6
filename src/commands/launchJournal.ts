import * as vscode from 'vscode';
import { listVolumes } from '../engine/engineObjects';
import { findLaunchTarget } from '../model/launchTargets';
import { notificationText } from '../model/markdown';
import { WORKSPACE_LABEL } from '../model/workspaceSpec';
import type { EngineService } from '../services/engineService';

/** A launch that began and has not yet ended, as remembered across windows and crashes. */
export interface PendingLaunch {
  engine: string;
  name: string;
  startedAt: number;
}

const KEY = 'matryoshka.pendingLaunches';

/**
 * Remembers launches while they run. A launch that fails cleans up after itself; only one whose
 * extension host died half-way (window closed, crash) stays here, so that the next activation can
 * find what it left by its labels and offer to remove it.
 */
export class LaunchJournal {
  constructor(private readonly memento: vscode.Memento) {}

  pending(): PendingLaunch[] {
    const value = this.memento.get<unknown>(KEY, []);
    return Array.isArray(value) ? value.filter((e): e is PendingLaunch => typeof e?.engine === 'string' && typeof e?.name === 'string') : [];
  }

  begin(entry: PendingLaunch): Thenable<void> {
    return this.memento.update(KEY, [...this.pending().filter((e) => !same(e, entry)), entry]);
  }

  end(entry: Pick<PendingLaunch, 'engine' | 'name'>): Thenable<void> {
    return this.memento.update(KEY, this.pending().filter((e) => !same(e, entry)));
  }
}

function same(a: Pick<PendingLaunch, 'engine' | 'name'>, b: Pick<PendingLaunch, 'engine' | 'name'>): boolean {
  return a.engine === b.engine && a.name === b.name;
}

/**
 * For each interrupted launch: what carries its workspace label on its engine, and the user's
 * choice to remove it. Engines not reachable now keep their entries for a later activation.
 * Resolves to the names of the workspaces that were cleaned up.
 */
export async function recoverInterruptedLaunches(
  engineService: EngineService,
  journal: LaunchJournal,
  /** Removes what the workspace left (Remove Workspace, without asking again): called directly, not as a command. */
  removeLeftovers: (entry: PendingLaunch) => Promise<unknown>,
): Promise<string[]> {
  const pending = journal.pending();
  if (!pending.length) return [];
  await engineService.ready();
  const roots = engineService.snapshot();
  const cleaned: string[] = [];
  for (const entry of pending) {
    const target = findLaunchTarget(roots, entry.engine);
    const api = typeof target === 'string' ? undefined : engineService.apiFor(target.engine.key);
    if (typeof target === 'string' || !api) continue;
    const container = target.engine.containers.find((c) => c.summary.Labels?.[WORKSPACE_LABEL] === entry.name);
    const volumes = (await listVolumes(api, `${WORKSPACE_LABEL}=${entry.name}`)).map((v) => v.Name).sort();
    const left = [...(container ? [`container ${container.name}`] : []), ...volumes.map((v) => `volume ${v}`)];
    if (left.length) {
      // Engine and container names are engine text (or a setting's): a notification shows them as text only.
      const choice = await vscode.window.showWarningMessage(
        notificationText(`The launch of ${entry.name} on ${entry.engine} was interrupted (VS Code closed, or its extension host stopped, while it ran). It left ${left.join(', ')}. Remove them?`),
        'Remove Them',
        'Keep',
      );
      if (choice === undefined) continue; // Dismissed: ask again next time.
      if (choice === 'Remove Them') {
        await removeLeftovers(entry);
        cleaned.push(entry.name);
      }
    }
    await journal.end(entry);
  }
  return cleaned;
}
