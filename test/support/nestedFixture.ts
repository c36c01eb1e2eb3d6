import * as os from 'node:os';
import { docker, dockerIn, loadImageInto, waitFor } from './docker';
import { RUN_ID, RUN_LABEL_KEY, runLabel, runName, treePath } from './runId';

/**
 * One container of every kind, nested as users nest them:
 *   host: it-plain, it-dood (socket), it-dind (privileged) › it-child, it-dind-inner › it-grandchild,
 *         it-sysbox (sysbox runtime) › it-sysbox-child
 * each name ending in the run's id (`it-dind-k3f9`, see runId.ts): one fixture per run, shared by
 * all its suites. Write paths with fixturePath, never as literals.
 * it-dind runs its dockerd under a shell, not as PID 1, so tests can kill the inner engine and start
 * it again while the container keeps running. Everything carries LABEL and the run's label and is
 * removed by removeNestedFixture, which removes this run's fixture only.
 */
export const LABEL = 'dev.matryoshka.test=nested';
export const NAMES = {
  plain: runName('it-plain'),
  dood: runName('it-dood'),
  dind: runName('it-dind'),
  child: runName('it-child'),
  dindInner: runName('it-dind-inner'),
  grandchild: runName('it-grandchild'),
  sysbox: runName('it-sysbox'),
  sysboxChild: runName('it-sysbox-child'),
};

/** `default › it-dind-k3f9 › …`: how the tree and messages write a path into the fixture. */
export const fixturePath = treePath;

/**
 * The process that will remove the fixture when it ends (a fixture that is not kept), as
 * `host:pid`. A later run removes a fixture whose owner on this host is gone (a run that crashed
 * or was interrupted), and never one whose owner still runs or that is kept.
 */
const OWNER_LABEL_KEY = 'dev.matryoshka.test.owner';
const owner = (): string => `${os.hostname()}:${process.pid}`;

function labels(): string[] {
  const kept = process.env.MATRYOSHKA_KEEP_FIXTURE === '1';
  return ['--label', LABEL, '--label', runLabel(), ...(kept ? [] : ['--label', `${OWNER_LABEL_KEY}=${owner()}`])];
}

// it-sysbox and it-dind-inner keep the image's default (TLS on 2376): it starts faster than plain
// tcp 2375, for which dockerd 20.10 waits 15 s to warn about an unauthenticated port.
const UNIX_ONLY_DOCKERD = 'dockerd --host=unix:///var/run/docker.sock';

/** Kills it-dind's engine (not the container: its PID 1 is a shell). */
export async function killInnerDockerd(): Promise<void> {
  // By its pid file: `pkill dockerd` would also kill the engine of it-dind-inner, a process in the same tree.
  const pid = await docker(['exec', NAMES.dind, 'cat', '/var/run/docker.pid']);
  await docker(['exec', NAMES.dind, 'kill', '-9', pid]);
  await waitFor('the inner dockerd to exit', 10_000, async () => {
    const top = await docker(['exec', NAMES.dind, 'ps', '-o', 'pid=', '-p', pid]).catch(() => '');
    return top.trim() === '';
  });
}

export async function startInnerDockerd(): Promise<void> {
  // A killed dockerd leaves its pid file behind; the new one refuses to start while it exists.
  await docker(['exec', NAMES.dind, 'rm', '-f', '/var/run/docker.pid']);
  await docker(['exec', '-d', NAMES.dind, ...UNIX_ONLY_DOCKERD.split(' ')]);
  await waitForEngine([NAMES.dind]);
}

/** A restarted dockerd without live-restore stops what ran inside: start the nesting again. */
export async function restartInnerContainers(): Promise<void> {
  await dockerIn([NAMES.dind], ['start', NAMES.child, NAMES.dindInner]);
  await waitForEngine([NAMES.dind, NAMES.dindInner]);
  await dockerIn([NAMES.dind, NAMES.dindInner], ['start', NAMES.grandchild]);
}

async function waitForEngine(path: string[]): Promise<void> {
  await waitFor(`the engine inside ${path.join(' › ')}`, 180_000, async () => (await dockerIn(path, ['version', '--format', '{{.Server.Version}}'])) || undefined, 300);
}

export async function fixtureIsHealthy(): Promise<boolean> {
  try {
    const names = await dockerIn([NAMES.dind, NAMES.dindInner], ['ps', '--format', '{{.Names}}']);
    return names.split('\n').includes(NAMES.grandchild) && (await dockerIn([NAMES.sysbox], ['ps', '--format', '{{.Names}}'])).includes(NAMES.sysboxChild);
  } catch {
    return false;
  }
}

/** Creates the fixture unless a healthy one with the same label is already there. */
export async function ensureNestedFixture(): Promise<{ created: boolean }> {
  if (await fixtureIsHealthy()) return { created: false };
  await removeNestedFixture();
  await removeAbandonedFixtures();
  const LABELS = labels();
  const sleeper = ['busybox:latest', 'sleep', '86400'];
  await Promise.all([
    docker(['run', '-d', '--name', NAMES.plain, ...LABELS, ...sleeper]),
    docker(['run', '-d', '--name', NAMES.dood, ...LABELS, '-v', '/var/run/docker.sock:/var/run/docker.sock', 'docker:cli', 'sleep', '86400']),
    // dockerd is orphaned to --init, which reaps it when killed: a zombie would block the restart.
    docker(['run', '-d', '--init', '--name', NAMES.dind, '--privileged', ...LABELS, '--entrypoint', 'sh', 'docker:dind', '-c', `(${UNIX_ONLY_DOCKERD} >/var/log/dockerd.log 2>&1 &); exec sleep 86400`]),
    docker(['run', '-d', '--name', NAMES.sysbox, '--runtime', 'sysbox-runc', ...LABELS, 'docker:dind']),
  ]);
  await Promise.all([waitForEngine([NAMES.dind]), waitForEngine([NAMES.sysbox])]);
  await Promise.all([
    loadImageInto('busybox:latest', [NAMES.dind]).then(() => loadImageInto('docker:dind', [NAMES.dind])),
    loadImageInto('busybox:latest', [NAMES.sysbox]),
  ]);
  await Promise.all([
    dockerIn([NAMES.dind], ['run', '-d', '--name', NAMES.child, ...LABELS, ...sleeper]),
    // /run on tmpfs: the offline docker:dind stand-in does not delete a stale docker.pid when it
    // restarts (the official image does), and the restart test restarts it-dind-inner.
    dockerIn([NAMES.dind], ['run', '-d', '--name', NAMES.dindInner, '--privileged', '--tmpfs', '/run', ...LABELS, 'docker:dind']),
    dockerIn([NAMES.sysbox], ['run', '-d', '--name', NAMES.sysboxChild, ...LABELS, ...sleeper]),
  ]);
  await waitForEngine([NAMES.dind, NAMES.dindInner]);
  await loadImageInto('busybox:latest', [NAMES.dind, NAMES.dindInner]);
  await dockerIn([NAMES.dind, NAMES.dindInner], ['run', '-d', '--name', NAMES.grandchild, ...LABELS, ...sleeper]);
  return { created: true };
}

/** Removes this run's fixture: its containers and volumes on the host (inner ones go with their hosts). */
export async function removeNestedFixture(): Promise<void> {
  await removeRun(RUN_ID);
}

async function removeRun(id: string): Promise<void> {
  // Two label filters: both must match.
  const filters = ['--filter', `label=${LABEL}`, '--filter', `label=${runLabel(id)}`];
  const ids = (await docker(['ps', '-aq', ...filters])).split('\n').filter(Boolean);
  if (ids.length) await docker(['rm', '-f', '-v', ...ids]);
  const volumes = (await docker(['volume', 'ls', '-q', ...filters])).split('\n').filter(Boolean);
  if (volumes.length) await docker(['volume', 'rm', '-f', ...volumes]);
}

/** Other runs' fixtures whose owner on this host no longer runs (see OWNER_LABEL_KEY). */
async function removeAbandonedFixtures(): Promise<void> {
  const listed = await docker(['ps', '-a', '--filter', `label=${LABEL}`, '--filter', `label=${OWNER_LABEL_KEY}`,
    '--format', `{{.Label "${OWNER_LABEL_KEY}"}} {{.Label "${RUN_LABEL_KEY}"}}`]);
  const runs = new Set<string>();
  for (const line of listed.split('\n').filter(Boolean)) {
    const [ownedBy, run] = line.split(' ');
    const [host, pid] = ownedBy.split(':');
    if (host === os.hostname() && run && run !== RUN_ID && !isRunning(Number(pid))) runs.add(run);
  }
  for (const run of runs) await removeRun(run);
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true; // not ours to judge
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** How many relay processes (`docker system dial-stdio`, socat) run in the innermost container of `path`. */
export async function relayProcesses(path: string[]): Promise<number> {
  const top = await dockerIn(path.slice(0, -1), ['top', path[path.length - 1], '-eo', 'pid,args']);
  return top.split('\n').filter((line) => /docker system dial-stdio|socat - UNIX-CONNECT/.test(line)).length;
}
