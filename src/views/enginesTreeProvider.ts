import * as vscode from 'vscode';
import type { RenderBatch } from '../model/renderThrottle';
import type { ContainerSnapshot, EngineSnapshot } from '../model/snapshot';
import { isInfrastructure, type TreeOptions } from '../model/grouping';
import { FilterResult } from '../model/treeFilter';
import type { TreeViewState } from './treeViewState';
import { engineRowIds } from '../model/treeModel';
import { EngineNode } from './nodes/engineNode';
import { NodeCache } from './nodes/nodeCache';
import type { NodeServices, TreeNode } from './nodes/treeNode';
import type { EngineService } from '../services/engineService';

/**
 * The engines tree. Node ids come from the engine chain, so VS Code keeps expansion and selection,
 * and `reveal` works at any depth. One object per id is kept (NodeCache): when only some engines
 * changed, just the rows that show them are refreshed, and every other row (a selection, the row
 * of an open context menu) stays valid while engines churn.
 */
export class EnginesTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly nodes = new NodeCache();
  private readonly subscriptions: vscode.Disposable[];
  /** The root engines and their states at the last render: when that changes, everything renders. */
  private rootsShape = '';
  /** The filter and infrastructure toggle as applied to the last listing. */
  private options: TreeOptions = { showInfrastructure: false };
  /** What nodes ask for, with the view's options added. */
  readonly nodeServices: NodeServices | undefined;

  constructor(
    private readonly engineService: EngineService,
    private readonly onRoots: (roots: EngineSnapshot[]) => void,
    services?: NodeServices,
    servicesChanged?: vscode.Event<void>,
    private readonly state?: TreeViewState,
  ) {
    this.nodeServices = services && { ...services, treeOptions: () => this.options };
    this.subscriptions = [engineService.onDidChange((batch) => this.render(batch))];
    if (servicesChanged) this.subscriptions.push(servicesChanged(() => this.changed.fire(undefined)));
    if (state) this.subscriptions.push(state.onDidChange(() => this.changed.fire(undefined)));
  }

  /** Rows whose text changed with the clock alone (uptimes in whole minutes): each render gives them again. */
  agedRows(now: number): TreeNode[] {
    return [...this.nodes.values()].filter((node) => node.changedWithTime?.(now));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.treeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      await this.engineService.ready();
      const roots = this.sync();
      // With no engine answering, the welcome view explains how to start one.
      return roots.every((r) => r instanceof EngineNode && r.engine.status.kind === 'disconnected') ? [] : roots;
    }
    return this.nodes.adopt(node, node.loadChildren ? await node.loadChildren() : node.children());
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node.resolveTooltip) item.tooltip = node.resolveTooltip();
    return item;
  }

  /** Gives VS Code a container's row again (what is under way on it changed); no other row. */
  refreshContainer(engineKey: string, containerId: string): void {
    const rows = [...this.nodes.values()].filter((node) => node.shows?.(engineKey, containerId));
    if (rows.length) this.changed.fire(rows);
  }

  /** Lists a node's children again (a Files folder's Refresh). */
  refreshNode(node: TreeNode): void {
    this.changed.fire(node);
  }

  /** The node with this id from the last render, for reveal and for commands given an id. */
  nodeById(id: string): TreeNode | undefined {
    return this.nodes.get(id);
  }

  /** Kept node objects (rows shown, and children of expanded rows); for tests. */
  get keptNodes(): number {
    return this.nodes.size;
  }

  private render(batch: RenderBatch): void {
    // Before VS Code has asked for the roots there is no row to refresh alone.
    if (batch.all || !this.nodes.expanded(undefined)) return this.changed.fire(undefined);
    const shape = this.rootsShape;
    const before = this.options;
    this.sync();
    if (this.rootsShape !== shape) return this.changed.fire(undefined);
    const engines = new Set(batch.engines);
    const after = this.options;
    if (before.filter || after.filter) {
      // A new filter or toggle (not yet rendered) changes every row.
      if (!before.filter || !after.filter || before.filter.filter.text !== after.filter.filter.text || before.showInfrastructure !== after.showInfrastructure) {
        return this.changed.fire(undefined);
      }
      // A change deep down can show or hide rows above it: the rows of those engines render too.
      for (const key of after.filter.changedEngines(before.filter)) engines.add(key);
    }
    const changed = [...engines].flatMap((key) => engineRowIds(key).map((id) => this.nodes.get(id)).filter((n): n is TreeNode => !!n));
    const rows = [...new Set([...changed, ...this.agedRows(Date.now())])];
    // Engines whose rows VS Code never got (under collapsed rows) are listed when it asks for them.
    if (rows.length) this.changed.fire(rows);
  }

  /**
   * The latest listing into the kept nodes: the roots, and the children of every row whose
   * children VS Code holds, so that a row refreshed alone shows the listing it was refreshed for.
   */
  private sync(): TreeNode[] {
    const snapshot = this.engineService.snapshot();
    this.onRoots(snapshot);
    this.rootsShape = JSON.stringify(snapshot.map((e) => [e.key, e.status.kind]));
    const showInfrastructure = this.state?.showInfrastructure ?? false;
    const filter = this.state?.filter;
    const hidden = (c: ContainerSnapshot) => !showInfrastructure && isInfrastructure(c);
    this.options = { showInfrastructure, filter: filter && new FilterResult(filter, snapshot, hidden) };
    const roots = this.nodes.adopt(undefined, snapshot.map((engine) => new EngineNode(engine, this.nodeServices)));
    const descend = (nodes: TreeNode[]): void => {
      for (const node of nodes) if (!node.loadChildren && this.nodes.expanded(node)) descend(this.nodes.adopt(node, node.children()));
    };
    descend(roots);
    return roots;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
