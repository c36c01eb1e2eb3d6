import * as vscode from 'vscode';
import { plainText } from '../model/markdown';
import type { EngineApi } from '../engine/engineApi';
import { followLogs } from '../engine/logFollower';
import { LinePrefixer, logPrefixes, type ResolvedProject } from '../model/composeProjects';

/** Prefix colours, one per container in turn, as `docker compose logs` colours its services. */
const COLOURS = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];
const TAIL = 100;

/**
 * A read-only terminal following the logs of every container of a Compose project, lines interleaved
 * as they arrive, each prefixed with its service (`web-1  | …`) like `docker compose logs -f`.
 */
export class ProjectLogsPty implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.writeEmitter.event;
  private readonly stops: (() => void)[] = [];
  private closed = false;
  transcript = '';

  constructor(private readonly api: EngineApi, private readonly project: ResolvedProject, private readonly where: string) {}

  open(): void {
    void this.follow();
  }

  private async follow(): Promise<void> {
    const prefixes = logPrefixes(this.project.containers);
    await Promise.all(
      this.project.containers.map(async (container, index) => {
        const prefix = prefixes.get(container.id) ?? `${container.name} | `;
        const colour = COLOURS[index % COLOURS.length];
        const lines = new LinePrefixer(`\x1b[${colour}m${prefix}\x1b[0m`);
        const show = (text: string[]) => { for (const line of text) this.write(`${line}\r\n`); };
        try {
          const tty = container.inspect?.Config?.Tty ?? (await this.api.inspectContainer(container.id)).Config?.Tty === true;
          const stop = await followLogs(this.api, container.id, tty, TAIL, {
            onText: (_kind, text) => show(lines.push(text)),
            onEnd: (reason) => {
              show(lines.flush());
              this.write(`\x1b[2m${plainText(prefix)}[stopped following: ${plainText(reason)}]\x1b[0m\r\n`);
            },
          });
          if (this.closed) stop();
          else this.stops.push(stop);
        } catch (error) {
          this.write(`\x1b[31m${plainText(prefix)}could not read the logs of ${plainText(container.name)} on ${plainText(this.where)}: ${plainText((error as Error).message)}\x1b[0m\r\n`);
        }
      }),
    );
  }

  handleInput(): void {
    // Read-only: typing does nothing.
  }

  close(): void {
    this.closed = true;
    for (const stop of this.stops) stop();
    this.writeEmitter.dispose();
  }

  private write(text: string): void {
    if (this.closed) return;
    this.transcript = (this.transcript + text).slice(-64 * 1024);
    this.writeEmitter.fire(text);
  }
}
