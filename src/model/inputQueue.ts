import { plainText } from './markdown';

/**
 * How much input is held for a shell that is still connecting. Far more than anyone types or a
 * task sends in the seconds a shell takes to connect, and room for a pasted script of a thousand
 * lines; small enough that a runaway `sendText` loop cannot grow the extension host's memory
 * without bound. It is also the most a terminal keeps of its transcript: a queue the size of what
 * the terminal can show.
 */
export const INPUT_QUEUE_LIMIT = 64 * 1024;

/** What became of input given to the queue. */
export type Queued = 'queued' | 'overflow' | 'dropped';

/**
 * Input (keystrokes, pastes, control characters, `sendText`) that arrives before a shell is
 * connected, kept in order until it can be written once, as one piece. Bounded in UTF-8 bytes.
 * Once a chunk does not fit, it and everything after it is dropped until the queue is taken:
 * writing later input without the chunk before it could run a line the user never typed.
 */
export class InputQueue {
  private chunks: string[] = [];
  private size = 0;
  private full = false;

  constructor(private readonly limit = INPUT_QUEUE_LIMIT) {}

  /** Bytes held. */
  get bytes(): number {
    return this.size;
  }

  /** 'overflow' the first time input is dropped (say so then), 'dropped' for input after it. */
  push(data: string): Queued {
    if (this.full) return 'dropped';
    const bytes = Buffer.byteLength(data, 'utf8');
    if (this.size + bytes > this.limit) {
      this.full = true;
      return 'overflow';
    }
    this.chunks.push(data);
    this.size += bytes;
    return 'queued';
  }

  /** Everything held, in order, emptying the queue; input after this is held afresh. */
  take(): string {
    const all = this.chunks.join('');
    this.chunks = [];
    this.size = 0;
    this.full = false;
    return all;
  }
}

const DIM = (text: string) => `\r\n\x1b[2m${text}\x1b[0m\r\n`;
const RED = (text: string) => `\r\n\x1b[31m${text}\x1b[0m\r\n`;

function kib(bytes: number): string {
  return `${Math.round(bytes / 1024)} KiB`;
}

/** Written once when input passes the bound; `where` is engine text (a container's path). */
export function overflowMessage(where: string, limit = INPUT_QUEUE_LIMIT): string {
  return DIM(
    `[more than ${kib(limit)} typed before the shell in ${plainText(where)} connected: input from here on is not sent until it connects; type it again at the prompt]`,
  );
}

/** Written when the shell could not be opened (or ended before it ran) while input waited. */
export function notSentMessage(where: string, bytes: number): string {
  const amount = bytes === 1 ? '1 byte' : `${bytes} bytes`;
  return RED(`[not sent: the input typed before the shell in ${plainText(where)} connected (${amount})]`);
}
