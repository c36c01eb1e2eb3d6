import type { ContainerInspect, ContainerSummary, VersionInfo } from './apiTypes';
import type { Mode } from './classify';

/**
 * What the health checks read from engines, beyond apiTypes.ts. Field names are the engine's own
 * (API 1.41, checked against test/fixtures/recorded/health); everything is optional because inner
 * engines can answer anything.
 */
export interface EngineInfo {
  Name?: string;
  ServerVersion?: string;
  Driver?: string;
  DriverStatus?: Array<[string, string]> | null;
  DockerRootDir?: string;
  CgroupVersion?: string;
  CgroupDriver?: string;
  SecurityOptions?: string[] | null;
  Warnings?: string[] | null;
  DefaultRuntime?: string;
  Runtimes?: Record<string, unknown>;
}

export interface NetworkInspect {
  Name?: string;
  Driver?: string;
  Options?: Record<string, string> | null;
}

export interface ImageSummary {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Size?: number;
  Created?: number;
  Containers?: number;
}

/** HostConfig fields only the health checks read. */
export type HealthInspect = ContainerInspect & {
  HostConfig?: ContainerInspect['HostConfig'] & { CapDrop?: string[] | null; CgroupnsMode?: string };
};

export type HealthStatus = 'ok' | 'warn' | 'error';

/** One check's verdict: what it saw, why it matters and what to do, as plain text. */
export interface HealthResult {
  check: string;
  status: HealthStatus;
  detail: string;
  fix?: string;
}

/** An engine's own answers; `error` when it did not answer. */
export interface EngineAnswers {
  /** How details name it: `the engine inside it8-vfs`, `engine "default"`. */
  label: string;
  info?: EngineInfo;
  version?: VersionInfo;
  bridge?: NetworkInspect;
  error?: string;
}

/** What the short-lived probe container on the checked engine did. */
export type ProbeOutcome =
  | { kind: 'ran'; image: string; exitCode: number }
  | { kind: 'no-image' }
  | { kind: 'failed'; image: string; stage: 'create' | 'start' | 'wait'; message: string };

/** The container that hosts the checked engine (DinD/Sysbox) or talks to its own engine (DooD). */
export interface HealthContainer {
  name: string;
  inspect: HealthInspect;
  mode: Mode;
  dood: boolean;
  /** The other containers on the same engine, for a data root shared with another engine. */
  siblings: readonly ContainerSummary[];
  /** Outputs of the execs in HEALTH_EXECS (src/engine/healthGather.ts); absent when they could not run. */
  netMtu?: string;
  uidMap?: string;
  socket?: string;
  /** The inner daemon's last log lines (the container's logs, or its dockerd log file). */
  daemonLog?: string;
}

export interface HealthInput {
  /** How results name what was checked: `default › it8-vfs` or `engine "default"`. */
  subject: string;
  /** Absent when a root engine itself is checked. */
  container?: HealthContainer;
  /** The engine that runs the container; absent for a root engine. */
  outer?: EngineAnswers;
  /** The checked engine: the one inside the container, or the root engine itself. */
  inner?: EngineAnswers;
  probe?: ProbeOutcome;
}
