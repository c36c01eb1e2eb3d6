import type { IncomingMessage } from 'node:http';
import { decodePathStat, type PathStat } from '../model/containerPaths';
import { TarReader, type TarHeader } from '../model/tarStream';
import { EngineApiError, MalformedReplyError, type EngineApi } from './engineApi';
import { withDeadline } from './deadline';

/**
 * The Engine API's archive endpoints of one container (what `docker cp` uses): HEAD for a path's
 * stat, GET for a tar of it, PUT to extract a tar into a directory. They work in stopped
 * containers and in images without a shell, and at any depth through the engine's own API.
 */
const STAT_HEADER = 'x-docker-container-path-stat';
/** The path-stat header is about 150 bytes; node refuses headers over 16 kB anyway. */
const MAX_STAT_HEADER = 8 * 1024;

export function archivePath(id: string): string {
  return `/containers/${encodeURIComponent(id)}/archive?`;
}

/** HEAD: the path's stat, or undefined when there is no such path (404 from a container that exists). */
export async function headPath(api: EngineApi, id: string, path: string): Promise<PathStat> {
  const response = (await api.call({
    path: archivePath(id),
    method: 'HEAD',
    options: { path },
    isStream: true,
    statusCodes: { 200: true, 400: 'bad parameter', 404: 'no such file or container', 500: 'server error' },
  })) as IncomingMessage;
  response.resume();
  return archiveStat(api, id, response, 'HEAD');
}

/** The path stat a HEAD or GET of the archive carries in its header. */
export function archiveStat(api: EngineApi, id: string, response: IncomingMessage, method = 'GET'): PathStat {
  const header = response.headers[STAT_HEADER];
  if (typeof header !== 'string' || header.length > MAX_STAT_HEADER) throw new MalformedReplyError(`${api.label}: ${method} ${archivePath(id)} answered without a usable path stat`);
  try {
    return decodePathStat(header);
  } catch (error) {
    throw new MalformedReplyError(`${api.label}: ${(error as Error).message}`);
  }
}

/** GET: the tar stream of a path (a file, or a directory with everything below it). */
export async function getArchiveStream(api: EngineApi, id: string, path: string, signal?: AbortSignal): Promise<IncomingMessage> {
  return (await api.call({
    path: archivePath(id),
    method: 'GET',
    options: { path },
    isStream: true,
    abortSignal: signal,
    statusCodes: { 200: true, 400: 'bad parameter', 404: 'no such file or container', 500: 'server error' },
  })) as IncomingMessage;
}

/** PUT: extracts `tar` into the directory `directory` (which must exist). */
export async function putArchive(api: EngineApi, id: string, directory: string, tar: Buffer, deadlineMs: number): Promise<void> {
  await api.call({
    path: archivePath(id),
    method: 'PUT',
    // An existing directory is never replaced by a file, nor a file by a directory.
    options: { path: directory, noOverwriteDirNonDir: true },
    file: tar,
    deadlineMs,
    statusCodes: { 200: true, 400: 'bad parameter', 403: 'permission denied', 404: 'no such file or container', 500: 'server error' },
  });
}

/**
 * Reads a tar stream through `reader` to its end, within `deadlineMs`, and stops (destroying the
 * connection) once `stop` says so: after the first header when only an owner is wanted, or when a
 * listing has read more than it may.
 */
export function pumpArchive(response: IncomingMessage, reader: TarReader, what: string, deadlineMs: number, stop: () => boolean = () => false): Promise<'end' | 'stopped'> {
  return withDeadline(what, deadlineMs, (signal) =>
    new Promise<'end' | 'stopped'>((resolve, reject) => {
      let settled = false;
      const settle = (result: 'end' | 'stopped' | Error) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        if (result instanceof Error) {
          response.destroy();
          reject(result);
        } else {
          if (result === 'stopped' || !reader.done) response.destroy();
          resolve(result);
        }
      };
      const onAbort = () => settle(signal.reason instanceof Error ? signal.reason : new Error(`${what}: cancelled`));
      signal.addEventListener('abort', onAbort, { once: true });
      response.on('data', (chunk: Buffer) => {
        if (settled) return;
        try {
          reader.push(chunk);
        } catch (error) {
          return settle(new MalformedReplyError(`${what}: ${(error as Error).message}`));
        }
        if (stop()) settle('stopped');
        else if (reader.done) settle('end');
      });
      response.once('end', () => {
        try {
          reader.end();
          settle('end');
        } catch (error) {
          settle(new EngineApiError(`${what}: ${(error as Error).message}`));
        }
      });
      response.once('error', (error: Error) => settle(new EngineApiError(`${what} failed: ${error.message}`)));
      response.once('close', () => settle(reader.done ? 'end' : new EngineApiError(`${what} ended before the archive was complete (the connection closed)`)));
    }),
  );
}

/**
 * An archive this small is read to its end once its first header is in, so that the connection
 * is kept for the next call (at depth, a new connection is a new relay exec); a larger one (a
 * big file, a folder with much below it) is cut off after the header instead.
 */
const READ_THROUGH_BYTES = 256 * 1024;

/** The first entry's header of a path's archive: its owner, mode and type, without keeping its data. */
export async function firstHeader(api: EngineApi, id: string, path: string): Promise<TarHeader> {
  let first: TarHeader | undefined;
  const reader = new TarReader({
    onEntry: (header) => {
      first ??= header;
      return 'skip';
    },
  });
  const response = await getArchiveStream(api, id, path);
  await pumpArchive(response, reader, `${api.label}: GET the archive of ${path}`, api.deadlineMs, () => first !== undefined && reader.bytes > READ_THROUGH_BYTES);
  if (!first) throw new MalformedReplyError(`${api.label}: the archive of ${path} is empty`);
  return first;
}

/**
 * One GET for what a save needs to know of the file it replaces: its stat (the GET carries the
 * same path-stat header as HEAD) and, for a regular file, its owner from the archive's first
 * header. Anything but a regular file is not read at all.
 */
export async function statWithOwner(api: EngineApi, id: string, path: string): Promise<{ stat: PathStat; owner?: { uid: number; gid: number } }> {
  const response = await getArchiveStream(api, id, path);
  let stat: PathStat;
  try {
    stat = archiveStat(api, id, response);
  } catch (error) {
    response.destroy();
    throw error;
  }
  if (stat.kind !== 'file') {
    response.destroy();
    return { stat };
  }
  let first: TarHeader | undefined;
  const reader = new TarReader({
    onEntry: (header) => {
      first ??= header;
      return 'skip';
    },
  });
  await pumpArchive(response, reader, `${api.label}: GET the archive of ${path}`, api.deadlineMs, () => first !== undefined && (stat.size > READ_THROUGH_BYTES || reader.bytes > READ_THROUGH_BYTES));
  if (!first) throw new MalformedReplyError(`${api.label}: the archive of ${path} is empty`);
  return { stat, owner: { uid: first.uid, gid: first.gid } };
}
