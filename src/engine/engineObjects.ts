import type { IncomingMessage } from 'node:http';
import { EngineApiError, type EngineApi } from './engineApi';
import type { ImageSummary } from '../model/healthTypes';
import { FrameDemuxer } from './streamDemux';

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
  })) as { Id: string };
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
  const result = (await api.call({ path: '/volumes?', method: 'GET', options: { filters: JSON.stringify({ label: [label] }) }, statusCodes: { 200: true } })) as {
    Volumes?: { Name: string; Labels?: Record<string, string> | null }[] | null;
  };
  return result.Volumes ?? [];
}

export async function listImages(api: EngineApi): Promise<ImageSummary[]> {
  const result = await api.call({ path: '/images/json', method: 'GET', statusCodes: { 200: true } });
  return Array.isArray(result) ? (result as ImageSummary[]) : [];
}

/** The image's id when the engine has it, undefined when it does not. */
export async function findImage(api: EngineApi, image: string): Promise<string | undefined> {
  try {
    const result = (await api.call({ path: `/images/${encodeURIComponent(image)}/json`, method: 'GET', statusCodes: { 200: true, 404: 'no such image' } })) as { Id: string };
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

/** A tar of a path in a container (`docker cp` out). */
export async function getArchive(api: EngineApi, id: string, path: string): Promise<Buffer> {
  const stream = (await api.call({
    path: `/containers/${encodeURIComponent(id)}/archive?`,
    method: 'GET',
    options: { path },
    isStream: true,
    statusCodes: { 200: true, 400: 'bad parameter', 404: 'no such file or container', 500: 'server error' },
  })) as IncomingMessage;
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** The last lines of a container's output, stdout and stderr in the order the engine stored them. */
export async function logTail(api: EngineApi, id: string, lines: number, tty: boolean): Promise<string> {
  const stream = (await api.call({
    path: `/containers/${encodeURIComponent(id)}/logs?`,
    method: 'GET',
    options: { stdout: true, stderr: true, tail: String(lines) },
    isStream: true,
    statusCodes: { 200: true, 404: 'no such container' },
  })) as IncomingMessage;
  const parts: Buffer[] = [];
  const demuxer = new FrameDemuxer((_kind, payload) => parts.push(Buffer.from(payload)));
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      if (tty) parts.push(chunk);
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
  return Buffer.concat(parts).toString('utf8');
}

/** Reads newline-delimited JSON to the end; returns the engine's error message if a line carried one. */
function readJsonLines(stream: IncomingMessage, onLine: (line: Record<string, unknown>) => void, signal?: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let buffered = '';
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
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => {
      buffered += text;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        take(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
      }
    });
    stream.once('error', (error) => {
      signal?.removeEventListener('abort', abort);
      reject(error);
    });
    stream.once('end', () => {
      signal?.removeEventListener('abort', abort);
      take(buffered);
      resolve(failure);
    });
  });
}
