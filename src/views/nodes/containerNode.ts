import * as vscode from 'vscode';
import { isRunning, type Mode } from '../../model/classify';
import { plainText } from '../../model/markdown';
import { innerEngineKey, type ContainerSnapshot } from '../../model/snapshot';
import { groupChildren } from '../../model/grouping';
import { groupedNodes, treeOptionsOf } from './groupNodes';
import type { NodePath, Target } from '../../model/targets';
import { containerChildren, containerDescription, containerNodeId, containerTooltipMarkdown, hasChildren } from '../../model/treeModel';
import { imagesNodes } from './imageNodes';
import { filesNodes } from './filesNode';
import { ForwardNode } from './forwardNode';
import type { ForwardInfo } from '../../services/portForwards';
import { WORKSPACE_LABEL } from '../../model/workspaceSpec';
import { badgeMarkdown } from '../../model/health';
import { healthNodeUri } from '../healthUri';
import { untrustedMarkdown, type NodeServices, type TreeNode } from './treeNode';

const MODE_ICONS: Record<Mode, string> = { dind: 'layers', sysbox: 'shield', dood: 'plug', plain: 'package' };

function stateColor(state: string | undefined): vscode.ThemeColor | undefined {
  if (state === 'running') return new vscode.ThemeColor('charts.green');
  if (state === 'paused' || state === 'restarting') return new vscode.ThemeColor('charts.yellow');
  if (state === 'dead') return new vscode.ThemeColor('errorForeground');
  return new vscode.ThemeColor('disabledForeground');
}

export class ContainerNode implements TreeNode {
  readonly id: string;
  readonly services: NodeServices | undefined;
  /** The description last given to VS Code, whose uptime the clock ages. */
  private shown: string | undefined;

  constructor(
    public container: ContainerSnapshot,
    public at: NodePath,
    private engineName: string,
    readonly parent: TreeNode | undefined,
    /** What the row says instead of the name: the Compose service, the pod's container name. */
    private label?: string,
  ) {
    this.id = containerNodeId(container);
    this.services = parent?.services;
  }

  update(fresh: ContainerNode): void {
    this.container = fresh.container;
    this.at = fresh.at;
    this.engineName = fresh.engineName;
    this.label = fresh.label;
  }

  /** The programmatic form of this node, as other commands accept it. */
  get target(): Target {
    return { engine: this.at.engine, path: [...this.at.path] };
  }

  treeItem(): vscode.TreeItem {
    const c = this.container;
    const forwarded = this.forwards().length > 0;
    // Every container has a Files node when files are available.
    const expandable = hasChildren(c) || forwarded || this.services?.files !== undefined;
    // The state goes into contextValue (menus match on it): only a plain word from the engine.
    const state = /^[a-z]+$/.test(c.summary.State ?? '') ? (c.summary.State as string) : 'unknown';
    const item = new vscode.TreeItem(
      plainText(this.label ?? c.name),
      !expandable
        ? vscode.TreeItemCollapsibleState.None
        : c.inner || forwarded
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = this.id;
    const bridged = c.inner !== undefined && this.services?.bridged?.(c.inner.key) === true;
    this.shown = containerDescription(c);
    const doing = this.services?.activityOf?.(c.engineKey, c.id);
    item.description = plainText([bridged ? '⇄ used from the host' : '', doing ? `${doing}…` : '', this.shown].filter(Boolean).join(' · '));
    // The health badge is a decoration on this URI (HealthStore), coloured by the theme.
    item.resourceUri = healthNodeUri(this.id);
    item.iconPath = new vscode.ThemeIcon(MODE_ICONS[c.classification.mode], stateColor(state));
    const workspace = c.summary.Labels?.[WORKSPACE_LABEL] !== undefined;
    const published = workspace && (c.summary.Ports ?? []).some((p) => p.PrivatePort === 2376 && p.PublicPort);
    const flags = [`mode-${c.classification.mode}`, `state-${state}`, c.classification.dood ? 'dood' : '', c.inner ? 'hosts-engine' : '', workspace ? 'workspace' : '', published ? 'published' : '', bridged ? 'bridged' : '']
      .filter(Boolean)
      .join(' ');
    item.contextValue = `container ${flags}`;
    item.accessibilityInformation = { label: `${plainText(c.name)}, ${item.description}`, role: 'treeitem' };
    if (!isRunning(c.summary) && expandable) item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
    return item;
  }

  children(): TreeNode[] {
    const models = containerChildren(this.container, this.at, this.engineName);
    const images = this.container.inner ? imagesNodes(this.container.inner, this.at, this) : [];
    const rows = groupChildren(models, innerEngineKey(this.container.engineKey, this.container.id), this.at, this.id, treeOptionsOf(this.services));
    const forwards = this.forwards().map((forward) => new ForwardNode(forward, this));
    return [...forwards, ...groupedNodes(rows, this, `the engine inside ${this.container.name}`), ...images, ...filesNodes(this.container, this.at, this)];
  }

  shows(engineKey: string, containerId: string): boolean {
    return this.container.engineKey === engineKey && this.container.id === containerId;
  }

  changedWithTime(now: number): boolean {
    return this.shown !== undefined && containerDescription(this.container, now) !== this.shown;
  }

  private forwards(): ForwardInfo[] {
    return this.services?.forwardsOf?.(this.target) ?? [];
  }

  resolveTooltip(): vscode.MarkdownString {
    return untrustedMarkdown(badgeMarkdown(this.services?.badgeFor(this.id)) + containerTooltipMarkdown(this.container, this.at));
  }
}
