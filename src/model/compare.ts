import type { ContainerSummary, PortBinding } from './apiTypes';
import type { Mode } from './classify';

/**
 * How a row relates the two lists: on both sides = a sibling (same engine); only inside = a child
 * the outer engine cannot see; only outside = not visible from inside; `self` = the container
 * being compared, which a DooD container sees in its own list.
 */
export type Relation = 'sibling' | 'child' | 'outside-only' | 'self';

/** One line of `docker ps`, with its relation to the other list. */
export interface Row {
  id: string;
  image: string;
  command: string;
  created: string;
  status: string;
  ports: string;
  names: string;
  relation: Relation;
}

export interface Comparison {
  verdict: string;
  outer: Row[];
  inner: Row[];
}

export interface CompareInput {
  container: { id: string; name: string; mode: Mode; dood: boolean };
  outerEngine: string;
  outer: readonly ContainerSummary[];
  /** What the container's own Docker client lists; undefined when it could not be asked. */
  inner: readonly ContainerSummary[] | undefined;
  innerError?: string;
  now: number;
}

const COMMAND_WIDTH = 20;

/** `docker ps`'s "Created" column: "3 minutes ago". */
export function relativeTime(createdSeconds: number | undefined, nowMs: number): string {
  if (!createdSeconds) return '';
  const seconds = Math.max(0, Math.round(nowMs / 1000 - createdSeconds));
  const units: Array<[number, string]> = [[86400 * 365, 'year'], [86400 * 30, 'month'], [86400 * 7, 'week'], [86400, 'day'], [3600, 'hour'], [60, 'minute']];
  for (const [size, name] of units) {
    const n = Math.floor(seconds / size);
    if (n >= 1) return n === 1 ? `${name === 'hour' ? 'An' : 'A'} ${name} ago` : `${n} ${name}s ago`;
  }
  return seconds < 2 ? 'Less than a second ago' : `${seconds} seconds ago`;
}

/** `docker ps`'s PORTS column: "127.0.0.1:18080->80/tcp, 2375-2376/tcp" (without range folding). */
export function formatPorts(ports: readonly PortBinding[] | undefined): string {
  return (ports ?? [])
    .map((p) => (p.PublicPort ? `${p.IP ?? ''}:${p.PublicPort}->${p.PrivatePort}/${p.Type ?? 'tcp'}` : `${p.PrivatePort}/${p.Type ?? 'tcp'}`))
    .filter((text, index, all) => all.indexOf(text) === index)
    .join(', ');
}

function quoteCommand(command: string | undefined): string {
  const text = command ?? '';
  return `"${text.length > COMMAND_WIDTH ? `${text.slice(0, COMMAND_WIDTH - 1)}…` : text}"`;
}

function toRow(summary: ContainerSummary, relation: Relation, now: number): Row {
  return {
    id: summary.Id.slice(0, 12),
    image: summary.Image ?? '',
    command: quoteCommand(summary.Command),
    created: relativeTime(summary.Created, now),
    status: summary.Status ?? '',
    ports: formatPorts(summary.Ports),
    names: (summary.Names ?? []).map((n) => n.replace(/^\//, '')).join(','),
    relation,
  };
}

function plural(n: number, word: string): string {
  if (n === 1) return `1 ${word}`;
  return `${n} ${word === 'child' ? 'children' : `${word}s`}`;
}

/** Matches both `docker ps` lists by container id and says in one sentence what the container is. */
export function compareLists(input: CompareInput): Comparison {
  const { container, now } = input;
  const innerIds = new Set((input.inner ?? []).map((c) => c.Id));
  const outerIds = new Set(input.outer.map((c) => c.Id));
  const relationOf = (id: string, onOtherSide: boolean, otherwise: Relation): Relation =>
    id === container.id ? 'self' : onOtherSide ? 'sibling' : otherwise;
  const outer = input.outer.map((c) => toRow(c, relationOf(c.Id, innerIds.has(c.Id), 'outside-only'), now));
  const inner = (input.inner ?? []).map((c) => toRow(c, relationOf(c.Id, outerIds.has(c.Id), 'child'), now));
  return { verdict: verdict(input, inner), outer, inner };
}

function verdict(input: CompareInput, inner: Row[]): string {
  const { container, outerEngine } = input;
  if (!input.inner) return `Cannot see inside ${container.name}: ${input.innerError ?? 'its Docker client did not answer'}.`;
  const shared = inner.filter((r) => r.relation === 'sibling' || r.relation === 'self').length;
  const children = inner.filter((r) => r.relation === 'child').length;
  const seesItself = inner.some((r) => r.relation === 'self');
  if (inner.length > 0 && children === 0) {
    const runsEngine = container.mode === 'dind' || container.mode === 'sysbox';
    const subject = runsEngine
      ? `${container.name} runs an engine, but its Docker client talks to ${outerEngine}'s engine`
      : `${container.name} shares ${outerEngine}'s engine`;
    return `${subject}: its ${plural(shared, 'container')} are siblings${seesItself ? ', itself among them' : ''}.`;
  }
  if (shared === 0) {
    return children === 0
      ? `${container.name} runs its own engine, with no containers running yet.`
      : `${container.name} runs its own engine: ${plural(children, 'child')} that ${outerEngine} cannot see.`;
  }
  return `${container.name} sees ${plural(shared, 'sibling')} on ${outerEngine}'s engine and ${plural(children, 'child')} that ${outerEngine} cannot see.`;
}
