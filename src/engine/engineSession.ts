import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ContainerInspect, ContainerSummary, VersionInfo } from '../model/apiTypes';
import type { StaticFacts } from '../model/classify';
import type { EngineStatus } from '../model/snapshot';
import { MalformedReplyError, type EngineApi } from './engineApi';
import { EngineAliasError } from './innerEngine';
import { runStateChanged } from '../model/uptime';
import type { Transport } from './transports';

export interface Connection {
  api: EngineApi;
  transport: Transport;
  version: VersionInfo;
  /** Who answered (see EngineApi.identity): the graph nests an engine only once. */
  identity: string;
  /** For inner engines: which relay carries the API. */
  relay?: string;
}

export interface SessionHooks {
  /** An event arrived from this engine: the graph debounces and re-lists it. */
  onEngineEvent(session: EngineSession): void;
  /** Connected, disconnected or re-listed: the graph re-renders. */
  onChanged(session: EngineSession): void;
  /** The backoff has passed: the graph re-lists this engine and retries the engines inside it. */
  onReconnectDue(session: EngineSession): void;
  /** Whether reconnect timers may run (no work while no view is visible). */
  isActive(): boolean;
  /**
   * Resolves when no listing of the tree is under way: event streams open then, because over a
   * relay each one is a process to start that would slow down the listings of the engines below.
   */
  whenSettled(): Promise<void>;
  log(message: string): void;
}

/**
 * Retries wait initialMs, doubling up to maxMs. The wait starts again from initialMs only after a
 * connection stayed up stableMs: an engine that answers a listing and then drops its event stream
 * (flapping) would otherwise be reconnected to, and re-listed, every initialMs.
 */
export interface ReconnectPolicy {
  initialMs: number;
  maxMs: number;
  stableMs: number;
}

/** One listing of an engine: see EngineSession.refreshStaged. */
export interface Listing {
  listed: Promise<ContainerSummary[] | undefined>;
  done: Promise<void>;
}

/**
 * One engine's live connection: connects on demand, lists, keeps an event stream open, and on any
 * failure shows itself disconnected with the reason and reconnects with backoff. A successful
 * reconnect re-lists fully, so containers created meanwhile appear.
 */
export class EngineSession {
  status: EngineStatus = { kind: 'connecting' };
  containers: ContainerSummary[] = [];
  /**
   * Inspect answers by container id: what classification needs never changes for an id; the run
   * state (started at, exit code) is read again after a start and when the listing contradicts it.
   */
  readonly inspections = new Map<string, ContainerInspect>();
  /** Containers started since their inspect (the old one is shown until the new one is read). */
  private readonly staleRunState = new Set<string>();
  /** What classification derives from each inspect, by container id (see staticFacts). */
  readonly facts = new Map<string, StaticFacts>();
  version: VersionInfo | undefined;
  everConnected = false;
  endpointText: string;
  /** Who answered when last connected (see EngineApi.identity). */
  identity: string | undefined;
  /**
   * The engine this session turned out to be (its relay reached an engine already shown): it is
   * never listed, and stays so until the container stops and the graph drops the session.
   */
  aliasOf: string | undefined;

  private connection: Connection | undefined;
  private connecting: Promise<Connection> | undefined;
  private events: IncomingMessage | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempts = 0;
  /** When the current connection was made (see ReconnectPolicy.stableMs). */
  private upSince: number | undefined;
  private eventsOpening: Promise<void> | undefined;
  private current: Listing | undefined;
  private next: Listing | undefined;
  private disposed = false;
  /** Why the container that runs this engine cannot be reached (paused): no retries meanwhile. */
  private suspendedReason: string | undefined;

  constructor(
    readonly key: string,
    readonly name: string,
    endpointText: string,
    private readonly connect: () => Promise<Connection>,
    private readonly hooks: SessionHooks,
    private readonly policy: ReconnectPolicy,
  ) {
    this.endpointText = endpointText;
  }

  get api(): EngineApi | undefined {
    return this.connection?.api;
  }

  /** Settles once the event stream asked for is open (or failed); at once when none is opening. */
  get eventsOpened(): Promise<void> {
    return this.eventsOpening ?? Promise.resolve();
  }

  /** A raw byte stream to this engine's API (see Transport.openStream). */
  openStream(): Promise<Duplex> {
    if (!this.connection) return Promise.reject(new Error(`${this.name} is not connected: ${this.status.kind === 'disconnected' ? this.status.reason : 'still connecting'}`));
    return this.connection.transport.openStream();
  }

  get openRelayConnections(): number {
    return this.connection?.transport.openConnections() ?? 0;
  }

  /**
   * Lists the engine (connecting first when needed). Concurrent calls share one listing, and a
   * call made while a listing runs gets a fresh one after it, so no change is ever missed.
   */
  refresh(whenDue = false): Promise<void> {
    return this.refreshStaged(whenDue).done;
  }

  /**
   * The same listing in two stages: `listed` gives the containers as soon as the engine has listed
   * them (undefined when listing failed), so the graph can open relays to the engines inside them
   * while `done` still waits for the inspects; only `done` publishes the listing, complete.
   * `whenDue` (a re-list for events): if by the time it runs the engine has dropped and waits out
   * its backoff, it lists nothing; the reconnect lists when it is due.
   */
  refreshStaged(whenDue = false): Listing {
    if (this.disposed) return { listed: Promise.resolve(undefined), done: Promise.resolve() };
    if (this.current) {
      if (!this.next) {
        const after = this.current.done.then(() => {
          this.next = undefined;
          return this.refreshStaged(whenDue);
        });
        this.next = { listed: after.then((l) => l.listed), done: after.then((l) => l.done) };
      }
      return this.next;
    }
    let markListed: (containers?: ContainerSummary[]) => void = () => undefined;
    const listed = new Promise<ContainerSummary[] | undefined>((resolve) => (markListed = resolve));
    const done = this.list(markListed, whenDue).finally(() => {
      this.current = undefined;
      markListed(undefined);
    });
    this.current = { listed, done };
    return this.current;
  }

  private async list(markListed: (containers: ContainerSummary[]) => void, whenDue: boolean): Promise<void> {
    if (whenDue && this.reconnectTimer) return;
    this.clearReconnect();
    if (this.suspendedReason || this.aliasOf !== undefined) return;
    try {
      const connection = await this.ensureConnected();
      const containers = await connection.api.listContainers();
      markListed(containers);
      // The run state in an inspect (start time, exit code) is re-read when the listing shows it changed.
      const missing = containers.filter((c) => !this.inspections.has(c.Id) || this.staleRunState.has(c.Id) || runStateChanged(c, this.inspections.get(c.Id)));
      this.staleRunState.clear();
      if (missing.length > 0) {
        // Relays to engines in this listing ask this engine for an exec first; over a relay
        // transport they then reuse the open connection instead of waiting for a new one.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await mapLimit(missing, connection.transport.parallelRequests, async (c) => {
        try {
          this.inspections.set(c.Id, await connection.api.inspectContainer(c.Id));
        } catch (error) {
          // An inspect of the wrong shape is the engine's fault, not a race: the engine shows it.
          if (error instanceof MalformedReplyError) throw error;
          // Removed between list and inspect: the next event re-lists it away.
          this.hooks.log(`${connection.api.label}: inspect ${c.Id.slice(0, 12)}: ${(error as Error).message}`);
        }
      });
      const live = new Set(containers.map((c) => c.Id));
      for (const id of this.inspections.keys()) {
        if (live.has(id)) continue;
        this.inspections.delete(id);
        this.facts.delete(id);
      }
      this.containers = containers;
      this.status = { kind: 'connected' };
      if (!this.events && !this.eventsOpening) this.followEvents(connection);
    } catch (error) {
      this.markDisconnected(error as Error);
    }
    this.hooks.onChanged(this);
  }

  private async ensureConnected(): Promise<Connection> {
    if (this.connection) return this.connection;
    if (!this.connecting) {
      this.connecting = this.connect().finally(() => {
        this.connecting = undefined;
      });
    }
    const connection = await this.connecting;
    if (this.disposed) {
      connection.transport.dispose();
      throw new Error('closed');
    }
    if (this.connection) return this.connection;
    this.connection = connection;
    this.upSince = Date.now();
    this.version = connection.version;
    this.identity = connection.identity;
    this.everConnected = true;
    if (connection.relay) this.endpointText = `exec: ${connection.relay}`;
    this.hooks.log(`${connection.api.label}: connected (Docker ${connection.version.Version}, API ${connection.api.negotiatedVersion})`);
    return connection;
  }

  /**
   * Opens the event stream once the first listing of a connection is complete and the tree has
   * settled (see SessionHooks.whenSettled). What changed between that listing and the stream is
   * caught by one re-list once the stream is open.
   */
  private followEvents(connection: Connection): void {
    const opening = this.hooks.whenSettled().then(() => this.openEvents(connection)).then(
      () => this.hooks.onEngineEvent(this),
      (error: Error) => {
        if (this.connection !== connection || this.disposed) return;
        this.markDisconnected(error);
        this.hooks.onChanged(this);
      },
    );
    this.eventsOpening = opening;
    void opening.finally(() => {
      if (this.eventsOpening === opening) this.eventsOpening = undefined;
    });
  }

  private async openEvents(connection: Connection): Promise<void> {
    if (this.connection !== connection || this.disposed) return;
    const stream = await connection.api.streamEvents((event) => {
      // A restart between two listings shows nothing in them: its new start time is read again.
      if (event.Action === 'start' && event.Actor?.ID) this.staleRunState.add(event.Actor.ID);
      this.hooks.onEngineEvent(this);
    });
    if (this.connection !== connection || this.disposed) {
      // Disconnected or disposed while the stream was opening.
      stream.destroy();
      return;
    }
    this.events = stream;
    const lost = (why: string) => {
      if (this.events !== stream || this.disposed) return;
      this.events = undefined;
      this.markDisconnected(new Error(why));
      this.hooks.onChanged(this);
    };
    stream.once('end', () => lost('the engine closed its event stream'));
    stream.once('error', (error: Error) => lost(`event stream failed: ${error.message}`));
    stream.once('close', () => lost('the connection to the engine closed'));
  }

  /** Drops the connection, shows why, and schedules a reconnect unless retrying cannot help. */
  markDisconnected(error: Error): void {
    const permanent = (error as { permanent?: boolean }).permanent === true;
    if (error instanceof EngineAliasError) this.aliasOf = error.aliasOf;
    // A request cut off by the suspension fails later with a socket error: the suspension says more.
    const reason = this.suspendedReason ?? error.message;
    if (this.status.kind !== 'disconnected' || this.status.reason !== reason) {
      this.hooks.log(`${this.name}: disconnected: ${reason}`);
    }
    this.status = { kind: 'disconnected', reason, permanent };
    if (this.upSince !== undefined && Date.now() - this.upSince >= this.policy.stableMs) this.attempts = 0;
    this.upSince = undefined;
    this.closeConnection();
    if (!permanent && !this.suspendedReason) this.scheduleReconnect();
  }

  /**
   * The container that runs this engine is paused: its relays hang rather than fail, so nothing
   * would tell us before a deadline. Shown disconnected at once; retried when the container runs.
   */
  suspend(reason: string): void {
    if (this.suspendedReason === reason) return;
    this.suspendedReason = reason;
    this.clearReconnect();
    this.markDisconnected(new Error(reason));
    this.hooks.onChanged(this);
  }

  /** The container runs again: the next listing reconnects. */
  resume(): void {
    this.suspendedReason = undefined;
  }

  /** Disconnected and waiting out its backoff: a re-list for an event would skip the wait. */
  get awaitingReconnect(): boolean {
    return this.reconnectTimer !== undefined;
  }

  get suspended(): boolean {
    return this.suspendedReason !== undefined;
  }

  /** Called when views become visible again: retry at once instead of waiting out the backoff. */
  retryNowIfDisconnected(): Promise<void> {
    if (this.status.kind !== 'disconnected' || this.suspendedReason) return Promise.resolve();
    this.attempts = 0;
    return this.refresh();
  }

  private scheduleReconnect(): void {
    this.clearReconnect();
    if (this.disposed || !this.hooks.isActive()) return;
    const delay = Math.min(this.policy.initialMs * 2 ** this.attempts, this.policy.maxMs);
    this.attempts++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      // Through the graph, so that the engines inside are retried once this one is back.
      this.hooks.onReconnectDue(this);
    }, delay);
  }

  private clearReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  private closeConnection(): void {
    const events = this.events;
    this.events = undefined;
    this.eventsOpening = undefined;
    events?.destroy();
    this.connection?.transport.dispose();
    this.connection = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.clearReconnect();
    this.closeConnection();
  }
}

async function mapLimit<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(workers);
}
