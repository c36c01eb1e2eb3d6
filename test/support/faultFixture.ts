import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { docker, loadImageInto, waitFor } from './docker';
import { OWN_ID, OWN_LABEL, ownName } from './runId';

/**
 * Engines the fault tests may break without touching anyone else's:
 *   ft-root, a DinD on the host whose dockerd also listens on a socket in a host folder, so that
 *   Matryoshka reaches it as a root engine (as it reaches the host's own /var/run/docker.sock);
 *   inside it ft-dind › ft-child. Both dockerds run under a shell rather than as PID 1, so a test can
 *   stop or kill -9 the engine while its container keeps running, as with a host's dockerd.
 * "Restarting the host dockerd" restarts ft-root's: `npm test` on a developer's machine never
 * restarts the engine their own work runs on. Names end in this process's id and carry OWN_LABEL:
 * removeFaultFixture removes this process's fixture only.
 */
export const FAULT_LABEL = 'dev.matryoshka.test=faults';
export const FAULT_NAMES = { root: ownName('ft-root'), dind: ownName('ft-dind'), child: ownName('ft-child') };
const SOCKET_DIR_PREFIX = `matryoshka-ft-${OWN_ID}-`;

export interface FaultFixture {
  /** The folder on the host that holds ft-root's socket. */
  socketDir: string;
  /** `unix://…`: ft-root as a root engine. */
  rootHost: string;
}

const INNER_SOCKET = 'unix:///var/run/docker.sock';
const ROOT_DOCKERD = ['dockerd', `--host=${INNER_SOCKET}`, '--host=unix:///run/ft/docker.sock'];
const DIND_DOCKERD = ['dockerd', `--host=${INNER_SOCKET}`];

/** `docker …` against ft-root's engine, from the host. */
export function rootDocker(fixture: FaultFixture, args: string[], timeoutMs?: number): Promise<string> {
  return docker(['-H', fixture.rootHost, ...args], { timeoutMs });
}

/** A container whose dockerd runs under a shell; `--init` reaps a killed dockerd, which would block a restart as a zombie. */
function dindUnderShell(name: string, dockerd: string[], extra: string[]): string[] {
  return ['run', '-d', '--init', '--restart', 'always', '--name', name, '--privileged', '--label', FAULT_LABEL, '--label', OWN_LABEL, ...extra,
    '--entrypoint', 'sh', 'docker:dind', '-c', `(${dockerd.join(' ')} >/var/log/dockerd.log 2>&1 &); exec sleep 86400`];
}

export async function createFaultFixture(): Promise<FaultFixture> {
  await removeFaultFixture();
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), SOCKET_DIR_PREFIX));
  const fixture = { socketDir, rootHost: `unix://${socketDir}/docker.sock` };
  await docker(dindUnderShell(FAULT_NAMES.root, ROOT_DOCKERD, ['-v', `${socketDir}:/run/ft`]));
  await waitForRootEngine(fixture);
  await loadImageInto('docker:dind', [FAULT_NAMES.root]);
  // /run on tmpfs: a dockerd killed with its container leaves a pid file that stops the next one.
  await rootDocker(fixture, dindUnderShell(FAULT_NAMES.dind, DIND_DOCKERD, ['--tmpfs', '/run']));
  await waitForDindEngine(fixture);
  await loadImageInto('busybox:latest', [FAULT_NAMES.root, FAULT_NAMES.dind]);
  await rootDocker(fixture, ['exec', FAULT_NAMES.dind, 'docker', 'run', '-d', '--restart', 'always', '--name', FAULT_NAMES.child, 'busybox:latest', 'sleep', '86400']);
  return fixture;
}

export async function removeFaultFixture(): Promise<void> {
  const ids = (await docker(['ps', '-aq', '--filter', `label=${FAULT_LABEL}`, '--filter', `label=${OWN_LABEL}`])).split('\n').filter(Boolean);
  if (ids.length) await docker(['rm', '-f', '-v', ...ids]);
  for (const entry of fs.readdirSync(os.tmpdir())) {
    if (entry.startsWith(SOCKET_DIR_PREFIX)) fs.rmSync(path.join(os.tmpdir(), entry), { recursive: true, force: true });
  }
}

/** Resolves with the time at which ft-root's engine answers on its socket. */
export async function waitForRootEngine(fixture: FaultFixture, timeoutMs = 120_000): Promise<number> {
  await waitFor('ft-root\'s engine', timeoutMs, async () => (await rootDocker(fixture, ['version', '--format', '{{.Server.Version}}'], 5000).catch(() => '')) || undefined, 100);
  return Date.now();
}

/** Resolves with the time at which the engine inside ft-dind answers. */
export async function waitForDindEngine(fixture: FaultFixture, timeoutMs = 120_000): Promise<number> {
  await waitFor('ft-dind\'s engine', timeoutMs, async () => (await rootDocker(fixture, ['exec', FAULT_NAMES.dind, 'docker', 'version', '--format', '{{.Server.Version}}'], 5000).catch(() => '')) || undefined, 100);
  return Date.now();
}

/** Stops a dockerd the way `systemctl restart docker` does (SIGTERM, then start it again). */
async function signalDockerd(container: string[], signal: 'TERM' | 'KILL', fixture: FaultFixture): Promise<void> {
  const run = (args: string[]) => (container.length === 1 ? docker(['exec', container[0], ...args]) : rootDocker(fixture, ['exec', container[1], ...args]));
  const pid = await run(['cat', '/var/run/docker.pid']);
  await run(['kill', `-${signal}`, pid]);
  await waitFor(`dockerd ${pid} to exit`, 60_000, async () => (await run(['ps', '-o', 'pid=', '-p', pid]).catch(() => '')).trim() === '', 100);
  // A killed dockerd leaves its pid file; a new one refuses to start while it is there.
  await run(['rm', '-f', '/var/run/docker.pid']);
}

export async function stopRootDockerd(fixture: FaultFixture): Promise<void> {
  await signalDockerd([FAULT_NAMES.root], 'TERM', fixture);
}

export async function startRootDockerd(): Promise<void> {
  await docker(['exec', '-d', FAULT_NAMES.root, 'sh', '-c', `${ROOT_DOCKERD.join(' ')} >/var/log/dockerd.log 2>&1`]);
}

export async function killDindDockerd(fixture: FaultFixture): Promise<void> {
  await signalDockerd([FAULT_NAMES.root, FAULT_NAMES.dind], 'KILL', fixture);
}

export async function startDindDockerd(fixture: FaultFixture): Promise<void> {
  await rootDocker(fixture, ['exec', '-d', FAULT_NAMES.dind, 'sh', '-c', `${DIND_DOCKERD.join(' ')} >/var/log/dockerd.log 2>&1`]);
}

/** Kills every relay (`docker system dial-stdio`) in ft-dind: each tunnel into its engine breaks at once. */
export async function killRelays(fixture: FaultFixture): Promise<number> {
  const ps = await rootDocker(fixture, ['exec', FAULT_NAMES.dind, 'ps', '-o', 'pid=,args=']);
  const pids = ps.split('\n').filter((line) => /docker system dial-stdio/.test(line)).map((line) => line.trim().split(/\s+/)[0]);
  if (pids.length) await rootDocker(fixture, ['exec', FAULT_NAMES.dind, 'kill', '-9', ...pids]);
  return pids.length;
}
