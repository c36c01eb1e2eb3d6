import * as vscode from 'vscode';
import { plainText } from '../model/markdown';
import type { EngineApi } from '../engine/engineApi';
import { followLogs } from '../engine/logFollower';

/**
 * A read-only terminal following a container's logs. stderr is shown in red so the two streams
 * stay apart; the terminal says why it stopped following.
 */
export class LogsPty implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.writeEmitter.event;
  private stop: (() => void) | undefined;
  private closed = false;
  transcript = '';

  constructor(
    private readonly api: EngineApi,
    private readonly containerId: string,
    private readonly tty: boolean | undefined,
    private readonly where: string,
  ) {}

  /** VS Code does not await open: failures are written into the terminal. */
  open(): void {
    void this.follow();
  }

  private async follow(): Promise<void> {
    try {
      // A TTY container's log is one raw stream, any other is multiplexed: reading it wrongly garbles it.
      const tty = this.tty ?? (await this.api.inspectContainer(this.containerId)).Config?.Tty === true;
      this.stop = await followLogs(this.api, this.containerId, tty, 1000, {
        onText: (kind, text) => this.write(kind === 'stderr' ? `\x1b[31m${crlf(text)}\x1b[0m` : crlf(text)),
        onEnd: (reason) => this.write(`\r\n\x1b[2m[stopped following ${plainText(this.where)}: ${plainText(reason)}]\x1b[0m\r\n`),
      });
      // Closed while the engine was still answering: stop the stream that just opened.
      if (this.closed) this.stop();
    } catch (error) {
      this.write(`\x1b[31mCould not read the logs of ${plainText(this.where)}: ${plainText((error as Error).message)}\x1b[0m\r\n`);
    }
  }

  handleInput(): void {
    // Read-only: typing does nothing.
  }

  close(): void {
    this.closed = true;
    this.stop?.();
    this.writeEmitter.dispose();
  }

  private write(text: string): void {
    if (this.closed) return;
    this.transcript = (this.transcript + text).slice(-64 * 1024);
    this.writeEmitter.fire(text);
  }
}

/** Non-TTY logs use bare \n; a terminal needs \r\n to return to the first column. */
function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}
