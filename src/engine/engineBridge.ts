import * as fs from 'node:fs';
import { openWhileRelaysCapped } from './streamAgent';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import type { EngineReachability } from './engineGraph';
import { claimSocketPath } from './bridgeSocket';

export { BridgeError, bridgeSocketPath, claimSocketPath, defaultSocketFolder, ensurePrivateFolder, MAX_SOCKET_PATH_BYTES, removeStaleSocket, socketAnswers } from './bridgeSocket';

/** What a bridge needs of the engine graph: a raw stream to one engine, and whether it is there. */
export interface BridgeGraph {
  openEngineStream(engineKey: string): Promise<Duplex>;
  reachability(engineKey: string): EngineReachability;
  onDidChange(listener: (engineKey: string) => void): () => void;
}

export interface BridgeOptions {
  graph: BridgeGraph;
  engineKey: string;
  /** The engine as people read it ("default › ci-runner › build-42"), in errors clients print. */
  label: string;
  socketPath: string;
  log: (message: string) => void;
  /** Called once when the engine is gone for good (its container was removed): the owner closes the bridge. */
  onGone?: (reason: string) => void;
}


/**
 * Client connections carried at once before new ones wait their turn. Each one is a relay process
 * in every container on the way down, and the nearest one allows 32 (MAX_RELAYS_PER_CONTAINER)
 * shared with the tree's own relays: a burst (50 `docker ps` at once) waits rather than fails.
 */
export const MAX_CARRIED = 16;

/**
 * A carried connection with no bytes either way for this long gives its turn to one that waits:
 * clients keep HTTP connections alive in pools (docker-compose several), and nobody must wait
 * behind idle ones for ever. Its stream stays open; the turn only paces the opening of new ones.
 */
const IDLE_MS = 5000;

/** How long a new connection waits for a relay when a container on the way runs as many as allowed. */
const CAP_WAIT_MS = 20_000;

/** A warm relay older than this is replaced: an engine may close a connection that sent nothing for long. */
const WARM_MAX_AGE_MS = 4 * 60_000;

/** How long a refused client may take to send its request head before it gets the reason anyway. */
const REFUSAL_WAIT_MS = 1000;


interface Pair {
  client: net.Socket;
  upstream?: Duplex;
  /** Counted in `carried` (see IDLE_MS). */
  holdsTurn: boolean;
  lastActive: number;
}

/**
 * A local Unix socket for one engine at any depth. Every connection to it is carried, byte for
 * byte, over a raw stream to the engine (a socket, TLS, an ssh channel or a chain of exec relays),
 * so that everything a Docker client does works: hijacked attach and exec, event streams, uploads,
 * and half-close (the CLI closes its write side after a `docker run` attach request and keeps
 * reading, so each direction ends only when its own source ends).
 */
export class EngineBridge {
  private readonly server: net.Server;
  private readonly pairs = new Set<Pair>();
  private reclaimTimer: NodeJS.Timeout | undefined;
  private readonly waiting: Array<() => void> = [];
  private carried = 0;
  private unavailableReason: string | undefined;
  private warm: { stream: Duplex; at: number } | undefined;
  private warming: Promise<void> | undefined;
  private readonly stopWatching: () => void;
  private closed = false;
  private goneReported = false;

  private constructor(private readonly options: BridgeOptions, server: net.Server) {
    this.server = server;
    server.on('connection', (client) => this.accept(client));
    this.stopWatching = options.graph.onDidChange(() => this.check());
    this.check();
  }

  /** Listens on `socketPath` (its folder private to this user, a stale socket file replaced). */
  static async listen(options: BridgeOptions): Promise<EngineBridge> {
    await claimSocketPath(options.socketPath, options.label);
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.socketPath, () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
    // The folder is already 0700; the socket itself is the user's alone too.
    fs.chmodSync(options.socketPath, 0o600);
    server.on('error', (error) => options.log(`bridge to ${options.label}: ${error.message}`));
    return new EngineBridge(options, server);
  }

  get socketPath(): string {
    return this.options.socketPath;
  }

  /** Client connections open now, carried or waiting their turn. */
  get connections(): number {
    return this.pairs.size;
  }

  /** Whether a relay opened ahead waits for the next client (the bridge is at rest and warm). */
  get warmRelayReady(): boolean {
    return this.warm !== undefined && !this.warm.stream.destroyed;
  }

  /** Why new connections are refused now, or undefined while the engine is there. */
  get unavailable(): string | undefined {
    return this.unavailableReason;
  }

  /** Stops listening, removes the socket file and ends every connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopWatching();
    this.warm?.stream.destroy();
    this.warm = undefined;
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream?.destroy();
    }
    clearInterval(this.reclaimTimer);
    for (const wake of this.waiting.splice(0)) wake();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // At once, not after the close: a window that is shutting down may not wait. A crash leaves
    // the file behind, which claimSocketPath handles.
    fs.rmSync(this.options.socketPath, { force: true });
    await closed;
  }

  /** Follows the engine: ends connections when it goes away, accepts again when it is back. */
  private check(): void {
    if (this.closed) return;
    const state = this.options.graph.reachability(this.options.engineKey);
    if (state.kind === 'connected') {
      if (this.unavailableReason !== undefined) this.options.log(`bridge to ${this.options.label}: the engine is back`);
      this.unavailableReason = undefined;
      this.keepWarm();
      return;
    }
    if (this.unavailableReason === undefined) {
      this.options.log(`bridge to ${this.options.label}: ending ${this.pairs.size} connection(s): ${state.reason}`);
      this.warm?.stream.destroy();
      this.warm = undefined;
      for (const pair of this.pairs) {
        pair.client.destroy();
        pair.upstream?.destroy();
      }
    }
    this.unavailableReason = state.reason;
    if (state.kind === 'gone' && !this.goneReported) {
      this.goneReported = true;
      this.options.onGone?.(state.reason);
    }
  }

  private accept(client: net.Socket): void {
    if (this.closed) return void client.destroy();
    if (this.unavailableReason !== undefined) return this.refuse(client, `${this.options.label} cannot be reached: ${this.unavailableReason}`);
    const pair: Pair = { client, holdsTurn: false, lastActive: Date.now() };
    this.pairs.add(pair);
    client.on('error', () => undefined);
    client.once('close', () => {
      this.pairs.delete(pair);
      pair.upstream?.destroy();
    });
    void this.carry(pair);
  }

  private async carry(pair: Pair): Promise<void> {
    const { client } = pair;
    await this.turn();
    pair.holdsTurn = true;
    const giveBack = () => {
      if (pair.holdsTurn) this.release();
      pair.holdsTurn = false;
    };
    if (client.destroyed || this.closed) return giveBack();
    let upstream: Duplex;
    try {
      upstream = await this.openUpstreamPaced(client);
    } catch (error) {
      giveBack();
      return this.refuse(client, `${this.options.label} cannot be reached: ${(error as Error).message}`);
    }
    if (client.destroyed || this.closed) {
      upstream.destroy();
      return giveBack();
    }
    pair.upstream = upstream;
    pair.lastActive = Date.now();
    upstream.on('error', (error) => {
      this.options.log(`bridge to ${this.options.label}: ${error.message}`);
      client.destroy();
    });
    const active = () => (pair.lastActive = Date.now());
    client.on('data', active);
    upstream.on('data', active);
    // Each direction ends when its own source ends (end() is a half-close), never earlier.
    client.pipe(upstream);
    upstream.pipe(client);
    upstream.once('close', () => {
      giveBack();
      // Closed without its end (the relay died): the client must not wait for bytes that never come.
      if (!upstream.readableEnded) client.destroy();
    });
    client.once('close', () => {
      giveBack();
      upstream.destroy();
    });
    client.resume();
  }

  /** Waits until fewer than MAX_CARRIED connections hold a turn. */
  private turn(): Promise<void> {
    if (this.carried < MAX_CARRIED) {
      this.carried++;
      return Promise.resolve();
    }
    this.reclaimTimer ??= setInterval(() => this.reclaimIdle(), IDLE_MS / 4);
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.carried++;
        resolve();
      }),
    );
  }

  /** Turns of connections idle for IDLE_MS go to those that wait. */
  private reclaimIdle(): void {
    const now = Date.now();
    for (const pair of this.pairs) {
      if (!this.waiting.length) break;
      if (pair.holdsTurn && pair.upstream && now - pair.lastActive >= IDLE_MS) {
        pair.holdsTurn = false;
        this.release();
      }
    }
    if (!this.waiting.length) {
      clearInterval(this.reclaimTimer);
      this.reclaimTimer = undefined;
    }
  }

  private release(): void {
    this.carried--;
    this.waiting.shift()?.();
  }

  /**
   * A container on the way down that already runs as many relays as Matryoshka allows says so at
   * once (StreamAgent's cap); those end as clients close, so the new client waits for one a while
   * rather than fail: a burst of short connections passes, a runaway still fails with the reason.
   */
  private openUpstreamPaced(client: net.Socket): Promise<Duplex> {
    return openWhileRelaysCapped(() => this.openUpstream(), { waitMs: CAP_WAIT_MS, cancelled: () => client.destroyed || this.closed });
  }

  /** The warm relay when there is a live one (then the next starts warming), else a new stream. */
  private async openUpstream(): Promise<Duplex> {
    const warm = this.warm;
    this.warm = undefined;
    if (warm && !warm.stream.destroyed && !warm.stream.readableEnded && Date.now() - warm.at < WARM_MAX_AGE_MS) {
      warm.stream.removeAllListeners('error');
      this.keepWarm();
      return warm.stream;
    }
    warm?.stream.destroy();
    const stream = await this.options.graph.openEngineStream(this.options.engineKey);
    this.keepWarm();
    return stream;
  }

  /**
   * One relay opened ahead, so that a client's new connection does not wait for an exec in every
   * container on the way down. At rest a bridge holds exactly this one.
   */
  private keepWarm(): void {
    if (this.closed || this.warming || (this.warm && Date.now() - this.warm.at < WARM_MAX_AGE_MS) || this.unavailableReason !== undefined) return;
    this.warming = this.options.graph.openEngineStream(this.options.engineKey).then(
      (stream) => {
        this.warming = undefined;
        if (this.closed || this.unavailableReason !== undefined) return void stream.destroy();
        stream.on('error', () => undefined);
        stream.once('close', () => {
          if (this.warm?.stream === stream) this.warm = undefined;
        });
        this.warm?.stream.destroy();
        this.warm = { stream, at: Date.now() };
      },
      (error: Error) => {
        this.warming = undefined;
        this.options.log(`bridge to ${this.options.label}: could not open a warm relay: ${error.message}`);
      },
    );
  }

  /**
   * Answers a client that cannot be carried with an Engine API error, which the Docker CLI prints
   * as "Error response from daemon: <message>", once it has sent its request head.
   */
  private refuse(client: net.Socket, message: string): void {
    client.on('error', () => undefined);
    const body = JSON.stringify({ message: `Matryoshka bridge: ${message}` });
    let answered = false;
    const answer = () => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      client.end(`HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    };
    const timer = setTimeout(answer, REFUSAL_WAIT_MS);
    let head = '';
    client.on('data', (chunk: Buffer) => {
      head = (head + chunk.toString('latin1')).slice(-4);
      if (head.includes('\r\n\r\n')) answer();
    });
    client.once('end', answer);
    client.resume();
  }
}
