import * as vscode from 'vscode';
import { baseName, joinPath } from '../../model/containerPaths';
import { plainText } from '../../model/markdown';
import type { ContainerSnapshot } from '../../model/snapshot';
import { pathLabel, type ContainerTarget, type NodePath } from '../../model/targets';
import { NoteNode } from './noteNode';
import type { NodeServices, TreeNode } from './treeNode';

/** What Files nodes need: the container file system, and a way to have a node listed again. */
export interface FileBrowser {
  uriFor(target: ContainerTarget, file: string): vscode.Uri;
  readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]>;
  /** Lists the node again and re-checks the open files below it (the node's Refresh). */
  refresh(node: TreeNode, uri: vscode.Uri): Promise<void>;
}

/** The Files node of a container (any depth, running or not): nothing is asked until it is expanded. */
export function filesNodes(container: ContainerSnapshot, path: NodePath, parent: TreeNode): TreeNode[] {
  return parent.services?.files ? [new FileNode(container, path, '/', vscode.FileType.Directory, parent)] : [];
}

/**
 * A file or folder in a container; the root one ("/") is the container's Files node. Ids never
 * end with "/<id>" (reveal matches container rows by that suffix): the path is encoded whole.
 */
export class FileNode implements TreeNode {
  readonly id: string;
  readonly services: NodeServices | undefined;

  constructor(
    public container: ContainerSnapshot,
    public path: NodePath,
    /** The path inside the container. */
    readonly file: string,
    public type: vscode.FileType,
    readonly parent: TreeNode,
  ) {
    this.id = `files:${container.engineKey}:${container.id}:${encodeURIComponent(file)}`;
    this.services = parent.services;
  }

  update(fresh: FileNode): void {
    this.container = fresh.container;
    this.path = fresh.path;
    this.type = fresh.type;
  }

  /** The container holding the file, as commands take it. */
  get target(): ContainerTarget {
    return { engine: this.path.engine, path: [...this.path.path] };
  }

  get isFolder(): boolean {
    return (this.type & vscode.FileType.Directory) !== 0;
  }

  get uri(): vscode.Uri | undefined {
    return this.services?.files?.uriFor(this.target, this.file);
  }

  treeItem(): vscode.TreeItem {
    const root = this.file === '/';
    const item = new vscode.TreeItem(root ? 'Files' : plainText(baseName(this.file)), this.isFolder ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const link = (this.type & vscode.FileType.SymbolicLink) !== 0;
    item.iconPath = root ? new vscode.ThemeIcon('files') : this.isFolder ? vscode.ThemeIcon.Folder : vscode.ThemeIcon.File;
    if (!root) item.resourceUri = this.uri;
    if (link) item.description = 'symlink';
    item.tooltip = plainText(`${this.file} in ${pathLabel(this.path)}${link ? ' (a symbolic link)' : ''}`);
    item.contextValue = root ? 'files files-folder' : this.isFolder ? 'files-folder' : 'files-file';
    const uri = this.uri;
    if (!this.isFolder && uri) item.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
    return item;
  }

  children(): TreeNode[] {
    return [];
  }

  async loadChildren(): Promise<TreeNode[]> {
    const uri = this.uri;
    try {
      if (!uri || !this.services?.files) throw new Error('files are not available here');
      const entries = await this.services.files.readDirectory(uri);
      if (entries.length === 0) return [new NoteNode({ kind: 'empty', id: `${this.id}:empty`, text: 'Empty folder' }, this)];
      const folder = (type: vscode.FileType) => ((type & vscode.FileType.Directory) !== 0 ? 0 : 1);
      entries.sort(([a, ta], [b, tb]) => folder(ta) - folder(tb) || (a < b ? -1 : a > b ? 1 : 0));
      return entries.map(([name, type]) => new FileNode(this.container, this.path, joinPath(this.file, name), type, this));
    } catch (error) {
      return [new NoteNode({ kind: 'disconnected', id: `${this.id}:error`, text: 'Could not list files', detail: (error as Error).message }, this)];
    }
  }

  /** The node's Refresh: list it again, and re-read open files below it that changed. */
  async refreshFiles(): Promise<void> {
    const uri = this.uri;
    if (uri) await this.services?.files?.refresh(this, uri);
  }
}
