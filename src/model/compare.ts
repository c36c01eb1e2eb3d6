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
  /** The whole command, quoted (the `command` column is cut like `docker ps` cuts it). */
  commandFull: string;
  /** When it was created, as an ISO 8601 time in UTC (empty when the engine did not say). */
  createdAt: string;
  /** How many containers run in the engine this container runs, when Matryoshka lists that engine. */
  engineInside?: number;
}

export interface Comparison {
  verdict: string;
  outer: Row[];
  inner: Row[];
  /** false when the container's own list could not be read (the verdict says why). */
  innerSeen: boolean;
}

export interface CompareInput {
  container: { id: string; name: string; mode: Mode; dood: boolean };
  outerEngine: string;
  outer: readonly ContainerSummary[];
  /** What the container's own Docker client lists; undefined when it could not be asked. */
  inner: readonly ContainerSummary[] | undefined;
  innerError?: string;
  now: number;
  /** Running containers of each engine that runs inside a listed container, by the container's full id. */
  nestedEngines?: ReadonlyMap<string, number>;
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

/**
 * `docker ps`'s PORTS column: "127.0.0.1:18080->80/tcp, 2375-2376/tcp" (without range folding). Engines
 * list a container's ports in no fixed order (a map in the engine), so they are sorted: by container
 * port, protocol, host address (IPv4 before IPv6, as `docker ps` shows them), then host port; the
 * text then stays put across refreshes.
 */
export function formatPorts(ports: readonly PortBinding[] | undefined): string {
  return [...(ports ?? [])]
    .sort((a, b) => (a.PrivatePort ?? 0) - (b.PrivatePort ?? 0) || (a.Type ?? 'tcp').localeCompare(b.Type ?? 'tcp') || Number((a.IP ?? '').includes(':')) - Number((b.IP ?? '').includes(':')) || (a.IP ?? '').localeCompare(b.IP ?? '') || (a.PublicPort ?? 0) - (b.PublicPort ?? 0))
    .map((p) => (p.PublicPort ? `${p.IP ?? ''}:${p.PublicPort}->${p.PrivatePort}/${p.Type ?? 'tcp'}` : `${p.PrivatePort}/${p.Type ?? 'tcp'}`))
    .filter((text, index, all) => all.indexOf(text) === index)
    .join(', ');
}

function quoteCommand(command: string | undefined, width = Infinity): string {
  const text = command ?? '';
  return `"${text.length > width ? `${text.slice(0, width - 1)}…` : text}"`;
}

function isoTime(createdSeconds: number | undefined): string {
  if (!createdSeconds || !Number.isFinite(createdSeconds)) return '';
  const date = new Date(createdSeconds * 1000);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function toRow(summary: ContainerSummary, relation: Relation, now: number, nested: ReadonlyMap<string, number> | undefined): Row {
  const engineInside = nested?.get(summary.Id);
  return {
    id: summary.Id.slice(0, 12),
    image: summary.Image ?? '',
    command: quoteCommand(summary.Command, COMMAND_WIDTH),
    created: relativeTime(summary.Created, now),
    status: summary.Status ?? '',
    ports: formatPorts(summary.Ports),
    names: (summary.Names ?? []).map((n) => n.replace(/^\//, '')).join(','),
    relation,
    commandFull: quoteCommand(summary.Command),
    createdAt: isoTime(summary.Created),
    ...(engineInside === undefined ? {} : { engineInside }),
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
  const outer = input.outer.map((c) => toRow(c, relationOf(c.Id, innerIds.has(c.Id), 'outside-only'), now, input.nestedEngines));
  const inner = (input.inner ?? []).map((c) => toRow(c, relationOf(c.Id, outerIds.has(c.Id), 'child'), now, input.nestedEngines));
  return { verdict: verdict(input, inner), outer, inner, innerSeen: input.inner !== undefined };
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
