import * as vscode from 'vscode';
import { escapeMarkdown, plainText } from '../../model/markdown';
import type { EngineSnapshot } from '../../model/snapshot';
import { engineChildren, engineDescription, engineNodeId, engineTooltipMarkdown } from '../../model/treeModel';
import { groupChildren } from '../../model/grouping';
import { groupedNodes, treeOptionsOf } from './groupNodes';
import { imagesNodes } from './imageNodes';
import { badgeMarkdown, badgeText } from '../../model/health';
import { untrustedMarkdown, type NodeServices, type TreeNode } from './treeNode';

export class EngineNode implements TreeNode {
  readonly id: string;
  readonly parent = undefined;

  constructor(public engine: EngineSnapshot, readonly services?: NodeServices) {
    this.id = engineNodeId(engine);
  }

  update(fresh: EngineNode): void {
    this.engine = fresh.engine;
  }

  treeItem(): vscode.TreeItem {
    const e = this.engine;
    const item = new vscode.TreeItem(
      plainText(e.name),
      e.current ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = this.id;
    const warning = this.services?.warningFor?.(e.key) ? '⚠ TLS not verified' : '';
    item.description = plainText([warning, badgeText(this.services?.badgeFor(this.id)), engineDescription(e)].filter(Boolean).join(' · '));
    item.contextValue = `engine engine-${e.status.kind}`;
    item.iconPath =
      e.status.kind === 'disconnected'
        ? new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('errorForeground'))
        : new vscode.ThemeIcon('server-environment');
    return item;
  }

  children(): TreeNode[] {
    const path = { rootEngine: this.engine.name, containers: [] };
    const rows = groupChildren(engineChildren(this.engine, path), this.engine.key, path, this.id, treeOptionsOf(this.services));
    return [...groupedNodes(rows, this, `engine ${this.engine.name}`), ...imagesNodes(this.engine, path, this)];
  }

  resolveTooltip(): vscode.MarkdownString {
    const warning = this.services?.warningFor?.(this.engine.key);
    const warningMarkdown = warning ? `\n\n⚠ **${escapeMarkdown(warning)}**` : '';
    return untrustedMarkdown(engineTooltipMarkdown(this.engine) + warningMarkdown + badgeMarkdown(this.services?.badgeFor(this.id)));
  }
}
