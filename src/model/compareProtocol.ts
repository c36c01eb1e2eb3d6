import type { Comparison, Row } from './compare';
import type { ContainerTarget } from './targets';

/**
 * Every message between the compare webview and the extension, in one place. The extension
 * validates what the webview sends (it is a web page showing engine strings) and acts only on
 * containers that are in the lists it last sent.
 */
export type ToWebview =
  | {
      type: 'comparison';
      target: ContainerTarget;
      title: string;
      /** The engine running the container and the container, as the diagram names them. */
      engineName: string;
      containerName: string;
      outerLabel: string;
      innerLabel: string;
      comparison: Comparison;
      updated: string;
      /** What the action that led to this message did ("Refreshed …"), shown beside the buttons. */
      notice?: string;
    }
  | { type: 'notice'; text: string }
  | { type: 'problem'; message: string };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'copy' }
  | { type: 'inspect'; side: 'outer' | 'inner'; id: string };

export function parseFromWebview(value: unknown): FromWebview | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
    case 'refresh':
    case 'copy':
      return { type: message.type };
    case 'inspect':
      if ((message.side === 'outer' || message.side === 'inner') && typeof message.id === 'string' && /^[0-9a-f]{12,64}$/.test(message.id)) {
        return { type: 'inspect', side: message.side, id: message.id };
      }
      return undefined;
    default:
      return undefined;
  }
}

/** The row a webview message names, only if the extension showed it on that side. */
export function rowIn(comparison: Comparison | undefined, side: 'outer' | 'inner', id: string): Row | undefined {
  return comparison?.[side].find((row) => row.id === id);
}

const RELATION_TEXT: Record<Row['relation'], string> = {
  sibling: 'sibling (same engine)',
  child: 'child (invisible outside)',
  'outside-only': 'not visible inside',
  self: 'the container itself',
};

export function relationText(relation: Row['relation']): string {
  return RELATION_TEXT[relation];
}

const RELATION_WORD: Record<Row['relation'], string> = {
  sibling: 'sibling',
  child: 'child',
  'outside-only': 'outside only',
  self: 'itself',
};

/** The relation in a word, for the table's narrow column (relationText is its hover text). */
export function relationWord(relation: Row['relation']): string {
  return RELATION_WORD[relation];
}

/** Both lists and the verdict as plain text, for bug reports and docs ("Copy as text"). */
export function comparisonAsText(title: string, outerLabel: string, innerLabel: string, comparison: Comparison): string {
  const columns: Array<keyof Row> = ['id', 'image', 'command', 'created', 'status', 'ports', 'names'];
  const table = (rows: Row[]) => {
    const head = [...columns.map((c) => c.toUpperCase()), 'RELATION'];
    const body = rows.map((r) => [...columns.map((c) => String(r[c])), relationText(r.relation)]);
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
    return [head, ...body].map((cells) => cells.map((cell, i) => cell.padEnd(widths[i])).join('   ').trimEnd()).join('\n');
  };
  return [title, '', comparison.verdict, '', `${outerLabel}:`, table(comparison.outer), '', `${innerLabel}:`, table(comparison.inner), ''].join('\n');
}

/** What Refresh says it did: when, and how many rows each list has now. */
export function refreshNotice(comparison: Comparison, time: string): string {
  return `Refreshed at ${time}: ${rows(comparison.outer.length)} outside, ${rows(comparison.inner.length)} inside.`;
}

/** What Copy says it did. */
export function copyNotice(comparison: Comparison): string {
  return `Copied the verdict and both lists (${rows(comparison.outer.length + comparison.inner.length)}) to the clipboard as text.`;
}

function rows(n: number): string {
  return `${n} row${n === 1 ? '' : 's'}`;
}
