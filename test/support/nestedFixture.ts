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

// The image's default (TLS on 2376) starts faster than plain tcp 2375, for which dockerd 20.10
// waits 15 s to warn about an unauthenticated port.
const DIND_ARGS = ['--label', LABEL];
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
  const sleeper = ['busybox:latest', 'sleep', '86400'];
  await Promise.all([
    docker(['run', '-d', '--name', NAMES.plain, '--label', LABEL, ...sleeper]),
    docker(['run', '-d', '--name', NAMES.dood, '--label', LABEL, '-v', '/var/run/docker.sock:/var/run/docker.sock', 'docker:cli', 'sleep', '86400']),
    // dockerd is orphaned to --init, which reaps it when killed: a zombie would block the restart.
    docker(['run', '-d', '--init', '--name', NAMES.dind, '--privileged', ...DIND_ARGS, '--entrypoint', 'sh', 'docker:dind', '-c', `(${UNIX_ONLY_DOCKERD} >/var/log/dockerd.log 2>&1 &); exec sleep 86400`]),
    docker(['run', '-d', '--name', NAMES.sysbox, '--runtime', 'sysbox-runc', ...DIND_ARGS, 'docker:dind']),
  ]);
  await Promise.all([waitForEngine([NAMES.dind]), waitForEngine([NAMES.sysbox])]);
  await Promise.all([
    loadImageInto('busybox:latest', [NAMES.dind]).then(() => loadImageInto('docker:dind', [NAMES.dind])),
    loadImageInto('busybox:latest', [NAMES.sysbox]),
  ]);
  await Promise.all([
    dockerIn([NAMES.dind], ['run', '-d', '--name', NAMES.child, '--label', LABEL, ...sleeper]),
    // /run on tmpfs: the offline docker:dind stand-in does not delete a stale docker.pid when it
    // restarts (the official image does), and the restart test restarts it-dind-inner.
    dockerIn([NAMES.dind], ['run', '-d', '--name', NAMES.dindInner, '--privileged', '--tmpfs', '/run', ...DIND_ARGS, 'docker:dind']),
    dockerIn([NAMES.sysbox], ['run', '-d', '--name', NAMES.sysboxChild, '--label', LABEL, ...sleeper]),
  ]);
  await waitForEngine([NAMES.dind, NAMES.dindInner]);
  await loadImageInto('busybox:latest', [NAMES.dind, NAMES.dindInner]);
  await dockerIn([NAMES.dind, NAMES.dindInner], ['run', '-d', '--name', NAMES.grandchild, '--label', LABEL, ...sleeper]);
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
