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
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const endpoints_1 = require("../../src/engine/endpoints");
const tempDirs = [];
(0, node_test_1.after)(() => {
    for (const dir of tempDirs)
        fs.rmSync(dir, { recursive: true, force: true });
});
const sha256 = (name) => (0, node_crypto_1.createHash)('sha256').update(name).digest('hex');
/** A DOCKER_CONFIG folder laid out as the Docker CLI writes it. */
function configDir(options = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-docker-config-'));
    tempDirs.push(dir);
    const config = options.configJson ?? JSON.stringify({ auths: {}, ...(options.currentContext ? { currentContext: options.currentContext } : {}) });
    fs.writeFileSync(path.join(dir, 'config.json'), config);
    for (const context of options.contexts ?? []) {
        const metaDir = path.join(dir, 'contexts', 'meta', sha256(context.name));
        fs.mkdirSync(metaDir, { recursive: true });
        const meta = { Name: context.name, Metadata: {}, Endpoints: { docker: { Host: context.host, SkipTLSVerify: context.skipTlsVerify ?? false } } };
        fs.writeFileSync(path.join(metaDir, 'meta.json'), JSON.stringify(meta));
        if (context.tls) {
            const tlsDir = path.join(dir, 'contexts', 'tls', sha256(context.name), 'docker');
            fs.mkdirSync(tlsDir, { recursive: true });
            for (const file of ['ca.pem', 'cert.pem', 'key.pem'])
                fs.writeFileSync(path.join(tlsDir, file), '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
        }
    }
    return dir;
}
const REMOTE = { name: 'remote', host: 'ssh://me@example' };
const SECURE = { name: 'secure', host: 'tcp://secure.example:2376', tls: true };
const INSECURE = { name: 'insecure', host: 'tcp://insecure.example:2376', tls: true, skipTlsVerify: true };
function summary(endpoints) {
    return endpoints.map((e) => `${e.name} ${e.origin}${e.current ? ' current' : ''} ${e.host}`);
}
function find(endpoints, name) {
    const found = endpoints.find((e) => e.name === name);
    strict_1.default.ok(found, `${name} is listed`);
    return found;
}
(0, node_test_1.describe)('resolveEndpoints: which engine is current', () => {
    (0, node_test_1.it)('with nothing configured, the default socket', () => {
        const { endpoints, problems } = (0, endpoints_1.resolveEndpoints)({ env: {}, configDir: configDir() });
        strict_1.default.deepEqual(endpoints, [{ name: 'default', host: endpoints_1.DEFAULT_SOCKET, origin: 'default', current: true }]);
        strict_1.default.equal(endpoints_1.DEFAULT_SOCKET, 'unix:///var/run/docker.sock');
        strict_1.default.deepEqual(problems, []);
    });
    (0, node_test_1.it)('config.json currentContext, sorted first; the other contexts follow, not current', () => {
        const dir = configDir({ currentContext: 'remote', contexts: [SECURE, REMOTE, INSECURE] });
        const { endpoints, problems } = (0, endpoints_1.resolveEndpoints)({ env: {}, configDir: dir });
        strict_1.default.deepEqual(summary(endpoints), [
            'remote context current ssh://me@example',
            `default default ${endpoints_1.DEFAULT_SOCKET}`,
            'insecure context tcp://insecure.example:2376',
            'secure context tcp://secure.example:2376',
        ]);
        strict_1.default.deepEqual(problems, []);
        strict_1.default.equal(find(endpoints, 'remote').tls, undefined);
        const tlsDir = path.join(dir, 'contexts', 'tls', sha256('secure'), 'docker');
        strict_1.default.deepEqual(find(endpoints, 'secure').tls, { certPath: tlsDir, verify: true });
        strict_1.default.ok(fs.existsSync(path.join(find(endpoints, 'secure').tls?.certPath ?? '', 'ca.pem')));
        strict_1.default.deepEqual(find(endpoints, 'insecure').tls, { certPath: path.join(dir, 'contexts', 'tls', sha256('insecure'), 'docker'), verify: false });
        strict_1.default.equal((0, endpoints_1.contextDigest)('secure'), sha256('secure'));
    });
    (0, node_test_1.it)('DOCKER_CONTEXT wins over config.json', () => {
        const dir = configDir({ currentContext: 'remote', contexts: [REMOTE, SECURE] });
        const { endpoints } = (0, endpoints_1.resolveEndpoints)({ env: { DOCKER_CONTEXT: 'secure' }, configDir: dir });
        strict_1.default.deepEqual(summary(endpoints).slice(0, 2), ['secure context current tcp://secure.example:2376', `default default ${endpoints_1.DEFAULT_SOCKET}`]);
        strict_1.default.equal(find(endpoints, 'remote').current, false);
        const explicitDefault = (0, endpoints_1.resolveEndpoints)({ env: { DOCKER_CONTEXT: 'default' }, configDir: dir }).endpoints;
        strict_1.default.equal(explicitDefault[0].name, 'default');
        strict_1.default.equal(explicitDefault[0].current, true);
    });
    (0, node_test_1.it)('DOCKER_HOST wins over everything and is the engine "default"', () => {
        const dir = configDir({ currentContext: 'remote', contexts: [REMOTE] });
        const { endpoints, problems } = (0, endpoints_1.resolveEndpoints)({ env: { DOCKER_HOST: 'tcp://10.0.0.5:2375', DOCKER_CONTEXT: 'remote' }, configDir: dir });
        strict_1.default.deepEqual(summary(endpoints), ['default environment current tcp://10.0.0.5:2375', 'remote context ssh://me@example']);
        strict_1.default.equal(endpoints[0].tls, undefined);
        strict_1.default.deepEqual(problems, []);
        const bare = (0, endpoints_1.resolveEndpoints)({ env: { DOCKER_HOST: '10.0.0.5:2375' }, configDir: dir }).endpoints[0];
        strict_1.default.equal(bare.host, 'tcp://10.0.0.5:2375', 'a bare host:port is tcp, as for the CLI');
    });
    (0, node_test_1.it)('DOCKER_HOST with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH is TLS', () => {
        const env = { DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs/client' };
        const [endpoint] = (0, endpoints_1.resolveEndpoints)({ env, configDir: configDir() }).endpoints;
        strict_1.default.deepEqual(endpoint, { name: 'default', host: 'tcp://10.0.0.5:2376', tls: { certPath: '/certs/client', verify: true }, origin: 'environment', current: true });
        const certOnly = (0, endpoints_1.resolveEndpoints)({ env: { DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_CERT_PATH: '/certs/client' }, configDir: configDir() });
        strict_1.default.deepEqual(certOnly.endpoints[0].tls, { certPath: '/certs/client', verify: false });
    });
    (0, node_test_1.it)('reads DOCKER_CONFIG from the environment when no folder is given', () => {
        const dir = configDir({ currentContext: 'remote', contexts: [REMOTE] });
        strict_1.default.deepEqual(summary((0, endpoints_1.resolveEndpoints)({ env: { DOCKER_CONFIG: dir } }).endpoints)[0], 'remote context current ssh://me@example');
    });
});
(0, node_test_1.describe)('resolveEndpoints: problems do not hide engines', () => {
    (0, node_test_1.it)('a current context that does not exist: a problem, and the default engine is current', () => {
        const dir = configDir({ currentContext: 'gone', contexts: [REMOTE] });
        const { endpoints, problems } = (0, endpoints_1.resolveEndpoints)({ env: {}, configDir: dir });
        strict_1.default.deepEqual(summary(endpoints), [`default default current ${endpoints_1.DEFAULT_SOCKET}`, 'remote context ssh://me@example']);
        strict_1.default.deepEqual(problems, ['The current Docker context "gone" does not exist; using the default engine.']);
        const fromEnv = (0, endpoints_1.resolveEndpoints)({ env: { DOCKER_CONTEXT: 'typo' }, configDir: dir });
        strict_1.default.deepEqual(fromEnv.problems, ['The current Docker context "typo" does not exist; using the default engine.']);
    });
    (0, node_test_1.it)('an unreadable meta.json is a problem; the other contexts are still listed', () => {
        const dir = configDir({ currentContext: 'secure', contexts: [REMOTE, SECURE] });
        const broken = path.join(dir, 'contexts', 'meta', sha256('broken'));
        fs.mkdirSync(broken);
        fs.writeFileSync(path.join(broken, 'meta.json'), '{"Name": "broken", "Endpoints": {');
        const { endpoints, problems } = (0, endpoints_1.resolveEndpoints)({ env: {}, configDir: dir });
        strict_1.default.deepEqual(endpoints.map((e) => e.name), ['secure', 'default', 'remote']);
        strict_1.default.equal(problems.length, 1);
        strict_1.default.ok(problems[0].startsWith(`Docker context ${path.join(broken, 'meta.json')} is unreadable: `), problems[0]);
    });
    (0, node_test_1.it)('an unreadable config.json is a problem and the default engine is current', () => {
        const dir = configDir({ configJson: '{"currentContext": ', contexts: [REMOTE] });
        const { endpoints, problems } = (0, endpoints_1.resolveEndpoints)({ env: {}, configDir: dir });
        strict_1.default.deepEqual(summary(endpoints)[0], `default default current ${endpoints_1.DEFAULT_SOCKET}`);
        strict_1.default.equal(problems.length, 1);
        strict_1.default.ok(problems[0].startsWith(`Could not read ${path.join(dir, 'config.json')}: `), problems[0]);
    });
});
(0, node_test_1.describe)('resolveEndpoints: engines from the matryoshka.engines setting', () => {
    (0, node_test_1.it)('appends valid ones with origin "setting", after the contexts', () => {
        const dir = configDir({ currentContext: 'remote', contexts: [REMOTE] });
        const configured = [
            { name: 'build-box', host: 'ssh://me@build-box:2222', identityFile: '/home/me/.ssh/build' },
            { name: '  spaced  ', host: 'unix:///tmp/docker.sock', tls: { certPath: '/certs', verify: false } },
        ];
        const { endpoints, problems } = (0, endpoints_1.resolveEndpoints)({ env: {}, configDir: dir, configured });
        strict_1.default.deepEqual(problems, []);
        strict_1.default.deepEqual(summary(endpoints), [
            'remote context current ssh://me@example',
            `default default ${endpoints_1.DEFAULT_SOCKET}`,
            'build-box setting ssh://me@build-box:2222',
            'spaced setting unix:///tmp/docker.sock',
        ]);
        strict_1.default.equal(find(endpoints, 'build-box').identityFile, '/home/me/.ssh/build');
        strict_1.default.deepEqual(find(endpoints, 'spaced').tls, { certPath: '/certs', verify: false });
    });
    (0, node_test_1.it)('reports invalid ones by index and keeps the rest', () => {
        const dir = configDir({ contexts: [REMOTE] });
        const configured = [
            { host: 'tcp://x:2375' },
            { name: 'bad', host: 'http://x:2375' },
            { name: 'remote', host: 'tcp://y:2375' },
            'ssh://me@box',
            { name: 'ok', host: 'tcp://ok:2375' },
            { name: '  ', host: 'tcp://z:2375' },
            { name: 'default', host: 'tcp://d:2375' },
            { name: 'ok', host: 'tcp://ok2:2375' },
        ];
        const { endpoints, problems } = (0, endpoints_1.resolveEndpoints)({ env: {}, configDir: dir, configured });
        strict_1.default.deepEqual(endpoints.map((e) => e.name), ['default', 'remote', 'ok']);
        strict_1.default.equal(find(endpoints, 'remote').host, 'ssh://me@example', 'the context keeps its name');
        strict_1.default.equal(find(endpoints, 'ok').host, 'tcp://ok:2375', 'the first of two settings with one name wins');
        strict_1.default.equal(problems.length, 7);
        strict_1.default.equal(problems[0], 'matryoshka.engines[0] needs a "name".');
        strict_1.default.equal(problems[1], 'matryoshka.engines[1] ("bad"): "host" must start with unix://, tcp:// or ssh://.');
        strict_1.default.match(problems[2], /^matryoshka\.engines\[2\] \("remote"\): the name is already used by a Docker context/);
        strict_1.default.equal(problems[3], 'matryoshka.engines[3] must be an object with "name" and "host".');
        strict_1.default.equal(problems[4], 'matryoshka.engines[5] needs a "name".');
        strict_1.default.match(problems[5], /^matryoshka\.engines\[\d\] \("default"\): the name is already used by the default engine/);
        strict_1.default.equal(problems[6], 'matryoshka.engines[7] ("ok"): the name is already used by an earlier matryoshka.engines entry; rename it.');
    });
    (0, node_test_1.it)('names the index of a duplicate too', () => {
        const configured = [{ name: 'ok', host: 'tcp://ok:2375' }, { name: 'ok', host: 'tcp://ok2:2375' }];
        const { problems } = (0, endpoints_1.resolveEndpoints)({ env: {}, configDir: configDir(), configured });
        strict_1.default.equal(problems.length, 1);
        strict_1.default.match(problems[0], /^matryoshka\.engines\[1\] /);
        strict_1.default.doesNotMatch(problems[0], /Docker context/);
    });
});
//# sourceMappingURL=endpoints.test.js.map