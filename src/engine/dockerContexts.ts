import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BRIDGE_METADATA_KEY, contextDigest, isBridgeContext } from './endpoints';

export { BRIDGE_METADATA_KEY, isBridgeContext };

export interface BridgeContext {
  name: string;
  dockerHost: string;
  /** The engine key the bridge carries (see EngineGraph). */
  engineKey: string;
  /** The engine as people read it, for `docker context ls`. */
  label: string;
}

interface ContextMeta {
  Name?: unknown;
  Metadata?: Record<string, unknown>;
  Endpoints?: { docker?: { Host?: unknown } };
}

export class ContextError extends Error {}

/** How a bridge context describes itself; what follows is the engine's path as people read it. */
const DESCRIPTION_PREFIX = 'Matryoshka bridge to ';

/** The Docker CLI's config folder: DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
}

/**
 * `matryoshka-` and the engine's path, in the characters the Docker CLI allows in a context name
 * (`^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$`): the containers `["ci-runner", "build-42"]` on the default
 * engine give `matryoshka-ci-runner-build-42`; another root engine's name comes first
 * (`matryoshka-prod-ci-runner`), and a root engine itself is `matryoshka-<its name>`. A long path
 * is cut and keeps a digest of the whole, so two engines never share a name.
 */
export function bridgeContextName(engine: string, containers: readonly string[]): string {
  const parts = engine === 'default' && containers.length > 0 ? [...containers] : [engine, ...containers];
  const slug = parts
    .join('-')
    .replace(/[^a-zA-Z0-9_.+-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-_.+]+|-+$/g, '');
  const name = `matryoshka-${slug || 'engine'}`;
  if (name.length <= 80 && slug === parts.join('-')) return name;
  // Cut, or made of other characters: two paths could meet on one name, the digest keeps them apart.
  const digest = createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 10);
  return `${name.slice(0, 69)}-${digest}`;
}

function metaFile(configDir: string, name: string): string {
  return path.join(configDir, 'contexts', 'meta', contextDigest(name), 'meta.json');
}

function readMeta(file: string): ContextMeta | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ContextMeta;
  } catch {
    return undefined;
  }
}

/**
 * Writes the context in the Docker CLI's own store, the format `docker context ls` reads:
 * contexts/meta/<sha256 of the name>/meta.json. A context of that name that Matryoshka did not
 * create is never replaced.
 */
export function writeBridgeContext(configDir: string, context: BridgeContext): string {
  const file = metaFile(configDir, context.name);
  const existing = fs.existsSync(file) ? readMeta(file) : undefined;
  if (fs.existsSync(file) && !(existing && isBridgeContext(existing))) {
    throw new ContextError(`A Docker context named "${context.name}" already exists and was not made by Matryoshka: remove or rename it (docker context rm ${context.name}) to bridge ${context.label}.`);
  }
  const meta = {
    Name: context.name,
    Metadata: { Description: `${DESCRIPTION_PREFIX}${context.label}`, [BRIDGE_METADATA_KEY]: context.engineKey },
    Endpoints: { docker: { Host: context.dockerHost, SkipTLSVerify: false } },
  };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(meta), { mode: 0o644 });
  fs.renameSync(temporary, file);
  return file;
}

/** Removes the context when it is Matryoshka's; returns whether it removed one. */
export function removeBridgeContext(configDir: string, name: string): boolean {
  const file = metaFile(configDir, name);
  const existing = readMeta(file);
  if (!existing || !isBridgeContext(existing)) return false;
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return true;
}

/** A context of Matryoshka's as the store holds it (`label`: the engine's path as written then). */
export interface ListedBridgeContext {
  name: string;
  engineKey: string;
  dockerHost: string;
  label: string;
}

/** Matryoshka's contexts in the store: what a crash may have left behind. */
export function listBridgeContexts(configDir: string): ListedBridgeContext[] {
  const root = path.join(configDir, 'contexts', 'meta');
  let entries: string[];
  try {
    entries = fs.readdirSync(root);
  } catch {
    return [];
  }
  const found: ListedBridgeContext[] = [];
  for (const entry of entries) {
    const meta = readMeta(path.join(root, entry, 'meta.json'));
    if (!meta || !isBridgeContext(meta) || typeof meta.Name !== 'string') continue;
    const host = meta.Endpoints?.docker?.Host;
    const description = meta.Metadata?.Description;
    const label = typeof description === 'string' && description.startsWith(DESCRIPTION_PREFIX) ? description.slice(DESCRIPTION_PREFIX.length) : meta.Name;
    found.push({ name: meta.Name, engineKey: String(meta.Metadata?.[BRIDGE_METADATA_KEY]), dockerHost: typeof host === 'string' ? host : '', label });
  }
  return found;
}
