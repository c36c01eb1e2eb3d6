import { trimTrailing } from './linearText';

/**
 * Regular files of a tar archive (ustar, as `GET /containers/{id}/archive` answers). Enough to take
 * a few small files (TLS certificates) out of a container without a tar dependency.
 */
export interface TarFile {
  /** Path inside the archive, e.g. "client/ca.pem". */
  name: string;
  data: Buffer;
}

const BLOCK = 512;

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}

export function tarFiles(archive: Buffer): TarFile[] {
  const files: TarFile[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(text(header, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw new Error('not a tar archive (bad size field)');
    const type = String.fromCharCode(header[156] || 48);
    const prefix = text(header, 257, 6).startsWith('ustar') ? text(header, 345, 155) : '';
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    const dataStart = offset + BLOCK;
    const data = archive.subarray(dataStart, dataStart + size);
    longName = undefined;
    if (type === 'L') longName = trimTrailing(data.toString('utf8'), '\0');
    // Docker writes long names as PAX extended headers: records "<length> path=<name>\n".
    else if (type === 'x') longName = paxPath(data) ?? longName;
    else if (type === '0' || type === '7') files.push({ name, data: Buffer.from(data) });
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}

function paxPath(records: Buffer): string | undefined {
  let offset = 0;
  while (offset < records.length) {
    const space = records.indexOf(0x20, offset);
    const length = parseInt(records.subarray(offset, space).toString('ascii'), 10);
    if (space < 0 || !Number.isFinite(length) || length <= 0) return undefined;
    const record = records.subarray(space + 1, offset + length - 1).toString('utf8');
    if (record.startsWith('path=')) return record.slice('path='.length);
    offset += length;
  }
  return undefined;
}
