import * as vscode from 'vscode';
import { plainText } from '../../model/markdown';
import type { EngineSnapshot } from '../../model/snapshot';
import { engineChildren, engineDescription, engineNodeId, engineTooltipMarkdown } from '../../model/treeModel';
import { childNodes } from './containerNode';
import { untrustedMarkdown, type TreeNode } from './treeNode';

export class EngineNode implements TreeNode {
  readonly id: string;
  readonly parent = undefined;

  constructor(readonly engine: EngineSnapshot) {
    this.id = engineNodeId(engine);
  }

  treeItem(): vscode.TreeItem {
    const e = this.engine;
    const item = new vscode.TreeItem(
      plainText(e.name),
      e.current ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = this.id;
    item.description = plainText(engineDescription(e));
    item.contextValue = `engine engine-${e.status.kind}`;
    item.iconPath =
      e.status.kind === 'disconnected'
        ? new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('errorForeground'))
        : new vscode.ThemeIcon('server-environment');
    return item;
  }

  children(): TreeNode[] {
    return childNodes(engineChildren(this.engine, { rootEngine: this.engine.name, containers: [] }), this, `engine ${this.engine.name}`);
  }

  resolveTooltip(): vscode.MarkdownString {
    return untrustedMarkdown(engineTooltipMarkdown(this.engine));
  }
}
