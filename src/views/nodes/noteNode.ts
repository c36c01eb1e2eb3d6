import * as vscode from 'vscode';
import { plainText } from '../../model/markdown';
import type { NoteModel } from '../../model/treeModel';
import type { TreeNode } from './treeNode';

const ICONS: Record<NoteModel['kind'], vscode.ThemeIcon> = {
  dood: new vscode.ThemeIcon('references'),
  disconnected: new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('errorForeground')),
  connecting: new vscode.ThemeIcon('loading~spin'),
  empty: new vscode.ThemeIcon('circle-slash'),
  limit: new vscode.ThemeIcon('fold-down'),
};

/** A line of explanation in the tree: siblings under DooD, why an inner engine is unreachable. */
export class NoteNode implements TreeNode {
  readonly id: string;

  constructor(private note: NoteModel, readonly parent: TreeNode | undefined) {
    this.id = note.id;
  }

  update(fresh: NoteNode): void {
    this.note = fresh.note;
  }

  get kind(): NoteModel['kind'] {
    return this.note.kind;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(plainText(this.note.text), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = ICONS[this.note.kind];
    item.contextValue = `note-${this.note.kind}`;
    if (this.note.detail) {
      item.description = plainText(this.note.detail);
      // A plain-string tooltip is never rendered as Markdown.
      item.tooltip = plainText(this.note.detail);
    }
    return item;
  }

  children(): TreeNode[] {
    return [];
  }
}
