import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** The longest path a Unix socket can have on Linux (sun_path is 108 bytes, NUL included). */
export const MAX_SOCKET_PATH_BYTES = 107;

export class BridgeError extends Error {}

/**
 * Where bridge sockets live unless the caller has a better private folder: the user's runtime
 * folder (XDG_RUNTIME_DIR, already 0700 and cleared at logout), else a folder of this user's own
 * in the temporary folder.
 */
export function defaultSocketFolder(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_RUNTIME_DIR) return path.join(env.XDG_RUNTIME_DIR, 'matryoshka');
  return path.join(os.tmpdir(), `matryoshka-${process.getuid?.() ?? 'user'}`);
}

/**
 * `<folder>/<name>.sock` in the first folder where that fits a Unix socket path; the name is cut
 * (keeping a digest of the whole, so two engines never share a socket) where it does not.
 */
export function bridgeSocketPath(folders: readonly string[], name: string): string {
  const digest = createHash('sha256').update(name).digest('hex').slice(0, 10);
  for (const folder of folders) {
    const whole = path.join(folder, `${name}.sock`);
    if (Buffer.byteLength(whole) <= MAX_SOCKET_PATH_BYTES) return whole;
    const room = MAX_SOCKET_PATH_BYTES - Buffer.byteLength(path.join(folder, `-${digest}.sock`));
    if (room >= 12) return path.join(folder, `${name.slice(0, room)}-${digest}.sock`);
  }
  throw new BridgeError(`No folder for the bridge socket of ${name} is short enough for a Unix socket path (${MAX_SOCKET_PATH_BYTES} bytes): ${folders.join(', ')}`);
}

/**
 * Makes `socketPath` free to listen on: its folder exists, belongs to this user and is 0700; a
 * stale socket file from a crash is removed; a socket some other process (another window) serves,
 * or a file that is not a socket, is left alone with an error.
 */
export async function claimSocketPath(socketPath: string, label: string): Promise<void> {
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
    throw new BridgeError(`The socket path for ${label} is ${Buffer.byteLength(socketPath)} bytes, more than Unix sockets allow (${MAX_SOCKET_PATH_BYTES}): ${socketPath}`);
  }
  ensurePrivateFolder(socketPath.slice(0, socketPath.lastIndexOf('/')) || '/');
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(socketPath);
  } catch {
    return;
  }
  if (!stat.isSocket()) throw new BridgeError(`${socketPath} exists and is not a socket: move it away to bridge ${label}.`);
  if (await socketAnswers(socketPath)) {
    throw new BridgeError(`${socketPath} is already served by another process (another VS Code window bridges ${label}): use that one, or stop it there.`);
  }
  fs.rmSync(socketPath, { force: true });
}

/** Creates the folder 0700, or checks an existing one is a real folder of this user and makes it 0700. */
export function ensurePrivateFolder(folder: string): void {
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(folder);
  if (!stat.isDirectory()) throw new BridgeError(`${folder} is not a folder (a link?): bridge sockets are only made in a private folder.`);
  if (process.getuid && stat.uid !== process.getuid()) throw new BridgeError(`${folder} belongs to another user: bridge sockets are only made in a folder of yours.`);
  if ((stat.mode & 0o777) !== 0o700) fs.chmodSync(folder, 0o700);
}

/**
 * Removes a socket file no process serves (a crash left it); a socket some process serves, or a
 * file that is not a socket, stays. Returns whether it removed one.
 */
export async function removeStaleSocket(socketPath: string): Promise<boolean> {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(socketPath);
  } catch {
    return false;
  }
  if (!stat.isSocket() || (await socketAnswers(socketPath))) return false;
  fs.rmSync(socketPath, { force: true });
  return true;
}

/** Whether a process accepts connections on the socket (another window serving a bridge). */
export function socketAnswers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
