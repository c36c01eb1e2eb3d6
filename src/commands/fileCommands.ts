import * as vscode from 'vscode';
import { ContainerPathError, normalizePath } from '../model/containerPaths';
import { notificationText } from '../model/markdown';
import { isContainerTarget, pathLabel, type ContainerTarget, type ResolvedTarget } from '../model/targets';
import { UserFacingError } from '../model/userFacingError';
import type { EngineService } from '../services/engineService';
import { ContainerFileSystem } from '../views/containerFileSystem';
import { resolveContainerArgument } from './containerArgument';
import { targetOrPick } from './containerCommands';

/** A Files node (or a folder under it) as the tree passes it: read by shape, not by class. */
interface FileNodeLike {
  target: ContainerTarget;
  file: string;
  refreshFiles?: () => Promise<void>;
}

function isFileNode(value: unknown): value is FileNodeLike {
  const node = value as Partial<FileNodeLike> | undefined;
  return typeof node === 'object' && node !== null && typeof node.file === 'string' && isContainerTarget(node.target);
}

function checkedPath(path: unknown, what: string): string {
  if (typeof path !== 'string') throw new UserFacingError(`${what} must be an absolute path in the container, such as "/etc/hostname".`);
  try {
    return normalizePath(path);
  } catch (error) {
    if (error instanceof ContainerPathError) throw new UserFacingError(`${what}: ${error.message}.`);
    throw error;
  }
}

function uriOf(target: ResolvedTarget, file: string): vscode.Uri {
  return ContainerFileSystem.uriFor({ engine: target.at.engine, path: target.at.path, file });
}

/**
 * `matryoshka.containerUri`: `{ engine?, path, file }` to the URI of that file (the container is
 * resolved, so the URI names the root engine even when `engine` was left out).
 */
export async function containerUri(engineService: EngineService, argument: unknown): Promise<string> {
  const file = checkedPath((argument as { file?: unknown } | undefined)?.file, 'file');
  const target = await resolveContainerArgument(engineService, argument);
  return uriOf(target, file).toString();
}

/**
 * Open Folder in Container…: from a Files node or folder, from `{ engine?, path, folder? }`, or
 * asked (a container, then a folder). Adds it to the workspace as a folder of its own.
 */
export async function openContainerFolder(engineService: EngineService, argument: unknown): Promise<string | undefined> {
  let target: ResolvedTarget;
  let folder: string | undefined;
  if (isFileNode(argument)) {
    target = await resolveContainerArgument(engineService, argument.target);
    folder = argument.file;
  } else {
    target = await targetOrPick(engineService, argument, 'Open a folder of which container?', false);
    const given = (argument as { folder?: unknown } | undefined)?.folder;
    if (given !== undefined) folder = checkedPath(given, 'folder');
  }
  if (folder === undefined) {
    const typed = await vscode.window.showInputBox({
      title: `Open Folder in ${target.container.name}`,
      prompt: `A folder in ${pathLabel(target.at)}`,
      value: '/',
      validateInput: (value) => (value.startsWith('/') ? undefined : 'An absolute path, such as /src'),
    });
    if (typed === undefined) return undefined;
    folder = checkedPath(typed, 'folder');
  }
  const uri = uriOf(target, folder);
  const stat = await vscode.workspace.fs.stat(uri);
  if ((stat.type & vscode.FileType.Directory) === 0) throw new UserFacingError(`${folder} in ${pathLabel(target.at)} is not a folder.`);
  const existing = vscode.workspace.workspaceFolders ?? [];
  if (!existing.some((f) => f.uri.toString() === uri.toString())) {
    const added = vscode.workspace.updateWorkspaceFolders(existing.length, 0, { uri, name: `${target.container.name}: ${folder}` });
    if (!added) throw new UserFacingError(notificationText(`VS Code did not add ${folder} of ${pathLabel(target.at)} to the workspace; try again once it has finished changing folders.`));
  }
  return uri.toString();
}

/** A Files node's Refresh: list it again and re-read open files below it that changed. */
export async function refreshFiles(argument: unknown): Promise<void> {
  if (!isFileNode(argument) || !argument.refreshFiles) throw new UserFacingError('Pick a Files node or a folder under one in the Matryoshka view.');
  await argument.refreshFiles();
}
