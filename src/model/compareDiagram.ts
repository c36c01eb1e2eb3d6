import type { Comparison, Relation, Row } from './compare';

/** How many boxes a diagram group shows before its "+ N more". */
export const DIAGRAM_VISIBLE = 6;

export interface DiagramItem {
  id: string;
  name: string;
  relation: Relation;
  /** Containers running in the engine this one runs, when Matryoshka lists that engine. */
  engineInside?: number;
}

/**
 * What the compare view draws, decided from the lists themselves (what the container's client saw),
 * not from the classification: a DinD whose client talks to the host's engine draws as shared.
 * - `shared`: one engine box holding the container beside its siblings (DooD).
 * - `own`: the outer engine's box holding the container's box, which holds the engine inside it
 *   and that engine's children (DinD, Sysbox); `others` counts the outer engine's other containers.
 * - `unseen`: the inner list could not be read; only the outer engine and the container are drawn.
 */
export type Diagram =
  | { kind: 'shared'; engine: string; container: string; members: DiagramItem[] }
  | { kind: 'own'; engine: string; container: string; children: DiagramItem[]; others: number; engineInside?: number }
  | { kind: 'unseen'; engine: string; container: string };

function item(row: Row): DiagramItem {
  return { id: row.id, name: row.names, relation: row.relation, ...(row.engineInside === undefined ? {} : { engineInside: row.engineInside }) };
}

export function diagramOf(comparison: Comparison, engine: string, container: string): Diagram {
  if (!comparison.innerSeen) return { kind: 'unseen', engine, container };
  const children = comparison.inner.filter((r) => r.relation === 'child');
  const shared = comparison.inner.filter((r) => r.relation === 'sibling' || r.relation === 'self');
  if (children.length === 0 && shared.length > 0) {
    // The container first, then its siblings in list order; a container that does not see itself
    // (its client filters) is still drawn in the box, from the outer list.
    const self = comparison.inner.find((r) => r.relation === 'self') ?? comparison.outer.find((r) => r.relation === 'self');
    const members = [...(self ? [item(self)] : []), ...shared.filter((r) => r.relation === 'sibling').map(item)];
    return { kind: 'shared', engine, container, members };
  }
  const self = comparison.outer.find((r) => r.relation === 'self');
  return {
    kind: 'own',
    engine,
    container,
    children: children.map(item),
    others: comparison.outer.filter((r) => r.relation !== 'self').length,
    ...(self?.engineInside === undefined ? {} : { engineInside: self.engineInside }),
  };
}

/** The boxes a group shows: all when expanded, else the first DIAGRAM_VISIBLE and how many are left. */
export function visibleItems(items: readonly DiagramItem[], expanded: boolean): { shown: DiagramItem[]; hidden: number } {
  if (expanded || items.length <= DIAGRAM_VISIBLE) return { shown: [...items], hidden: 0 };
  return { shown: items.slice(0, DIAGRAM_VISIBLE), hidden: items.length - DIAGRAM_VISIBLE };
}

/** "1 container", "3 containers": what a nested engine's box says it runs. */
export function containerCount(n: number): string {
  return `${n} container${n === 1 ? '' : 's'}`;
}
