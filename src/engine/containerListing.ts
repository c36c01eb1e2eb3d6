import { archivePrefix, joinPath, normalizePath, parentOf, relativeEntryName, type FileKind } from '../model/containerPaths';
import { TarReader, type TarEntryType } from '../model/tarStream';
import { getArchiveStream, headPath, pumpArchive } from './containerArchive';
import { runExec } from './containerExec';
import { EngineApiError, type EngineApi } from './engineApi';

export interface DirectoryEntry {
  name: string;
  kind: FileKind;
  size: number;
  mode: number;
  mtimeMs: number;
  /** For a symlink: the link's text as stored. */
  linkTarget?: string;
  /** For a symlink: the kind of what it points to, when known (undefined: dangling or not looked up). */
  targetKind?: FileKind;
}

/**
 * How much of a directory's archive a listing reads. `GET /archive` of a directory sends
 * everything below it (every file's content too): a source folder is a few MB, but `/` of a
 * DinD container carries its image store. Past this, the listing asks the container instead.
 */
export const LISTING_ARCHIVE_BUDGET = 32 * 1024 * 1024;
/** Entries below the directory (at any depth) a listing keeps track of, to resolve links inside it. */
const MAX_TRACKED_ENTRIES = 200_000;
/** Symlinks pointing outside the directory whose target is looked up with a HEAD each. */
const MAX_LINK_LOOKUPS = 64;
const LOOKUP_CONCURRENCY = 8;

function kindOfTar(type: TarEntryType): FileKind {
  return type === 'hardlink' ? 'file' : type;
}

/**
 * The direct children of a directory from its archive, or 'too-large' when the archive is over
 * the budget. Symlinks inside the listed tree get their target's kind from the same archive; up
 * to MAX_LINK_LOOKUPS pointing elsewhere are asked about with HEAD.
 */
export async function listDirectoryFromArchive(api: EngineApi, id: string, directory: string, budget = LISTING_ARCHIVE_BUDGET): Promise<DirectoryEntry[] | 'too-large'> {
  let prefix: string | undefined;
  const children = new Map<string, DirectoryEntry>();
  const kinds = new Map<string, FileKind>();
  const reader = new TarReader({
    onEntry: (header) => {
      if (prefix === undefined) {
        prefix = archivePrefix(header.name);
        return 'skip';
      }
      const relative = relativeEntryName(header.name, prefix);
      if (relative === undefined || relative === '') return 'skip';
      if (kinds.size < MAX_TRACKED_ENTRIES) kinds.set(relative, kindOfTar(header.type));
      if (!relative.includes('/')) {
        children.set(relative, {
          name: relative,
          kind: kindOfTar(header.type),
          size: header.size,
          mode: header.mode,
          mtimeMs: header.mtimeMs,
          linkTarget: header.type === 'symlink' ? header.linkName : undefined,
        });
      }
      return 'skip';
    },
  });
  const response = await getArchiveStream(api, id, directory);
  const ended = await pumpArchive(response, reader, `${api.label}: GET the archive of ${directory}`, api.deadlineMs + Math.ceil(budget / (1024 * 1024)) * 1000, () => reader.bytes > budget);
  if (ended === 'stopped') return 'too-large';
  const entries = [...children.values()];
  const outside: DirectoryEntry[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'symlink' || entry.linkTarget === undefined) continue;
    const target = entry.linkTarget.startsWith('/') ? normalizePath(entry.linkTarget) : joinPath(directory, entry.linkTarget);
    const inside = relativeInside(directory, target);
    const known = inside === undefined ? undefined : inside === '' ? 'directory' : kinds.get(inside);
    if (known !== undefined && known !== 'symlink') entry.targetKind = known;
    else outside.push(entry);
  }
  await lookUpTargets(api, id, directory, outside.slice(0, MAX_LINK_LOOKUPS));
  return entries;
}

function relativeInside(directory: string, path: string): string | undefined {
  if (path === directory) return '';
  const base = directory === '/' ? '/' : `${directory}/`;
  return path.startsWith(base) ? path.slice(base.length) : undefined;
}

/** The engine follows the link (linkTarget of its stat is where it ends), then that path's kind. */
async function lookUpTargets(api: EngineApi, id: string, directory: string, links: DirectoryEntry[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < links.length) {
      const entry = links[next++];
      try {
        const link = await headPath(api, id, joinPath(directory, entry.name));
        const resolved = link.linkTarget ? await headPath(api, id, normalizePath(link.linkTarget.startsWith('/') ? link.linkTarget : joinPath(parentOf(joinPath(directory, entry.name)), link.linkTarget))) : undefined;
        if (resolved && resolved.kind !== 'symlink') entry.targetKind = resolved.kind;
      } catch (error) {
        // A dangling link answers 404: it stays a link to nothing. Anything else is the engine's failure.
        if (!(error instanceof EngineApiError && error.statusCode === 404)) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUP_CONCURRENCY, links.length) }, worker));
}

/**
 * The fallback for a directory whose archive is over the budget: `find` lists the direct
 * children and one `stat` per batch describes them (busybox and GNU both have them; one process
 * per batch, not per file). A batch is its count, NUL, the stat lines, NUL, then each path and a
 * NUL, so a name with a newline in it still comes out whole. The output is bounded (see
 * runExec): a directory of tens of thousands of entries fails clearly.
 */
const LIST_SCRIPT = 'printf "%s\\0" "$#"; stat -c "%f %s %Y" -- "$@"; printf "\\0"; printf "%s\\0" "$@"';

export async function listDirectoryByExec(api: EngineApi, id: string, directory: string): Promise<DirectoryEntry[]> {
  const cmd = ['find', directory, '-mindepth', '1', '-maxdepth', '1', '-exec', 'sh', '-c', LIST_SCRIPT, 'sh', '{}', '+'];
  const result = await runExec(api, id, cmd, { user: '0' });
  if (result.exitCode !== 0 && result.stdout === '') throw new EngineApiError(`${api.label}: listing ${directory} with find failed: ${result.stderr.trim() || `exit code ${result.exitCode}`}`);
  const entries: DirectoryEntry[] = [];
  const fields = result.stdout.split('\0');
  let at = 0;
  while (at + 1 < fields.length) {
    const count = Number(fields[at]);
    if (!Number.isSafeInteger(count) || count < 0) break;
    const lines = fields[at + 1].split('\n').filter(Boolean);
    const paths = fields.slice(at + 2, at + 2 + count);
    at += 2 + count;
    // A file gone between find and stat leaves fewer lines than paths: the names, without details.
    const aligned = lines.length === paths.length;
    paths.forEach((path, index) => {
      const name = path.slice(path.lastIndexOf('/') + 1);
      const [modeHex, size, mtime] = aligned ? lines[index].split(' ') : [];
      const rawMode = modeHex === undefined ? NaN : parseInt(modeHex, 16);
      if (!name) return;
      if (!Number.isFinite(rawMode)) entries.push({ name, kind: 'other', size: 0, mode: 0, mtimeMs: 0 });
      else entries.push({ name, kind: kindOfUnixMode(rawMode), size: Number(size) || 0, mode: rawMode & 0o7777, mtimeMs: (Number(mtime) || 0) * 1000 });
    });
  }
  return entries;
}

/** st_mode's file type bits (S_IFMT) as a kind. */
function kindOfUnixMode(mode: number): FileKind {
  const type = mode & 0o170000;
  if (type === 0o040000) return 'directory';
  if (type === 0o120000) return 'symlink';
  if (type === 0o100000) return 'file';
  return 'other';
}

