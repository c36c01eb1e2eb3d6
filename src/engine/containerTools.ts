import { runExec, type ExecResult } from './containerExec';
import { ContainerFileError, failure } from './containerFileErrors';
import type { ContainerRef } from './containerFiles';

/**
 * The commands Matryoshka runs in a container where the Engine API has no endpoint (`rm`, `mv`,
 * `find`/`stat`): fixed argument lists, no shell, as root (user 0) with the container's own
 * capabilities. Which tools the image lacks or has is remembered: an image does not change.
 */
export class ContainerTools {
  private readonly missing = new Set<string>();
  private readonly found = new Set<string>();

  constructor(
    private readonly container: ContainerRef,
    /** An engine error in the words of the file operation that met it. */
    private readonly explain: (verb: string, path: string, error: unknown) => Promise<ContainerFileError>,
  ) {}

  private async isRunning(): Promise<boolean> {
    try {
      return (await this.container.api.inspectContainer(this.container.id)).State?.Running === true;
    } catch {
      return false;
    }
  }

  /**
   * Whether the container's image has `tool`: asked once with `--help` (any exit code but the
   * runtime's "not found" means it is there), then remembered. False, and not remembered, while
   * the container cannot run it (stopped).
   */
  async has(tool: string): Promise<boolean> {
    if (this.missing.has(tool)) return false;
    if (this.found.has(tool)) return true;
    try {
      await this.exec('probe', tool, [tool, '--help']);
    } catch {
      return false;
    }
    this.found.add(tool);
    return true;
  }

  /** Runs `work` if the container runs and is not known to lack `tools`; says which is missing otherwise. */
  async withExec<T>(verb: string, path: string, tools: string[], work: () => Promise<T>): Promise<T> {
    if (!(await this.isRunning())) {
      throw new ContainerFileError('container-stopped', `${failure(verb, path, this.container.label)}: the Engine API cannot ${verb} files, and Matryoshka runs ${tools.join(', ')} in the container for it, which needs the container running. Start it and try again.`);
    }
    const missing = tools.find((tool) => this.missing.has(tool));
    if (missing) throw this.noTool(verb, path, missing);
    return await work();
  }

  private noTool(verb: string, path: string, tool: string): ContainerFileError {
    return new ContainerFileError('no-tool', `${failure(verb, path, this.container.label)}: the Engine API cannot ${verb} files, and the container has no ${tool} (an image without a shell or core tools) for Matryoshka to run instead.`);
  }

  /** Runs a fixed command (no shell, paths as separate arguments) as root; a missing tool is remembered. */
  async exec(verb: string, path: string, cmd: string[]): Promise<ExecResult> {
    return await this.checked(verb, path, cmd, () => runExec(this.container.api, this.container.id, cmd, { user: '0' }));
  }

  /** A command's result, its engine errors explained; a tool the image lacks is remembered and said. */
  async checked(verb: string, path: string, cmd: string[], run: () => Promise<ExecResult>): Promise<ExecResult> {
    let result;
    try {
      result = await run();
    } catch (error) {
      throw await this.explain(verb, path, error);
    }
    // 126/127: the runtime could not start it (not in the image).
    if ((result.exitCode === 126 || result.exitCode === 127) && /executable file not found|no such file or directory/i.test(result.stdout + result.stderr)) {
      this.missing.add(cmd[0]);
      throw this.noTool(verb, path, cmd[0]);
    }
    return result;
  }
}
