import type Dockerode from 'dockerode';
import type { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import type { ContainerInspect, ContainerSummary, EngineEvent, VersionInfo } from '../model/apiTypes';
import { withDeadline } from './deadline';
import { compareVersionStrings } from '../model/healthVersion';

/** The newest API version Matryoshka speaks; older engines are asked in their own version. */
export const MAX_API_VERSION = '1.47';
const MIN_API_VERSION = '1.24';

export interface EngineApiOptions {
  /** Names the engine in every error, e.g. `engine "default"` or `inner engine of ci-runner`. */
  label: string;
  deadlineMs: number;
}

export interface DialOptions {
  path: string;
  method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  options?: Record<string, unknown>;
  statusCodes: Record<number, boolean | string>;
  isStream?: boolean;
  hijack?: boolean;
  openStdin?: boolean;
  allowEmpty?: boolean;
  abortSignal?: AbortSignal;
  /** A request body stream (image load). */
  file?: NodeJS.ReadableStream;
  /** Overrides the engine's deadline for calls that legitimately take longer (stop waits for the grace period). */
  deadlineMs?: number;
}

type Modem = { dial(options: DialOptions, callback: (error: Error | null, result: unknown) => void): void };

/** Container events after which a listing differs (state, status text, name, presence). */
export const LISTING_EVENTS = ['create', 'start', 'restart', 'stop', 'kill', 'die', 'oom', 'pause', 'unpause', 'rename', 'update', 'destroy', 'health_status'];

export class EngineApiError extends Error {
  /** `engineMessage`: what the engine itself said, without the request (for messages to users). */
  constructor(message: string, readonly statusCode?: number, readonly engineMessage?: string) {
    super(message);
    this.name = 'EngineApiError';
  }
}

/**
 * Typed Engine API calls over one dockerode modem (whatever its transport: socket, TLS, ssh or a
 * relay through a container). Every call that is not a stream has a deadline. Paths carry the API
 * version negotiated with this engine, so an inner engine older or newer than the host still works.
 */
export class EngineApi {
  private apiVersion: string | undefined;

  constructor(private readonly docker: Dockerode, private readonly options: EngineApiOptions) {}

  get label(): string {
    return this.options.label;
  }

  get negotiatedVersion(): string | undefined {
    return this.apiVersion;
  }

  /** GET /version without a version prefix, then pin every later call to the engine's own version. */
  async negotiate(): Promise<VersionInfo> {
    const version = (await this.call({ path: '/version', method: 'GET', statusCodes: { 200: true } }, false)) as VersionInfo;
    this.apiVersion = pickApiVersion(version);
    return version;
  }

  async ping(): Promise<void> {
    await this.call({ path: '/_ping', method: 'GET', statusCodes: { 200: true } }, false);
  }

  /** `all: false` is `docker ps` (running only). Never size=true: it walks every container's filesystem. */
  async listContainers(all = true): Promise<ContainerSummary[]> {
    const result = await this.call({ path: '/containers/json?', method: 'GET', options: { all }, statusCodes: { 200: true } });
    return Array.isArray(result) ? (result as ContainerSummary[]) : [];
  }

  async inspectContainer(id: string): Promise<ContainerInspect> {
    return (await this.call({
      path: `/containers/${encodeURIComponent(id)}/json`,
      method: 'GET',
      statusCodes: { 200: true, 404: 'no such container' },
    })) as ContainerInspect;
  }

  /**
   * Who this engine is: the daemon's ID (made once per data root) and its host name. Two relays
   * that reach the same daemon get the same identity, however they got there.
   */
  async identity(): Promise<string> {
    const identity = engineIdentity(await this.info());
    if (identity === undefined) throw new EngineApiError(`${this.options.label}: GET /info has no engine ID: the engine cannot be told apart from the others`);
    return identity;
  }

  async info(): Promise<Record<string, unknown>> {
    return (await this.call({ path: '/info', method: 'GET', statusCodes: { 200: true } })) as Record<string, unknown>;
  }

  async createExec(containerId: string, body: Record<string, unknown>): Promise<string> {
    const result = (await this.call({
      path: `/containers/${encodeURIComponent(containerId)}/exec`,
      method: 'POST',
      options: body,
      statusCodes: { 201: true, 404: 'no such container', 409: 'container is paused', 500: 'server error' },
    })) as { Id: string };
    return result.Id;
  }

  async inspectExec(execId: string): Promise<{ ExitCode?: number | null; Running?: boolean; Pid?: number }> {
    return (await this.call({ path: `/exec/${execId}/json`, method: 'GET', statusCodes: { 200: true } })) as {
      ExitCode?: number | null;
      Running?: boolean;
    };
  }

  /** Starts an exec with stdin attached and returns the raw (hijacked) connection. */
  async startExecHijacked(execId: string, tty: boolean): Promise<Duplex> {
    return (await this.call({
      path: `/exec/${execId}/start`,
      method: 'POST',
      options: { Detach: false, Tty: tty },
      isStream: true,
      hijack: true,
      openStdin: true,
      allowEmpty: true,
      statusCodes: { 200: true, 101: true, 404: 'no such exec', 409: 'container is stopped or paused' },
    })) as Duplex;
  }

  async resizeExec(execId: string, rows: number, cols: number): Promise<void> {
    await this.call({ path: `/exec/${execId}/resize?`, method: 'POST', options: { h: rows, w: cols }, statusCodes: { 200: true, 201: true, 404: 'no such exec' } });
  }

  /** start, stop, restart (204, or 304 when already in that state) and remove. */
  async containerAction(id: string, action: 'start' | 'stop' | 'restart' | 'remove'): Promise<void> {
    const path = action === 'remove' ? `/containers/${encodeURIComponent(id)}?` : `/containers/${encodeURIComponent(id)}/${action}?`;
    const graceSeconds = 10;
    await this.call({
      path,
      method: action === 'remove' ? 'DELETE' : 'POST',
      // Removing a running container needs force; its anonymous volumes go with it, as with `docker rm -fv`.
      options: action === 'remove' ? { force: true, v: true } : action === 'start' ? {} : { t: graceSeconds },
      deadlineMs: action === 'stop' || action === 'restart' ? this.options.deadlineMs + graceSeconds * 1000 : undefined,
      statusCodes: { 204: true, 304: true, 404: 'no such container', 409: 'conflict', 500: 'server error' },
    });
  }

  /** Follows a container's logs with timestamps; non-TTY logs are multiplexed (see demuxStream). */
  async followLogs(id: string, tail: number): Promise<IncomingMessage> {
    return (await this.call({
      path: `/containers/${encodeURIComponent(id)}/logs?`,
      method: 'GET',
      options: { follow: true, stdout: true, stderr: true, timestamps: true, tail: String(tail) },
      isStream: true,
      statusCodes: { 200: true, 404: 'no such container' },
    })) as IncomingMessage;
  }

  /**
   * The container events that change what a listing shows, one parsed event per callback; resolves
   * once the stream is open. exec_* events are left out: every relay, terminal and probe is an exec,
   * and re-listing an engine for each of them changes nothing the tree shows.
   */
  async streamEvents(onEvent: (event: EngineEvent) => void): Promise<IncomingMessage> {
    const stream = (await this.call({
      path: '/events?',
      method: 'GET',
      options: { filters: JSON.stringify({ type: ['container'], event: LISTING_EVENTS }) },
      isStream: true,
      statusCodes: { 200: true },
    })) as IncomingMessage;
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => {
      buffered += text;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line) continue;
        try {
          onEvent(JSON.parse(line) as EngineEvent);
        } catch {
          // A malformed line from a strange engine is skipped; the next refresh re-lists anyway.
        }
      }
    });
    return stream;
  }

  /** One request with this engine's deadline; `versioned: false` for the version-less endpoints. */
  call({ deadlineMs, abortSignal, ...dial }: DialOptions, versioned = true): Promise<unknown> {
    const prefix = versioned && this.apiVersion ? `/v${this.apiVersion}` : '';
    const what = `${this.options.label}: ${dial.method} ${dial.path.replace(/\?$/, '')}`;
    const modem = this.docker.modem as unknown as Modem;
    return withDeadline(what, deadlineMs ?? this.options.deadlineMs, (signal) =>
      new Promise<unknown>((resolve, reject) => {
        // The caller's signal (a user's cancel) and the deadline both abort the request.
        const aborted = abortSignal ? AbortSignal.any([signal, abortSignal]) : signal;
        modem.dial({ ...dial, path: prefix + dial.path, abortSignal: aborted }, (error, result) => {
          if (error) reject(explain(what, error));
          else resolve(result);
        });
      }),
    );
  }
}

function explain(what: string, error: Error & { statusCode?: number; json?: unknown; code?: string }): Error {
  if (error.name === 'DeadlineError') return error;
  const fromEngine = engineMessage(error.json);
  if (error.statusCode) return new EngineApiError(`${what} failed (HTTP ${error.statusCode}): ${fromEngine ?? error.message}`, error.statusCode, fromEngine);
  return new EngineApiError(`${what} failed: ${error.code ? `${error.code} ` : ''}${error.message}`);
}

function engineMessage(json: unknown): string | undefined {
  if (json && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string') {
    return (json as { message: string }).message;
  }
  if (Buffer.isBuffer(json)) return json.toString('utf8').trim() || undefined;
  return undefined;
}

/** An engine's identity from its /info: its ID, with its host name in case two share a copied data root. */
export function engineIdentity(info: Record<string, unknown>): string | undefined {
  if (typeof info.ID !== 'string' || info.ID === '') return undefined;
  return `${info.ID}\n${typeof info.Name === 'string' ? info.Name : ''}`;
}

export function pickApiVersion(version: VersionInfo): string {
  const engine = version.ApiVersion ?? MIN_API_VERSION;
  return compareVersions(engine, MAX_API_VERSION) > 0 ? MAX_API_VERSION : engine;
}

/** Dotted version strings compared part by part ("1.41" > "1.9"). */
export const compareVersions = compareVersionStrings;
