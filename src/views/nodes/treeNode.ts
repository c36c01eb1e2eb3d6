import * as vscode from 'vscode';
import type { HealthBadge } from '../../model/health';
import type { ImageSummary } from '../../model/healthTypes';
import type { Target } from '../../model/targets';
import type { ForwardInfo } from '../../services/portForwards';
import type { FileBrowser } from './filesNode';
import type { TreeOptions } from '../../model/grouping';

/** What nodes ask beyond their snapshot, handed down from the root engine node. */
export interface NodeServices {
  /** The last health check of an engine or container, by node id (the badge). */
  badgeFor(nodeId: string): HealthBadge | undefined;
  /** The images of a listed engine, asked when its Images node is expanded. */
  listImages(engineKey: string): Promise<ImageSummary[]>;
  /** What is unsafe about how a root engine is reached (TLS verification off). */
  warningFor?(engineKey: string): string | undefined;
  /** The ports forwarded from a container (rows under it). */
  forwardsOf?(target: Target): ForwardInfo[];
  /** The files of containers, listed when a Files node (or a folder in it) is expanded. */
  files?: FileBrowser;
  /** Whether an engine is used from the host through a bridge socket. */
  bridged?(engineKey: string): boolean;
  /** What Matryoshka is doing to a container right now ("stopping"), shown instead of its state. */
  activityOf?(engineKey: string, containerId: string): string | undefined;
  /** The view's filter and infrastructure toggle, as of its last render. */
  treeOptions?(): TreeOptions;
}

/** One class per kind of node (engine, container, note); the provider only dispatches. */
export interface TreeNode {
  readonly id: string;
  readonly parent: TreeNode | undefined;
  /** Handed down from the root engine node (badges, images). */
  readonly services?: NodeServices;
  /** For children that need the engine (images): the provider awaits this instead of children(). */
  loadChildren?(): Promise<TreeNode[]>;
  treeItem(): vscode.TreeItem;
  children(): TreeNode[];
  /** Whether this row shows that container (a container row). */
  shows?(engineKey: string, containerId: string): boolean;
  /** Whether the row's text as last given to VS Code has changed with the clock alone (an uptime). */
  changedWithTime?(now: number): boolean;
  /** Filled in on hover only (tooltips can be long). */
  resolveTooltip?(): vscode.MarkdownString;
  /**
   * Takes the state of `fresh`, a node of the same class and id built from a newer listing. The
   * provider keeps one object per id: VS Code refreshes single rows by object, and a row it holds
   * (selected, right-clicked) must stay the one it shows.
   */
  update(fresh: TreeNode): void;
}

/** Engine strings are never trusted: no command links, no HTML, no theme icons from the text. */
export function untrustedMarkdown(text: string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(text, false);
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  return markdown;
}
