import * as vscode from 'vscode';
import type { EngineApi } from '../engine/engineApi';
import { ShellBridge } from './shellBridge';

const TRANSCRIPT_LIMIT = 64 * 1024;

/**
 * A VS Code terminal bridged to a TTY exec in a container at any depth (see ShellBridge). One set
 * of emitters per terminal; resizing the panel resizes the TTY.
 */
export class ContainerPty implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private readonly bridge: ShellBridge;
  /** What the terminal showed (bounded): for "copy output" and for tests. */
  transcript = '';

  constructor(api: EngineApi, containerId: string, where: string, configuredShell: string | undefined) {
    this.bridge = new ShellBridge(api, containerId, where, configuredShell, {
      write: (text) => this.write(text),
      close: (code) => this.closeEmitter.fire(code),
    });
  }

  /** VS Code does not await open: the bridge reports its own failures in the terminal. */
  open(initial: vscode.TerminalDimensions | undefined): void {
    void this.bridge.open(initial);
  }

  handleInput(data: string): void {
    this.bridge.input(data);
  }

  setDimensions(size: vscode.TerminalDimensions): void {
    this.bridge.resize(size);
  }

  close(): void {
    this.bridge.close();
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }

  private write(text: string): void {
    this.transcript = (this.transcript + text).slice(-TRANSCRIPT_LIMIT);
    this.writeEmitter.fire(text);
  }
}
