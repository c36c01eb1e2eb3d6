import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** TLS material as file paths; `certPath` is a folder holding ca.pem, cert.pem and key.pem. */
export interface TlsSettings {
  certPath?: string;
  ca?: string;
  cert?: string;
  key?: string;
  /** Verify the server's certificate against the CA (default true). */
  verify?: boolean;
}

export interface EngineEndpoint {
  /** The name the tree shows and that programmatic targets use (`{ engine: name }`). */
  name: string;
  /** unix:///path, tcp://host:port or ssh://user@host[:port] */
  host: string;
  tls?: TlsSettings;
  /** For ssh engines: a private key file (default: ssh-agent, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa). */
  identityFile?: string;
  origin: 'environment' | 'context' | 'setting' | 'default';
  /** The engine the Docker CLI would talk to right now. */
  current: boolean;
}

export interface EndpointSources {
  env: NodeJS.ProcessEnv;
  /** The Docker CLI's config folder (DOCKER_CONFIG, else ~/.docker). */
  configDir?: string;
  /** Engines from the `matryoshka.engines` setting. */
  configured?: readonly unknown[];
}

export const DEFAULT_SOCKET = 'unix:///var/run/docker.sock';

interface ContextMeta {
  Name: string;
  Metadata?: unknown;
  Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
}

/**
 * Every engine the user has told Docker (or Matryoshka) about, the current one first, resolved the
 * way the Docker CLI resolves them: DOCKER_HOST, else DOCKER_CONTEXT, else config.json's
 * currentContext, else the default socket. Problems with one source are returned, not thrown,
 * so one broken context never hides the others.
 */
export function resolveEndpoints(sources: EndpointSources): { endpoints: EngineEndpoint[]; problems: string[] } {
  const env = sources.env;
  const configDir = sources.configDir ?? env.DOCKER_CONFIG ?? path.join(os.homedir(), '.docker');
  const problems: string[] = [];
  const contexts = readContexts(configDir, problems);
  const envEndpoint = env.DOCKER_HOST ? fromEnvironment(env) : undefined;
  const currentName = env.DOCKER_HOST ? 'default' : env.DOCKER_CONTEXT || readCurrentContext(configDir, problems) || 'default';
  const defaultEndpoint: EngineEndpoint = envEndpoint ?? {
    name: 'default',
    host: DEFAULT_SOCKET,
    origin: 'default',
    current: false,
  };
  const all: EngineEndpoint[] = [defaultEndpoint, ...contexts.filter((c) => c.name !== 'default')];
  for (const endpoint of all) endpoint.current = endpoint.name === currentName;
  if (!all.some((e) => e.current)) {
    problems.push(`The current Docker context "${currentName}" does not exist; using the default engine.`);
    defaultEndpoint.current = true;
  }
  for (const [index, raw] of (sources.configured ?? []).entries()) {
    const configured = fromSetting(raw, index, problems);
    if (!configured) continue;
    const existing = all.find((e) => e.name === configured.name);
    if (existing) {
      const owner = existing.origin === 'setting' ? 'an earlier matryoshka.engines entry' : existing.origin === 'context' ? 'a Docker context' : 'the default engine';
      problems.push(`matryoshka.engines[${index}] ("${configured.name}"): the name is already used by ${owner}; rename it.`);
      continue;
    }
    all.push(configured);
  }
  all.sort((a, b) => Number(b.current) - Number(a.current));
  return { endpoints: all, problems };
}

function fromEnvironment(env: NodeJS.ProcessEnv): EngineEndpoint {
  let host = env.DOCKER_HOST as string;
  if (!host.includes('://')) host = `tcp://${host}`;
  // As the Docker CLI reads it: any non-empty value (even "0") means TLS with verification.
  const verify = !!env.DOCKER_TLS_VERIFY;
  const certPath = env.DOCKER_CERT_PATH || (verify ? path.join(os.homedir(), '.docker') : undefined);
  const tls = verify || certPath ? { certPath, verify } : undefined;
  return { name: 'default', host, tls, origin: 'environment', current: true };
}

function readCurrentContext(configDir: string, problems: string[]): string | undefined {
  const file = path.join(configDir, 'config.json');
  if (!fs.existsSync(file)) return undefined;
  try {
    const config = JSON.parse(fs.readFileSync(file, 'utf8')) as { currentContext?: unknown };
    return typeof config.currentContext === 'string' ? config.currentContext : undefined;
  } catch (error) {
    problems.push(`Could not read ${file}: ${(error as Error).message}`);
    return undefined;
  }
}

/** The CLI stores each context under meta/<sha256(name)>/meta.json and its TLS under tls/<same>/docker. */
function readContexts(configDir: string, problems: string[]): EngineEndpoint[] {
  const metaRoot = path.join(configDir, 'contexts', 'meta');
  if (!fs.existsSync(metaRoot)) return [];
  const endpoints: EngineEndpoint[] = [];
  for (const entry of fs.readdirSync(metaRoot)) {
    const file = path.join(metaRoot, entry, 'meta.json');
    try {
      const meta = JSON.parse(fs.readFileSync(file, 'utf8')) as ContextMeta;
      const docker = meta.Endpoints?.docker;
      if (!meta.Name || !docker?.Host) continue;
      // A bridge Matryoshka made leads to an engine the tree already shows, through this very extension.
      if (isBridgeContext(meta)) continue;
      const tlsDir = path.join(configDir, 'contexts', 'tls', contextDigest(meta.Name), 'docker');
      // SkipTLSVerify alone still means TLS: only without verification.
      const tls = fs.existsSync(tlsDir) ? { certPath: tlsDir, verify: !docker.SkipTLSVerify } : docker.SkipTLSVerify ? { verify: false } : undefined;
      endpoints.push({ name: meta.Name, host: docker.Host, tls, origin: 'context', current: false });
    } catch (error) {
      problems.push(`Docker context ${file} is unreadable: ${(error as Error).message}`);
    }
  }
  return endpoints.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The key in a context's Metadata that marks it as Matryoshka's bridge (see dockerContexts.ts):
 * only such contexts are ever replaced or removed, and none is listed as an engine of its own.
 */
export const BRIDGE_METADATA_KEY = 'MatryoshkaBridge';

export function isBridgeContext(meta: { Metadata?: unknown }): boolean {
  const metadata = meta.Metadata;
  return typeof metadata === 'object' && metadata !== null && typeof (metadata as Record<string, unknown>)[BRIDGE_METADATA_KEY] === 'string';
}

export function contextDigest(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

function fromSetting(raw: unknown, index: number, problems: string[]): EngineEndpoint | undefined {
  const where = `matryoshka.engines[${index}]`;
  if (typeof raw !== 'object' || raw === null) {
    problems.push(`${where} must be an object with "name" and "host".`);
    return undefined;
  }
  const { name, host, tls, identityFile } = raw as Record<string, unknown>;
  if (typeof name !== 'string' || !name.trim()) {
    problems.push(`${where} needs a "name".`);
    return undefined;
  }
  if (typeof host !== 'string' || !/^(unix|tcp|ssh):\/\/.+/.test(host)) {
    problems.push(`${where} ("${name}"): "host" must start with unix://, tcp:// or ssh://.`);
    return undefined;
  }
  return {
    name: name.trim(),
    host,
    tls: typeof tls === 'object' && tls !== null ? (tls as TlsSettings) : undefined,
    identityFile: typeof identityFile === 'string' ? identityFile : undefined,
    origin: 'setting',
    current: false,
  };
}

/** `~` and `~/…` as a shell would expand them, for paths in settings and the environment. */
export function expandHome(file: string): string {
  return file === '~' || file.startsWith('~/') ? path.join(os.homedir(), file.slice(1)) : file;
}

/** What is unsafe about how an engine is reached, for its row in the tree (or undefined). */
export function endpointWarning(endpoint: EngineEndpoint): string | undefined {
  if (endpoint.tls?.verify === false) {
    return 'TLS verification is off: anyone between you and this engine can impersonate it and read what is sent';
  }
  return undefined;
}
