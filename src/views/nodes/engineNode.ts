import * as vscode from 'vscode';
import { escapeMarkdown, plainText } from '../../model/markdown';
import type { EngineSnapshot } from '../../model/snapshot';
import type { NodePath } from '../../model/targets';
import { engineChildren, engineDescription, engineNodeId, engineTooltipMarkdown } from '../../model/treeModel';
import { groupChildren } from '../../model/grouping';
import { groupedNodes, treeOptionsOf } from './groupNodes';
import { imagesNodes } from './imageNodes';
import { badgeMarkdown } from '../../model/health';
import { healthNodeUri } from '../healthUri';
import { untrustedMarkdown, type NodeServices, type TreeNode } from './treeNode';

export class EngineNode implements TreeNode {
  readonly id: string;
  readonly parent = undefined;

  constructor(public engine: EngineSnapshot, readonly services?: NodeServices) {
    this.id = engineNodeId(engine);
  }

  /** The programmatic form of this node, as other commands accept it. */
  get target(): NodePath {
    return { engine: this.engine.name, path: [] };
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
    const bridged = this.services?.bridged?.(e.key) ? '⇄ used from the host' : '';
    item.description = plainText([warning, bridged, engineDescription(e)].filter(Boolean).join(' · '));
    // The health badge is a decoration on this URI (HealthStore), coloured by the theme.
    item.resourceUri = healthNodeUri(this.id);
    item.contextValue = `engine engine-${e.status.kind}${bridged ? ' bridged' : ''}`;
    item.iconPath =
      e.status.kind === 'disconnected'
        ? new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('errorForeground'))
        : new vscode.ThemeIcon('server-environment');
    return item;
  }

  children(): TreeNode[] {
    const at = this.target;
    const rows = groupChildren(engineChildren(this.engine, at), this.engine.key, at, this.id, treeOptionsOf(this.services));
    return [...groupedNodes(rows, this, `engine ${this.engine.name}`), ...imagesNodes(this.engine, at, this)];
  }

  resolveTooltip(): vscode.MarkdownString {
    const warning = this.services?.warningFor?.(this.engine.key);
    const warningMarkdown = warning ? `\n\n⚠ **${escapeMarkdown(warning)}**` : '';
    return untrustedMarkdown(badgeMarkdown(this.services?.badgeFor(this.id)) + engineTooltipMarkdown(this.engine) + warningMarkdown);
  }
}
