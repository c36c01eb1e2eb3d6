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
exports.transportForEndpoint = transportForEndpoint;
exports.relayTransport = relayTransport;
const dockerode_1 = __importDefault(require("dockerode"));
const fs = __importStar(require("node:fs"));
const net = __importStar(require("node:net"));
const tls = __importStar(require("node:tls"));
const path = __importStar(require("node:path"));
const sshConnection_1 = require("./sshConnection");
const streamAgent_1 = require("./streamAgent");
/**
 * Every option that docker-modem would otherwise take from DOCKER_HOST, DOCKER_TLS_VERIFY and
 * DOCKER_CERT_PATH is set explicitly, so the user's environment can never switch a transport.
 */
const NEUTRAL = { host: undefined, port: undefined, socketPath: undefined, ca: undefined, cert: undefined, key: undefined };
function transportForEndpoint(endpoint, log) {
    const url = endpoint.host;
    if (url.startsWith('unix://')) {
        const socketPath = url.slice('unix://'.length) || '/var/run/docker.sock';
        const docker = new dockerode_1.default({ ...NEUTRAL, socketPath, protocol: 'http' });
        return { docker, endpoint: url, openConnections: () => 0, dispose: () => undefined };
    }
    if (url.startsWith('tcp://') || url.startsWith('https://') || url.startsWith('http://')) {
        return tcpTransport(endpoint);
    }
    if (url.startsWith('ssh://')) {
        const ssh = new sshConnection_1.SshConnection((0, sshConnection_1.parseSshHost)(url, endpoint.identityFile), log);
        const transport = relayTransport(() => ssh.openRelay(), url);
        return { ...transport, dispose: () => (transport.dispose(), ssh.dispose()) };
    }
    throw new Error(`engine "${endpoint.name}": unsupported host "${url}" (use unix://, tcp:// or ssh://)`);
}
function tcpTransport(endpoint) {
    const url = new URL(endpoint.host.replace(/^tcp:/, 'http:'));
    const material = readTls(endpoint.tls);
    const secure = material !== undefined || url.protocol === 'https:' || url.port === '2376';
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(url.port || (secure ? 2376 : 2375));
    const open = () => new Promise((resolve, reject) => {
        const socket = secure
            ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ...material, rejectUnauthorized: endpoint.tls?.verify !== false })
            : net.connect({ host, port });
        socket.once(secure ? 'secureConnect' : 'connect', () => {
            socket.removeListener('error', reject);
            resolve(socket);
        });
        socket.once('error', reject);
    });
    return relayTransport(open, `${secure ? 'tcp+tls' : 'tcp'}://${url.hostname}:${port}`);
}
function readTls(settings) {
    if (!settings)
        return undefined;
    const file = (explicit, name) => {
        const chosen = explicit ?? (settings.certPath ? path.join(settings.certPath, name) : undefined);
        return chosen && fs.existsSync(chosen) ? fs.readFileSync(chosen) : undefined;
    };
    const material = { ca: file(settings.ca, 'ca.pem'), cert: file(settings.cert, 'cert.pem'), key: file(settings.key, 'key.pem') };
    return material.ca || material.cert || material.key ? material : undefined;
}
/**
 * Never opened: the agent makes every connection. A request with a socketPath is also one that
 * VS Code's proxy support leaves alone; without it, VS Code swaps our agent for its proxy agent
 * in the extension host and the request goes to DNS instead of the relay.
 */
const RELAY_SOCKET_PATH = '/matryoshka/relay.sock';
/** A client whose every HTTP connection is a stream we open (TCP/TLS, ssh channel, container exec). */
function relayTransport(open, endpoint) {
    const agent = new streamAgent_1.StreamAgent(open);
    const docker = new dockerode_1.default({ ...NEUTRAL, socketPath: RELAY_SOCKET_PATH, protocol: 'http', agent });
    return { docker, endpoint, openConnections: () => agent.openConnections, dispose: () => agent.destroy() };
}
//# sourceMappingURL=transports.js.map