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
exports.DEFAULT_SOCKET = void 0;
exports.resolveEndpoints = resolveEndpoints;
exports.contextDigest = contextDigest;
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
exports.DEFAULT_SOCKET = 'unix:///var/run/docker.sock';
/**
 * Every engine the user has told Docker (or Matryoshka) about, the current one first, resolved the
 * way the Docker CLI resolves them: DOCKER_HOST, else DOCKER_CONTEXT, else config.json's
 * currentContext, else the default socket. Problems with one source are returned, not thrown,
 * so one broken context never hides the others.
 */
function resolveEndpoints(sources) {
    const env = sources.env;
    const configDir = sources.configDir ?? env.DOCKER_CONFIG ?? path.join(os.homedir(), '.docker');
    const problems = [];
    const contexts = readContexts(configDir, problems);
    const envEndpoint = env.DOCKER_HOST ? fromEnvironment(env) : undefined;
    const currentName = env.DOCKER_HOST ? 'default' : env.DOCKER_CONTEXT || readCurrentContext(configDir, problems) || 'default';
    const defaultEndpoint = envEndpoint ?? {
        name: 'default',
        host: exports.DEFAULT_SOCKET,
        origin: 'default',
        current: false,
    };
    const all = [defaultEndpoint, ...contexts.filter((c) => c.name !== 'default')];
    for (const endpoint of all)
        endpoint.current = endpoint.name === currentName;
    if (!all.some((e) => e.current)) {
        problems.push(`The current Docker context "${currentName}" does not exist; using the default engine.`);
        defaultEndpoint.current = true;
    }
    for (const [index, raw] of (sources.configured ?? []).entries()) {
        const configured = fromSetting(raw, index, problems);
        if (!configured)
            continue;
        const existing = all.find((e) => e.name === configured.name);
        if (existing) {
            const owner = existing.origin === 'setting' ? 'an earlier matryoshka.engines entry' : existing.origin === 'context' ? 'a Docker context' : 'the default engine';
            problems.push(`matryoshka.engines[${index}] ("${configured.name}"): the name is already used by ${owner}; rename it.`);
            continue;
        }
        all.push(configured);
    }
    all.sort((a, b) => Number(b.current) - Number(a.current));
    return { endpoints: all, problems };
}
function fromEnvironment(env) {
    let host = env.DOCKER_HOST;
    if (!host.includes('://'))
        host = `tcp://${host}`;
    // As the Docker CLI reads it: any non-empty value (even "0") means TLS with verification.
    const verify = !!env.DOCKER_TLS_VERIFY;
    const certPath = env.DOCKER_CERT_PATH || (verify ? path.join(os.homedir(), '.docker') : undefined);
    const tls = verify || certPath ? { certPath, verify } : undefined;
    return { name: 'default', host, tls, origin: 'environment', current: true };
}
function readCurrentContext(configDir, problems) {
    const file = path.join(configDir, 'config.json');
    if (!fs.existsSync(file))
        return undefined;
    try {
        const config = JSON.parse(fs.readFileSync(file, 'utf8'));
        return typeof config.currentContext === 'string' ? config.currentContext : undefined;
    }
    catch (error) {
        problems.push(`Could not read ${file}: ${error.message}`);
        return undefined;
    }
}
/** The CLI stores each context under meta/<sha256(name)>/meta.json and its TLS under tls/<same>/docker. */
function readContexts(configDir, problems) {
    const metaRoot = path.join(configDir, 'contexts', 'meta');
    if (!fs.existsSync(metaRoot))
        return [];
    const endpoints = [];
    for (const entry of fs.readdirSync(metaRoot)) {
        const file = path.join(metaRoot, entry, 'meta.json');
        try {
            const meta = JSON.parse(fs.readFileSync(file, 'utf8'));
            const docker = meta.Endpoints?.docker;
            if (!meta.Name || !docker?.Host)
                continue;
            const tlsDir = path.join(configDir, 'contexts', 'tls', contextDigest(meta.Name), 'docker');
            const tls = fs.existsSync(tlsDir) ? { certPath: tlsDir, verify: !docker.SkipTLSVerify } : undefined;
            endpoints.push({ name: meta.Name, host: docker.Host, tls, origin: 'context', current: false });
        }
        catch (error) {
            problems.push(`Docker context ${file} is unreadable: ${error.message}`);
        }
    }
    return endpoints.sort((a, b) => a.name.localeCompare(b.name));
}
function contextDigest(name) {
    return (0, node_crypto_1.createHash)('sha256').update(name).digest('hex');
}
function fromSetting(raw, index, problems) {
    const where = `matryoshka.engines[${index}]`;
    if (typeof raw !== 'object' || raw === null) {
        problems.push(`${where} must be an object with "name" and "host".`);
        return undefined;
    }
    const { name, host, tls, identityFile } = raw;
    if (typeof name !== 'string' || !name.trim()) {
        problems.push(`${where} needs a "name".`);
        return undefined;
    }
    if (typeof host !== 'string' || !/^(unix|tcp|ssh):\/\/.+/.test(host)) {
        problems.push(`${where} ("${name}"): "host" must start with unix://, tcp:// or ssh://.`);
        return undefined;
    }
    return {
        name: name.trim(),
        host,
        tls: typeof tls === 'object' && tls !== null ? tls : undefined,
        identityFile: typeof identityFile === 'string' ? identityFile : undefined,
        origin: 'setting',
        current: false,
    };
}
//# sourceMappingURL=endpoints.js.map