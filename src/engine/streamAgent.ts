import * as http from 'node:http';
import { Duplex } from 'node:stream';
import { inspect } from 'node:util';

export type SocketOpener = () => Promise<Duplex>;

export interface StreamAgentOptions {
  /** Concurrent connections (each one is a relay process inside the container). */
  maxSockets?: number;
}

/**
 * A keep-alive HTTP Agent whose connections are streams we open ourselves (exec or ssh relays).
 * At rest it keeps one idle connection (maxFreeSockets: 1), so an inner engine costs at most two
 * relay processes: the event stream and one kept-alive request connection.
 */
export class StreamAgent extends http.Agent {
  constructor(private readonly openSocket: SocketOpener, options: StreamAgentOptions = {}) {
    super({ keepAlive: true, keepAliveMsecs: 30_000, maxSockets: options.maxSockets ?? 4, maxFreeSockets: 1 });
  }

  private closed = false;

  override createConnection(
    _options: http.ClientRequestArgs,
    callback?: (error: Error | null, stream: Duplex) => void,
  ): undefined {
    this.openSocket().then(
      (socket) => {
        if (!this.closed) return callback?.(null, socket);
        // The transport was disposed while this relay started: nobody would ever close it.
        socket.destroy();
        callback?.(new Error('the connection to the engine was closed'), undefined as unknown as Duplex);
      },
      (error: Error) => callback?.(error, undefined as unknown as Duplex),
    );
    return undefined;
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
