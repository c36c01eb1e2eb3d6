"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.NAMES = exports.LABEL = void 0;
exports.killInnerDockerd = killInnerDockerd;
exports.startInnerDockerd = startInnerDockerd;
exports.restartInnerContainers = restartInnerContainers;
exports.fixtureIsHealthy = fixtureIsHealthy;
exports.ensureNestedFixture = ensureNestedFixture;
exports.removeNestedFixture = removeNestedFixture;
exports.relayProcesses = relayProcesses;
const docker_1 = require("./docker");
/**
 * One container of every kind, nested as users nest them:
 *   host: it-plain, it-dood (socket), it-dind (privileged) › it-child, it-dind-inner › it-grandchild,
 *         it-sysbox (sysbox runtime) › it-sysbox-child
 * it-dind runs its dockerd under a shell, not as PID 1, so tests can kill the inner engine and start
 * it again while the container keeps running. Everything carries LABEL and is removed by
 * removeNestedFixture.
 */
exports.LABEL = 'dev.matryoshka.test=nested';
exports.NAMES = {
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
const DIND_ARGS = ['--label', exports.LABEL];
const UNIX_ONLY_DOCKERD = 'dockerd --host=unix:///var/run/docker.sock';
/** Kills it-dind's engine (not the container: its PID 1 is a shell). */
async function killInnerDockerd() {
    // By its pid file: `pkill dockerd` would also kill the engine of it-dind-inner, a process in the same tree.
    const pid = await (0, docker_1.docker)(['exec', exports.NAMES.dind, 'cat', '/var/run/docker.pid']);
    await (0, docker_1.docker)(['exec', exports.NAMES.dind, 'kill', '-9', pid]);
    await (0, docker_1.waitFor)('the inner dockerd to exit', 10_000, async () => {
        const top = await (0, docker_1.docker)(['exec', exports.NAMES.dind, 'ps', '-o', 'pid=', '-p', pid]).catch(() => '');
        return top.trim() === '';
    });
}
async function startInnerDockerd() {
    // A killed dockerd leaves its pid file behind; the new one refuses to start while it exists.
    await (0, docker_1.docker)(['exec', exports.NAMES.dind, 'rm', '-f', '/var/run/docker.pid']);
    await (0, docker_1.docker)(['exec', '-d', exports.NAMES.dind, ...UNIX_ONLY_DOCKERD.split(' ')]);
    await waitForEngine([exports.NAMES.dind]);
}
/** A restarted dockerd without live-restore stops what ran inside: start the nesting again. */
async function restartInnerContainers() {
    await (0, docker_1.dockerIn)([exports.NAMES.dind], ['start', exports.NAMES.child, exports.NAMES.dindInner]);
    await waitForEngine([exports.NAMES.dind, exports.NAMES.dindInner]);
    await (0, docker_1.dockerIn)([exports.NAMES.dind, exports.NAMES.dindInner], ['start', exports.NAMES.grandchild]);
}
async function waitForEngine(path) {
    await (0, docker_1.waitFor)(`the engine inside ${path.join(' › ')}`, 60_000, async () => (await (0, docker_1.dockerIn)(path, ['version', '--format', '{{.Server.Version}}'])) || undefined, 300);
}
async function fixtureIsHealthy() {
    try {
        const names = await (0, docker_1.dockerIn)([exports.NAMES.dind, exports.NAMES.dindInner], ['ps', '--format', '{{.Names}}']);
        return names.split('\n').includes(exports.NAMES.grandchild) && (await (0, docker_1.dockerIn)([exports.NAMES.sysbox], ['ps', '--format', '{{.Names}}'])).includes(exports.NAMES.sysboxChild);
    }
    catch {
        return false;
    }
}
/** Creates the fixture unless a healthy one with the same label is already there. */
async function ensureNestedFixture() {
    if (await fixtureIsHealthy())
        return { created: false };
    await removeNestedFixture();
    const sleeper = ['busybox:latest', 'sleep', '86400'];
    await Promise.all([
        (0, docker_1.docker)(['run', '-d', '--name', exports.NAMES.plain, '--label', exports.LABEL, ...sleeper]),
        (0, docker_1.docker)(['run', '-d', '--name', exports.NAMES.dood, '--label', exports.LABEL, '-v', '/var/run/docker.sock:/var/run/docker.sock', 'docker:cli', 'sleep', '86400']),
        // dockerd is orphaned to --init, which reaps it when killed: a zombie would block the restart.
        (0, docker_1.docker)(['run', '-d', '--init', '--name', exports.NAMES.dind, '--privileged', ...DIND_ARGS, '--entrypoint', 'sh', 'docker:dind', '-c', `(${UNIX_ONLY_DOCKERD} >/var/log/dockerd.log 2>&1 &); exec sleep 86400`]),
        (0, docker_1.docker)(['run', '-d', '--name', exports.NAMES.sysbox, '--runtime', 'sysbox-runc', ...DIND_ARGS, 'docker:dind']),
    ]);
    await Promise.all([waitForEngine([exports.NAMES.dind]), waitForEngine([exports.NAMES.sysbox])]);
    await Promise.all([
        (0, docker_1.loadImageInto)('busybox:latest', [exports.NAMES.dind]).then(() => (0, docker_1.loadImageInto)('docker:dind', [exports.NAMES.dind])),
        (0, docker_1.loadImageInto)('busybox:latest', [exports.NAMES.sysbox]),
    ]);
    await Promise.all([
        (0, docker_1.dockerIn)([exports.NAMES.dind], ['run', '-d', '--name', exports.NAMES.child, '--label', exports.LABEL, ...sleeper]),
        // /run on tmpfs: the offline docker:dind stand-in does not delete a stale docker.pid when it
        // restarts (the official image does), and the restart test restarts it-dind-inner.
        (0, docker_1.dockerIn)([exports.NAMES.dind], ['run', '-d', '--name', exports.NAMES.dindInner, '--privileged', '--tmpfs', '/run', ...DIND_ARGS, 'docker:dind']),
        (0, docker_1.dockerIn)([exports.NAMES.sysbox], ['run', '-d', '--name', exports.NAMES.sysboxChild, '--label', exports.LABEL, ...sleeper]),
    ]);
    await waitForEngine([exports.NAMES.dind, exports.NAMES.dindInner]);
    await (0, docker_1.loadImageInto)('busybox:latest', [exports.NAMES.dind, exports.NAMES.dindInner]);
    await (0, docker_1.dockerIn)([exports.NAMES.dind, exports.NAMES.dindInner], ['run', '-d', '--name', exports.NAMES.grandchild, '--label', exports.LABEL, ...sleeper]);
    return { created: true };
}
/** Removes every container and volume with the fixture's label (inner ones go with their hosts). */
async function removeNestedFixture() {
    const ids = (await (0, docker_1.docker)(['ps', '-aq', '--filter', `label=${exports.LABEL}`])).split('\n').filter(Boolean);
    if (ids.length)
        await (0, docker_1.docker)(['rm', '-f', '-v', ...ids]);
    const volumes = (await (0, docker_1.docker)(['volume', 'ls', '-q', '--filter', `label=${exports.LABEL}`])).split('\n').filter(Boolean);
    if (volumes.length)
        await (0, docker_1.docker)(['volume', 'rm', '-f', ...volumes]);
}
/** How many relay processes (`docker system dial-stdio`, socat) run in the innermost container of `path`. */
async function relayProcesses(path) {
    const top = await (0, docker_1.dockerIn)(path.slice(0, -1), ['top', path[path.length - 1], '-eo', 'pid,args']);
    return top.split('\n').filter((line) => /docker system dial-stdio|socat - UNIX-CONNECT/.test(line)).length;
}
//# sourceMappingURL=nestedFixture.js.map