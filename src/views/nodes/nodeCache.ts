import type { TreeNode } from './treeNode';

/**
 * One node object per id for the rows VS Code has been given. VS Code refreshes a single row by the
 * object it got for it, and a row it holds (selected, right-clicked) resolves to that object only:
 * a node built anew from the next listing hands its state to the kept one (TreeNode.update).
 */
export class NodeCache {
  private readonly byId = new Map<string, TreeNode>();
  /** The children last derived for a node (`undefined`: the roots), i.e. rows VS Code has expanded. */
  private readonly childrenOf = new Map<TreeNode | undefined, TreeNode[]>();

  /** The children of `parent` as kept objects; kept children that are not among them are forgotten. */
  adopt(parent: TreeNode | undefined, fresh: readonly TreeNode[]): TreeNode[] {
    const kept = fresh.map((node) => {
      const known = this.byId.get(node.id);
      if (known && known !== node && known.constructor === node.constructor && known.parent === parent) {
        known.update(node);
        return known;
      }
      this.byId.set(node.id, node);
      return node;
    });
    const keep = new Set(kept);
    for (const old of this.childrenOf.get(parent) ?? []) if (!keep.has(old)) this.forget(old);
    this.childrenOf.set(parent, kept);
    return kept;
  }

  get(id: string): TreeNode | undefined {
    return this.byId.get(id);
  }

  /** Whether `parent`'s children were handed out (it is or was expanded; `undefined`: the roots). */
  expanded(parent: TreeNode | undefined): boolean {
    return this.childrenOf.has(parent);
  }

  /** Every kept node (rows VS Code was given). */
  values(): IterableIterator<TreeNode> {
    return this.byId.values();
  }

  get size(): number {
    return this.byId.size;
  }

  private forget(node: TreeNode): void {
    if (this.byId.get(node.id) === node) this.byId.delete(node.id);
    for (const child of this.childrenOf.get(node) ?? []) this.forget(child);
    this.childrenOf.delete(node);
  }
}
