import * as vscode from 'vscode';
import { terminalTitle } from '../model/markdown';
import type { EngineApi } from '../engine/engineApi';
import { type ResolvedTarget, engineLabel, pathLabel } from '../model/targets';
import type { ResolvedProject } from '../model/composeProjects';
import { ProjectLogsPty } from './projectLogsPty';
import type { EngineService } from '../services/engineService';
import { UserFacingError } from '../model/userFacingError';
import { ContainerPty } from './containerPty';
import { LogsPty } from './logsPty';
import { terminalShell } from '../services/settings';

const KEEP_CLOSED = 10;

/** Creates shell and log terminals for containers at any depth, and remembers which is which. */
export class ContainerTerminals implements vscode.Disposable {
  private readonly ptys = new Map<vscode.Terminal, ContainerPty | LogsPty | ProjectLogsPty>();
  private readonly closed = new Map<vscode.Terminal, ContainerPty | LogsPty | ProjectLogsPty>();
  /** Shells handed to VS Code in a profile, until VS Code opens their terminal. */
  private readonly profiled = new Set<ContainerPty>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly engineService: EngineService) {
    // A closed terminal's transcript stays readable for a while (its last words say why it ended).
    this.subscriptions = [
      vscode.window.onDidCloseTerminal((terminal) => {
        const pty = this.ptys.get(terminal);
        if (!pty) return;
        this.ptys.delete(terminal);
        this.closed.set(terminal, pty);
        for (const old of [...this.closed.keys()].slice(0, Math.max(0, this.closed.size - KEEP_CLOSED))) this.closed.delete(old);
      }),
      // VS Code creates a profile's terminal itself: recognise it by its pty, so that it is hung up
      // on deactivation and its transcript is readable like any other shell's. VS Code makes the
      // newest terminal active before an extension's terminal exists, so another one would keep
      // the focus: show this one.
      vscode.window.onDidOpenTerminal((terminal) => {
        const pty = (terminal.creationOptions as vscode.ExtensionTerminalOptions).pty;
        if (!(pty instanceof ContainerPty) || !this.profiled.delete(pty)) return;
        this.ptys.set(terminal, pty);
        terminal.show();
      }),
    ];
  }

  /** A terminal profile (for the terminal's "+" menu) with a shell in the target. */
  shellProfile(target: ResolvedTarget): vscode.TerminalProfile {
    const options = this.shellOptions(target);
    this.profiled.add(options.pty as ContainerPty);
    return new vscode.TerminalProfile(options);
  }

  openShell(target: ResolvedTarget): vscode.Terminal {
    const options = this.shellOptions(target);
    const terminal = vscode.window.createTerminal(options);
    this.ptys.set(terminal, options.pty as ContainerPty);
    terminal.show();
    return terminal;
  }

  openLogs(target: ResolvedTarget): vscode.Terminal {
    const where = pathLabel(target.at);
    // Unknown until inspected (an inspection that failed during listing): LogsPty asks the engine.
    const pty = new LogsPty(this.apiFor(target), target.container.id, target.container.inspect?.Config?.Tty, where);
    const terminal = vscode.window.createTerminal({ name: terminalTitle(`Logs: ${target.container.name}`), pty, iconPath: new vscode.ThemeIcon('output') });
    this.ptys.set(terminal, pty);
    terminal.show();
    return terminal;
  }

  /** The logs of every container of a Compose project, interleaved with a service prefix. */
  openProjectLogs(project: ResolvedProject): vscode.Terminal {
    const api = this.engineService.apiFor(project.engine.key);
    if (!api) throw new UserFacingError(`${engineLabel(project.enginePath)} is not connected; refresh and try again.`);
    const pty = new ProjectLogsPty(api, project, pathLabel(project.enginePath));
    const terminal = vscode.window.createTerminal({ name: terminalTitle(`Logs: ${project.name}`), pty, iconPath: new vscode.ThemeIcon('output') });
    this.ptys.set(terminal, pty);
    terminal.show();
    return terminal;
  }

  /** What a Matryoshka terminal has shown so far (bounded); undefined for other terminals. */
  transcript(terminal: vscode.Terminal): string | undefined {
    return (this.ptys.get(terminal) ?? this.closed.get(terminal))?.transcript;
  }

  private shellOptions(target: ResolvedTarget): vscode.ExtensionTerminalOptions {
    if (target.container.summary.State !== 'running') {
      throw new UserFacingError(`${pathLabel(target.at)} is ${target.container.summary.State ?? 'not running'}: start it first.`);
    }
    const where = pathLabel(target.at);
    const shell = terminalShell();
    const pty = new ContainerPty(this.apiFor(target), target.container.id, where, shell);
    return { name: terminalTitle(`${target.container.name} (${where})`), pty, iconPath: new vscode.ThemeIcon('terminal') };
  }

  private apiFor(target: ResolvedTarget): EngineApi {
    const api = this.engineService.apiFor(target.container.engineKey);
    if (!api) throw new UserFacingError(`The engine running ${pathLabel(target.at)} is not connected; refresh and try again.`);
    return api;
  }

  /** On deactivation, hang up every shell still open (best effort: the host may be going away). */
  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    for (const pty of this.ptys.values()) pty.close();
    this.ptys.clear();
    this.profiled.clear();
  }
}
