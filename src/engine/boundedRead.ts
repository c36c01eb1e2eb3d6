import type { Readable } from 'node:stream';
import { formatSize } from '../model/sizes';

/**
 * How much an engine may send before Matryoshka stops reading. Engines are untrusted: without a
 * cap, one reply can fill the extension host's memory, and one endless line can too.
 */
export const LIMITS = {
  /**
   * A JSON reply. A listed container is about 1.1 kB of JSON (the recorded host listing: 7.4 kB
   * for 7), and one with a compose project's labels about 3 kB, so 1,000 containers are 1–3 MB;
   * an inspect is about 5 kB. 16 MB leaves five times that and keeps one JSON.parse under ~100 ms.
   */
  jsonBytes: 16 * 1024 * 1024,
  /** The body of an error reply: the engine's message, a sentence or a stack trace. */
  errorBytes: 64 * 1024,
  /** One line of the event stream: a container event is under 1 kB even with many labels. */
  eventLineBytes: 64 * 1024,
  /** One progress line of a pull or an image load. */
  progressLineBytes: 64 * 1024,
  /** The last bytes of a container's log kept for a message (a failed launch shows its last 30 lines). */
  logTailBytes: 256 * 1024,
  /** Output of a command Matryoshka runs itself (`command -v`, `stat`, health probes): a few lines. */
  execOutputBytes: 1024 * 1024,
  /** An archive read from a container: client certificates, a few kB. */
  archiveBytes: 4 * 1024 * 1024,
} as const;

/** Thrown when an engine sends more than a cap allows; the message names what and how much. */
export class TooLargeError extends Error {
  constructor(what: string, limit: number) {
    super(`${what} is larger than ${formatSize(limit, true)}; stopped reading (an engine answering this is broken or hostile)`);
    this.name = 'TooLargeError';
  }
}

/**
 * Reads a whole body, at most `limit` bytes: more, and the stream is destroyed and the read fails
 * (a Content-Length over the limit fails before any byte is read). `signal` (the deadline) aborts it.
 */
export function readCapped(stream: Readable & { headers?: Record<string, unknown> }, limit: number, what: string, signal?: AbortSignal): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const parts: Buffer[] = [];
    let total = 0;
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error) {
        stream.destroy();
        reject(error);
      } else resolve(Buffer.concat(parts, total));
    };
    const onAbort = () => settle(signal?.reason instanceof Error ? signal.reason : new Error(`${what}: cancelled`));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const declared = Number(stream.headers?.['content-length']);
    if (Number.isFinite(declared) && declared > limit) return settle(new TooLargeError(what, limit));
    stream.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) return settle(new TooLargeError(what, limit));
      parts.push(chunk);
    });
    stream.once('end', () => settle());
    stream.once('error', (error: Error) => settle(error));
    stream.once('close', () => settle(new Error(`${what} ended before it was complete (the connection closed)`)));
  });
}

/**
 * Splits a text stream into lines of at most `limit` bytes. A longer line (or an unterminated run
 * past the limit) is never buffered further: `onTooLong` is called once and the caller decides
 * what the stream is worth after that.
 */
export class LineSplitter {
  private buffered = '';
  private failed = false;

  constructor(
    private readonly limit: number,
    private readonly onLine: (line: string) => void,
    private readonly onTooLong: () => void,
  ) {}

  push(text: string): void {
    if (this.failed) return;
    this.buffered += text;
    let newline: number;
    while ((newline = this.buffered.indexOf('\n')) >= 0) {
      if (newline > this.limit) return this.fail();
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      this.onLine(line);
      if (this.failed) return;
    }
    if (this.buffered.length > this.limit) this.fail();
  }

  /** What is left when the stream ends (a last line without a newline). */
  flush(): void {
    if (this.failed) return;
    const rest = this.buffered;
    this.buffered = '';
    if (rest) this.onLine(rest);
  }

  private fail(): void {
    this.failed = true;
    this.buffered = '';
    this.onTooLong();
  }
}
