import * as vscode from 'vscode';
import { escapeMarkdown, plainText } from '../../model/markdown';
import {
  podDescription,
  projectDescription,
  type ComposeProjectModel,
  type GroupedChild,
  type KubeNamespaceModel,
  type KubePodModel,
  type TreeOptions,
} from '../../model/grouping';
import type { ComposeProjectTarget } from '../../model/composeProjects';
import { engineLabel, engineLabelOf } from '../../model/targets';
import { ContainerNode } from './containerNode';
import { NoteNode } from './noteNode';
import { untrustedMarkdown, type NodeServices, type TreeNode } from './treeNode';

const NO_OPTIONS: TreeOptions = { showInfrastructure: false };

/** The filter and the infrastructure toggle, as the view last set them (none when nodes stand alone). */
export function treeOptionsOf(services: NodeServices | undefined): TreeOptions {
  return services?.treeOptions?.() ?? NO_OPTIONS;
}

/** Node objects for grouped rows; `engineName` names the engine that runs the containers. */
export function groupedNodes(rows: readonly GroupedChild[], parent: TreeNode, engineName: string): TreeNode[] {
  return rows.map((row): TreeNode => {
    if (row.kind === 'container') return new ContainerNode(row.container, row.at, engineName, parent, row.label);
    if (row.kind === 'note') return new NoteNode(row.note, parent);
    if (row.kind === 'project') return new ComposeProjectNode(row, engineName, parent);
    return new KubeNamespaceNode(row, engineName, parent);
  });
}

/** A Compose project: its containers by service, with the project actions. */
export class ComposeProjectNode implements TreeNode {
  readonly id: string;
  readonly services: NodeServices | undefined;

  constructor(public project: ComposeProjectModel, private engineName: string, readonly parent: TreeNode) {
    this.id = project.id;
    this.services = parent.services;
  }

  update(fresh: ComposeProjectNode): void {
    this.project = fresh.project;
    this.engineName = fresh.engineName;
  }

  /** The programmatic form of this node, as the project commands accept it. */
  get target(): ComposeProjectTarget {
    return { engine: this.project.enginePath.engine, path: [...this.project.enginePath.path], project: this.project.name };
  }

  treeItem(): vscode.TreeItem {
    const p = this.project;
    const item = new vscode.TreeItem(plainText(p.name), vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = plainText(projectDescription(p));
    item.iconPath = new vscode.ThemeIcon('layers-active', p.running > 0 ? new vscode.ThemeColor('charts.green') : new vscode.ThemeColor('disabledForeground'));
    item.contextValue = `compose-project${p.running > 0 ? ' some-running' : ''}${p.running < p.total ? ' some-stopped' : ''}`;
    item.accessibilityInformation = { label: `Compose project ${plainText(p.name)}, ${item.description}`, role: 'treeitem' };
    return item;
  }

  children(): TreeNode[] {
    return groupedNodes(this.project.shown, this, this.engineName);
  }

  resolveTooltip(): vscode.MarkdownString {
    const p = this.project;
    const e = escapeMarkdown;
    const services = [...new Set(p.members.map((m) => m.label ?? m.container.name))];
    return untrustedMarkdown(
      [
        `**Compose project ${e(p.name)}**`,
        '',
        `- On: ${e(engineLabel(p.enginePath))}`,
        `- ${p.running} of ${p.total} containers running`,
        `- Working directory (as the engine reported it): ${e(p.workingDir ?? 'not labelled')}`,
        `- Rows: ${services.map(e).join(', ')}`,
      ].join('\n'),
    );
  }
}

/** A Kubernetes namespace on one engine: its pods. */
export class KubeNamespaceNode implements TreeNode {
  readonly id: string;
  readonly services: NodeServices | undefined;

  constructor(public namespace: KubeNamespaceModel, private engineName: string, readonly parent: TreeNode) {
    this.id = namespace.id;
    this.services = parent.services;
  }

  update(fresh: KubeNamespaceNode): void {
    this.namespace = fresh.namespace;
    this.engineName = fresh.engineName;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(plainText(this.namespace.name), vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = `namespace · ${this.namespace.pods.length} pod${this.namespace.pods.length === 1 ? '' : 's'}`;
    item.iconPath = new vscode.ThemeIcon('symbol-namespace');
    item.contextValue = 'k8s-namespace';
    return item;
  }

  children(): TreeNode[] {
    return this.namespace.pods.map((pod) => new KubePodNode(pod, this.engineName, this));
  }
}

/** A pod: named by the pod, its containers by their Kubernetes names; the sandbox only when infrastructure shows. */
export class KubePodNode implements TreeNode {
  readonly id: string;
  readonly services: NodeServices | undefined;

  constructor(public pod: KubePodModel, private engineName: string, readonly parent: TreeNode) {
    this.id = pod.id;
    this.services = parent.services;
  }

  update(fresh: KubePodNode): void {
    this.pod = fresh.pod;
    this.engineName = fresh.engineName;
  }

  treeItem(): vscode.TreeItem {
    const p = this.pod;
    const item = new vscode.TreeItem(plainText(p.name), p.shown.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = plainText(podDescription(p));
    item.iconPath = new vscode.ThemeIcon('symbol-module', p.running > 0 ? new vscode.ThemeColor('charts.green') : new vscode.ThemeColor('disabledForeground'));
    item.contextValue = 'k8s-pod';
    return item;
  }

  children(): TreeNode[] {
    return groupedNodes(this.pod.shown, this, this.engineName);
  }

  resolveTooltip(): vscode.MarkdownString {
    const p = this.pod;
    const first = p.shown[0];
    const where = first ? engineLabelOf(first.at) : '';
    const hidden = p.hiddenInfrastructure ? `\n- ${p.hiddenInfrastructure} sandbox container${p.hiddenInfrastructure === 1 ? '' : 's'} hidden (Show Infrastructure shows ${p.hiddenInfrastructure === 1 ? 'it' : 'them'})` : '';
    return untrustedMarkdown(`**Pod ${escapeMarkdown(p.name)}** in namespace ${escapeMarkdown(p.namespace)}\n\n- On: ${escapeMarkdown(where)}\n- ${p.running} of ${p.total} containers running${hidden}`);
  }
}
