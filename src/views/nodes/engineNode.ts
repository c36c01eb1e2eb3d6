import * as vscode from 'vscode';
import { plainText } from '../../model/markdown';
import type { EngineSnapshot } from '../../model/snapshot';
import { engineChildren, engineDescription, engineNodeId, engineTooltipMarkdown } from '../../model/treeModel';
import { childNodes } from './containerNode';
import { badgeMarkdown, badgeText } from '../../model/health';
import { untrustedMarkdown, type HealthBadges, type TreeNode } from './treeNode';

export class EngineNode implements TreeNode {
  readonly id: string;
  readonly parent = undefined;

  constructor(readonly engine: EngineSnapshot, readonly health?: HealthBadges) {
    this.id = engineNodeId(engine);
  }

  treeItem(): vscode.TreeItem {
    const e = this.engine;
    const item = new vscode.TreeItem(
      plainText(e.name),
      e.current ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = this.id;
    item.description = plainText([badgeText(this.health?.badgeFor(this.id)), engineDescription(e)].filter(Boolean).join(' · '));
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
    return untrustedMarkdown(engineTooltipMarkdown(this.engine) + badgeMarkdown(this.health?.badgeFor(this.id)));
  }
}
