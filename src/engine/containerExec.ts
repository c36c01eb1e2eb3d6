import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { EngineApi } from './engineApi';
import { demuxStream } from './streamDemux';
import { LIMITS, TooLargeError } from './boundedRead';
import { withDeadline } from './deadline';

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

/** Runs a command (no TTY, stdin closed at once) and collects its output and exit code. */
export async function runExec(api: EngineApi, containerId: string, cmd: string[], options: { user?: string } = {}): Promise<ExecResult> {
  return await (await prepareExec(api, containerId, cmd, options)).run();
}

export interface PreparedExec {
  /** Starts the command and collects its output and exit code (at most once). */
  run(): Promise<ExecResult>;
}

/**
 * Creates the exec now and starts it later: the engine refuses the creation (409) in a container
 * that is not running, so a caller learns that before doing work the command would finish. An
 * exec created and never started is the engine's to forget.
 */
export async function prepareExec(api: EngineApi, containerId: string, cmd: string[], options: { user?: string } = {}): Promise<PreparedExec> {
  const user = options.user === undefined ? {} : { User: options.user };
  const execId = await api.createExec(containerId, { AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: false, Cmd: cmd, ...user });
  return { run: () => startCreatedExec(api, containerId, execId, cmd) };
}

async function startCreatedExec(api: EngineApi, containerId: string, execId: string, cmd: string[]): Promise<ExecResult> {
  const raw = await api.startExecHijacked(execId, false);
  const { stdout, stderr } = demuxStream(raw);
  raw.end();
  // Matryoshka runs short commands of its own here; output past the cap means something is wrong.
  let total = 0;
  let overflow = false;
  const collect = (stream: NodeJS.ReadableStream) =>
    new Promise<string>((resolve) => {
      const parts: Buffer[] = [];
      stream.on('data', (c: Buffer) => {
        total += c.length;
        if (total > LIMITS.execOutputBytes) {
          overflow = true;
          raw.destroy();
        } else parts.push(c);
      });
      stream.on('error', () => resolve(Buffer.concat(parts).toString('utf8')));
      stream.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    });
  // The command's output is read within the engine's deadline too: an exec that never ends fails.
  const [out, err] = await withDeadline(`${api.label}: output of ${JSON.stringify(cmd[0])} in ${containerId.slice(0, 12)}`, api.deadlineMs, (signal) => {
    signal.addEventListener('abort', () => raw.destroy(), { once: true });
    return Promise.all([collect(stdout), collect(stderr)]);
  }).finally(() => raw.destroy());
  if (overflow) throw new TooLargeError(`${api.label}: the output of ${JSON.stringify(cmd[0])} in ${containerId.slice(0, 12)}`, LIMITS.execOutputBytes);
  const state = await api.inspectExec(execId);
  return { stdout: out, stderr: err, exitCode: state.ExitCode ?? null };
}

/** bash when the container has it, else sh: found with a fixed command, never with user input. */
export async function chooseShell(api: EngineApi, containerId: string, configured: string | undefined): Promise<string> {
  if (configured?.trim()) return configured.trim();
  const found = await runExec(api, containerId, ['sh', '-c', 'command -v bash || command -v sh']);
  const shell = found.stdout.split('\n')[0]?.trim();
  if (found.exitCode !== 0 || !shell) {
    throw new Error(`no shell in the container (tried bash and sh)${found.stderr ? `: ${found.stderr.trim()}` : ''}; set matryoshka.terminal.shell`);
  }
  return shell;
}

const PID_PREAMBLE = 'printf "\\033]1337;MatryoshkaPid=%s\\007" "$$"; exec "$0"';
/** SIGHUP as a closed terminal would send, then SIGKILL if the shell (or what it runs) ignores it. */
const HANG_UP = 'kill -HUP "$1" 2>/dev/null; for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$1" 2>/dev/null || exit 0; sleep 0.2; done; kill -KILL "$1"';
const PID_ANNOUNCEMENT = /\x1b\]1337;MatryoshkaPid=(\d+)\x07/;

export interface ShellExit {
  /** The shell's exit code, when it exited by itself. */
  code?: number;
  /** Why the session ended otherwise (the engine or the relay went away). */
  reason?: string;
}

/**
 * An interactive shell in a container at any depth: an exec with a TTY over the engine's API
 * (the engine chain carries it), resizable, ending with the shell's exit code or the reason the
 * connection was lost. Closing it ends the exec.
 */
export class ShellSession extends EventEmitter {
  private ended = false;
  /** The shell's pid inside the container, announced by the preamble (see open). */
  private pid: string | undefined;
  private head: Buffer | undefined = Buffer.alloc(0);
  private readonly early: Buffer[] = [];
  private markReady: (ready: boolean) => void = () => undefined;
  /**
   * True once the shell itself runs (the preamble announced its pid, or clearly will not), false
   * when the session ended first. Input written earlier reaches the preamble's TTY: its echo could
   * push the announcement out of sight, and a ^C in it would end the preamble instead of a line.
   */
  readonly ready = new Promise<boolean>((resolve) => (this.markReady = resolve));
  /** Resizes go one after another: the last size asked for is the one the TTY ends with. */
  private resizing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly api: EngineApi,
    private readonly containerId: string,
    readonly execId: string,
    private readonly stream: Duplex,
  ) {
    super();
    // Output that arrives before anyone listens (the first prompt) is kept, not dropped.
    this.on('newListener', (event) => {
      if (event === 'data' && this.early.length) setImmediate(() => this.early.splice(0).forEach((chunk) => this.emit('data', chunk)));
    });
    stream.on('data', (chunk: Buffer) => this.receive(chunk));
    stream.once('error', (error: Error) => this.finish({ reason: error.message }));
    stream.once('close', () => void this.exited());
  }

  /**
   * Docker never ends an exec whose client went away, so the shell announces its pid (hidden in
   * an OSC sequence that we strip) before exec'ing itself; close() then hangs it up by that pid.
   * The shell path is an argument ($0), never part of the script.
   */
  static async open(api: EngineApi, containerId: string, shell: string, size: { rows: number; cols: number }): Promise<ShellSession> {
    const execId = await api.createExec(containerId, {
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      Cmd: ['sh', '-c', PID_PREAMBLE, shell],
      Env: ['TERM=xterm-256color'],
      ConsoleSize: [size.rows, size.cols],
    });
    const stream = await api.startExecHijacked(execId, true);
    const session = new ShellSession(api, containerId, execId, stream);
    void session.resize(size.rows, size.cols).catch(() => undefined);
    return session;
  }

  write(data: string | Buffer): void {
    if (!this.ended) this.stream.write(data);
  }

  async resize(rows: number, cols: number): Promise<void> {
    if (this.ended || rows <= 0 || cols <= 0) return this.resizing;
    const next = this.resizing.then(() => (this.ended ? undefined : this.api.resizeExec(this.execId, rows, cols)));
    this.resizing = next.catch(() => undefined);
    return next;
  }

  /** Settles when every resize asked for so far has been answered (or has failed). */
  resized(): Promise<void> {
    return this.resizing;
  }

  /** Ends the exec: the shell gets SIGHUP (and its jobs with it), then the stream closes. */
  close(): void {
    const pid = this.pid;
    this.finish({ reason: 'closed' });
    const destroy = () => {
      this.stream.destroy();
    };
    if (!pid) return destroy();
    runExec(this.api, this.containerId, ['sh', '-c', HANG_UP, 'hang-up', pid]).then(destroy, destroy);
  }

  private output(chunk: Buffer): void {
    // While early output waits to be flushed, later output queues behind it to keep the order.
    if (this.listenerCount('data') === 0 || this.early.length) this.early.push(chunk);
    else this.emit('data', chunk);
  }

  private receive(chunk: Buffer): void {
    if (!this.head) {
      this.output(chunk);
      return;
    }
    // Hold output back until the pid announcement has been seen (or clearly is not coming).
    this.head = Buffer.concat([this.head, chunk]);
    const text = this.head.toString('latin1');
    const match = PID_ANNOUNCEMENT.exec(text);
    if (!match && this.head.length < 4096) return;
    const rest = match ? Buffer.from(text.slice(0, match.index) + text.slice(match.index + match[0].length), 'latin1') : this.head;
    if (match) this.pid = match[1];
    this.head = undefined;
    if (rest.length) this.output(rest);
    this.markReady(true);
  }

  private async exited(): Promise<void> {
    if (this.ended) return;
    try {
      // The stream can close a moment before the engine records the exit code.
      for (let attempt = 0; attempt < 20; attempt++) {
        const state = await this.api.inspectExec(this.execId);
        if (!state.Running) return this.finish({ code: state.ExitCode ?? undefined });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      this.finish({ reason: 'the connection to the container was lost' });
    } catch (error) {
      this.finish({ reason: `the engine did not answer: ${innermostCause((error as Error).message)}` });
    }
  }

  private finish(exit: ShellExit): void {
    if (this.ended) return;
    this.ended = true;
    this.markReady(false);
    this.emit('exit', exit);
  }
}

/**
 * What the engine at the end of a chain said: through nested engines an error reads "A: GET …
 * failed (HTTP 500): B: POST … failed (HTTP 500): (HTTP code 500) unexpected - <what happened>",
 * and a terminal has room for the last part only.
 */
export function innermostCause(message: string): string {
  const parts = message.split(/ failed(?: \(HTTP \d+\))?: /);
  return parts[parts.length - 1].replace(/^\(HTTP code \d+\) [\w ]+ - /, '').trim() || message;
}
