import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import { resolveTarget, type ContainerTarget } from '../model/targets';
import { openRoute, type OpenedRoute } from './portRelays';
import { chooseRoute, type ChosenRoute, type ForwardGraph } from './portRoutes';
import { SpareRelays } from './spareRelays';
import { openWhileRelaysCapped } from './streamAgent';

/**
 * Connections one forward carries at once. Each is a relay process in a container (and, below the
 * first level, a relay of the engine API at every level on the way), and those are capped per
 * container (MAX_RELAYS_PER_CONTAINER): more connections wait their turn instead of failing.
 */
export const MAX_CONNECTIONS_PER_FORWARD = 8;
/** Connections accepted and waiting for a turn; past this a new one is refused at once. */
export const MAX_WAITING_CONNECTIONS = 256;
/** Relays each forward keeps started and waiting, so that a connection does not wait for an exec. */
export const SPARE_RELAYS_PER_FORWARD = 2;
/** How long a connection waits for a relay when a container on the way holds as many as allowed. */
const RELAY_CAP_WAIT_MS = 20_000;
/** How long a client may keep its side open after the container's side ended. */
const HALF_OPEN_GRACE_MS = 30_000;

export type ForwardStatus =
  | { kind: 'forwarding'; route?: string }
  | { kind: 'waiting'; reason: string }
  | { kind: 'stopped' };

export interface ConnectionEnd {
  /** Why it ended early (the container stopped, nothing listens on the port...); undefined when it ended cleanly. */
  reason?: string;
}

export interface ForwardOptions {
  /** Ask for this local port: refused by name when it is taken. Without it: the same number when free, else any free one. */
  localPort?: number;
  /**
   * Restoring a forward after a reload: the local port asked for is only preferred, and a
   * container that is not running (or no route yet) leaves the forward waiting instead of failing.
   */
  restoring?: boolean;
  log: (message: string) => void;
  maxConnections?: number;
}

/**
 * One container port carried to 127.0.0.1 on this machine, at any depth. Each accepted connection
 * gets its own relay, opened on the first of these routes that exists (chosen once, and again when
 * the container runs again):
 *   a. a relay tool inside the container itself to 127.0.0.1:port: reaches whatever it listens
 *      on, loopback-only servers included, in any network mode;
 *   b. the container's address, reached from where its engine runs: a relay tool in the DinD
 *      container one level up, or this machine itself for a local root engine. Works for images
 *      without any tools (distroless, FROM scratch) on a network with an address;
 *   c. the port the engine publishes, on the host of that engine (the same two places as b).
 * A connection that cannot be carried is reset and says why in the log; the forward stays up.
 */
export class PortForward {
  private status: ForwardStatus = { kind: 'forwarding' };
  private route: Promise<ChosenRoute> | undefined;
  private containerId: string | undefined;
  private readonly live = new Set<{ local: net.Socket; remote?: Duplex }>();
  private readonly queue: net.Socket[] = [];
  private active = 0;
  private readonly statusListeners = new Set<(status: ForwardStatus) => void>();
  private readonly endListeners = new Set<(end: ConnectionEnd) => void>();
  private readonly unsubscribe: () => void;
  private readonly maxConnections: number;
  private server: net.Server | undefined;
  private warming = false;
  private warmAgain = false;
  private spares: SpareRelays | undefined;

  private constructor(
    private readonly graph: ForwardGraph,
    readonly target: ContainerTarget,
    readonly port: number,
    private readonly log: (message: string) => void,
    maxConnections: number,
  ) {
    this.maxConnections = maxConnections;
    this.unsubscribe = graph.onDidChange(() => this.check());
  }

  /** Listens on 127.0.0.1 and chooses a route now, so that a container no route reaches is an error here. */
  static async start(graph: ForwardGraph, target: ContainerTarget, port: number, options: ForwardOptions): Promise<PortForward> {
    const forward = new PortForward(graph, target, port, options.log, options.maxConnections ?? MAX_CONNECTIONS_PER_FORWARD);
    try {
      forward.check();
      const restoring = options.restoring === true;
      if (forward.status.kind === 'waiting' && !restoring) throw new Error(forward.status.reason);
      const route = forward.status.kind === 'waiting' ? undefined : await forward.currentRoute().catch((error: Error) => {
        if (!restoring) throw error;
        forward.log(`${forward.name}:${port}: ${error.message}`);
        return undefined;
      });
      forward.server = await listenOnLoopback((socket) => forward.accept(socket), options.localPort ?? port, options.localPort !== undefined && !restoring);
      forward.server.on('error', (error) => forward.log(`${forward.name}:${port}: ${error.message}`));
      if (route) forward.sparesFor(route).fill();
      return forward;
    } catch (error) {
      await forward.dispose();
      throw error;
    }
  }

  get localPort(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.localPort}`;
  }

  get state(): ForwardStatus {
    return this.status;
  }

  /** Connections being carried now (not those waiting for a turn). */
  get openConnections(): number {
    return this.live.size;
  }

  /** Relays started ahead and waiting for a connection. */
  get spareRelays(): number {
    return this.spares?.waiting ?? 0;
  }

  private get name(): string {
    return [this.target.engine ?? '(current engine)', ...this.target.path].join(' › ');
  }

  onDidChangeStatus(listener: (status: ForwardStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onConnectionEnded(listener: (end: ConnectionEnd) => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  /** Stops listening (new connections are refused) and ends every connection. */
  async dispose(): Promise<void> {
    if (this.status.kind === 'stopped') return;
    this.unsubscribe();
    this.dropRoute();
    this.endAll('forwarding was stopped');
    this.setStatus({ kind: 'stopped' });
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Follows the container through the graph's listings: it stops, disappears, runs again. */
  private check(): void {
    if (this.status.kind === 'stopped') return;
    let reason: string | undefined;
    let id: string | undefined;
    try {
      const found = resolveTarget(this.graph.snapshot(), this.target).container;
      id = found.id;
      if (found.summary.State !== 'running') reason = `${found.name} is not running (${found.summary.State ?? 'no state'}): the forward resumes when it runs again`;
    } catch (error) {
      reason = `${(error as Error).message} The forward resumes when the container runs again.`;
    }
    if (reason) {
      if (this.status.kind === 'waiting' && this.status.reason === reason) return;
      this.dropRoute();
      this.endAll(reason);
      this.log(`${this.name}:${this.port}: ${reason}`);
      this.setStatus({ kind: 'waiting', reason });
      return;
    }
    if (this.status.kind === 'waiting' || id !== this.containerId) {
      if (this.containerId !== undefined && id !== this.containerId) this.endAll('the container was replaced by another of the same name');
      this.containerId = id;
      this.dropRoute();
      this.setStatus({ kind: 'forwarding' });
      if (this.server) this.currentRoute().then((route) => this.sparesFor(route).fill(), (error: Error) => this.log(`${this.name}:${this.port}: ${error.message}`));
    }
  }

  private dropRoute(): void {
    this.route = undefined;
    this.spares?.dispose();
    this.spares = undefined;
  }

  private sparesFor(route: ChosenRoute): SpareRelays {
    if (this.spares?.route !== route) {
      this.spares?.dispose();
      this.spares = new SpareRelays(route, `port ${this.port} of ${this.name}`, SPARE_RELAYS_PER_FORWARD, this.log);
    }
    return this.spares;
  }

  private currentRoute(): Promise<ChosenRoute> {
    if (!this.route) {
      const choosing = chooseRoute(this.graph, this.target, this.port);
      this.route = choosing;
      choosing.then(
        (route) => {
          if (this.route === choosing && this.status.kind === 'forwarding') this.setStatus({ kind: 'forwarding', route: route.description });
        },
        // A failed choice is not kept: the next connection tries again.
        () => {
          if (this.route === choosing) this.route = undefined;
        },
      );
    }
    return this.route;
  }

  private accept(local: net.Socket): void {
    local.on('error', () => undefined);
    if (this.status.kind !== 'forwarding') {
      this.log(`${this.name}:${this.port}: connection refused: ${this.status.kind === 'waiting' ? this.status.reason : 'forwarding was stopped'}`);
      local.resetAndDestroy();
      return;
    }
    if (this.active >= this.maxConnections) {
      if (this.queue.length >= MAX_WAITING_CONNECTIONS) {
        this.log(`${this.name}:${this.port}: connection refused: ${this.active} connections are carried and ${this.queue.length} wait`);
        local.resetAndDestroy();
        return;
      }
      this.queue.push(local);
      local.once('close', () => {
        const at = this.queue.indexOf(local);
        if (at >= 0) this.queue.splice(at, 1);
      });
      return;
    }
    this.active++;
    void this.carry(local).finally(() => {
      this.active--;
      const next = this.queue.shift();
      if (next) this.accept(next);
    });
  }

  /** One connection, from its relay's start to both sides' end. */
  private async carry(local: net.Socket): Promise<void> {
    const entry: { local: net.Socket; remote?: Duplex; reason?: string } = { local };
    this.live.add(entry);
    try {
      const route = await this.currentRoute();
      if (local.destroyed) return;
      // A burst of connections may meet a container's relay cap on the way down: wait for a relay to end.
      const opened = this.sparesFor(route).take() ??
        (await openWhileRelaysCapped(() => openRoute(route, `port ${this.port} of ${this.name}`), { waitMs: RELAY_CAP_WAIT_MS, cancelled: () => local.destroyed || this.status.kind !== 'forwarding' }));
      entry.remote = opened.stream;
      this.warm(route);
      const remote = opened.stream;
      if (local.destroyed || this.status.kind !== 'forwarding') {
        remote.destroy();
        return;
      }
      let received = 0;
      remote.on('data', (chunk: Buffer) => (received += chunk.length));
      remote.on('error', () => undefined);
      local.pipe(remote);
      remote.pipe(local, { end: false });
      local.resume();
      const remoteEnded = new Promise<void>((resolve) => remote.once('close', resolve));
      await Promise.race([remoteEnded, new Promise((resolve) => local.once('close', resolve))]);
      if (!local.destroyed) {
        // The container's side ended first: cleanly (the server closed), or because the relay
        // failed or the container stopped. Only a clean end reaches the person's program as one.
        const reason = await this.whyEnded(route, opened, received);
        if (reason) {
          entry.reason ??= reason;
          local.resetAndDestroy();
        } else {
          local.end();
          // A client that keeps its side open after the answer ended holds no relay: let it go soon.
          setTimeout(() => local.destroy(), HALF_OPEN_GRACE_MS).unref();
          if (!local.destroyed) await new Promise((resolve) => local.once('close', resolve));
        }
      }
      remote.destroy();
    } catch (error) {
      entry.reason ??= (error as Error).message;
      local.resetAndDestroy();
    } finally {
      this.live.delete(entry);
      if (entry.reason) this.log(`${this.name}:${this.port}: a connection ended: ${entry.reason}`);
      for (const listener of this.endListeners) listener({ reason: entry.reason });
    }
  }

  /**
   * Starting a connection's relay upgrades a kept-alive connection of its engine's API, and that
   * one was itself a relay upgraded one level up: without this, the next connection would wait
   * for a fresh relay at every level. A ping per engine, deepest first, refills each pool in the
   * background; at most one refill runs per forward, and another follows if connections came meanwhile.
   */
  private warm(route: ChosenRoute): void {
    if (this.warming) {
      this.warmAgain = true;
      return;
    }
    this.warming = true;
    void (async () => {
      do {
        this.warmAgain = false;
        for (const api of route.engines) {
          if (this.status.kind === 'stopped') break;
          await api.ping().catch(() => undefined);
        }
      } while (this.warmAgain && this.status.kind !== 'stopped');
      this.warming = false;
    })();
  }

  /** Why a relay ended (undefined: it ended cleanly): its own failure, or the container stopping under it. */
  private async whyEnded(route: ChosenRoute, opened: OpenedRoute, received: number): Promise<string | undefined> {
    const failure = await opened.failure();
    if (!failure) return undefined;
    const state = await route.container.api.inspectContainer(route.container.id).then(
      (inspect) => (inspect.State?.Running ? undefined : `${route.container.name} stopped`),
      (error: Error) => `${route.container.name} is gone: ${error.message}`,
    );
    if (state) return `${state} (${failure})`;
    return received === 0 ? `nothing answered on port ${this.port} of ${route.container.name}: ${failure}` : failure;
  }

  private endAll(reason: string): void {
    for (const entry of this.live as Set<{ local: net.Socket; remote?: Duplex; reason?: string }>) {
      entry.reason ??= reason;
      entry.remote?.destroy();
      entry.local.resetAndDestroy();
    }
    for (const waiting of this.queue.splice(0)) waiting.resetAndDestroy();
  }

  private setStatus(status: ForwardStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }
}

/** Listens on 127.0.0.1 only. `strict`: the port asked for or an error naming it; else any free one as a fallback. */
export async function listenOnLoopback(onConnection: (socket: net.Socket) => void, port: number, strict: boolean): Promise<net.Server> {
  const attempt = (wanted: number) =>
    new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, onConnection);
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: wanted, exclusive: true }, () => {
        server.removeListener('error', reject);
        resolve(server);
      });
    });
  try {
    return await attempt(port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (strict) {
      throw new Error(code === 'EADDRINUSE' ? `127.0.0.1:${port} is already in use on this machine: choose another local port, or leave it out to get a free one` : `cannot listen on 127.0.0.1:${port}: ${(error as Error).message}`);
    }
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
    return attempt(0);
  }
}
export type { ForwardGraph } from './portRoutes';
