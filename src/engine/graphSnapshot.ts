import { classify, isEngineCandidate, staticFacts, type ClassifyInput } from '../model/classify';
import type { ContainerSummary } from '../model/apiTypes';
import { containerName, innerEngineKey, type ContainerSnapshot, type EngineSnapshot } from '../model/snapshot';
import type { EngineEndpoint } from './endpoints';
import type { EngineSession } from './engineSession';

/** One engine of the graph: its session and where it sits. */
export interface SessionInfo {
  session: EngineSession;
  /** "default › ci-runner › build-42": how errors and logs name the engine. */
  label: string;
  /** The same path without the quoting of root labels: how the tree names this engine. */
  pathName: string;
  depth: number;
  endpoint?: EngineEndpoint;
  parentKey?: string;
  containerId?: string;
}

export type SessionLookup = (key: string) => SessionInfo | undefined;

export interface SnapshotOptions {
  sysboxRuntimes: readonly string[];
  maxDepth: number;
}

/** What classification reads about a container of `info`'s engine; its static facts are cached per container id. */
export function classifyInputFor(info: SessionInfo, summary: ContainerSummary, lookup: SessionLookup, sysboxRuntimes: readonly string[]): ClassifyInput {
  const host = info.endpoint?.host ?? '';
  const socket = host.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
  const child = lookup(innerEngineKey(info.session.key, summary.Id))?.session;
  const probe = child
    ? {
        answered: child.everConnected,
        reason: child.status.kind === 'disconnected' ? child.status.reason : undefined,
        aliasOf: child.aliasOf,
      }
    : undefined;
  const input: ClassifyInput = {
    summary,
    inspect: info.session.inspections.get(summary.Id),
    engineSocketPaths: [socket],
    sysboxRuntimes,
    probe,
  };
  if (!input.inspect) return input;
  let facts = info.session.facts.get(summary.Id);
  if (!facts) info.session.facts.set(summary.Id, (facts = staticFacts(input)));
  input.facts = facts;
  return input;
}

/** An engine as the views show it: its state and containers, and the engines inside them, recursively. */
export function snapshotOf(info: SessionInfo, lookup: SessionLookup, options: SnapshotOptions): EngineSnapshot {
  const session = info.session;
  let containers: ContainerSnapshot[] = [];
  let status = session.status;
  try {
    containers = containerSnapshots(info, lookup, options);
  } catch (error) {
    // One engine whose containers cannot be shown is an error on its row; the rest still render.
    status = { kind: 'disconnected', reason: `could not show its containers: ${(error as Error).message}`, permanent: false };
  }
  return {
    key: session.key,
    name: session.name,
    endpoint: session.endpointText,
    origin: info.endpoint?.origin ?? 'inner',
    current: info.endpoint?.current ?? false,
    depth: info.depth,
    status,
    version: session.version,
    containers,
  };
}

function containerSnapshots(info: SessionInfo, lookup: SessionLookup, options: SnapshotOptions): ContainerSnapshot[] {
  const session = info.session;
  const atDepthLimit = info.depth >= options.maxDepth;
  return session.containers.map((summary) => {
    const childInfo = lookup(innerEngineKey(session.key, summary.Id));
    const input = classifyInputFor(info, summary, lookup, options.sysboxRuntimes);
    const snapshot: ContainerSnapshot = {
      engineKey: session.key,
      id: summary.Id,
      name: containerName(summary),
      summary,
      inspect: session.inspections.get(summary.Id),
      classification: classify(input),
      inner: childInfo && childInfo.session.aliasOf === undefined ? snapshotOf(childInfo, lookup, options) : undefined,
    };
    if (atDepthLimit && isEngineCandidate(input)) {
      snapshot.notFollowed = `Engines deeper than ${options.maxDepth} ${options.maxDepth === 1 ? 'level' : 'levels'} are not listed (setting matryoshka.maxDepth)`;
    }
    return snapshot;
  });
}
