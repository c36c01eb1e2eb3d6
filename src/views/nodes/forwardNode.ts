import * as vscode from 'vscode';
import { plainText } from '../../model/markdown';
import { forwardLabel } from '../../model/ports';
import type { Target } from '../../model/targets';
import type { ForwardInfo } from '../../services/portForwards';
import type { TreeNode } from './treeNode';

/** A forwarded port under its container: `8080 → 127.0.0.1:8080`. */
export class ForwardNode implements TreeNode {
  readonly id: string;

  constructor(
    public forward: ForwardInfo,
    readonly parent: TreeNode,
  ) {
    this.id = `${parent.id}/forward/${forward.port}`;
  }

  /** What Stop Forwarding and the other forward commands take: the container and the port. */
  get forwardTarget(): Target & { port: number } {
    return { ...this.forward.target, port: this.forward.port };
  }

  treeItem(): vscode.TreeItem {
    const f = this.forward;
    const item = new vscode.TreeItem(forwardLabel(f.port, f.localPort), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const waiting = f.status.kind === 'waiting';
    // The reason and the route carry container and engine names: plain text only.
    item.description = plainText(waiting ? `waiting: ${f.status.kind === 'waiting' ? f.status.reason : ''}` : f.status.kind === 'forwarding' ? (f.status.route ?? '') : 'stopped');
    item.tooltip = plainText(`Port ${f.port} of ${f.target.path.join(' › ')} on ${f.url}${item.description ? `\n${String(item.description)}` : ''}`);
    item.iconPath = new vscode.ThemeIcon(waiting ? 'debug-disconnect' : 'plug');
    item.contextValue = `portForward ${waiting ? 'forward-waiting' : 'forward-active'}`;
    return item;
  }

  children(): TreeNode[] {
    return [];
  }

  update(fresh: TreeNode): void {
    if (fresh instanceof ForwardNode) this.forward = fresh.forward;
  }
}
