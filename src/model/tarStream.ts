import { trimTrailing } from './linearText';

/**
 * A streaming reader of tar archives as `GET /containers/{id}/archive` sends them (ustar with PAX
 * and GNU long-name records). Unlike tarFiles it keeps every entry's metadata (type, mode, owner,
 * link target) and never holds more than one header block: data the caller does not want is
 * counted and dropped as it arrives, so a directory's listing costs memory for its names only.
 */
export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface TarHeader {
  /** As written in the archive, e.g. "etc/hostname" or "etc/" (never trimmed here). */
  name: string;
  type: TarEntryType;
  /** Permission bits and setuid/setgid/sticky (07777). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Milliseconds since the epoch. */
  mtimeMs: number;
  linkName: string;
}

/** What to do with an entry's data: hand it to onData, or drop it. */
export type EntryChoice = 'data' | 'skip';

export interface TarSink {
  onEntry(header: TarHeader): EntryChoice;
  onData?(chunk: Buffer): void;
  onEntryEnd?(header: TarHeader): void;
}

const BLOCK = 512;
/** PAX and GNU long-name records are a few hundred bytes; more is not a name but an attack. */
const MAX_META_BYTES = 1024 * 1024;

export class TarFormatError extends Error {}

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

function octal(block: Buffer, start: number, length: number, what: string): number {
  // GNU base-256 for values that do not fit in octal (large uids, files over 8 GB).
  if (block[start] & 0x80) {
    let value = block[start] & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i];
    return value;
  }
  const text = field(block, start, length).trim();
  const value = text === '' ? 0 : parseInt(text, 8);
  if (!Number.isFinite(value) || value < 0 || !/^[0-7]*$/.test(text)) throw new TarFormatError(`not a tar archive (bad ${what} field ${JSON.stringify(text)})`);
  return value;
}

function checksumOk(block: Buffer): boolean {
  const stored = parseInt(field(block, 148, 8).trim(), 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
  return stored === sum;
}

function typeOf(flag: string): TarEntryType {
  if (flag === '0' || flag === '\0' || flag === '7') return 'file';
  if (flag === '5') return 'directory';
  if (flag === '2') return 'symlink';
  if (flag === '1') return 'hardlink';
  return 'other';
}

/** PAX records "<length> key=value\n". */
export function paxRecords(records: Buffer): Map<string, string> {
  const found = new Map<string, string>();
  let offset = 0;
  while (offset < records.length) {
    const space = records.indexOf(0x20, offset);
    if (space < 0) break;
    const length = parseInt(records.subarray(offset, space).toString('ascii'), 10);
    if (!Number.isFinite(length) || length <= 0 || offset + length > records.length) break;
    const record = records.subarray(space + 1, offset + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals > 0) found.set(record.slice(0, equals), record.slice(equals + 1));
    offset += length;
  }
  return found;
}

type Meta = { kind: 'pax' | 'global' | 'longName' | 'longLink'; size: number; parts: Buffer[]; got: number };

export class TarReader {
  private pending = Buffer.alloc(0);
  private current: TarHeader | undefined;
  private choice: EntryChoice = 'skip';
  private remaining = 0;
  private padding = 0;
  private meta: Meta | undefined;
  private pax = new Map<string, string>();
  private longName: string | undefined;
  private longLink: string | undefined;
  private ended = false;
  /** Bytes of the archive seen, for callers that bound a transfer. */
  bytes = 0;
  entries = 0;

  constructor(private readonly sink: TarSink) {}

  get done(): boolean {
    return this.ended;
  }

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    let data = chunk;
    while (data.length > 0 && !this.ended) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, data.length);
        const part = data.subarray(0, take);
        if (this.meta) {
          this.meta.parts.push(Buffer.from(part));
          this.meta.got += take;
        } else if (this.choice === 'data') this.sink.onData?.(part);
        this.remaining -= take;
        data = data.subarray(take);
        if (this.remaining === 0) this.finishEntry();
        continue;
      }
      if (this.padding > 0) {
        const skip = Math.min(this.padding, data.length);
        this.padding -= skip;
        data = data.subarray(skip);
        continue;
      }
      const need = BLOCK - this.pending.length;
      this.pending = Buffer.concat([this.pending, data.subarray(0, need)]);
      data = data.subarray(need);
      if (this.pending.length < BLOCK) return;
      const block = this.pending;
      this.pending = Buffer.alloc(0);
      this.header(block);
    }
  }

  /** Called at the end of the stream: an archive cut short is an error, not a shorter listing. */
  end(): void {
    if (this.ended) return;
    if (this.remaining > 0 || this.current || this.meta || this.pending.length > 0) throw new TarFormatError('the archive ended in the middle of an entry');
    // Two zero blocks end an archive; a stream that ends on an entry boundary is accepted too.
    this.ended = true;
  }

  private header(block: Buffer): void {
    if (block.every((b) => b === 0)) {
      this.ended = true;
      return;
    }
    if (!checksumOk(block)) throw new TarFormatError('not a tar archive (bad header checksum)');
    const flag = String.fromCharCode(block[156] || 48);
    const size = octal(block, 124, 12, 'size');
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      if (size > MAX_META_BYTES) throw new TarFormatError(`a tar metadata record of ${size} bytes (names are far shorter)`);
      const kind = flag === 'x' ? 'pax' : flag === 'g' ? 'global' : flag === 'L' ? 'longName' : 'longLink';
      this.meta = { kind, size, parts: [], got: 0 };
      this.remaining = size;
      if (size === 0) this.finishEntry();
      return;
    }
    const ustar = field(block, 257, 6).startsWith('ustar');
    const prefix = ustar ? field(block, 345, 155) : '';
    const shortName = prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100);
    const pax = this.pax;
    const header: TarHeader = {
      name: pax.get('path') ?? this.longName ?? shortName,
      type: typeOf(flag),
      mode: octal(block, 100, 8, 'mode') & 0o7777,
      uid: pax.has('uid') ? Number(pax.get('uid')) : octal(block, 108, 8, 'uid'),
      gid: pax.has('gid') ? Number(pax.get('gid')) : octal(block, 116, 8, 'gid'),
      size: pax.has('size') ? Number(pax.get('size')) : size,
      mtimeMs: (pax.has('mtime') ? Number(pax.get('mtime')) : octal(block, 136, 12, 'mtime')) * 1000,
      linkName: pax.get('linkpath') ?? this.longLink ?? field(block, 157, 100),
    };
    this.pax = new Map();
    this.longName = undefined;
    this.longLink = undefined;
    // A PAX size overrides the header's (files over 8 GB); the data that follows has that length.
    const dataSize = header.type === 'file' ? header.size : size;
    if (!Number.isSafeInteger(dataSize) || dataSize < 0) throw new TarFormatError('not a tar archive (bad size)');
    this.padding = (BLOCK - (dataSize % BLOCK)) % BLOCK;
    this.entries++;
    this.current = header;
    this.choice = this.sink.onEntry(header);
    this.remaining = dataSize;
    if (dataSize === 0) this.finishEntry();
  }

  private finishEntry(): void {
    const meta = this.meta;
    if (meta) {
      this.meta = undefined;
      const body = Buffer.concat(meta.parts, meta.got);
      if (meta.kind === 'pax') this.pax = paxRecords(body);
      else if (meta.kind === 'longName') this.longName = trimTrailing(body.toString('utf8'), '\0');
      else if (meta.kind === 'longLink') this.longLink = trimTrailing(body.toString('utf8'), '\0');
      return;
    }
    const header = this.current;
    this.current = undefined;
    if (header) this.sink.onEntryEnd?.(header);
  }
}
