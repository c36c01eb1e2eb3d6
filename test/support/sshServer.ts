import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './docker';

const run = promisify(execFile);

export interface SshServer {
  port: number;
  user: string;
  identityFile: string;
  /** The server's host key as `ssh-keyscan` prints it: a known_hosts line for 127.0.0.1 on this port. */
  knownHostsLine: string;
  /** How many logins sshd accepted so far (from its own log). */
  logins(): number;
  /** sshd's log so far. */
  log(): string;
  /** Lets this public key (a .pub file's text) log in too. */
  authorize(publicKey: string): void;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/**
 * A private sshd on loopback (Debian's openssh-server) with its own host key, config and a fresh
 * client key: the remote end of an ssh:// engine, on this machine's own engine.
 */
export async function startSshServer(options: { logLevel?: 'VERBOSE' | 'DEBUG1' } = {}): Promise<SshServer> {
  const sshd = ['/usr/sbin/sshd', '/usr/bin/sshd'].find((p) => fs.existsSync(p));
  if (!sshd) throw new Error('sshd is not installed: apt-get install openssh-server');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-sshd-'));
  const hostKey = path.join(dir, 'host_ed25519');
  const identityFile = path.join(dir, 'client_ed25519');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', identityFile]);
  fs.copyFileSync(`${identityFile}.pub`, path.join(dir, 'authorized_keys'));
  fs.chmodSync(path.join(dir, 'authorized_keys'), 0o600);
  const port = await freePort();
  const user = os.userInfo().username;
  const log = path.join(dir, 'sshd.log');
  fs.writeFileSync(
    path.join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      `LogLevel ${options.logLevel ?? 'VERBOSE'}`,
    ].join('\n') + '\n',
  );
  fs.mkdirSync('/run/sshd', { recursive: true });
  const child: ChildProcess = spawn(sshd, ['-D', '-e', '-f', path.join(dir, 'sshd_config'), '-E', log], { stdio: 'ignore' });
  await waitFor('sshd to listen', 10_000, async () =>
    new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    }),
  );
  // The real client tool, so the line is in OpenSSH's format ([127.0.0.1]:port ssh-ed25519 …).
  const scanned = await run('ssh-keyscan', ['-p', String(port), '-t', 'ed25519', '127.0.0.1']);
  const knownHostsLine = scanned.stdout.split('\n').find((l) => l.startsWith('[127.0.0.1]')) ?? '';
  if (!knownHostsLine) throw new Error(`ssh-keyscan found no key on port ${port}: ${scanned.stderr}`);
  const readLog = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '');
  return {
    port,
    user,
    identityFile,
    knownHostsLine,
    log: readLog,
    authorize: (publicKey) => fs.appendFileSync(path.join(dir, 'authorized_keys'), `${publicKey.trim()}\n`),
    logins: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('Accepted publickey')).length : 0),
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
