import type { ContainerInspect, ContainerSummary, VersionInfo } from './apiTypes';
import type { Classification } from './classify';

export type EngineStatus =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'disconnected'; reason: string; permanent: boolean };

/** One engine as last listed: pure data, built by the engine layer, read by the views. */
export interface EngineSnapshot {
  /** Stable across refreshes: the root engine's name, then each hosting container's id. */
  key: string;
  name: string;
  /** Where it is reached: a URL for root engines, the relay for inner ones. */
  endpoint: string;
  origin: 'environment' | 'context' | 'setting' | 'default' | 'inner';
  current: boolean;
  depth: number;
  status: EngineStatus;
  version?: VersionInfo;
  containers: ContainerSnapshot[];
}

export interface ContainerSnapshot {
  engineKey: string;
  id: string;
  name: string;
  summary: ContainerSummary;
  inspect?: ContainerInspect;
  classification: Classification;
  /** The engine running inside it (dind/sysbox), when one was found. */
  inner?: EngineSnapshot;
  /** Why the engine inside it is not listed (it is deeper than the depth limit). */
  notFollowed?: string;
}

export function innerEngineKey(engineKey: string, containerId: string): string {
  return `${engineKey}/${containerId}`;
}

/** Docker names carry a leading slash; a container without one (or named just "/") shows its short id. */
export function containerName(summary: ContainerSummary): string {
  const name = summary.Names?.[0]?.replace(/^\//, '');
  return name || summary.Id.slice(0, 12);
}
