import * as vscode from 'vscode';
import type { HealthBadge } from '../../model/health';

/** Where nodes find the last health check of their engine or container (the badge). */
export interface HealthBadges {
  badgeFor(nodeId: string): HealthBadge | undefined;
}

/** One class per kind of node (engine, container, note); the provider only dispatches. */
export interface TreeNode {
  readonly id: string;
  readonly parent: TreeNode | undefined;
  /** Handed down from the root engine node, so every node can show its health badge. */
  readonly health?: HealthBadges;
  treeItem(): vscode.TreeItem;
  children(): TreeNode[];
  /** Filled in on hover only (tooltips can be long). */
  resolveTooltip?(): vscode.MarkdownString;
}

/** Engine strings are never trusted: no command links, no HTML, no theme icons from the text. */
export function untrustedMarkdown(text: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(text, false);
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  return markdown;
}
