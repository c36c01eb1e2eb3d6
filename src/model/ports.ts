import { isIP } from 'node:net';
import * as z from 'zod/mini';

/** What forwarding reads from a container's inspect: where its network is and what it offers. */
export interface PortFacts {
  Id: string;
  State?: { Running?: boolean; Status?: string };
  Config?: { ExposedPorts?: Record<string, unknown> | null };
  HostConfig?: { NetworkMode?: string };
  NetworkSettings?: {
    IPAddress?: string;
    Ports?: Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | null;
    Networks?: Record<string, { IPAddress?: string } | null> | null;
  };
}

const str = z.string();
const opt = z.optional;

export const portFactsSchema: z.ZodMiniType<PortFacts> = z.object({
  Id: str,
  State: opt(z.object({ Running: opt(z.boolean()), Status: opt(str) })),
  Config: opt(z.object({ ExposedPorts: opt(z.nullable(z.record(str, z.unknown()))) })),
  HostConfig: opt(z.object({ NetworkMode: opt(str) })),
  NetworkSettings: opt(
    z.object({
      IPAddress: opt(str),
      Ports: opt(z.nullable(z.record(str, z.nullable(z.array(z.object({ HostIp: opt(str), HostPort: opt(str) })))))),
      Networks: opt(z.nullable(z.record(str, z.nullable(z.object({ IPAddress: opt(str) }))))),
    }),
  ),
});

/** A TCP port number as typed or sent: a whole number from 1 to 65535. */
export function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/**
 * The address the container's own network answers on, seen from the host of its engine: its IP on
 * its first network with one, or 127.0.0.1 when it shares that host's network. Undefined for a
 * container without a network of its own (none, or another container's).
 */
export function containerAddress(facts: PortFacts): string | undefined {
  const mode = facts.HostConfig?.NetworkMode ?? '';
  if (mode === 'host') return '127.0.0.1';
  if (mode === 'none' || mode.startsWith('container:')) return undefined;
  const settings = facts.NetworkSettings;
  const fromNetworks = Object.values(settings?.Networks ?? {}).map((n) => n?.IPAddress).find((ip) => ip && net4or6(ip));
  const ip = fromNetworks ?? (settings?.IPAddress || undefined);
  return ip && net4or6(ip) ? ip : undefined;
}

/** Only an IP address ever reaches a relay's argument list (an engine is untrusted input). */
function net4or6(ip: string): boolean {
  return isIP(ip) !== 0;
}

/** Where `port`/tcp is published on the engine's host, when it is: a host address and port. */
export function publishedPort(facts: PortFacts, port: number): { host: string; port: number } | undefined {
  const bindings = facts.NetworkSettings?.Ports?.[`${port}/tcp`] ?? [];
  for (const binding of bindings) {
    const hostPort = Number(binding.HostPort);
    if (!isPort(hostPort)) continue;
    const ip = binding.HostIp ?? '';
    // A wildcard binding answers on the loopback address too; a specific one only on itself.
    const host = ip === '' || ip === '0.0.0.0' || ip === '::' ? '127.0.0.1' : net4or6(ip) ? ip : undefined;
    if (host) return { host, port: hostPort };
  }
  return undefined;
}

export interface PortProposal {
  port: number;
  /** Where it was seen: "exposed", "published on 8081", "listening". */
  source: string;
}

/** Ports from inspect: exposed by the image or run, and published (with the host port). */
export function inspectedPorts(facts: PortFacts): PortProposal[] {
  const found = new Map<number, string[]>();
  const add = (port: number, source: string) => found.set(port, [...(found.get(port) ?? []), source]);
  for (const key of Object.keys(facts.Config?.ExposedPorts ?? {})) {
    const match = /^(\d+)\/tcp$/.exec(key);
    if (match && isPort(Number(match[1]))) add(Number(match[1]), 'exposed');
  }
  for (const [key, bindings] of Object.entries(facts.NetworkSettings?.Ports ?? {})) {
    const match = /^(\d+)\/tcp$/.exec(key);
    if (!match || !isPort(Number(match[1]))) continue;
    const port = Number(match[1]);
    const hostPorts = [...new Set((bindings ?? []).map((b) => b.HostPort).filter((p): p is string => !!p && isPort(Number(p))))];
    if (hostPorts.length) add(port, `published on ${hostPorts.join(', ')}`);
    else if (!found.has(port)) add(port, 'exposed');
  }
  return [...found.entries()].sort(([a], [b]) => a - b).map(([port, sources]) => ({ port, source: [...new Set(sources)].join(', ') }));
}

/**
 * TCP ports in LISTEN state from the text of /proc/net/tcp and /proc/net/tcp6 (state 0A), with
 * the kernel's hexadecimal local port. Lines that do not parse are skipped: the text comes from a
 * container.
 */
export function listeningPorts(procNetTcp: string): number[] {
  const ports = new Set<number>();
  for (const line of procNetTcp.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4 || fields[3] !== '0A') continue;
    const match = /:([0-9A-Fa-f]{4})$/.exec(fields[1]);
    if (!match) continue;
    const port = parseInt(match[1], 16);
    if (isPort(port)) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
}

/** The tree's label of a forward: `8080 → 127.0.0.1:8080`. */
export function forwardLabel(port: number, localPort: number): string {
  return `${port} → 127.0.0.1:${localPort}`;
}
