"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const containerExec_1 = require("../../src/engine/containerExec");
const engineGraph_1 = require("../../src/engine/engineGraph");
const logFollower_1 = require("../../src/engine/logFollower");
const docker_1 = require("../support/docker");
const nestedFixture_1 = require("../support/nestedFixture");
const DEPTH2 = [nestedFixture_1.NAMES.dind, nestedFixture_1.NAMES.dindInner];
function innerEngine(graph, path) {
    let engine = graph.snapshot()[0];
    for (const name of path)
        engine = engine?.containers.find((c) => c.name === name)?.inner;
    strict_1.default.ok(engine, `the engine inside ${path.join(' › ')}`);
    return engine;
}
/** Reads a shell's output until `pattern` shows up. */
function expectOutput(session, pattern, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
        let seen = '';
        const timer = setTimeout(() => reject(new Error(`no ${pattern} in: ${JSON.stringify(seen)}`)), timeoutMs);
        const onData = (chunk) => {
            seen += chunk.toString('utf8');
            const match = seen.match(pattern);
            if (match) {
                clearTimeout(timer);
                session.off('data', onData);
                resolve(match[0]);
            }
        };
        session.on('data', onData);
    });
}
(0, node_test_1.describe)('shells, logs and actions two engines deep', { timeout: 300_000 }, () => {
    let graph;
    let api;
    let grandchildId;
    let created = false;
    (0, node_test_1.before)(async () => {
        created = (await (0, nestedFixture_1.ensureNestedFixture)()).created;
        graph = new engineGraph_1.EngineGraph({ sysboxRuntimes: ['sysbox-runc'], deadlineMs: 10_000, debounceMs: 50, reconnect: { initialMs: 200, maxMs: 1000 }, log: () => undefined });
        graph.setEndpoints([{ name: 'default', host: 'unix:///var/run/docker.sock', origin: 'default', current: true }]);
        await graph.refreshAll();
        const engine = innerEngine(graph, DEPTH2);
        api = graph.apiFor(engine.key);
        grandchildId = engine.containers.find((c) => c.name === nestedFixture_1.NAMES.grandchild)?.id;
        strict_1.default.ok(api && grandchildId);
    });
    (0, node_test_1.after)(async () => {
        graph?.dispose();
        if (created && !process.env.MATRYOSHKA_KEEP_FIXTURE)
            await (0, nestedFixture_1.removeNestedFixture)();
    });
    (0, node_test_1.it)('runs a command with stdin closed and returns its output and exit code', async () => {
        const result = await (0, containerExec_1.runExec)(api, grandchildId, ['sh', '-c', 'echo hi | cat; echo oops >&2; exit 3']);
        strict_1.default.deepEqual(result, { stdout: 'hi\n', stderr: 'oops\n', exitCode: 3 });
    });
    (0, node_test_1.it)('picks sh where there is no bash (busybox)', async () => {
        strict_1.default.match(await (0, containerExec_1.chooseShell)(api, grandchildId, undefined), /(^|\/)sh$/);
        strict_1.default.equal(await (0, containerExec_1.chooseShell)(api, grandchildId, '/bin/ash'), '/bin/ash');
    });
    (0, node_test_1.it)('a TTY shell answers commands, follows resizes, reports its exit code and leaves no process', async () => {
        const session = await containerExec_1.ShellSession.open(api, grandchildId, 'sh', { rows: 24, cols: 80 });
        const exited = new Promise((resolve) => session.once('exit', resolve));
        session.write('echo matryoshka-$((6*7))\r');
        strict_1.default.equal(await expectOutput(session, /matryoshka-42/), 'matryoshka-42');
        await session.resize(33, 111);
        session.write('stty size\r');
        strict_1.default.equal(await expectOutput(session, /33 111/), '33 111');
        session.write('exit 7\r');
        strict_1.default.deepEqual(await exited, { code: 7 });
        const closing = await containerExec_1.ShellSession.open(api, grandchildId, 'sh', { rows: 24, cols: 80 });
        closing.write('echo ready\r');
        await expectOutput(closing, /ready/);
        closing.close();
        await (0, docker_1.waitFor)('no shell left in it-grandchild', 10_000, async () => {
            const top = await (0, docker_1.dockerIn)(DEPTH2, ['top', nestedFixture_1.NAMES.grandchild, '-eo', 'pid,args']);
            return !top.split('\n').slice(1).some((line) => /\bsh$/.test(line.trim()));
        });
        strict_1.default.ok((await (0, nestedFixture_1.relayProcesses)([nestedFixture_1.NAMES.dind, nestedFixture_1.NAMES.dindInner])) <= 2, 'the relays are back at rest');
    });
    (0, node_test_1.it)('follows the logs of a non-TTY container with stdout and stderr apart', async () => {
        await (0, docker_1.dockerIn)(DEPTH2, ['run', '-d', '--name', 'it-logs', '--label', nestedFixture_1.LABEL, 'busybox:latest', 'sh', '-c', 'echo out-1; echo err-1 >&2; echo out-2; sleep 600']);
        try {
            const seen = { stdout: '', stderr: '' };
            const stop = await (0, logFollower_1.followLogs)(api, 'it-logs', false, 100, { onText: (kind, text) => (seen[kind] += text), onEnd: () => undefined });
            await (0, docker_1.waitFor)('both lines of stdout and the line of stderr', 10_000, async () => seen.stdout.includes('out-2') && seen.stderr.includes('err-1'));
            stop();
            strict_1.default.doesNotMatch(seen.stdout, /err-1/);
            strict_1.default.doesNotMatch(seen.stderr, /out-/);
            strict_1.default.match(seen.stdout, /^\d{4}-\d\d-\d\dT[\d:.]+Z out-1\n/m, 'with timestamps');
        }
        finally {
            await (0, docker_1.dockerIn)(DEPTH2, ['rm', '-f', 'it-logs']);
        }
    });
    (0, node_test_1.it)('stop, start, restart and remove change the state as the engine reports it', async () => {
        await (0, docker_1.dockerIn)(DEPTH2, ['run', '-d', '--name', 'it-actions', '--label', nestedFixture_1.LABEL, 'busybox:latest', 'sleep', '600']);
        const state = () => (0, docker_1.dockerIn)(DEPTH2, ['inspect', '--format', '{{.State.Status}}', 'it-actions']);
        await api.containerAction('it-actions', 'stop');
        strict_1.default.equal(await state(), 'exited');
        await api.containerAction('it-actions', 'start');
        strict_1.default.equal(await state(), 'running');
        const startedAt = await (0, docker_1.dockerIn)(DEPTH2, ['inspect', '--format', '{{.State.StartedAt}}', 'it-actions']);
        await api.containerAction('it-actions', 'restart');
        strict_1.default.notEqual(await (0, docker_1.dockerIn)(DEPTH2, ['inspect', '--format', '{{.State.StartedAt}}', 'it-actions']), startedAt);
        await api.containerAction('it-actions', 'remove');
        strict_1.default.doesNotMatch(await (0, docker_1.dockerIn)(DEPTH2, ['ps', '-a', '--format', '{{.Names}}']), /it-actions/);
    });
});
//# sourceMappingURL=containerExec.test.js.map