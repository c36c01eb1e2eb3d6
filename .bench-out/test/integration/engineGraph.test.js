"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const engineGraph_1 = require("../../src/engine/engineGraph");
const docker_1 = require("../support/docker");
const nestedFixture_1 = require("../support/nestedFixture");
function newGraph() {
    const graph = new engineGraph_1.EngineGraph({
        sysboxRuntimes: ['sysbox-runc'],
        deadlineMs: 10_000,
        debounceMs: 50,
        reconnect: { initialMs: 200, maxMs: 1000 },
        log: () => undefined,
    });
    graph.setEndpoints([{ name: 'default', host: 'unix:///var/run/docker.sock', origin: 'default', current: true }]);
    return graph;
}
function find(engine, name) {
    const found = engine?.containers.find((c) => c.name === name);
    strict_1.default.ok(found, `${name} is listed on ${engine?.name ?? '(no engine)'}: ${engine?.containers.map((c) => c.name).join(', ')}`);
    return found;
}
function at(graph, ...path) {
    let engine = graph.snapshot()[0];
    let container;
    for (const name of path) {
        container = find(engine, name);
        engine = container.inner;
    }
    return container;
}
async function namesIn(path) {
    return (await (0, docker_1.dockerIn)(path, ['ps', '-a', '--format', '{{.Names}}'])).split('\n').filter(Boolean).sort();
}
(0, node_test_1.describe)('the engine graph on the real engine', { timeout: 600_000 }, () => {
    let graph;
    let created = false;
    (0, node_test_1.before)(async () => {
        created = (await (0, nestedFixture_1.ensureNestedFixture)()).created;
        graph = newGraph();
        await graph.refreshAll();
    });
    (0, node_test_1.after)(async () => {
        graph?.dispose();
        if (created && !process.env.MATRYOSHKA_KEEP_FIXTURE)
            await (0, nestedFixture_1.removeNestedFixture)();
    });
    (0, node_test_1.it)('classifies every kind of container', () => {
        strict_1.default.equal(at(graph, nestedFixture_1.NAMES.plain).classification.mode, 'plain');
        const dood = at(graph, nestedFixture_1.NAMES.dood);
        strict_1.default.equal(dood.classification.mode, 'dood');
        strict_1.default.equal(dood.inner, undefined, 'a DooD container is never probed for an engine');
        const dind = at(graph, nestedFixture_1.NAMES.dind);
        strict_1.default.equal(dind.classification.mode, 'dind');
        strict_1.default.equal(dind.classification.privileged, true);
        const sysbox = at(graph, nestedFixture_1.NAMES.sysbox);
        strict_1.default.equal(sysbox.classification.mode, 'sysbox');
        strict_1.default.equal(sysbox.classification.privileged, false);
        strict_1.default.equal(at(graph, nestedFixture_1.NAMES.dind, nestedFixture_1.NAMES.dindInner).classification.mode, 'dind');
    });
    (0, node_test_1.it)('nests children under the container that runs their engine, to depth 2, as each engine lists them', async () => {
        strict_1.default.deepEqual(graph.snapshot()[0].containers.map((c) => c.name).sort(), await namesIn([]));
        strict_1.default.deepEqual(at(graph, nestedFixture_1.NAMES.dind).inner?.containers.map((c) => c.name).sort(), await namesIn([nestedFixture_1.NAMES.dind]));
        strict_1.default.deepEqual(at(graph, nestedFixture_1.NAMES.dind, nestedFixture_1.NAMES.dindInner).inner?.containers.map((c) => c.name).sort(), await namesIn([nestedFixture_1.NAMES.dind, nestedFixture_1.NAMES.dindInner]));
        strict_1.default.deepEqual(at(graph, nestedFixture_1.NAMES.sysbox).inner?.containers.map((c) => c.name).sort(), await namesIn([nestedFixture_1.NAMES.sysbox]));
        strict_1.default.equal(at(graph, nestedFixture_1.NAMES.dind, nestedFixture_1.NAMES.dindInner, nestedFixture_1.NAMES.grandchild).summary.State, 'running');
        strict_1.default.equal(at(graph, nestedFixture_1.NAMES.dind).inner?.depth, 1);
        strict_1.default.equal(at(graph, nestedFixture_1.NAMES.dind, nestedFixture_1.NAMES.dindInner).inner?.depth, 2);
    });
    (0, node_test_1.it)('asks each engine in the API version it reports', async () => {
        const inner = at(graph, nestedFixture_1.NAMES.dind).inner;
        const reported = await (0, docker_1.dockerIn)([nestedFixture_1.NAMES.dind], ['version', '--format', '{{.Server.APIVersion}}']);
        strict_1.default.equal(graph.apiFor(inner.key)?.negotiatedVersion, reported);
    });
    (0, node_test_1.it)('follows events at depth 2 without a manual refresh', async () => {
        const path = [nestedFixture_1.NAMES.dind, nestedFixture_1.NAMES.dindInner];
        await (0, docker_1.dockerIn)(path, ['run', '-d', '--name', 'it-event', '--label', nestedFixture_1.LABEL, 'busybox:latest', 'sleep', '600']);
        await (0, docker_1.waitFor)('it-event in the graph', 15_000, async () => at(graph, ...path).inner?.containers.some((c) => c.name === 'it-event'));
        await (0, docker_1.dockerIn)(path, ['rm', '-f', 'it-event']);
        await (0, docker_1.waitFor)('it-event gone from the graph', 15_000, async () => !at(graph, ...path).inner?.containers.some((c) => c.name === 'it-event'));
    });
    (0, node_test_1.it)('keeps at most two relays per inner engine at rest through 200 refreshes, and none once closed', async () => {
        for (let i = 0; i < 200; i++)
            await graph.refreshAll();
        await new Promise((r) => setTimeout(r, 500));
        for (const path of [[nestedFixture_1.NAMES.dind], [nestedFixture_1.NAMES.sysbox], [nestedFixture_1.NAMES.dind, nestedFixture_1.NAMES.dindInner]]) {
            const key = at(graph, ...path).inner.key;
            strict_1.default.ok(graph.relayConnections(key) <= 2, `${path.join(' › ')}: ${graph.relayConnections(key)} relay connections`);
        }
        const inSysbox = await (0, nestedFixture_1.relayProcesses)([nestedFixture_1.NAMES.sysbox]);
        const inInner = await (0, nestedFixture_1.relayProcesses)([nestedFixture_1.NAMES.dind, nestedFixture_1.NAMES.dindInner]);
        strict_1.default.ok(inSysbox <= 2 && inSysbox > 0, `${inSysbox} relay processes in it-sysbox`);
        strict_1.default.ok(inInner <= 2 && inInner > 0, `${inInner} relay processes in it-dind-inner`);
        // `docker top` counts nested containers' processes too; it-dind itself also carries one hop
        // of each relay of the engine inside it-dind-inner.
        const inDind = (await (0, nestedFixture_1.relayProcesses)([nestedFixture_1.NAMES.dind])) - inInner;
        strict_1.default.ok(inDind <= 4 && inDind > 0, `${inDind} relay processes in it-dind`);
        const probe = newGraph();
        await probe.refreshAll();
        probe.dispose();
        graph.dispose();
        for (const path of [[nestedFixture_1.NAMES.dind], [nestedFixture_1.NAMES.sysbox], [nestedFixture_1.NAMES.dind, nestedFixture_1.NAMES.dindInner]]) {
            await (0, docker_1.waitFor)(`no relay left in ${path.join(' › ')}`, 10_000, async () => (await (0, nestedFixture_1.relayProcesses)(path)) === 0);
        }
        graph = newGraph();
        await graph.refreshAll();
    });
    (0, node_test_1.it)('shows a killed inner engine as disconnected, then recovers with a container created meanwhile', async () => {
        await (0, nestedFixture_1.killInnerDockerd)();
        const down = await (0, docker_1.waitFor)('it-dind shown disconnected', 15_000, async () => {
            const status = at(graph, nestedFixture_1.NAMES.dind).inner?.status;
            return status?.kind === 'disconnected' ? status : undefined;
        });
        strict_1.default.match(down.reason, /\S/);
        strict_1.default.equal(at(graph, nestedFixture_1.NAMES.dind).classification.mode, 'dind', 'still DinD while its engine is down');
        await (0, nestedFixture_1.startInnerDockerd)();
        await (0, docker_1.dockerIn)([nestedFixture_1.NAMES.dind], ['run', '-d', '--name', 'it-meanwhile', '--label', nestedFixture_1.LABEL, 'busybox:latest', 'sleep', '600']);
        await (0, docker_1.waitFor)('it-dind reconnected with it-meanwhile', 30_000, async () => {
            const inner = at(graph, nestedFixture_1.NAMES.dind).inner;
            return inner?.status.kind === 'connected' && inner.containers.some((c) => c.name === 'it-meanwhile');
        });
        await (0, docker_1.dockerIn)([nestedFixture_1.NAMES.dind], ['rm', '-f', 'it-meanwhile']);
        await (0, nestedFixture_1.restartInnerContainers)();
        strict_1.default.ok(await (0, nestedFixture_1.fixtureIsHealthy)(), 'the nesting is back for the suites after this one');
    });
    (0, node_test_1.it)('says why a privileged container without a relay has no engine', async () => {
        await (0, docker_1.docker)(['run', '-d', '--name', 'it-privileged-plain', '--privileged', '--label', nestedFixture_1.LABEL, 'busybox:latest', 'sleep', '600']);
        try {
            const c = await (0, docker_1.waitFor)('it-privileged-plain probed', 15_000, async () => {
                await graph.refreshAll();
                const found = graph.snapshot()[0].containers.find((x) => x.name === 'it-privileged-plain');
                return found?.inner?.status.kind === 'disconnected' ? found : undefined;
            });
            strict_1.default.equal(c.classification.mode, 'plain');
            strict_1.default.equal(c.classification.privileged, true);
            strict_1.default.match(c.inner?.status.kind === 'disconnected' ? c.inner.status.reason : '', /no relay.*docker system dial-stdio: not installed/);
        }
        finally {
            await (0, docker_1.docker)(['rm', '-f', 'it-privileged-plain']);
        }
    });
});
//# sourceMappingURL=engineGraph.test.js.map