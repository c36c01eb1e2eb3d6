import * as z from 'zod/mini';
import type { ContainerInspect, ContainerSummary, EngineEvent, MountPoint, PortBinding, VersionInfo } from './apiTypes';
import type { ImageSummary, NetworkInspect } from './healthTypes';

/**
 * The shapes of the Engine API replies Matryoshka reads, checked where a reply enters the engine
 * layer: an engine that answers `Mounts: {}` gets an error naming that field, instead of a crash
 * somewhere in the tree code. Each schema describes exactly the type the rest of the code uses
 * (checked at compile time below). Nothing is coerced; fields no schema names pass through
 * unchecked (the inspect document shows them, and newer engines add fields all the time).
 */

const str = z.string();
const num = z.number();
const bool = z.boolean();
const opt = z.optional;
const strings = z.array(str);
const labels = z.record(str, str);

const mountPoint = z.object({ Type: opt(str), Name: opt(str), Source: opt(str), Destination: opt(str), RW: opt(bool) });
const portBinding = z.object({ IP: opt(str), PrivatePort: opt(num), PublicPort: opt(num), Type: opt(str) });

export const containerSummarySchema = z.object({
  Id: str,
  Names: opt(strings),
  Image: opt(str),
  ImageID: opt(str),
  Command: opt(str),
  Created: opt(num),
  State: opt(str),
  Status: opt(str),
  Ports: opt(z.array(portBinding)),
  Labels: opt(labels),
  Mounts: opt(z.array(mountPoint)),
  HostConfig: opt(z.object({ NetworkMode: opt(str) })),
});

export const containerListSchema = z.array(containerSummarySchema);

const command = opt(z.union([strings, str, z.null()]));

export const containerInspectSchema = z.object({
  Id: str,
  Name: opt(str),
  Path: opt(str),
  Args: opt(strings),
  State: opt(z.object({ Status: opt(str), Running: opt(bool), Paused: opt(bool), ExitCode: opt(num), Pid: opt(num), StartedAt: opt(str) })),
  Image: opt(str),
  Config: opt(
    z.object({
      Image: opt(str),
      Env: opt(z.nullable(strings)),
      Entrypoint: command,
      Cmd: command,
      Labels: opt(z.nullable(labels)),
      User: opt(str),
      WorkingDir: opt(str),
      Tty: opt(bool),
    }),
  ),
  HostConfig: opt(
    z.object({
      Privileged: opt(bool),
      Runtime: opt(str),
      Binds: opt(z.nullable(strings)),
      CapAdd: opt(z.nullable(strings)),
      NetworkMode: opt(str),
      PidMode: opt(str),
      UsernsMode: opt(str),
    }),
  ),
  Mounts: opt(z.array(mountPoint)),
});

export const versionSchema = z.object({ Version: opt(str), ApiVersion: opt(str), MinAPIVersion: opt(str), Os: opt(str), Arch: opt(str) });

export const eventSchema = z.object({
  Type: opt(str),
  Action: opt(str),
  Actor: opt(z.object({ ID: opt(str), Attributes: opt(labels) })),
  id: opt(str),
  status: opt(str),
  time: opt(num),
  timeNano: opt(num),
});

/** `GET /info`: read field by field by its users, so only its being an object is checked here. */
export const infoSchema = z.record(str, z.unknown());

export const idSchema = z.object({ Id: str });

export const execStateSchema = z.object({ ExitCode: opt(z.nullable(num)), Running: opt(bool), Pid: opt(num) });

export const imageListSchema = z.array(
  z.object({ Id: str, RepoTags: opt(z.nullable(strings)), RepoDigests: opt(z.nullable(strings)), Size: opt(num), Created: opt(num), Containers: opt(num) }),
);

export const volumeListSchema = z.object({ Volumes: opt(z.nullable(z.array(z.object({ Name: str, Labels: opt(z.nullable(labels)) })))) });

export const networkSchema = z.object({ Name: opt(str), Driver: opt(str), Options: opt(z.nullable(labels)) });

/** The published ports of a container (inspect's NetworkSettings), for a launched engine's TLS port. */
export const publishedPortsSchema = z.object({
  NetworkSettings: opt(z.object({ Ports: opt(z.nullable(z.record(str, z.nullable(z.array(z.object({ HostIp: opt(str), HostPort: opt(str) })))))) })),
});

export const waitSchema = z.object({ StatusCode: opt(num) });

export type Schema<T> = z.ZodMiniType<T>;

/** Thrown for a reply of the wrong shape; the message names each field that is wrong. */
export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

/**
 * The value itself when it has the schema's shape, else a ShapeError naming the first few wrong
 * fields by path: `[0].Mounts: expected array, got object`.
 */
export function checkShape<T>(schema: Schema<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return value as T;
  const issues = result.error.issues;
  const shown = issues.slice(0, 3).map((issue) => describeIssue(issue, value));
  const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : '';
  throw new ShapeError(`${shown.join('; ')}${more}`);
}

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  errors?: Issue[][];
}

function describeIssue(issue: Issue, root: unknown): string {
  const where = formatPath(issue.path) || 'the reply';
  const got = kindOf(valueAt(root, issue.path));
  if (issue.code === 'invalid_type') return `${where}: expected ${issue.expected}, got ${got}`;
  if (issue.code === 'invalid_union') {
    const expected = [...new Set((issue.errors ?? []).flatMap((branch) => branch.filter((i) => i.path.length === 0 && i.expected).map((i) => i.expected)))];
    return `${where}: expected ${expected.join(' or ') || 'another type'}, got ${got}`;
  }
  return `${where}: ${issue.message}, got ${got}`;
}

/** `[0].Config.Labels`; keys that are not plain identifiers are quoted. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      if (/^[A-Za-z_$][\w$]*$/.test(name)) return i === 0 ? name : `.${name}`;
      return `[${JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name)}]`;
    })
    .join('');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value === undefined) return 'nothing';
  return typeof value;
}

// Each schema describes exactly the type the code uses: a field added to one and not the other fails here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Out<S> = S extends z.ZodMiniType<infer T> ? T : never;
const sameShapes: [
  Same<Out<typeof containerSummarySchema>, ContainerSummary>,
  Same<Out<typeof containerInspectSchema>, ContainerInspect>,
  Same<Out<typeof versionSchema>, VersionInfo>,
  Same<Out<typeof eventSchema>, EngineEvent>,
  Same<Out<typeof mountPoint>, MountPoint>,
  Same<Out<typeof portBinding>, PortBinding>,
  Same<Out<typeof imageListSchema>[number], ImageSummary>,
  Same<Out<typeof networkSchema>, NetworkInspect>,
] = [true, true, true, true, true, true, true, true];
void sameShapes;
