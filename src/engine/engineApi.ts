import type Dockerode from 'dockerode';
import type { IncomingMessage } from 'node:http';
import { type Duplex } from 'node:stream';
import type { ContainerInspect, ContainerSummary, EngineEvent, VersionInfo } from '../model/apiTypes';
import { withDeadline } from './deadline';
import { LIMITS, LineSplitter, TooLargeError, readCapped } from './boundedRead';
import { formatSize } from '../model/sizes';
import { checkShape, containerInspectSchema, containerListSchema, eventSchema, execStateSchema, idSchema, infoSchema, versionSchema, type Schema } from '../model/apiSchemas';
import { compareVersionStrings } from '../model/healthVersion';

/** The newest API version Matryoshka speaks; older engines are asked in their own version. */
export const MAX_API_VERSION = '1.47';
const MIN_API_VERSION = '1.24';

export interface EngineApiOptions {
  /** Names the engine in every error, e.g. `engine "default"` or `inner engine of ci-runner`. */
  label: string;
  /** A number, or read on each call (the graph's current setting: a change applies to open connections too). */
  deadlineMs: Deadline;
}

export type Deadline = number | (() => number);

export interface DialOptions {
  path: string;
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'HEAD';
  options?: Record<string, unknown>;
  statusCodes: Record<number, boolean | string>;
  isStream?: boolean;
  hijack?: boolean;
  openStdin?: boolean;
  allowEmpty?: boolean;
  abortSignal?: AbortSignal;
  /** A request body: a stream (image load) or a whole buffer (an archive to extract). */
  file?: NodeJS.ReadableStream | Buffer;
  /** Overrides the engine's deadline for calls that legitimately take longer (stop waits for the grace period). */
  deadlineMs?: number;
  /** The most a reply that is not a stream may carry (LIMITS.jsonBytes unless said). */
  maxBytes?: number;
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

/** A reply the engine should never send: the wrong shape, not JSON, or over its size cap. */
export class MalformedReplyError extends EngineApiError {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedReplyError';
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
    const version = await this.call({ path: '/version', method: 'GET', statusCodes: { 200: true }, schema: versionSchema }, false);
    this.apiVersion = pickApiVersion(version);
    return version;
  }

  async ping(): Promise<void> {
    await this.call({ path: '/_ping', method: 'GET', statusCodes: { 200: true } }, false);
  }

  /** `all: false` is `docker ps` (running only). Never size=true: it walks every container's filesystem. */
  async listContainers(all = true): Promise<ContainerSummary[]> {
    return await this.call({ path: '/containers/json?', method: 'GET', options: { all }, statusCodes: { 200: true }, schema: containerListSchema });
  }

  async inspectContainer(id: string): Promise<ContainerInspect> {
    return await this.call({
      path: `/containers/${encodeURIComponent(id)}/json`,
      method: 'GET',
      statusCodes: { 200: true, 404: 'no such container' },
      schema: containerInspectSchema,
    });
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
    return await this.call({ path: '/info', method: 'GET', statusCodes: { 200: true }, schema: infoSchema });
  }

  async createExec(containerId: string, body: Record<string, unknown>): Promise<string> {
    const result = await this.call({
      path: `/containers/${encodeURIComponent(containerId)}/exec`,
      method: 'POST',
      options: body,
      statusCodes: { 201: true, 404: 'no such container', 409: 'container is paused', 500: 'server error' },
      schema: idSchema,
    });
    return result.Id;
  }

  async inspectExec(execId: string): Promise<{ ExitCode?: number | null; Running?: boolean; Pid?: number }> {
    return await this.call({ path: `/exec/${execId}/json`, method: 'GET', statusCodes: { 200: true }, schema: execStateSchema });
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
      deadlineMs: action === 'stop' || action === 'restart' ? this.deadlineMs + graceSeconds * 1000 : undefined,
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
    // A line over the cap is not buffered further: the stream is destroyed with the reason, which
    // the session shows and answers like any lost stream (reconnect, then a full re-list), so no
    // event is silently missed and a hostile engine cannot make Matryoshka hold an endless line.
    const lines = new LineSplitter(
      LIMITS.eventLineBytes,
      (line) => {
        if (!line.trim()) return;
        let event: EngineEvent;
        try {
          event = checkShape(eventSchema, JSON.parse(line));
        } catch {
          // A malformed line from a strange engine is skipped; the next refresh re-lists anyway.
          return;
        }
        onEvent(event);
      },
      () => stream.destroy(new EngineApiError(`${this.options.label}: an event line is longer than ${formatSize(LIMITS.eventLineBytes, true)}; reconnecting`)),
    );
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => lines.push(text));
    return stream;
  }

  /** The deadline of this engine's calls, for reads that run after `call` returned a stream. */
  get deadlineMs(): number {
    const deadline = this.options.deadlineMs;
    return typeof deadline === 'function' ? deadline() : deadline;
  }

  /**
   * One request with this engine's deadline; `versioned: false` for the version-less endpoints.
   * A reply that is not a stream is read here, within the deadline and at most `maxBytes`
   * (see LIMITS), and parsed as JSON when it is JSON; with `schema` it must also have that shape.
   */
  call(dial: DialOptions, versioned?: boolean): Promise<unknown>;
  call<T>(dial: DialOptions & { schema: Schema<T> }, versioned?: boolean): Promise<T>;
  call({ deadlineMs, abortSignal, schema, maxBytes, ...dial }: DialOptions & { schema?: Schema<unknown> }, versioned = true): Promise<unknown> {
    const prefix = versioned && this.apiVersion ? `/v${this.apiVersion}` : '';
    const what = `${this.options.label}: ${dial.method} ${dial.path.replace(/\?$/, '')}`;
    const modem = this.docker.modem as unknown as Modem;
    // Hijacked streams come back as docker-modem wraps them (the upgraded socket, or a duplex over
    // the response); every other reply as the raw response. Either way every status is accepted
    // there, so that an error's body is read here, bounded: docker-modem would read it whole.
    const raw = !dial.hijack;
    return withDeadline(what, deadlineMs ?? this.deadlineMs, async (signal) => {
      // The caller's signal (a user's cancel) and the deadline both abort the request.
      const aborted = abortSignal ? AbortSignal.any([signal, abortSignal]) : signal;
      const result = await new Promise<unknown>((resolve, reject) => {
        modem.dial({ ...dial, statusCodes: ANY_STATUS, isStream: raw || dial.isStream, path: prefix + dial.path, abortSignal: aborted }, (error, reply) => {
          if (error) reject(explain(what, error));
          else resolve(reply);
        });
      });
      if (!raw) return await hijackedOrError(what, dial.statusCodes, result, aborted);
      const response = result as IncomingMessage;
      const status = response.statusCode ?? 0;
      if (dial.statusCodes[status] !== true) {
        const body = await readCapped(response, LIMITS.errorBytes, `${what}: the error reply`, aborted).catch(() => Buffer.alloc(0));
        throw explain(what, statusError(status, dial.statusCodes[status], body));
      }
      if (dial.isStream) return response;
      const body = await readCapped(response, maxBytes ?? LIMITS.jsonBytes, `${what}: the reply`, aborted).catch((error: Error) => {
        if (error.name === 'DeadlineError') throw error;
        if (error instanceof TooLargeError) throw new MalformedReplyError(error.message);
        throw new EngineApiError(error.message.startsWith(what) ? error.message : `${what} failed: ${error.message}`);
      });
      const json = parseJson(body);
      if (!schema) return json === NOT_JSON ? body : json;
      if (json === NOT_JSON) throw new MalformedReplyError(`${what}: the reply is not JSON: ${JSON.stringify(body.subarray(0, 80).toString('utf8'))}`);
      try {
        return checkShape(schema, json);
      } catch (error) {
        throw new MalformedReplyError(`${what}: ${(error as Error).message}`);
      }
    });
  }
}

/**
 * A hijacked request's result: the upgraded socket (101), or docker-modem's duplex over a response
 * (its `_output`), which is an error unless its status is expected; then at most LIMITS.errorBytes
 * of the body are read for the message.
 */
async function hijackedOrError(what: string, statusCodes: Record<number, boolean | string>, result: unknown, signal: AbortSignal): Promise<unknown> {
  const duplex = result as Duplex & { _output?: IncomingMessage; req?: { destroy(): void } };
  const status = duplex._output?.statusCode;
  if (status === undefined || statusCodes[status] === true) return result;
  const body = await readCapped(duplex, LIMITS.errorBytes, `${what}: the error reply`, signal).catch(() => Buffer.alloc(0));
  duplex.req?.destroy();
  throw explain(what, statusError(status, statusCodes[status], body));
}

/** docker-modem hands every response over as a stream when all statuses are "expected". */
const ANY_STATUS: Record<number, boolean> = new Proxy({}, { get: () => true });
const NOT_JSON = Symbol('not JSON');

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return NOT_JSON;
  }
}

/** The error docker-modem makes for an unexpected status, so that explain() reads it the same way. */
function statusError(status: number, reason: boolean | string | undefined, body: Buffer): Error & { statusCode: number; json: unknown } {
  const json = parseJson(body);
  const parsed = json === NOT_JSON || json === undefined ? body : json;
  const cause = engineMessage(parsed) ?? '';
  const error = new Error(`(HTTP code ${status}) ${typeof reason === 'string' ? reason : 'unexpected'} - ${cause} `) as Error & { statusCode: number; json: unknown };
  error.statusCode = status;
  error.json = parsed;
  return error;
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
