/**
 * Writes the small tar archives `PUT /containers/{id}/archive` extracts: one file or one
 * directory, with the mode and owner to give it. ustar headers; a PAX record carries what ustar
 * cannot hold (names over 100 bytes, non-ASCII names, owners over 2,097,151).
 */
export interface TarWriteEntry {
  /** Relative to the extraction point, no leading "/". */
  name: string;
  type: 'file' | 'directory';
  /** Permission bits (07777). */
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
  /** The file's content (files only). */
  data?: Uint8Array;
}

const BLOCK = 512;
const MAX_OCTAL_7 = 0o7777777;

function writeText(block: Buffer, start: number, length: number, text: string): void {
  block.write(text, start, length, 'utf8');
}

function writeOctal(block: Buffer, start: number, length: number, value: number): void {
  writeText(block, start, length - 1, value.toString(8).padStart(length - 1, '0'));
  block[start + length - 1] = 0;
}

function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  // The length counts its own digits: grow until it is stable.
  let length = Buffer.byteLength(body);
  while (Buffer.byteLength(`${length}${body}`) !== length) length = Buffer.byteLength(`${length}${body}`);
  return Buffer.from(`${length}${body}`, 'utf8');
}

function header(name: string, flag: string, mode: number, uid: number, gid: number, size: number, mtimeMs: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  writeText(block, 0, 100, name);
  writeOctal(block, 100, 8, mode & 0o7777);
  writeOctal(block, 108, 8, Math.min(uid, MAX_OCTAL_7));
  writeOctal(block, 116, 8, Math.min(gid, MAX_OCTAL_7));
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, Math.max(0, Math.floor(mtimeMs / 1000)));
  block.fill(0x20, 148, 156);
  block.write(flag, 156, 1, 'ascii');
  writeText(block, 257, 6, 'ustar');
  writeText(block, 263, 2, '00');
  let sum = 0;
  for (const byte of block) sum += byte;
  writeText(block, 148, 7, sum.toString(8).padStart(6, '0') + '\0');
  return block;
}

function padded(data: Uint8Array): Buffer[] {
  const rest = data.length % BLOCK;
  return rest === 0 ? [Buffer.from(data.buffer, data.byteOffset, data.length)] : [Buffer.from(data.buffer, data.byteOffset, data.length), Buffer.alloc(BLOCK - rest)];
}

/** One entry and the end-of-archive marker, as one buffer. */
export function tarArchive(entry: TarWriteEntry): Buffer {
  if (!entry.name || entry.name.startsWith('/') || entry.name.includes('\0') || entry.name.split('/').includes('..')) throw new Error(`not a name to write into an archive: ${JSON.stringify(entry.name)}`);
  const data = entry.type === 'file' ? entry.data ?? new Uint8Array() : new Uint8Array();
  const name = entry.type === 'directory' && !entry.name.endsWith('/') ? `${entry.name}/` : entry.name;
  const parts: Buffer[] = [];
  const pax: Buffer[] = [];
  const ascii = /^[\x20-\x7e]*$/.test(name);
  if (Buffer.byteLength(name) > 100 || !ascii) pax.push(paxRecord('path', name));
  if (entry.uid > MAX_OCTAL_7) pax.push(paxRecord('uid', String(entry.uid)));
  if (entry.gid > MAX_OCTAL_7) pax.push(paxRecord('gid', String(entry.gid)));
  if (pax.length) {
    const body = Buffer.concat(pax);
    parts.push(header('PaxHeader', 'x', 0o644, 0, 0, body.length, entry.mtimeMs), ...padded(body));
  }
  // The ustar name field keeps what fits; the PAX path above is the one readers use.
  const shortName = ascii ? name.slice(0, 100) : name.replace(/[^\x20-\x7e]/g, '_').slice(0, 100);
  parts.push(header(shortName, entry.type === 'directory' ? '5' : '0', entry.mode, entry.uid, entry.gid, data.length, entry.mtimeMs));
  if (data.length) parts.push(...padded(data));
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}
