import * as vscode from 'vscode';
import type { ContainerTarget } from '../model/targets';
import { ContainerFileSystem } from './containerFileSystem';
import type { FileBrowser } from './nodes/filesNode';
import type { TreeNode } from './nodes/treeNode';

/** The Files nodes' access to container files: through the same file system the editor uses. */
export class ContainerFileBrowser implements FileBrowser, vscode.Disposable {
  private readonly refreshRequested = new vscode.EventEmitter<TreeNode>();
  /** A node to list again; the tree view listens (it is made after the services). */
  readonly onDidRequestRefresh = this.refreshRequested.event;

  constructor(private readonly fileSystem: ContainerFileSystem) {}

  uriFor(target: ContainerTarget, file: string): vscode.Uri {
    // Tree nodes always carry the root engine's name (NodePath.rootEngine).
    return ContainerFileSystem.uriFor({ engine: target.engine ?? '', path: target.path, file });
  }

  readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return this.fileSystem.readDirectory(uri);
  }

  async refresh(node: TreeNode, uri: vscode.Uri): Promise<void> {
    this.refreshRequested.fire(node);
    await this.fileSystem.recheckBelow(uri);
  }

  dispose(): void {
    this.refreshRequested.dispose();
  }
}
