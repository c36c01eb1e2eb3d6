import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** One key line of an OpenSSH known_hosts file. */
export interface KnownHostEntry {
  /** `@cert-authority` and `@revoked` lines; a plain line has none. */
  marker?: 'cert-authority' | 'revoked';
  /** The host field as written: a comma list of patterns, or one hashed `|1|salt|hash`. */
  hosts: string;
  keyType: string;
  /** The key blob, as base64 in the file. */
  key: string;
  /** 1-based, for messages that point at the line. */
  line: number;
}

/**
 * The lines of a known_hosts file that name a host and a key. Comments, blank lines and lines that
 * do not parse are left out, as OpenSSH does: a broken line must not hide the good ones.
 */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const fields = raw.trim().split(/[ \t]+/);
    if (!fields[0] || fields[0].startsWith('#')) continue;
    let marker: KnownHostEntry['marker'];
    if (fields[0].startsWith('@')) {
      const name = fields.shift() as string;
      if (name !== '@cert-authority' && name !== '@revoked') continue;
      marker = name === '@revoked' ? 'revoked' : 'cert-authority';
    }
    const [hosts, keyType, key] = fields;
    if (!hosts || !keyType || !key || !/^[A-Za-z0-9+/]+={0,2}$/.test(key) || blobType(key) !== keyType) continue;
    entries.push({ marker, hosts, keyType, key, line: index + 1 });
  }
  return entries;
}

/** The name OpenSSH looks up and writes: `host` on port 22, `[host]:port` on any other. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host.toLowerCase() : `[${host.toLowerCase()}]:${port}`;
}

/** Whether a line's host field names this host and port (hashed, patterns, negations). */
export function entryMatchesHost(entry: Pick<KnownHostEntry, 'hosts'>, host: string, port: number): boolean {
  const name = knownHostName(host, port);
  if (entry.hosts.startsWith('|')) return hashedMatches(entry.hosts, name);
  let matched = false;
  for (const pattern of entry.hosts.split(',')) {
    const negated = pattern.startsWith('!');
    if (!wildcardMatches(negated ? pattern.slice(1) : pattern, name)) continue;
    // A negated pattern that matches rules the line out whatever else matches.
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`, as `ssh-keygen -H` writes. */
function hashedMatches(field: string, name: string): boolean {
  const [, magic, salt, hash] = field.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** OpenSSH's `*` and `?` patterns; host names compare without case. */
function wildcardMatches(pattern: string, name: string): boolean {
  const source = pattern
    .toLowerCase()
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(name);
}

/** The type a base64 key names inside itself, as OpenSSH checks it against the line's (or undefined). */
function blobType(key: string): string | undefined {
  try {
    return keyTypeOf(Buffer.from(key, 'base64'));
  } catch {
    return undefined;
  }
}

/** The algorithm name at the start of an ssh public key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`, …). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) throw new Error('the host key is too short to be an ssh key');
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) throw new Error('the host key does not start with a key type');
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** As `ssh-keygen -l` and ssh's prompts print it: `SHA256:` and unpadded base64 of the blob's SHA-256. */
export function sha256Fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export type HostKeyVerdict =
  | { kind: 'known'; entry: KnownHostEntry }
  /** The host has keys here and this is none of them: a different server, or a reinstalled one. */
  | { kind: 'changed'; entries: KnownHostEntry[] }
  | { kind: 'revoked'; entry: KnownHostEntry }
  | { kind: 'unknown' };

/**
 * What the lines say about this host's key. A key of another type than the ones on record is
 * "changed" too, not "unknown": otherwise an impersonator offering a new key type would get the
 * person asked instead of refused. (The client offers the recorded types first, so a server that
 * still has its recorded key presents it.)
 */
export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, blob: Buffer): HostKeyVerdict {
  const key = blob.toString('base64');
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key === key);
  if (revoked) return { kind: 'revoked', entry: revoked };
  const forHost = entries.filter((e) => e.marker === undefined && entryMatchesHost(e, host, port));
  const known = forHost.find((e) => e.key === key);
  if (known) return { kind: 'known', entry: known };
  return forHost.length > 0 ? { kind: 'changed', entries: forHost } : { kind: 'unknown' };
}

/** Key types recorded for this host, to offer first in the handshake. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const types = entries.filter((e) => e.marker === undefined && entryMatchesHost(e, host, port)).map((e) => e.keyType);
  return [...new Set(types)];
}

/** The line trusting a key appends, as `ssh` itself writes it (not hashed: the person can read and remove it). */
export function knownHostLine(host: string, port: number, blob: Buffer): string {
  return `${knownHostName(host, port)} ${keyTypeOf(blob)} ${blob.toString('base64')}`;
}
