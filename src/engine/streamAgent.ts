import * as http from 'node:http';
import { type Duplex } from 'node:stream';
import { inspect } from 'node:util';

export type SocketOpener = () => Promise<Duplex>;

export interface StreamAgentOptions {
  /** Concurrent pooled connections (each one is a relay process inside the container). */
  maxSockets?: number;
  /**
   * Hard cap on the streams open at once, pooled or upgraded for an exec (a terminal or a deeper
   * engine's relay leaves the pool but keeps its process). Past it a request fails at once with
   * the reason, instead of starting yet another process in the container.
   */
  maxOpen?: number;
  /** Names the relays in the error past the cap. */
  label?: string;
}

/**
 * A keep-alive HTTP Agent whose connections are streams we open ourselves (exec or ssh relays).
 * At rest it keeps one idle connection (maxFreeSockets: 1), so an inner engine costs at most two
 * relay processes: the event stream and one kept-alive request connection.
 */
export class StreamAgent extends http.Agent {
  private readonly maxOpen: number;
  private readonly label: string;
  /** Streams opening or open, pooled or upgraded (see maxOpen). */
  private live = 0;

  constructor(private readonly openSocket: SocketOpener, options: StreamAgentOptions = {}) {
    super({ keepAlive: true, keepAliveMsecs: 30_000, maxSockets: options.maxSockets ?? 4, maxFreeSockets: 1 });
    this.maxOpen = options.maxOpen ?? Infinity;
    this.label = options.label ?? 'the engine';
  }

  private closed = false;

  override createConnection(
    _options: http.ClientRequestArgs,
    callback?: (error: Error | null, stream: Duplex) => void,
  ): undefined {
    if (this.live >= this.maxOpen) {
      const error = new Error(`${this.live} relays into ${this.label} are open, the most Matryoshka keeps: close terminals or log views there and retry`);
      process.nextTick(() => callback?.(error, undefined as unknown as Duplex));
      return undefined;
    }
    this.live++;
    let counted = true;
    const release = () => {
      if (counted) this.live--;
      counted = false;
    };
    this.openSocket().then(
      (socket) => {
        socket.once('close', release);
        if (!this.closed) return callback?.(null, socket);
        // The transport was disposed while this relay started: nobody would ever close it.
        socket.destroy();
        callback?.(new Error('the connection to the engine was closed'), undefined as unknown as Duplex);
      },
      (error: Error) => {
        release();
        callback?.(error, undefined as unknown as Duplex);
      },
    );
    return undefined;
  }

  /** Streams open now, pooled or upgraded (bounded by maxOpen). */
  get liveStreams(): number {
    return this.live;
  }

  /**
   * docker-modem formats every request's options, agent included, with util.inspect (showHidden,
   * unlimited depth) even when its debug output is off: through the pooled sockets, their relays
   * and the hijacked connections below them that was most of the CPU of a warm listing.
   */
  [inspect.custom](): string {
    return `StreamAgent { openConnections: ${this.openConnections} }`;
  }

  override destroy(): void {
    this.closed = true;
    super.destroy();
  }

  /**
   * Relay connections this engine holds: in use (including its event stream) or idle. Connections
   * upgraded for an exec leave the pool: they carry an inner engine's relay and count there.
   */
  get openConnections(): number {
    const count = (sockets: NodeJS.ReadOnlyDict<unknown[]>) => Object.values(sockets).reduce((n, list) => n + (list?.length ?? 0), 0);
    return count(this.sockets) + count(this.freeSockets);
  }
}

/** The refusal past the cap, however many layers have wrapped its message on the way up. */
const RELAY_CAP = /relays into .* are open, the most Matryoshka keeps/;

/**
 * Opens with `open`, waiting while a container on the way down already runs as many relays as
 * Matryoshka allows (the cap answers at once). Those end as their clients close, so a burst of short
 * connections passes after a wait, and a runaway still fails with the reason after `waitMs`.
 */
export async function openWhileRelaysCapped<T>(open: () => Promise<T>, options: { waitMs: number; cancelled: () => boolean }): Promise<T> {
  const until = Date.now() + options.waitMs;
  for (;;) {
    try {
      return await open();
    } catch (error) {
      if (!RELAY_CAP.test((error as Error).message) || Date.now() > until || options.cancelled()) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
