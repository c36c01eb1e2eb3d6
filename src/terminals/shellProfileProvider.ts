import * as vscode from 'vscode';
import { pickContainer } from '../views/containerPick';
import type { EngineService } from '../services/engineService';
import type { ContainerTerminals } from './containerTerminals';

export const SHELL_PROFILE_ID = 'matryoshka.containerShell';

/**
 * "Matryoshka: container shell" in the terminal's "+" menu: asks for a running container at any
 * depth and opens a shell in it. VS Code shows an error the provider throws as a notification, so
 * a dismissed pick throws an empty message (VS Code shows nothing for it) rather than "Canceled".
 */
export class ShellProfileProvider implements vscode.TerminalProfileProvider {
  constructor(
    private readonly engineService: EngineService,
    private readonly terminals: ContainerTerminals,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  static register(engineService: EngineService, terminals: ContainerTerminals, log: vscode.LogOutputChannel): vscode.Disposable {
    return vscode.window.registerTerminalProfileProvider(SHELL_PROFILE_ID, new ShellProfileProvider(engineService, terminals, log));
  }

  async provideTerminalProfile(): Promise<vscode.TerminalProfile> {
    try {
      return this.terminals.shellProfile(await pickContainer(this.engineService, 'Open a shell in which container?', true));
    } catch (error) {
      if (error instanceof vscode.CancellationError) throw new Error('');
      this.log.error(`${SHELL_PROFILE_ID}: ${(error as Error).message}`);
      throw error;
    }
  }
}
