import type { IncomingMessage } from 'node:http';
import type { EngineApi } from './engineApi';
import { demuxStream } from './streamDemux';

export interface LogHandlers {
  onText(kind: 'stdout' | 'stderr', text: string): void;
  onEnd(reason: string): void;
}

/**
 * Follows a container's logs (with timestamps). A TTY container's log is one raw stream; any other
 * is multiplexed, and stdout and stderr stay apart even when frames split across chunks.
 */
export async function followLogs(api: EngineApi, containerId: string, tty: boolean, tail: number, handlers: LogHandlers): Promise<() => void> {
  const stream: IncomingMessage = await api.followLogs(containerId, tail);
  let closed = false;
  const end = (reason: string) => {
    if (closed) return;
    closed = true;
    handlers.onEnd(reason);
  };
  if (tty) {
    stream.on('data', (chunk: Buffer) => handlers.onText('stdout', chunk.toString('utf8')));
  } else {
    const { stdout, stderr } = demuxStream(stream);
    stdout.on('data', (chunk: Buffer) => handlers.onText('stdout', chunk.toString('utf8')));
    stderr.on('data', (chunk: Buffer) => handlers.onText('stderr', chunk.toString('utf8')));
    stdout.on('error', (error: Error) => end(error.message));
  }
  stream.once('end', () => end('the container stopped'));
  stream.once('error', (error: Error) => end(error.message));
  stream.once('close', () => end('the connection to the engine closed'));
  return () => {
    closed = true;
    stream.destroy();
  };
}
