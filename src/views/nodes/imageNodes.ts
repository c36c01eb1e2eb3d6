import * as vscode from 'vscode';
import { imageDescription, imageReference, imageRows, imageTooltipMarkdown, type ImageRow } from '../../model/images';
import { plainText } from '../../model/markdown';
import type { EngineSnapshot } from '../../model/snapshot';
import { engineLabel, type NodePath } from '../../model/targets';
import { NoteNode } from './noteNode';
import { untrustedMarkdown, type NodeServices, type TreeNode } from './treeNode';

/** How other commands name an image: the engine it is on (root name and the containers down to it) and the image. */
/** An image of the engine a target names (path [] for a root engine). */
export interface ImageTarget extends NodePath {
  image: string;
}

/** The Images node of a connected engine (none while it is away). */
export function imagesNodes(engine: EngineSnapshot, path: NodePath, parent: TreeNode): TreeNode[] {
  return engine.status.kind === 'connected' ? [new ImagesNode(engine, path, parent)] : [];
}

/** "Images" under an engine at any depth: listed from the engine when expanded. */
export class ImagesNode implements TreeNode {
  // Never ends with "/<id>": reveal() matches container nodes by that suffix.
  readonly id: string;
  readonly services: NodeServices | undefined;

  constructor(public engine: EngineSnapshot, public at: NodePath, readonly parent: TreeNode) {
    this.id = `images:${engine.key}:list`;
    this.services = parent.services;
  }

  update(fresh: ImagesNode): void {
    this.engine = fresh.engine;
    this.at = fresh.at;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Images', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('library');
    item.contextValue = 'images';
    item.tooltip = plainText(`Images of ${engineLabel(this.at)}, with their size and the containers made from them`);
    return item;
  }

  children(): TreeNode[] {
    return [];
  }

  async loadChildren(): Promise<TreeNode[]> {
    try {
      if (!this.services) throw new Error('images are not available here');
      const rows = imageRows(await this.services.listImages(this.engine.key), this.engine.containers);
      if (rows.length === 0) return [new NoteNode({ kind: 'empty', id: `${this.id}:empty`, text: 'No images' }, this)];
      return rows.map((row) => new ImageNode(row, this.engine, this.at, this));
    } catch (error) {
      return [new NoteNode({ kind: 'disconnected', id: `${this.id}:error`, text: 'Could not list images', detail: (error as Error).message }, this)];
    }
  }
}

export class ImageNode implements TreeNode {
  readonly id: string;

  constructor(public row: ImageRow, public engine: EngineSnapshot, public at: NodePath, readonly parent: TreeNode) {
    this.id = `image:${engine.key}:${row.id}`;
  }

  update(fresh: ImageNode): void {
    this.row = fresh.row;
    this.engine = fresh.engine;
    this.at = fresh.at;
  }

  /** The programmatic form of this node, as matryoshka.copyImageIntoEngine accepts it. */
  get target(): ImageTarget {
    return { engine: this.at.engine, path: [...this.at.path], image: imageReference(this.row) };
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(plainText(this.row.label), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = plainText(imageDescription(this.row));
    item.iconPath = new vscode.ThemeIcon('file-binary');
    item.contextValue = `image${this.row.usedBy.length ? ' in-use' : ''}`;
    return item;
  }

  children(): TreeNode[] {
    return [];
  }

  resolveTooltip(): vscode.MarkdownString {
    return untrustedMarkdown(imageTooltipMarkdown(this.row, engineLabel(this.at)));
  }
}
