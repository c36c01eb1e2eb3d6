import { docker, dockerIn, loadImageInto, waitFor } from './docker';

/**
 * One container of every kind, nested as users nest them:
 *   host: it-plain, it-dood (socket), it-dind (privileged) › it-child, it-dind-inner › it-grandchild,
 *         it-sysbox (sysbox runtime) › it-sysbox-child
 * it-dind runs its dockerd under a shell, not as PID 1, so tests can kill the inner engine and start
 * it again while the container keeps running. Everything carries LABEL and is removed by
 * removeNestedFixture.
 */
export const LABEL = 'dev.matryoshka.test=nested';
export const NAMES = {
  plain: 'it-plain',
  dood: 'it-dood',
  dind: 'it-dind',
  child: 'it-child',
  dindInner: 'it-dind-inner',
  grandchild: 'it-grandchild',
  sysbox: 'it-sysbox',
  sysboxChild: 'it-sysbox-child',
};

const DIND_ARGS = ['-e', 'DOCKER_TLS_CERTDIR=', '--label', LABEL];

/** Kills it-dind's engine (not the container: its PID 1 is a shell). */
export async function killInnerDockerd(): Promise<void> {
  await docker(['exec', NAMES.dind, 'pkill', '-9', '-x', 'dockerd']);
  await waitFor('the inner dockerd to exit', 10_000, async () => !(await docker(['top', NAMES.dind, '-eo', 'pid,args'])).includes('dockerd --host'));
}

export async function startInnerDockerd(): Promise<void> {
  // A killed dockerd leaves its pid file behind; the new one refuses to start while it exists.
  await docker(['exec', NAMES.dind, 'rm', '-f', '/var/run/docker.pid']);
  await docker(['exec', '-d', NAMES.dind, 'dockerd-entrypoint.sh', 'dockerd']);
  await waitForEngine([NAMES.dind]);
}

async function waitForEngine(path: string[]): Promise<void> {
  await waitFor(`the engine inside ${path.join(' › ')}`, 60_000, async () => (await dockerIn(path, ['version', '--format', '{{.Server.Version}}'])) || undefined, 300);
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
  const sleeper = ['busybox:latest', 'sleep', '86400'];
  await Promise.all([
    docker(['run', '-d', '--name', NAMES.plain, '--label', LABEL, ...sleeper]),
    docker(['run', '-d', '--name', NAMES.dood, '--label', LABEL, '-v', '/var/run/docker.sock:/var/run/docker.sock', 'docker:cli', 'sleep', '86400']),
    docker(['run', '-d', '--name', NAMES.dind, '--privileged', ...DIND_ARGS, '--entrypoint', 'sh', 'docker:dind', '-c', 'dockerd-entrypoint.sh dockerd & exec sleep 86400']),
    docker(['run', '-d', '--name', NAMES.sysbox, '--runtime', 'sysbox-runc', ...DIND_ARGS, 'docker:dind']),
  ]);
  await Promise.all([waitForEngine([NAMES.dind]), waitForEngine([NAMES.sysbox])]);
  await Promise.all([
    loadImageInto('busybox:latest', [NAMES.dind]).then(() => loadImageInto('docker:dind', [NAMES.dind])),
    loadImageInto('busybox:latest', [NAMES.sysbox]),
  ]);
  await Promise.all([
    dockerIn([NAMES.dind], ['run', '-d', '--restart', 'unless-stopped', '--name', NAMES.child, '--label', LABEL, ...sleeper]),
    dockerIn([NAMES.dind], ['run', '-d', '--restart', 'unless-stopped', '--name', NAMES.dindInner, '--privileged', ...DIND_ARGS, 'docker:dind']),
    dockerIn([NAMES.sysbox], ['run', '-d', '--name', NAMES.sysboxChild, '--label', LABEL, ...sleeper]),
  ]);
  await waitForEngine([NAMES.dind, NAMES.dindInner]);
  await loadImageInto('busybox:latest', [NAMES.dind, NAMES.dindInner]);
  await dockerIn([NAMES.dind, NAMES.dindInner], ['run', '-d', '--restart', 'unless-stopped', '--name', NAMES.grandchild, '--label', LABEL, ...sleeper]);
  return { created: true };
}

/** Removes every container and volume with the fixture's label (inner ones go with their hosts). */
export async function removeNestedFixture(): Promise<void> {
  const ids = (await docker(['ps', '-aq', '--filter', `label=${LABEL}`])).split('\n').filter(Boolean);
  if (ids.length) await docker(['rm', '-f', '-v', ...ids]);
  const volumes = (await docker(['volume', 'ls', '-q', '--filter', `label=${LABEL}`])).split('\n').filter(Boolean);
  if (volumes.length) await docker(['volume', 'rm', '-f', ...volumes]);
}

/** How many relay processes (`docker system dial-stdio`, socat) run in the innermost container of `path`. */
export async function relayProcesses(path: string[]): Promise<number> {
  const top = await dockerIn(path.slice(0, -1), ['top', path[path.length - 1], '-eo', 'pid,args']);
  return top.split('\n').filter((line) => /docker system dial-stdio|socat - UNIX-CONNECT/.test(line)).length;
}
