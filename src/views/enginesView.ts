import * as vscode from 'vscode';
import { CONTEXT_KEYS } from '../model/contributions';
import { plainText } from '../model/markdown';
import type { ContainerSnapshot, EngineSnapshot } from '../model/snapshot';
import { type ResolvedTarget, pathLabel } from '../model/targets';
import { EnginesTreeProvider } from './enginesTreeProvider';
import { ContainerNode } from './nodes/containerNode';
import { EngineNode } from './nodes/engineNode';
import type { NodeServices, TreeNode } from './nodes/treeNode';
import type { EngineService } from '../services/engineService';
import type { TreeViewState } from './treeViewState';

export const VIEW_ID = 'matryoshka.engines';

/** The tree view itself: visibility drives the engine service (lists only while seen), and reveal finds nodes at any depth. */
export class EnginesView implements vscode.Disposable {
  readonly provider: EnginesTreeProvider;
  readonly treeView: vscode.TreeView<TreeNode>;
  private readonly disposables: vscode.Disposable[] = [];
  private selected: readonly TreeNode[] = [];

  constructor(
    private readonly engineService: EngineService,
    services?: NodeServices,
    servicesChanged?: vscode.Event<void>,
    private readonly state?: TreeViewState,
  ) {
    this.provider = new EnginesTreeProvider(engineService, (roots) => this.describe(roots), services, servicesChanged, state);
    this.treeView = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this.provider, showCollapseAll: true, canSelectMany: true });
    this.disposables.push(
      this.provider,
      this.treeView,
      this.treeView.onDidChangeVisibility((e) => engineService.setVisible(e.visible)),
      // Kept as nodes (whose targets resolve against the latest listing): see lastSelection.
      this.treeView.onDidChangeSelection((e) => (this.selected = e.selection)),
    );
    if (this.treeView.visible) engineService.setVisible(true);
    if (state) {
      this.disposables.push(state.onDidChange(() => this.showOptions(state)));
      this.showOptions(state);
    }
  }

  /** The filter in the view's description (cleared from the title bar), and the keys its buttons read. */
  private showOptions(state: TreeViewState): void {
    const filter = state.filter;
    this.treeView.description = filter ? plainText(`filter: ${filter.text}`) : undefined;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.filterActive, filter !== undefined);
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.showInfrastructure, state.showInfrastructure);
  }

  /**
   * The selection as it was last reported. Each refresh makes VS Code forget its nodes until it has
   * rendered them again, and a menu command chosen in that moment receives nothing for them.
   */
  get lastSelection(): readonly TreeNode[] {
    return this.selected;
  }

  /**
   * Selects and shows a container, expanding every engine above it: walks the resolved chain of
   * containers down the nodes, through any rows that only group containers.
   */
  async reveal(target: ResolvedTarget, focus = true): Promise<void> {
    const root = this.engineService.snapshot().find((e) => e.name === target.at.engine);
    if (!root) return;
    let node: TreeNode = new EngineNode(root, this.provider.nodeServices);
    const filter = this.state?.filter;
    for (const container of target.chain) {
      const next = findContainerNode(node, container);
      if (!next && filter) throw new Error(`${pathLabel(target.at)} is hidden by the filter "${filter.text}"; clear the filter to see it.`);
      if (!next) throw new Error(`${pathLabel(target.at)} is not in the tree yet; refresh and try again.`);
      node = next;
    }
    await this.treeView.reveal(node, { select: true, focus, expand: true });
  }

  private describe(roots: EngineSnapshot[]): void {
    const down = roots.filter((r) => r.status.kind === 'disconnected');
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.noEngineAnswers, roots.length > 0 && down.length === roots.length);
    const problems = this.engineService.configurationProblems;
    const messages = [
      ...(down.length === roots.length ? down.map((r) => plainText(`${r.name}: ${r.status.kind === 'disconnected' ? r.status.reason : ''}`)) : []),
      ...problems.map(plainText),
    ];
    this.treeView.message = messages.length ? messages.join(' — ') : undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The row of `wanted` below `node`: a direct child, or one under rows that are not containers (groups). */
function findContainerNode(node: TreeNode, wanted: ContainerSnapshot): ContainerNode | undefined {
  const children = node.children();
  const direct = children.find((child): child is ContainerNode => child instanceof ContainerNode && child.container.engineKey === wanted.engineKey && child.container.id === wanted.id);
  if (direct) return direct;
  for (const child of children) {
    if (child instanceof ContainerNode) continue;
    const found = findContainerNode(child, wanted);
    if (found) return found;
  }
  return undefined;
}
