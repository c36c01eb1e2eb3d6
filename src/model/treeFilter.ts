import type { ContainerSnapshot, EngineSnapshot } from './snapshot';
import { containerNodeId } from './treeModel';

/** A filter as typed: the text shown back, and what is looked for (case-insensitive). */
export interface TreeFilter {
  text: string;
  needle: string;
}

/** Longer filter text is cut: nobody types more, and every container's text is searched for it. */
export const MAX_FILTER_LENGTH = 200;

const SEPARATOR = '\u0000';

/** The filter for a text, or undefined (no filter) for an empty or blank one. */
export function parseFilter(text: unknown): TreeFilter | undefined {
  if (typeof text !== 'string') return undefined;
  const trimmed = text.split(SEPARATOR).join('').trim().slice(0, MAX_FILTER_LENGTH);
  return trimmed ? { text: trimmed, needle: trimmed.toLowerCase() } : undefined;
}

/**
 * What a filter is matched against: the name, the image, and every label as `key=value` (which holds
 * the Compose project and service, the pod, its namespace and the Kubernetes container name). Kept per
 * listing's summary object, so typing a new filter does not lower-case every label again.
 */
const haystacks = new WeakMap<object, string>();

function haystack(container: ContainerSnapshot): string {
  const summary = container.summary;
  let text = haystacks.get(summary);
  if (text === undefined) {
    const labels = Object.entries(summary.Labels ?? {}).map(([key, value]) => `${key}=${value}`);
    text = [container.name, summary.Image ?? '', ...labels].join(SEPARATOR).toLowerCase();
    haystacks.set(summary, text);
  }
  return text;
}

export function containerMatches(container: ContainerSnapshot, filter: TreeFilter): boolean {
  return haystack(container).includes(filter.needle);
}

/**
 * Which containers a filter leaves in the tree, at every depth: those that match, every container
 * above a match (its ancestors, so the way down stays), and everything inside a container that
 * matches (a matching DinD still shows what runs in it). Containers `hidden` leaves out (the pod
 * sandboxes while infrastructure is hidden) neither show nor keep their ancestors.
 */
export class FilterResult {
  private readonly visible = new Set<string>();
  /** The containers shown, by the key of the engine that runs them: whose rows a change touches. */
  private readonly shownIn = new Map<string, string[]>();
  /** How many containers match the filter themselves. */
  matches = 0;

  constructor(readonly filter: TreeFilter, roots: readonly EngineSnapshot[], hidden: (container: ContainerSnapshot) => boolean) {
    const walk = (engine: EngineSnapshot | undefined, insideMatch: boolean): boolean => {
      if (!engine || engine.status.kind !== 'connected') return false;
      let any = false;
      for (const container of engine.containers) {
        if (hidden(container)) continue;
        const matched = containerMatches(container, filter);
        if (matched) this.matches++;
        const below = walk(container.inner, insideMatch || matched);
        if (matched || insideMatch || below) {
          const id = containerNodeId(container);
          this.visible.add(id);
          const shown = this.shownIn.get(container.engineKey);
          if (shown) shown.push(id);
          else this.shownIn.set(container.engineKey, [id]);
          any = true;
        }
      }
      return any;
    };
    for (const root of roots) walk(root, false);
  }

  shows(container: ContainerSnapshot): boolean {
    return this.visible.has(containerNodeId(container));
  }

  /**
   * The engines (by key) where this result shows other containers than `previous` (the same filter
   * over an earlier listing): a change deep down that makes a container match also shows its
   * ancestors, so the rows of the engines above it render again, and only those.
   */
  changedEngines(previous: FilterResult): Set<string> {
    const changed = new Set<string>();
    for (const [key, ids] of this.shownIn) {
      const before = previous.shownIn.get(key);
      if (!before || before.length !== ids.length || ids.some((id) => !previous.visible.has(id))) changed.add(key);
    }
    for (const key of previous.shownIn.keys()) if (!this.shownIn.has(key)) changed.add(key);
    return changed;
  }
}
