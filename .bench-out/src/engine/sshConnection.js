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
exports.SshConnection = void 0;
exports.parseSshHost = parseSshHost;
const fs = __importStar(require("node:fs"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const ssh2_1 = require("ssh2");
const tunnelSocket_1 = require("./tunnelSocket");
function parseSshHost(host, identityFile) {
    const url = new URL(host);
    return {
        host: url.hostname,
        port: url.port ? Number(url.port) : 22,
        username: decodeURIComponent(url.username) || os.userInfo().username,
        identityFile,
    };
}
/**
 * OpenSSH allows 10 sessions per connection (MaxSessions); an engine with several inner engines
 * holds more relays than that, so a login carries at most this many and another one is opened
 * beside it when needed.
 */
const CHANNELS_PER_LOGIN = 8;
/**
 * ssh logins shared by every request to a remote engine: each HTTP connection is a channel
 * (`docker system dial-stdio`) on an open login, instead of docker-modem's login per request.
 */
class SshConnection {
    target;
    log;
    logins = [];
    constructor(target, log) {
        this.target = target;
        this.log = log;
    }
    async openRelay() {
        for (let attempt = 0; attempt < 3; attempt++) {
            const login = this.logins.find((l) => !l.full && l.channels < CHANNELS_PER_LOGIN) ?? this.connect();
            login.channels++;
            try {
                const client = await login.ready;
                return await this.exec(client, login);
            }
            catch (error) {
                login.channels--;
                if (!/open failed|Channel open failure/i.test(error.message))
                    throw error;
                login.full = true;
            }
        }
        throw new Error(`ssh ${this.describe()}: the server refused more sessions; raise MaxSessions in its sshd_config`);
    }
    describe() {
        return `${this.target.username}@${this.target.host}:${this.target.port}`;
    }
    /** Logins open now (for tests: many requests must not mean many logins). */
    get openLogins() {
        return this.logins.length;
    }
    dispose() {
        for (const login of this.logins)
            login.client.end();
        this.logins = [];
    }
    exec(client, login) {
        return new Promise((resolve, reject) => {
            client.exec('docker system dial-stdio', (error, channel) => {
                if (error)
                    return reject(new Error(`ssh ${this.describe()}: could not start docker system dial-stdio: ${error.message}`));
                channel.once('close', () => login.channels--);
                resolve(new tunnelSocket_1.TunnelSocket(channel, channel, channel.stderr, `ssh ${this.describe()}`));
            });
        });
    }
    connect() {
        const client = new ssh2_1.Client();
        const forget = () => {
            this.logins = this.logins.filter((l) => l.client !== client);
        };
        const ready = new Promise((resolve, reject) => {
            client.once('ready', () => resolve(client));
            client.once('error', (error) => {
                forget();
                reject(new Error(`ssh ${this.describe()}: ${error.message}`));
            });
            client.once('close', forget);
            try {
                client.connect(this.connectConfig());
            }
            catch (error) {
                forget();
                reject(new Error(`ssh ${this.describe()}: ${error.message}`));
            }
        });
        const login = { client, ready, channels: 0, full: false };
        this.logins.push(login);
        return login;
    }
    connectConfig() {
        const config = {
            host: this.target.host,
            port: this.target.port,
            username: this.target.username,
            readyTimeout: 15_000,
            keepaliveInterval: 15_000,
        };
        const keyFile = this.target.identityFile ?? defaultIdentityFile();
        if (keyFile)
            config.privateKey = fs.readFileSync(keyFile);
        if (process.env.SSH_AUTH_SOCK)
            config.agent = process.env.SSH_AUTH_SOCK;
        if (!config.privateKey && !config.agent) {
            throw new Error('no ssh key: set "identityFile" for this engine, start ssh-agent, or create ~/.ssh/id_ed25519');
        }
        this.log(`ssh ${this.describe()}: logging in with ${keyFile ?? 'ssh-agent'}`);
        return config;
    }
}
exports.SshConnection = SshConnection;
function defaultIdentityFile() {
    const dir = path.join(os.homedir(), '.ssh');
    return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => path.join(dir, name)).find((file) => fs.existsSync(file));
}
//# sourceMappingURL=sshConnection.js.map