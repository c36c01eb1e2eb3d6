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
Object.defineProperty(exports, "__esModule", { value: true });
exports.startSshServer = startSshServer;
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const net = __importStar(require("node:net"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const node_util_1 = require("node:util");
const docker_1 = require("./docker");
const run = (0, node_util_1.promisify)(node_child_process_1.execFile);
async function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer().listen(0, '127.0.0.1', () => {
            const port = server.address().port;
            server.close(() => resolve(port));
        });
        server.once('error', reject);
    });
}
/**
 * A private sshd on loopback (Debian's openssh-server) with its own host key, config and a fresh
 * client key: the remote end of an ssh:// engine, on this machine's own engine.
 */
async function startSshServer() {
    const sshd = ['/usr/sbin/sshd', '/usr/bin/sshd'].find((p) => fs.existsSync(p));
    if (!sshd)
        throw new Error('sshd is not installed: apt-get install openssh-server');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-sshd-'));
    const hostKey = path.join(dir, 'host_ed25519');
    const identityFile = path.join(dir, 'client_ed25519');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', identityFile]);
    fs.copyFileSync(`${identityFile}.pub`, path.join(dir, 'authorized_keys'));
    fs.chmodSync(path.join(dir, 'authorized_keys'), 0o600);
    const port = await freePort();
    const user = os.userInfo().username;
    const log = path.join(dir, 'sshd.log');
    fs.writeFileSync(path.join(dir, 'sshd_config'), [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKey}`,
        `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
        `PidFile ${path.join(dir, 'sshd.pid')}`,
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'StrictModes no',
        'UsePAM no',
        'LogLevel VERBOSE',
    ].join('\n') + '\n');
    fs.mkdirSync('/run/sshd', { recursive: true });
    const child = (0, node_child_process_1.spawn)(sshd, ['-D', '-e', '-f', path.join(dir, 'sshd_config'), '-E', log], { stdio: 'ignore' });
    await (0, docker_1.waitFor)('sshd to listen', 10_000, async () => new Promise((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
    }));
    return {
        port,
        user,
        identityFile,
        logins: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('Accepted publickey')).length : 0),
        stop: async () => {
            child.kill('SIGTERM');
            await new Promise((r) => child.once('exit', r));
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
//# sourceMappingURL=sshServer.js.map