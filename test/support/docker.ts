import { execFile, spawn } from 'node:child_process';

/**
 * The Docker CLI, used by tests only to build fixtures and to check what Matryoshka reports
 * against the engine's own word. Arguments go straight to the process: no shell.
 */
export function docker(args: string[], options: { input?: Buffer | string; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('docker', args, { maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`docker ${args.join(' ')}: ${stderr.trim() || error.message}`));
      else resolve(stdout.trim());
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** `docker save IMAGE | docker exec -i CONTAINER docker load`, through every container in `via`. */
export function loadImageInto(image: string, path: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const save = spawn('docker', ['save', image], { stdio: ['ignore', 'pipe', 'inherit'] });
    const load = spawn('docker', [...execChain(path, ['-i']), 'docker', 'load', '-q'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    load.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    save.stdout.pipe(load.stdin);
    load.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`loading ${image} into ${path.join(' › ')}: ${errors.trim()}`))));
  });
}

/** Arguments that run a command in the innermost container of `path` (exec through each level). */
export function execChain(path: string[], execFlags: string[] = []): string[] {
  const args: string[] = [];
  path.forEach((container, index) => {
    if (index > 0) args.push('docker');
    args.push('exec', ...execFlags, container);
  });
  return args;
}

/** `docker ...` run inside the innermost container of `path` (path empty: the host). */
export function dockerIn(path: string[], args: string[], timeoutMs?: number): Promise<string> {
  if (path.length === 0) return docker(args, { timeoutMs });
  return docker([...execChain(path), 'docker', ...args], { timeoutMs });
}

export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined | false>, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}
