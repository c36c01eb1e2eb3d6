"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const fs = __importStar(require("node:fs"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const engineGraph_1 = require("../../src/engine/engineGraph");
const docker_1 = require("../support/docker");
const sshServer_1 = require("../support/sshServer");
const LABEL = 'dev.matryoshka.test=remote';
function graphFor(endpoints) {
    const graph = new engineGraph_1.EngineGraph({
        sysboxRuntimes: ['sysbox-runc'],
        deadlineMs: 15_000,
        debounceMs: 50,
        reconnect: { initialMs: 200, maxMs: 1000 },
        log: () => undefined,
    });
    graph.setEndpoints(endpoints);
    return graph;
}
async function hostNames() {
    return (await (0, docker_1.docker)(['ps', '-a', '--format', '{{.Names}}'])).split('\n').filter(Boolean).sort();
}
(0, node_test_1.describe)('ssh, TLS and the environment', { timeout: 300_000 }, () => {
    let ssh;
    let tlsPort = '';
    const certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-tls-'));
    (0, node_test_1.before)(async () => {
        ssh = await (0, sshServer_1.startSshServer)();
        await (0, docker_1.docker)(['rm', '-f', 'it-tls']).catch(() => undefined);
        await (0, docker_1.docker)(['run', '-d', '--name', 'it-tls', '--privileged', '--label', LABEL, '-p', '127.0.0.1::2376', 'docker:dind']);
        await (0, docker_1.waitFor)('the TLS engine in it-tls', 60_000, async () => (await (0, docker_1.dockerIn)(['it-tls'], ['version', '--format', '{{.Server.Version}}'])) || undefined, 300);
        tlsPort = (await (0, docker_1.docker)(['port', 'it-tls', '2376/tcp'])).split('\n')[0].split(':').pop();
        await (0, docker_1.docker)(['cp', 'it-tls:/certs/client/.', certDir]);
    });
    (0, node_test_1.after)(async () => {
        await ssh?.stop();
        await (0, docker_1.docker)(['rm', '-f', '-v', 'it-tls']).catch(() => undefined);
        fs.rmSync(certDir, { recursive: true, force: true });
    });
    (0, node_test_1.it)('an ssh engine lists the remote engine and keeps one login for many requests', async () => {
        const graph = graphFor([
            { name: 'over-ssh', host: `ssh://${ssh.user}@127.0.0.1:${ssh.port}`, identityFile: ssh.identityFile, origin: 'setting', current: true },
        ]);
        try {
            await graph.refreshAll();
            const [engine] = graph.snapshot();
            strict_1.default.equal(engine.status.kind, 'connected', JSON.stringify(engine.status));
            strict_1.default.deepEqual(engine.containers.map((c) => c.name).sort(), await hostNames());
            const loginsAfterFirstListing = ssh.logins();
            // One login carries up to 8 relays (OpenSSH allows 10 sessions per login).
            strict_1.default.ok(loginsAfterFirstListing >= 1 && loginsAfterFirstListing <= 4, `${loginsAfterFirstListing} logins`);
            for (let i = 0; i < 30; i++)
                await graph.refreshAll();
            strict_1.default.equal(ssh.logins(), loginsAfterFirstListing, '30 more listings of every engine logged in no more');
        }
        finally {
            graph.dispose();
        }
    });
    (0, node_test_1.it)('a tcp engine with TLS client certificates answers; without them it shows why not', async () => {
        const good = graphFor([{ name: 'tls', host: `tcp://127.0.0.1:${tlsPort}`, tls: { certPath: certDir }, origin: 'setting', current: true }]);
        const bare = graphFor([{ name: 'no-certs', host: `tcp://127.0.0.1:${tlsPort}`, origin: 'setting', current: true }]);
        try {
            await Promise.all([good.refreshAll(), bare.refreshAll()]);
            const engine = good.snapshot()[0];
            strict_1.default.equal(engine.status.kind, 'connected', JSON.stringify(engine.status));
            strict_1.default.equal(engine.version?.Version, await (0, docker_1.dockerIn)(['it-tls'], ['version', '--format', '{{.Server.Version}}']));
            strict_1.default.equal(engine.endpoint, `tcp://127.0.0.1:${tlsPort}`, 'the tree shows the endpoint as configured');
            const refused = bare.snapshot()[0];
            strict_1.default.equal(refused.status.kind, 'disconnected');
            strict_1.default.match(refused.status.kind === 'disconnected' ? refused.status.reason : '', /engine "no-certs"/);
        }
        finally {
            good.dispose();
            bare.dispose();
        }
    });
    (0, node_test_1.it)('DOCKER_HOST and DOCKER_TLS_VERIFY in the environment cannot switch a socket or relay transport', async () => {
        const saved = { host: process.env.DOCKER_HOST, verify: process.env.DOCKER_TLS_VERIFY, certs: process.env.DOCKER_CERT_PATH };
        process.env.DOCKER_HOST = 'tcp://127.0.0.1:9';
        process.env.DOCKER_TLS_VERIFY = '1';
        process.env.DOCKER_CERT_PATH = certDir;
        const graph = graphFor([{ name: 'default', host: 'unix:///var/run/docker.sock', origin: 'default', current: true }]);
        try {
            await graph.refreshAll();
            const [engine] = graph.snapshot();
            strict_1.default.equal(engine.status.kind, 'connected', JSON.stringify(engine.status));
            const tls = engine.containers.find((c) => c.name === 'it-tls');
            strict_1.default.equal(tls?.inner?.status.kind, 'connected', 'the relay into it-tls ignores DOCKER_HOST too');
        }
        finally {
            graph.dispose();
            for (const [name, value] of [['DOCKER_HOST', saved.host], ['DOCKER_TLS_VERIFY', saved.verify], ['DOCKER_CERT_PATH', saved.certs]]) {
                if (value === undefined)
                    delete process.env[name];
                else
                    process.env[name] = value;
            }
        }
    });
});
//# sourceMappingURL=remoteEngines.test.js.map