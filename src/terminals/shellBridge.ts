// No `vscode` import: the integration tests drive this against a real engine in plain Node.
import { chooseShell, ShellSession, type ShellExit } from '../engine/containerExec';
import type { EngineApi } from '../engine/engineApi';
import { plainText } from '../model/markdown';
import { InputQueue, notSentMessage, overflowMessage } from '../model/inputQueue';

export interface TerminalSize {
  rows: number;
  columns: number;
}

/** Where the bridge writes: the terminal's text, and its end (0: the shell exited cleanly; nothing: the person closed it). */
export interface TerminalSink {
  write(text: string): void;
  close(code?: 0): void;
}

const DEFAULT_SIZE: TerminalSize = { rows: 24, columns: 80 };

/**
 * A terminal's side of a shell in a container at any depth. The shell takes seconds to connect
 * two engines deep; input (typing, pastes, `sendText`) and resizes that come meanwhile are kept and
 * handed over, in order and once, when the shell runs. The exit code or the reason the engine went
 * away is written before the terminal ends, so nothing hangs silently.
 */
export class ShellBridge {
  private session: ShellSession | undefined;
  private readonly queue = new InputQueue();
  /** Queued input has been written: input goes straight to the shell from now on. */
  private connected = false;
  /** Closed by the user, or ended: nothing more is written. */
  private finished = false;
  /**
   * Ended with a failure, kept open so that its output and the reason stay readable: the next key
   * closes it. (Closing with a code would make VS Code drop the output and show an error of its own.)
   */
  private lingering = false;
  private size: TerminalSize | undefined;

  constructor(
    private readonly api: EngineApi,
    private readonly containerId: string,
    private readonly where: string,
    private readonly configuredShell: string | undefined,
    private readonly sink: TerminalSink,
  ) {}

  async open(initial: TerminalSize | undefined): Promise<void> {
    this.size = initial ?? this.size ?? DEFAULT_SIZE;
    try {
      const shell = await chooseShell(this.api, this.containerId, this.configuredShell);
      if (this.finished) return;
      // A resize while the shell was looked for: the exec starts at the latest size.
      const size = this.size;
      const session = await ShellSession.open(this.api, this.containerId, shell, { rows: size.rows, cols: size.columns });
      this.session = session;
      if (this.finished) return session.close();
      session.on('data', (chunk: Buffer) => this.sink.write(chunk.toString('utf8')));
      session.once('exit', (exit: ShellExit) => this.ended(exit));
      if (this.size !== size) this.resize(this.size);
      const ready = await session.ready;
      // Queued input may depend on the size (`stty size`, a pager): the TTY gets it first. With
      // nothing queued, keys typed at the prompt are not held back for it.
      if (ready && this.queue.bytes > 0) await session.resized();
      if (!ready || this.finished) return;
      this.connected = true;
      const queued = this.queue.take();
      if (queued) session.write(queued);
    } catch (error) {
      if (this.finished) return;
      this.finished = true;
      this.sink.write(`\r\n\x1b[31mCould not open a shell in ${plainText(this.where)}: ${plainText((error as Error).message)}\x1b[0m\r\n`);
      this.dropQueued();
      this.linger();
    }
  }

  input(data: string): void {
    if (this.lingering) {
      this.lingering = false;
      this.sink.close();
      return;
    }
    if (this.finished) return;
    if (this.connected) {
      this.session?.write(data);
      return;
    }
    if (this.queue.push(data) === 'overflow') this.sink.write(overflowMessage(this.where));
  }

  resize(size: TerminalSize): void {
    this.size = size;
    // Before the exec exists, open() starts it at this size.
    this.session?.resize(size.rows, size.columns).catch(() => undefined);
  }

  close(): void {
    this.finished = true;
    this.lingering = false;
    this.queue.take();
    this.session?.close();
  }

  private ended(exit: ShellExit): void {
    if (this.finished) return;
    this.finished = true;
    this.dropQueued();
    if (exit.code === 0) {
      this.sink.close(0);
    } else if (exit.code !== undefined) {
      this.sink.write(`\r\n\x1b[2m[the shell in ${plainText(this.where)} exited with code ${exit.code}]\x1b[0m\r\n`);
      this.linger();
    } else {
      this.sink.write(`\r\n\x1b[31m[disconnected from ${plainText(this.where)}: ${plainText(exit.reason ?? 'unknown reason')}]\x1b[0m\r\n`);
      this.linger();
    }
  }

  private linger(): void {
    this.sink.write('\x1b[2m[press any key to close this terminal]\x1b[0m\r\n');
    this.lingering = true;
  }

  /** The shell is gone before it took the queued input: say that it was not sent. */
  private dropQueued(): void {
    const bytes = this.queue.bytes;
    this.queue.take();
    if (bytes > 0) this.sink.write(notSentMessage(this.where, bytes));
  }
}
