import * as vscode from 'vscode';
import type { EngineSnapshot } from '../model/snapshot';
import { EngineNode } from './nodes/engineNode';
import type { NodeServices, TreeNode } from './nodes/treeNode';
import type { RefreshController } from './refreshController';

/**
 * The engines tree. Nodes are rebuilt from the latest snapshot on each render; their ids come from
 * the engine chain, so VS Code keeps expansion and selection, and `reveal` works at any depth.
 */
export class EnginesTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly known = new Map<string, TreeNode>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly controller: RefreshController,
    private readonly onRoots: (roots: EngineSnapshot[]) => void,
    private readonly services?: NodeServices,
    servicesChanged?: vscode.Event<void>,
  ) {
    this.subscriptions = [controller.onDidChange(() => this.changed.fire(undefined))];
    if (servicesChanged) this.subscriptions.push(servicesChanged(() => this.changed.fire(undefined)));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.treeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      await this.controller.ready();
      const roots = this.controller.snapshot();
      this.onRoots(roots);
      this.known.clear();
      // With no engine answering, the welcome view explains how to start one.
      if (roots.every((r) => r.status.kind === 'disconnected')) return [];
      return this.remember(roots.map((engine) => new EngineNode(engine, this.services)));
    }
    return this.remember(node.loadChildren ? await node.loadChildren() : node.children());
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node.resolveTooltip) item.tooltip = node.resolveTooltip();
    return item;
  }

  /** The node with this id from the last render, for reveal and for commands given an id. */
  nodeById(id: string): TreeNode | undefined {
    return this.known.get(id);
  }

  private remember(nodes: TreeNode[]): TreeNode[] {
    for (const node of nodes) this.known.set(node.id, node);
    return nodes;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
