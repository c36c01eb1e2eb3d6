import { PassThrough, type Readable } from 'node:stream';

/**
 * Docker multiplexes stdout and stderr of a non-TTY attach/exec/logs stream into frames:
 * an 8-byte header (stream type, three zero bytes, big-endian payload length) then the payload.
 * docker-modem's demuxer never ends its outputs and assumes a frame arrives in one chunk, so we
 * own this: frames may be split across chunks anywhere, including inside the header.
 */
export type StreamKind = 'stdin' | 'stdout' | 'stderr' | 'system';

const KINDS: Record<number, StreamKind> = { 0: 'stdin', 1: 'stdout', 2: 'stderr', 3: 'system' };
const HEADER_BYTES = 8;

export class DemuxError extends Error {}

/** Incremental parser: feed chunks in any split, get whole payload pieces out in order. */
export class FrameDemuxer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private current: { kind: StreamKind; remaining: number } | undefined;

  constructor(private readonly onPayload: (kind: StreamKind, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.current) {
        // Payload bytes can be handed on as they arrive: no need to wait for the whole frame.
        const take = Math.min(this.current.remaining, chunk.length - offset);
        const kind = this.current.kind;
        this.current.remaining -= take;
        if (this.current.remaining === 0) this.current = undefined;
        if (take > 0) this.onPayload(kind, chunk.subarray(offset, offset + take));
        offset += take;
        continue;
      }
      const need = HEADER_BYTES - this.pendingBytes;
      const take = Math.min(need, chunk.length - offset);
      this.pending.push(chunk.subarray(offset, offset + take));
      this.pendingBytes += take;
      offset += take;
      if (this.pendingBytes === HEADER_BYTES) {
        const header = Buffer.concat(this.pending, HEADER_BYTES);
        this.pending = [];
        this.pendingBytes = 0;
        const kind = KINDS[header[0]];
        if (!kind || header[1] !== 0 || header[2] !== 0 || header[3] !== 0) {
          throw new DemuxError(`not a multiplexed Docker stream (header ${header.toString('hex')})`);
        }
        const size = header.readUInt32BE(4);
        if (size > 0) this.current = { kind, remaining: size };
      }
    }
  }

  /** True when the input stopped in the middle of a frame: the stream was cut. */
  get truncated(): boolean {
    return this.pendingBytes > 0 || this.current !== undefined;
  }
}

export interface Demuxed {
  stdout: PassThrough;
  stderr: PassThrough;
}

/**
 * Splits a multiplexed stream into stdout and stderr streams that END when the source ends
 * (or is destroyed); stdout carries the error when the source fails or is not multiplexed.
 * Backpressure: when either output holds `highWaterMark` bytes its reader has not taken, the
 * source is paused until that output drains, so a fast engine and a slow reader never pile up
 * more than about one chunk beyond that in memory. A reader must therefore read both outputs.
 */
export function demuxStream(source: Readable, highWaterMark = 64 * 1024): Demuxed {
  const stdout = new PassThrough({ highWaterMark });
  const stderr = new PassThrough({ highWaterMark });
  const full = new Set<PassThrough>();
  const write = (target: PassThrough, payload: Buffer) => {
    if (target.write(payload) || full.has(target)) return;
    full.add(target);
    source.pause();
    target.once('drain', () => {
      full.delete(target);
      if (full.size === 0 && !finished) source.resume();
    });
  };
  const demuxer = new FrameDemuxer((kind, payload) => write(kind === 'stderr' || kind === 'system' ? stderr : stdout, payload));
  let finished = false;
  const finish = (error?: Error) => {
    if (finished) return;
    finished = true;
    if (error) {
      // The error is carried by stdout alone: a consumer that only reads stdout (a relay) must
      // still see it, and an 'error' on an unwatched stderr would crash the extension host.
      stdout.destroy(error);
      stderr.end();
    } else {
      stdout.end();
      stderr.end();
    }
  };
  source.on('data', (chunk: Buffer) => {
    try {
      demuxer.push(chunk);
    } catch (error) {
      finish(error as Error);
      source.destroy();
    }
  });
  source.once('end', () => finish());
  source.once('close', () => finish());
  source.once('error', (error) => finish(error));
  return { stdout, stderr };
}
