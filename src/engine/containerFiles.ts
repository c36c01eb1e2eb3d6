import { randomBytes } from 'node:crypto';
import { baseName, joinPath, normalizePath, parentOf, type FileKind, type PathStat } from '../model/containerPaths';
import { TarReader } from '../model/tarStream';
import { tarArchive } from '../model/tarWriter';
import type { IncomingMessage } from 'node:http';
import { archiveStat, firstHeader, getArchiveStream, headPath, pumpArchive, putArchive, statWithOwner } from './containerArchive';
import { ContainerFileError, failure, fromEngine, tooLarge } from './containerFileErrors';
import { listDirectoryFromArchive, listDirectoryByExec, type DirectoryEntry } from './containerListing';
import { prepareExec, type PreparedExec } from './containerExec';
import { ContainerTools } from './containerTools';
import { EngineApiError, type EngineApi } from './engineApi';

export type { DirectoryEntry } from './containerListing';
export { ContainerFileError } from './containerFileErrors';

/** One container, reached through the API of the engine that runs it (at any depth). */
export interface ContainerRef {
  api: EngineApi;
  id: string;
  /** Its whole path from the root engine, for messages: "default › ci-runner › build-42". */
  label: string;
}

export interface ContainerFilesOptions {
  /** The largest file readFile opens; read on each call (a setting). */
  maxFileBytes: () => number;
  /** The setting that holds it, named in the error. */
  maxFileSetting: string;
  /** How much of a directory's archive a listing reads before it lists by exec (LISTING_ARCHIVE_BUDGET). */
  listingBudgetBytes?: number;
}

export interface FileStat extends PathStat {
  /** For a symlink: what it points to (undefined when the target does not exist). */
  targetKind?: FileKind;
}

export interface WriteResult {
  /** There was no file at the path before. */
  created: boolean;
  /** The path's stat as the engine now reports it; undefined after a write through a symlink. */
  stat?: FileStat;
}

/** Throughput assumed for a transfer's deadline on top of the engine's request deadline. */
const BYTES_PER_SECOND_FLOOR = 1024 * 1024;
/** A symlink resolved by the engine that still names a link (a loop) is not followed further. */
const MAX_LINK_HOPS = 8;

/**
 * The files of one container, through the Engine API's archive endpoints (see containerArchive):
 * stat, list, read, write and create directories work without a shell and in stopped
 * containers. The API has no delete or rename, so those (and the final rename of an atomic save,
 * and listing a directory too large to fetch as an archive) run `rm`, `mv`, `find`/`stat` as an
 * exec in the container: they need it running and to have those tools, and say so otherwise.
 * Matryoshka acts as root in the container, as `docker cp` does (execs run as user 0 with the
 * container's own capabilities).
 */
export class ContainerFiles {
  /** Which tools the container has, remembered (it keeps its image). */
  private readonly tools: ContainerTools;

  constructor(readonly container: ContainerRef, private readonly options: ContainerFilesOptions) {
    this.tools = new ContainerTools(container, (verb, path, error) => this.explain(verb, path, error));
  }

  private get api(): EngineApi {
    return this.container.api;
  }

  async stat(path: string): Promise<FileStat> {
    const normal = normalizePath(path);
    const stat = await this.head('read', normal);
    if (stat.kind !== 'symlink') return stat;
    const target = await this.resolveLink(normal, stat).catch(() => undefined);
    return { ...stat, targetKind: target?.kind };
  }

  async readDirectory(path: string): Promise<DirectoryEntry[]> {
    const normal = normalizePath(path);
    const { path: directory, stat } = await this.followLinks('list', normal);
    if (stat.kind !== 'directory') throw new ContainerFileError('not-a-directory', `${failure('list', normal, this.container.label)}: it is not a directory.`);
    const listed = await listDirectoryFromArchive(this.api, this.container.id, directory, this.options.listingBudgetBytes).catch((error: unknown) => {
      throw fromEngine('list', normal, this.container.label, error);
    });
    if (listed !== 'too-large') return listed;
    // The archive holds everything below the directory: past its budget, ask the container itself.
    return await this.tools.withExec('list', normal, ['find', 'stat', 'sh'], () => listDirectoryByExec(this.api, this.container.id, directory));
  }

  async readFile(path: string): Promise<Uint8Array> {
    return (await this.read(path)).data;
  }

  /** A file's content and the stat it was read at (undefined for a path that is a symlink). */
  async read(path: string): Promise<{ data: Uint8Array; stat?: FileStat }> {
    const normal = normalizePath(path);
    // One GET: its reply carries the path's stat before the archive, so nothing is read that
    // the checks below refuse. A symlink is followed with HEADs, then its target is fetched.
    let opened = await this.openArchive(normal, normal);
    let file = normal;
    if (opened.stat.kind === 'symlink') {
      opened.response?.destroy();
      const target = await this.resolveLink(normal, opened.stat);
      file = target.path;
      opened = target.stat.kind === 'file' ? await this.openArchive(file, normal) : { stat: target.stat };
    }
    const { response, stat } = opened;
    const limit = this.options.maxFileBytes();
    const refusal =
      stat.kind === 'directory'
        ? new ContainerFileError('is-a-directory', `${failure('read', normal, this.container.label)}: it is a directory.`)
        : stat.size > limit
          ? tooLarge(normal, this.container.label, stat.size, limit, this.options.maxFileSetting)
          : stat.kind !== 'file' || !response
            ? new ContainerFileError('engine', `${failure('read', normal, this.container.label)}: it is not a regular file.`)
            : undefined;
    if (refusal) {
      response?.destroy();
      throw refusal;
    }
    const parts: Buffer[] = [];
    let total = 0;
    let found = false;
    let over = false;
    const reader = new TarReader({
      onEntry: (header) => {
        if (found || header.type !== 'file') return 'skip';
        found = true;
        return 'data';
      },
      onData: (chunk) => {
        total += chunk.length;
        if (total > limit) over = true;
        else parts.push(Buffer.from(chunk));
      },
    });
    try {
      await pumpArchive(response as IncomingMessage, reader, `${this.api.label}: GET the archive of ${file}`, this.transferDeadline(stat.size), () => over);
    } catch (error) {
      throw await this.explain('read', normal, error);
    }
    // The file grew past the limit between the stat and the read.
    if (over) throw tooLarge(normal, this.container.label, total, limit, this.options.maxFileSetting);
    if (!found) throw new ContainerFileError('engine', `${failure('read', normal, this.container.label)}: the engine's archive holds no regular file.`);
    return { data: Buffer.concat(parts, total), stat: file === normal ? stat : undefined };
  }

  /** GET of a path's archive: the reply (not yet read) and the stat it carries. */
  private async openArchive(path: string, named: string): Promise<{ response?: IncomingMessage; stat: PathStat }> {
    try {
      const response = await getArchiveStream(this.api, this.container.id, path);
      try {
        return { response, stat: archiveStat(this.api, this.container.id, response) };
      } catch (error) {
        response.destroy();
        throw error;
      }
    } catch (error) {
      throw await this.explain('read', named, error);
    }
  }

  /**
   * Writes a file, keeping an existing file's mode and owner (a new file gets 0644 and its
   * directory's owner). In a running container with `mv` the content goes to a temporary name
   * beside the file first and is renamed over it, so a failed transfer leaves the old file whole.
   * Otherwise (stopped, or no `mv`) the engine replaces the file in place: it removes the old one
   * and extracts the new, so a transfer cut off midway can leave a partial file.
   *
   * At depth every call is a round trip through the relays, so a save of an existing file makes
   * five: one GET for the old file's stat and owner, the `mv` exec's creation (which also tells
   * whether the container runs), the PUT, and the exec's start and exit code. Whether the
   * container has `mv` is asked once per container.
   */
  async writeFile(path: string, data: Uint8Array, flags: { create: boolean; overwrite: boolean }): Promise<WriteResult> {
    const normal = normalizePath(path);
    if (normal === '/') throw new ContainerFileError('is-a-directory', `${failure('write', normal, this.container.label)}: it is a directory.`);
    const existing = await this.existingForWrite(normal);
    if (existing && !flags.overwrite) throw new ContainerFileError('exists', `${failure('write', normal, this.container.label)}: it already exists.`);
    if (!existing && !flags.create) throw new ContainerFileError('not-found', `${failure('write', normal, this.container.label)}: no such file.`);
    if (existing?.stat.kind === 'directory') throw new ContainerFileError('is-a-directory', `${failure('write', normal, this.container.label)}: it is a directory.`);
    // A save through a symlink writes the file it points to, as editors do.
    const target = existing?.path ?? normal;
    const directory = parentOf(target);
    const owner = existing?.owner ?? (await this.ownerOf(existing ? target : directory, 'write', normal));
    const mode = existing ? existing.stat.mode : 0o644;
    // The archive carries whole seconds: the file's mtime is this, as a later stat reports it.
    const mtimeMs = Math.floor(Date.now() / 1000) * 1000;
    const entry = { type: 'file' as const, mode, uid: owner.uid, gid: owner.gid, mtimeMs, data };
    const written: WriteResult = { created: !existing, stat: target === normal ? { name: baseName(target), kind: 'file', size: data.length, mode, mtimeMs, linkTarget: '' } : undefined };
    const deadline = this.transferDeadline(data.length);
    const temporary = joinPath(directory, `.${baseName(target)}.matryoshka-${randomBytes(4).toString('hex')}`);
    const moveCmd = ['mv', '-f', '--', temporary, target];
    const move = await this.prepareMove(normal, moveCmd);
    if (!move) {
      await this.put('write', normal, directory, tarArchive({ ...entry, name: baseName(target) }), deadline);
      return written;
    }
    try {
      await this.put('write', normal, directory, tarArchive({ ...entry, name: baseName(temporary) }), deadline);
    } catch (error) {
      // A transfer cut midway can leave part of the temporary file behind.
      await this.tools.exec('write', normal, ['rm', '-f', '--', temporary]).catch(() => undefined);
      throw error;
    }
    const moved = await this.tools.checked('write', normal, moveCmd, () => move.run());
    if (moved.exitCode !== 0) {
      const cleaned = await this.tools.exec('write', normal, ['rm', '-f', '--', temporary]).then((r) => r.exitCode === 0, () => false);
      const cause = fromEngine('write', normal, this.container.label, new Error(moved.stderr.trim() || `mv exited with ${moved.exitCode}`));
      const left = cleaned ? ' The file was not changed.' : ` The file was not changed; a temporary copy is left at ${temporary}.`;
      throw new ContainerFileError(cause.reason, `${cause.message}${left}`);
    }
    return written;
  }

  /** The file a write replaces (its stat and, when it is no link, its owner), undefined if there is none. */
  private async existingForWrite(path: string): Promise<{ path: string; stat: PathStat; owner?: { uid: number; gid: number } } | undefined> {
    try {
      let found;
      try {
        found = await statWithOwner(this.api, this.container.id, path);
      } catch (error) {
        throw await this.explain('write', path, error);
      }
      if (found.stat.kind !== 'symlink') return { path, ...found };
      return await this.resolveLink(path, found.stat, 'write');
    } catch (error) {
      if (error instanceof ContainerFileError && error.reason === 'not-found') return undefined;
      throw error;
    }
  }

  /**
   * The `mv` of an atomic save, created before the transfer: undefined when the container cannot
   * run it now (it is stopped or paused, which the creation's 409 says, or it has no `mv`).
   */
  private async prepareMove(named: string, cmd: string[]): Promise<PreparedExec | undefined> {
    if (!(await this.tools.has('mv'))) return undefined;
    try {
      return await prepareExec(this.api, this.container.id, cmd, { user: '0' });
    } catch (error) {
      if (error instanceof EngineApiError && error.statusCode === 409) return undefined;
      throw await this.explain('write', named, error);
    }
  }

  /** A directory with mode 0755 and its parent's owner; the parent must exist. Needs no exec. */
  async createDirectory(path: string): Promise<void> {
    const normal = normalizePath(path);
    const exists = await this.head('create', normal).then(() => true, (error: unknown) => {
      if (error instanceof ContainerFileError && error.reason === 'not-found') return false;
      throw error;
    });
    if (exists) throw new ContainerFileError('exists', `${failure('create', normal, this.container.label)}: it already exists.`);
    const directory = parentOf(normal);
    const owner = await this.ownerOf(directory, 'create', normal);
    await this.put('create', normal, directory, tarArchive({ name: baseName(normal), type: 'directory', mode: 0o755, uid: owner.uid, gid: owner.gid, mtimeMs: Date.now() }), this.api.deadlineMs);
  }

  /** `rm` in the container (the Engine API cannot delete): needs it running and `rm` in its image. */
  async delete(path: string, options: { recursive: boolean }): Promise<void> {
    const normal = normalizePath(path);
    if (normal === '/') throw new ContainerFileError('permission-denied', `${failure('delete', normal, this.container.label)}: Matryoshka does not delete a container's root directory.`);
    const stat = await this.head('delete', normal);
    const cmd = stat.kind === 'directory' ? (options.recursive ? ['rm', '-rf', '--', normal] : ['rmdir', '--', normal]) : ['rm', '-f', '--', normal];
    await this.tools.withExec('delete', normal, [cmd[0]], async () => {
      const result = await this.tools.exec('delete', normal, cmd);
      if (result.exitCode !== 0) throw fromEngine('delete', normal, this.container.label, new Error(result.stderr.trim() || `${cmd[0]} exited with ${result.exitCode}`));
    });
  }

  /** `mv` in the container (the Engine API cannot rename): needs it running and `mv` in its image. */
  async rename(from: string, to: string, options: { overwrite: boolean }): Promise<void> {
    const source = normalizePath(from);
    const destination = normalizePath(to);
    await this.head('rename', source);
    const taken = await this.head('rename', destination).then(() => true, (error: unknown) => {
      if (error instanceof ContainerFileError && error.reason === 'not-found') return false;
      throw error;
    });
    if (taken && !options.overwrite) throw new ContainerFileError('exists', `${failure('rename', source, this.container.label)} to ${destination}: ${destination} already exists.`);
    await this.tools.withExec('rename', source, ['mv'], async () => {
      // -T: a directory at the destination is replaced, not moved into.
      const result = await this.tools.exec('rename', source, ['mv', '-f', '-T', '--', source, destination]);
      if (result.exitCode !== 0) throw fromEngine('rename', source, this.container.label, new Error(result.stderr.trim() || `mv exited with ${result.exitCode}`));
    });
  }

  private async head(verb: string, path: string): Promise<PathStat> {
    try {
      return await headPath(this.api, this.container.id, path);
    } catch (error) {
      throw await this.explain(verb, path, error);
    }
  }

  /** A path with its symlinks followed (the engine resolves a link's target inside the container). */
  private async followLinks(verb: string, path: string): Promise<{ path: string; stat: PathStat }> {
    const stat = await this.head(verb, path);
    if (stat.kind !== 'symlink') return { path, stat };
    return await this.resolveLink(path, stat, verb);
  }

  private async resolveLink(path: string, link: PathStat, verb = 'read'): Promise<{ path: string; stat: PathStat; kind: FileKind }> {
    let current = { path, stat: link };
    for (let hop = 0; hop < MAX_LINK_HOPS && current.stat.kind === 'symlink'; hop++) {
      const target = current.stat.linkTarget.startsWith('/') ? current.stat.linkTarget : joinPath(parentOf(current.path), current.stat.linkTarget);
      current = { path: normalizePath(target), stat: await this.head(verb, normalizePath(target)) };
    }
    if (current.stat.kind === 'symlink') throw new ContainerFileError('engine', `${failure(verb, path, this.container.label)}: too many levels of symbolic links.`);
    return { ...current, kind: current.stat.kind };
  }

  private async ownerOf(path: string, verb: string, named: string): Promise<{ uid: number; gid: number }> {
    try {
      const header = await firstHeader(this.api, this.container.id, path);
      return { uid: header.uid, gid: header.gid };
    } catch (error) {
      throw await this.explain(verb, named, error);
    }
  }

  private async put(verb: string, path: string, directory: string, tar: Buffer, deadlineMs: number): Promise<void> {
    try {
      await putArchive(this.api, this.container.id, directory, tar, deadlineMs);
    } catch (error) {
      throw await this.explain(verb, path, error);
    }
  }

  /** A HEAD 404 has no body: whether the file or the container is missing is asked separately. */
  private async explain(verb: string, path: string, error: unknown): Promise<ContainerFileError> {
    if (error instanceof ContainerFileError) return error;
    if (error instanceof EngineApiError && error.statusCode === 404 && !error.engineMessage) {
      const gone = await this.api.inspectContainer(this.container.id).then(() => false, (e: unknown) => e instanceof EngineApiError && e.statusCode === 404);
      if (gone) return fromEngine(verb, path, this.container.label, new Error('No such container'));
    }
    return fromEngine(verb, path, this.container.label, error);
  }

  private transferDeadline(bytes: number): number {
    return this.api.deadlineMs + Math.ceil(bytes / BYTES_PER_SECOND_FLOOR) * 1000;
  }
}
