import * as vscode from 'vscode';

/** One class per kind of node (engine, container, note); the provider only dispatches. */
export interface TreeNode {
  readonly id: string;
  readonly parent: TreeNode | undefined;
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
