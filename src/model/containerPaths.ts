import { trimTrailing } from './linearText';

/**
 * Paths inside a container and the stat the Engine API reports for one
 * (`X-Docker-Container-Path-Stat`: base64 JSON {name, size, mode, mtime, linkTarget}, where mode
 * is a Go os.FileMode: type bits at the top, permissions at the bottom).
 */
export type FileKind = 'file' | 'directory' | 'symlink' | 'other';

export interface PathStat {
  name: string;
  kind: FileKind;
  size: number;
  /** Permission bits with setuid/setgid/sticky, as chmod takes them (07777). */
  mode: number;
  mtimeMs: number;
  /** For a symlink: where it points, resolved inside the container by the engine (absolute). */
  linkTarget: string;
}

const GO_DIR = 2 ** 31;
const GO_SYMLINK = 2 ** 27;
const GO_SETUID = 2 ** 23;
const GO_SETGID = 2 ** 22;
const GO_STICKY = 2 ** 20;
/** Device, named pipe, socket, char device, irregular: everything that is neither file, dir nor link. */
const GO_OTHER = 2 ** 26 + 2 ** 25 + 2 ** 24 + 2 ** 21 + 2 ** 19;

export function kindOfGoMode(mode: number): FileKind {
  if (Math.floor(mode / GO_DIR) % 2) return 'directory';
  if (Math.floor(mode / GO_SYMLINK) % 2) return 'symlink';
  if (hasAnyBit(mode, GO_OTHER)) return 'other';
  return 'file';
}

function hasAnyBit(mode: number, mask: number): boolean {
  for (let bit = 19; bit <= 31; bit++) {
    const value = 2 ** bit;
    if (Math.floor(mask / value) % 2 && Math.floor(mode / value) % 2) return true;
  }
  return false;
}

function permissionsOfGoMode(mode: number): number {
  let permissions = mode % 0o1000;
  if (Math.floor(mode / GO_SETUID) % 2) permissions += 0o4000;
  if (Math.floor(mode / GO_SETGID) % 2) permissions += 0o2000;
  if (Math.floor(mode / GO_STICKY) % 2) permissions += 0o1000;
  return permissions;
}

/** The path-stat header's value, checked: an engine is untrusted, and a wrong shape is its fault. */
export function decodePathStat(header: string): PathStat {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch {
    throw new Error('the engine sent a path stat that is not base64 JSON');
  }
  const value = json as Record<string, unknown>;
  if (!value || typeof value !== 'object' || typeof value.name !== 'string' || typeof value.size !== 'number' || typeof value.mode !== 'number' || !Number.isFinite(value.mode) || value.mode < 0) {
    throw new Error('the engine sent a path stat without name, size and mode');
  }
  const mtimeMs = typeof value.mtime === 'string' ? Date.parse(value.mtime) : NaN;
  return {
    name: value.name,
    kind: kindOfGoMode(value.mode),
    size: Math.max(0, value.size),
    mode: permissionsOfGoMode(value.mode),
    mtimeMs: Number.isFinite(mtimeMs) ? mtimeMs : 0,
    linkTarget: typeof value.linkTarget === 'string' ? value.linkTarget : '',
  };
}

export class ContainerPathError extends Error {}

/** An absolute path without ".", ".." or repeated slashes; "/" stays "/". Relative paths are refused. */
export function normalizePath(path: string): string {
  if (!path.startsWith('/')) throw new ContainerPathError(`a path in a container must be absolute: ${JSON.stringify(path)}`);
  if (path.includes('\0')) throw new ContainerPathError('a path in a container cannot hold a NUL character');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

export function parentOf(path: string): string {
  const normal = normalizePath(path);
  const slash = normal.lastIndexOf('/');
  return slash <= 0 ? '/' : normal.slice(0, slash);
}

export function baseName(path: string): string {
  const normal = normalizePath(path);
  return normal.slice(normal.lastIndexOf('/') + 1);
}

export function joinPath(directory: string, name: string): string {
  return normalizePath(`${directory}/${name}`);
}

/**
 * Where an archive entry sits relative to the directory the archive was made of. The engine names
 * entries after the directory ("etc/hostname" for /etc, "/bin" for /), so the first entry (the
 * directory itself) gives the prefix. Returns undefined for the directory itself.
 */
export function relativeEntryName(entryName: string, prefix: string): string | undefined {
  const name = trimTrailing(trimLeadingSlashes(entryName), '/');
  if (name === prefix) return undefined;
  if (prefix === '') return name;
  return name.startsWith(`${prefix}/`) ? name.slice(prefix.length + 1) : undefined;
}

export function archivePrefix(firstEntryName: string): string {
  return trimTrailing(trimLeadingSlashes(firstEntryName), '/');
}

function trimLeadingSlashes(text: string): string {
  let start = 0;
  while (start < text.length && text.charCodeAt(start) === 0x2f) start++;
  return text.slice(start);
}
