import * as vscode from 'vscode';
import type { LaunchTarget } from '../model/launchTargets';
import type { WorkspaceMode } from '../model/workspaceSpec';

// The questions of the launch flow; each throws CancellationError when dismissed.

export const MODE_PICKS: (vscode.QuickPickItem & { mode: WorkspaceMode })[] = [
  {
    mode: 'dood',
    label: '$(plug) DooD: Docker outside of Docker',
    detail: 'Mounts the engine\'s socket: docker ps inside is the engine\'s own, what it starts are siblings. Risk: the socket controls every container on that engine.',
  },
  {
    mode: 'dind',
    label: '$(layers) DinD: Docker in Docker',
    detail: 'Its own engine inside: children stay inside, with their own image cache. Risk: --privileged is root on the host.',
  },
  {
    mode: 'sysbox',
    label: '$(shield) Sysbox',
    detail: 'Its own engine without --privileged, isolated by user namespaces. Needs the Sysbox runtime on the engine.',
  },
];

export function uniqueName(base: string, taken: Set<string>): string {
  let n = 1;
  while (taken.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}

export async function pick<T extends vscode.QuickPickItem>(items: T[], title: string): Promise<T> {
  // Kept open when focus moves (a launch finishing elsewhere reveals its workspace in the tree).
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDetail: true, ignoreFocusOut: true });
  if (!picked) throw new vscode.CancellationError();
  return picked;
}

export async function ask(options: vscode.InputBoxOptions): Promise<string> {
  const value = await vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  if (value === undefined) throw new vscode.CancellationError();
  return value.trim();
}

function localFolders(): vscode.WorkspaceFolder[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
}

export function defaultFolder(target: LaunchTarget): string | null {
  return target.local ? localFolders()[0]?.uri.fsPath ?? null : null;
}

/** The open folder by default; folders are paths on this machine, so only for local engines. */
export async function pickFolder(target: LaunchTarget, mode: WorkspaceMode): Promise<string | null> {
  const folders = localFolders();
  if (!target.local || folders.length === 0) return null;
  const same = mode === 'dood' ? ' at the same path, so that -v "$PWD":… typed inside resolves on the host' : ' at the same path';
  const items = [
    ...folders.map((f) => ({ label: `$(folder) ${f.name}`, description: f.uri.fsPath, detail: `Mount it${same}`, folder: f.uri.fsPath as string | null })),
    { label: '$(circle-slash) No folder', description: '', detail: 'Nothing from this machine is mounted', folder: null },
  ];
  return (await pick(items, 'Mount which folder into the workspace?')).folder;
}

export async function pickPublish(): Promise<boolean> {
  const items = [
    { label: 'Keep the inner engine private', detail: 'Reach it through Matryoshka (the tree, terminals); no port is opened', publish: false },
    { label: 'Publish the inner engine on 127.0.0.1 with TLS', detail: 'Port 2376 on loopback, client certificates copied to this machine, for docker CLIs on the host', publish: true },
  ];
  return (await pick(items, 'Publish the inner engine?')).publish;
}
