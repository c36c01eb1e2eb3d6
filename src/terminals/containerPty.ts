import * as vscode from 'vscode';
import { plainText } from '../model/markdown';
import { chooseShell, ShellSession, type ShellExit } from '../engine/containerExec';
import type { EngineApi } from '../engine/engineApi';

const TRANSCRIPT_LIMIT = 64 * 1024;

/**
 * A VS Code terminal bridged to a TTY exec in a container at any depth. One set of emitters per
 * terminal; resizing the panel resizes the TTY; the exit code or the reason the engine went away
 * is written before the terminal ends, so nothing hangs silently.
 */
export class ContainerPty implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private session: ShellSession | undefined;
  private closed = false;
  private pendingSize: vscode.TerminalDimensions | undefined;
  /** What the terminal showed (bounded): for "copy output" and for tests. */
  transcript = '';

  constructor(
    private readonly api: EngineApi,
    private readonly containerId: string,
    private readonly where: string,
    private readonly configuredShell: string | undefined,
  ) {}

  async open(initial: vscode.TerminalDimensions | undefined): Promise<void> {
    const size = initial ?? { rows: 24, columns: 80 };
    try {
      const shell = await chooseShell(this.api, this.containerId, this.configuredShell);
      if (this.closed) return;
      const session = await ShellSession.open(this.api, this.containerId, shell, { rows: size.rows, cols: size.columns });
      this.session = session;
      if (this.closed) return session.close();
      session.on('data', (chunk: Buffer) => this.write(chunk.toString('utf8')));
      session.once('exit', (exit: ShellExit) => this.ended(exit));
      if (this.pendingSize) this.setDimensions(this.pendingSize);
    } catch (error) {
      this.write(`\r\n\x1b[31mCould not open a shell in ${plainText(this.where)}: ${plainText((error as Error).message)}\x1b[0m\r\n`);
      this.closeEmitter.fire(1);
    }
  }

  handleInput(data: string): void {
    this.session?.write(data);
  }

  setDimensions(size: vscode.TerminalDimensions): void {
    if (!this.session) {
      this.pendingSize = size;
      return;
    }
    this.session.resize(size.rows, size.columns).catch(() => undefined);
  }

  close(): void {
    this.closed = true;
    this.session?.close();
    this.dispose();
  }

  private ended(exit: ShellExit): void {
    if (this.closed) return;
    if (exit.code !== undefined) {
      this.write(`\r\n\x1b[2m[the shell in ${plainText(this.where)} exited with code ${exit.code}]\x1b[0m\r\n`);
      this.closeEmitter.fire(exit.code);
    } else {
      this.write(`\r\n\x1b[31m[disconnected from ${plainText(this.where)}: ${plainText(exit.reason ?? 'unknown reason')}]\x1b[0m\r\n`);
      this.closeEmitter.fire(1);
    }
  }

  private write(text: string): void {
    this.transcript = (this.transcript + text).slice(-TRANSCRIPT_LIMIT);
    this.writeEmitter.fire(text);
  }

  private dispose(): void {
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }
}
