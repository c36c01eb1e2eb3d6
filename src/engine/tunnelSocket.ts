import { Duplex, type Readable } from 'node:stream';

const STDERR_KEEP_BYTES = 4096;
const HTTP_PREFIX = 'HTTP/';

/**
 * A socket-like Duplex over a process's stdin/stdout (an exec of `docker system dial-stdio`,
 * locally or over ssh). Node's HTTP client and keep-alive Agent call net.Socket methods on
 * whatever createConnection returns (setKeepAlive, setNoDelay, setTimeout, ref, unref), so a
 * plain Duplex is not enough. The process's stderr is kept (bounded) to explain failures.
 */
export class TunnelSocket extends Duplex {
  private stderrTail = '';
  private idleTimer: NodeJS.Timeout | undefined;
  private idleMs = 0;
  readonly remoteAddress: string;

  /**
   * `expectHttp`: the stream carries the Engine API, whose first bytes are "HTTP/" (see below).
   * Raw byte streams (a bridged engine's client speaks first, a forwarded port) pass false.
   */
  constructor(
    private readonly raw: Duplex,
    stdout: Readable,
    stderr: Readable | undefined,
    label: string,
    expectHttp = true,
  ) {
    // When the relay's stdout ends the tunnel is dead: end our writable side too so that the
    // socket closes and the Agent drops it from its pool instead of reusing a corpse.
    super({ allowHalfOpen: false });
    this.remoteAddress = label;
    let head: Buffer | undefined = expectHttp ? Buffer.alloc(0) : undefined;
    stdout.on('data', (chunk: Buffer) => {
      this.touch();
      if (head) {
        // The engine speaks first with "HTTP/". Anything else is the engine that runs the relay
        // writing an error into the stream (an exec started as its container was paused): say
        // that, rather than let the HTTP parser report "Expected HTTP/".
        head = Buffer.concat([head, chunk]);
        if (head.length < HTTP_PREFIX.length && HTTP_PREFIX.startsWith(head.toString('latin1'))) return;
        const start = head;
        head = undefined;
        if (!start.subarray(0, HTTP_PREFIX.length).equals(Buffer.from(HTTP_PREFIX))) {
          this.destroy(new Error(`the relay did not reach the engine: ${start.toString('utf8', 0, 300).trim()}`));
          return;
        }
        chunk = start;
      }
      if (!this.push(chunk)) stdout.pause();
    });
    stdout.once('end', () => this.push(null));
    stdout.once('error', (error) => this.destroy(error));
    this.on('resume', () => stdout.resume());
    stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_KEEP_BYTES);
    });
    raw.once('error', (error) => this.destroy(error));
    raw.once('close', () => {
      if (!this.readableEnded) this.push(null);
      this.destroy();
    });
  }

  /** What the relay process wrote to stderr (for example "Cannot connect to the Docker daemon"). */
  get stderrText(): string {
    return this.stderrTail.trim();
  }

  override _read(): void {
    this.emit('resume');
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.touch();
    this.raw.write(chunk, encoding, callback);
  }

  /** Half-close: the relay sees EOF on stdin and closes its side once the engine has answered. */
  override _final(callback: (error?: Error | null) => void): void {
    this.raw.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.clearIdle();
    this.raw.destroy();
    callback(error);
  }

  setKeepAlive(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  /** net.Socket semantics: emit 'timeout' after `ms` without traffic; 0 turns it off. */
  setTimeout(ms: number, callback?: () => void): this {
    this.idleMs = ms;
    if (callback) this.once('timeout', callback);
    this.touch();
    return this;
  }

  private touch(): void {
    this.clearIdle();
    if (this.idleMs > 0 && !this.destroyed) {
      this.idleTimer = setTimeout(() => this.emit('timeout'), this.idleMs);
    }
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
