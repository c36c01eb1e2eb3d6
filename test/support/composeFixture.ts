import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { dockerIn, execChain } from './docker';

/** A per-run suffix: compose project names allow lowercase letters, digits, '-' and '_'. */
export function runSuffix(): string {
  return `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
}

/**
 * A unix socket on this machine whose connections reach the engine inside the innermost container
 * of `via` (each carried by `docker exec -i … docker system dial-stdio`), so that a client such as
 * docker-compose can be pointed at that engine with DOCKER_HOST.
 */
async function bridgeTo(via: string[], socketPath: string): Promise<{ close(): Promise<void> }> {
  const relays = new Set<ChildProcess>();
  const server = net.createServer((socket) => {
    const relay = spawn('docker', [...execChain(via, ['-i']), 'docker', 'system', 'dial-stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
    relays.add(relay);
    socket.pipe(relay.stdin);
    relay.stdout.pipe(socket);
    const end = () => {
      relays.delete(relay);
      relay.kill();
      socket.destroy();
    };
    socket.once('close', end);
    relay.once('exit', end);
    socket.on('error', end);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socketPath, resolve));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const relay of relays) relay.kill();
        server.close(() => resolve());
      }),
  };
}

function compose(args: string[], cwd: string, dockerHost: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('docker-compose', args, { cwd, env: { ...process.env, DOCKER_HOST: dockerHost }, timeout: 300_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`docker-compose ${args.join(' ')}: ${stderr.trim() || error.message}`));
      else resolve(stdout.trim());
    });
  });
}

export interface ComposeProjectFixture {
  project: string;
  workingDir: string;
  /** Removes the project's containers and volumes on its engine, the bridge and the working directory. */
  down(): Promise<void>;
}

/**
 * Brings up a two-service project (`web` with an anonymous volume on /data, `worker`) with Debian's
 * docker-compose on the engine inside `via` ([] for the host engine). Each service writes a line a
 * second, so that logs have something to interleave.
 */
export async function composeUp(via: string[], project: string): Promise<ComposeProjectFixture> {
  const workingDir = fs.mkdtempSync(path.join(os.tmpdir(), `${project}-`));
  fs.writeFileSync(
    path.join(workingDir, 'docker-compose.yml'),
    [
      'version: "2.4"',
      'services:',
      '  web:',
      '    image: busybox:latest',
      '    command: ["sh", "-c", "while true; do echo web line; sleep 1; done"]',
      '    volumes: ["/data"]',
      '  worker:',
      '    image: busybox:latest',
      '    command: ["sh", "-c", "while true; do echo worker line; sleep 1; done"]',
      '',
    ].join('\n'),
  );
  const socketPath = path.join(workingDir, 'engine.sock');
  const bridge = via.length ? await bridgeTo(via, socketPath) : undefined;
  const dockerHost = via.length ? `unix://${socketPath}` : 'unix:///var/run/docker.sock';
  const down = async () => {
    try {
      const ids = (await dockerIn(via, ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`])).split('\n').filter(Boolean);
      if (ids.length) await dockerIn(via, ['rm', '-f', '-v', ...ids]);
      const volumes = (await dockerIn(via, ['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project}`])).split('\n').filter(Boolean);
      if (volumes.length) await dockerIn(via, ['volume', 'rm', '-f', ...volumes]);
      const networks = (await dockerIn(via, ['network', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project}`])).split('\n').filter(Boolean);
      if (networks.length) await dockerIn(via, ['network', 'rm', ...networks]);
    } finally {
      await bridge?.close();
      fs.rmSync(workingDir, { recursive: true, force: true });
    }
  };
  try {
    await compose(['-p', project, 'up', '-d'], workingDir, dockerHost);
  } catch (error) {
    await down();
    throw error;
  }
  return { project, workingDir, down };
}
