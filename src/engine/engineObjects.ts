import type { IncomingMessage } from 'node:http';
import { EngineApiError, type EngineApi } from './engineApi';
import type { ImageSummary } from '../model/healthTypes';
import { FrameDemuxer } from './streamDemux';
import { LIMITS, LineSplitter } from './boundedRead';
import { formatSize } from '../model/sizes';
import { withDeadline } from './deadline';
import { idSchema, imageListSchema, volumeListSchema } from '../model/apiSchemas';

export type { ImageSummary };

/**
 * The Engine API calls that create and remove things (containers, volumes, images), beside the
 * read-mostly calls of EngineApi. Each takes the engine's API, so they work at any depth.
 */

/** Long transfers (pull, image streams) may take minutes; a cancel aborts them sooner. */
const TRANSFER_DEADLINE_MS = 60 * 60_000;


export async function createContainer(api: EngineApi, name: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<string> {
  const result = (await api.call({
    path: `/containers/create?`,
    method: 'POST',
    options: { _query: { name }, _body: body },
    abortSignal: signal,
    statusCodes: { 201: true, 400: 'bad parameter', 404: 'no such image', 409: 'conflict', 500: 'server error' },
    schema: idSchema,
  }));
  return result.Id;
}

export async function startContainer(api: EngineApi, id: string, signal?: AbortSignal): Promise<void> {
  await api.call({ path: `/containers/${encodeURIComponent(id)}/start`, method: 'POST', abortSignal: signal, statusCodes: { 204: true, 304: true, 404: 'no such container', 500: 'server error' } });
}

export async function removeContainer(api: EngineApi, id: string): Promise<void> {
  await api.call({ path: `/containers/${encodeURIComponent(id)}?`, method: 'DELETE', options: { force: true, v: true }, statusCodes: { 204: true, 404: true, 409: 'conflict', 500: 'server error' } });
}

export async function createVolume(api: EngineApi, name: string, labels: Record<string, string>): Promise<void> {
  await api.call({ path: '/volumes/create', method: 'POST', options: { Name: name, Labels: labels }, statusCodes: { 201: true, 500: 'server error' } });
}

export async function volumeExists(api: EngineApi, name: string): Promise<boolean> {
  try {
    await api.call({ path: `/volumes/${encodeURIComponent(name)}`, method: 'GET', statusCodes: { 200: true, 404: 'no such volume' } });
    return true;
  } catch (error) {
    if ((error as EngineApiError).statusCode === 404) return false;
    throw error;
  }
}

export async function removeVolume(api: EngineApi, name: string): Promise<void> {
  await api.call({ path: `/volumes/${encodeURIComponent(name)}?`, method: 'DELETE', options: { force: true }, statusCodes: { 204: true, 404: true, 409: 'volume is in use', 500: 'server error' } });
}

/** Volumes carrying a label `key=value`. */
export async function listVolumes(api: EngineApi, label: string): Promise<{ Name: string; Labels?: Record<string, string> | null }[]> {
  const result = await api.call({ path: '/volumes?', method: 'GET', options: { filters: JSON.stringify({ label: [label] }) }, statusCodes: { 200: true }, schema: volumeListSchema });
  return result.Volumes ?? [];
}

export async function listImages(api: EngineApi): Promise<ImageSummary[]> {
  return await api.call({ path: '/images/json', method: 'GET', statusCodes: { 200: true }, schema: imageListSchema });
}

/** The image's id when the engine has it, undefined when it does not. */
export async function findImage(api: EngineApi, image: string): Promise<string | undefined> {
  try {
    const result = await api.call({ path: `/images/${encodeURIComponent(image)}/json`, method: 'GET', statusCodes: { 200: true, 404: 'no such image' }, schema: idSchema });
    return result.Id;
  } catch (error) {
    if ((error as EngineApiError).statusCode === 404) return undefined;
    throw error;
  }
}

/** `docker pull`: resolves when the engine reports the pull done; its progress lines go to `onStatus`. */
export async function pullImage(api: EngineApi, fromImage: string, tag: string, onStatus: (line: string) => void, signal?: AbortSignal): Promise<void> {
  const stream = (await api.call({
    path: '/images/create?',
    method: 'POST',
    options: { fromImage, tag },
    isStream: true,
    abortSignal: signal,
    deadlineMs: TRANSFER_DEADLINE_MS,
    statusCodes: { 200: true, 404: 'repository does not exist or may require docker login', 500: 'server error' },
  })) as IncomingMessage;
  // A pull that fails half-way still answers 200: the error comes as a line of the stream.
  const failure = await readJsonLines(stream, (line) => {
    const status = [line.status, line.id, line.progress].filter((p) => typeof p === 'string').join(' ');
    if (status) onStatus(status);
  }, signal);
  if (failure) throw new EngineApiError(`${api.label}: pulling ${fromImage}:${tag} failed: ${failure}`);
}

/** `docker save IMAGE` as a stream (a tar). */
export async function exportImage(api: EngineApi, image: string, signal?: AbortSignal): Promise<IncomingMessage> {
  return (await api.call({
    path: `/images/${encodeURIComponent(image)}/get`,
    method: 'GET',
    isStream: true,
    abortSignal: signal,
    deadlineMs: TRANSFER_DEADLINE_MS,
    statusCodes: { 200: true, 404: 'no such image', 500: 'server error' },
  })) as IncomingMessage;
}

/** `docker load` from a tar stream; resolves when the engine has loaded it. */
export async function loadImage(api: EngineApi, tar: NodeJS.ReadableStream, signal?: AbortSignal): Promise<string[]> {
  const stream = (await api.call({
    path: '/images/load?',
    method: 'POST',
    options: { quiet: true },
    file: tar,
    isStream: true,
    abortSignal: signal,
    deadlineMs: TRANSFER_DEADLINE_MS,
    statusCodes: { 200: true, 500: 'server error' },
  })) as IncomingMessage;
  const loaded: string[] = [];
  const failure = await readJsonLines(stream, (line) => {
    if (typeof line.stream === 'string' && line.stream.trim()) loaded.push(line.stream.trim());
  }, signal);
  if (failure) throw new EngineApiError(`${api.label}: loading the image failed: ${failure}`);
  return loaded;
}

/** A tar of a path in a container (`docker cp` out): small files only, read within the deadline. */
export async function getArchive(api: EngineApi, id: string, path: string): Promise<Buffer> {
  return (await api.call({
    path: `/containers/${encodeURIComponent(id)}/archive?`,
    method: 'GET',
    options: { path },
    maxBytes: LIMITS.archiveBytes,
    statusCodes: { 200: true, 400: 'bad parameter', 404: 'no such file or container', 500: 'server error' },
  })) as Buffer;
}

/**
 * The last lines of a container's output, stdout and stderr in the order the engine stored them:
 * read within the engine's deadline, and only the last LIMITS.logTailBytes kept (a line can be long).
 */
export async function logTail(api: EngineApi, id: string, lines: number, tty: boolean): Promise<string> {
  const what = `${api.label}: GET /containers/${encodeURIComponent(id)}/logs`;
  return withDeadline(what, api.deadlineMs, async (signal) => {
    const stream = (await api.call({
      path: `/containers/${encodeURIComponent(id)}/logs?`,
      method: 'GET',
      options: { stdout: true, stderr: true, tail: String(lines) },
      isStream: true,
      abortSignal: signal,
      statusCodes: { 200: true, 404: 'no such container' },
    })) as IncomingMessage;
    const kept = new TailBuffer(LIMITS.logTailBytes);
    const demuxer = new FrameDemuxer((_kind, payload) => kept.push(payload));
    await new Promise<void>((resolve, reject) => {
      const abort = () => {
        stream.destroy();
        reject(signal.reason);
      };
      signal.addEventListener('abort', abort, { once: true });
      stream.on('data', (chunk: Buffer) => {
        if (tty) kept.push(chunk);
        else {
          try {
            demuxer.push(chunk);
          } catch (error) {
            stream.destroy();
            reject(error);
          }
        }
      });
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', reject);
    });
    return kept.text();
  });
}

/** Keeps the last `limit` bytes pushed into it. */
class TailBuffer {
  private parts: Buffer[] = [];
  private total = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    const piece = chunk.length > this.limit ? chunk.subarray(chunk.length - this.limit) : chunk;
    this.parts.push(Buffer.from(piece));
    this.total += piece.length;
    while (this.total - this.parts[0].length >= this.limit) this.total -= this.parts.shift()!.length;
  }

  text(): string {
    const all = Buffer.concat(this.parts);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8');
  }
}

/** Reads newline-delimited JSON to the end; returns the engine's error message if a line carried one. */
function readJsonLines(stream: IncomingMessage, onLine: (line: Record<string, unknown>) => void, signal?: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let failure: string | undefined;
    const abort = () => {
      stream.destroy();
      reject(signal?.reason instanceof Error ? signal.reason : new Error('cancelled'));
    };
    if (signal?.aborted) return abort();
    signal?.addEventListener('abort', abort, { once: true });
    const take = (text: string) => {
      const trimmed = text.trim();
      if (!trimmed) return;
      try {
        const line = JSON.parse(trimmed) as Record<string, unknown>;
        if (typeof line.error === 'string') failure = line.error;
        else onLine(line);
      } catch {
        // Not a JSON line: progress noise from an odd engine; the end of the stream still decides.
      }
    };
    const lines = new LineSplitter(LIMITS.progressLineBytes, take, () => {
      signal?.removeEventListener('abort', abort);
      stream.destroy();
      reject(new Error(`a progress line is longer than ${formatSize(LIMITS.progressLineBytes, true)}`));
    });
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => lines.push(text));
    stream.once('error', (error) => {
      signal?.removeEventListener('abort', abort);
      reject(error);
    });
    stream.once('end', () => {
      signal?.removeEventListener('abort', abort);
      lines.flush();
      resolve(failure);
    });
  });
}
