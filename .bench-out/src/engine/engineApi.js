"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.EngineApi = exports.EngineApiError = exports.MAX_API_VERSION = void 0;
exports.pickApiVersion = pickApiVersion;
exports.compareVersions = compareVersions;
const deadline_1 = require("./deadline");
/** The newest API version Matryoshka speaks; older engines are asked in their own version. */
exports.MAX_API_VERSION = '1.47';
const MIN_API_VERSION = '1.24';
class EngineApiError extends Error {
    statusCode;
    constructor(message, statusCode) {
        super(message);
        this.statusCode = statusCode;
        this.name = 'EngineApiError';
    }
}
exports.EngineApiError = EngineApiError;
/**
 * Typed Engine API calls over one dockerode modem (whatever its transport: socket, TLS, ssh or a
 * relay through a container). Every call that is not a stream has a deadline. Paths carry the API
 * version negotiated with this engine, so an inner engine older or newer than the host still works.
 */
class EngineApi {
    docker;
    options;
    apiVersion;
    constructor(docker, options) {
        this.docker = docker;
        this.options = options;
    }
    get label() {
        return this.options.label;
    }
    get negotiatedVersion() {
        return this.apiVersion;
    }
    /** GET /version without a version prefix, then pin every later call to the engine's own version. */
    async negotiate() {
        const version = (await this.call({ path: '/version', method: 'GET', statusCodes: { 200: true } }, false));
        this.apiVersion = pickApiVersion(version);
        return version;
    }
    async ping() {
        await this.call({ path: '/_ping', method: 'GET', statusCodes: { 200: true } }, false);
    }
    async listContainers() {
        // Never size=true: it makes the engine walk every container's filesystem.
        const result = await this.call({ path: '/containers/json?', method: 'GET', options: { all: true }, statusCodes: { 200: true } });
        return Array.isArray(result) ? result : [];
    }
    async inspectContainer(id) {
        return (await this.call({
            path: `/containers/${encodeURIComponent(id)}/json`,
            method: 'GET',
            statusCodes: { 200: true, 404: 'no such container' },
        }));
    }
    async info() {
        return (await this.call({ path: '/info', method: 'GET', statusCodes: { 200: true } }));
    }
    async createExec(containerId, body) {
        const result = (await this.call({
            path: `/containers/${encodeURIComponent(containerId)}/exec`,
            method: 'POST',
            options: body,
            statusCodes: { 201: true, 404: 'no such container', 409: 'container is paused', 500: 'server error' },
        }));
        return result.Id;
    }
    async inspectExec(execId) {
        return (await this.call({ path: `/exec/${execId}/json`, method: 'GET', statusCodes: { 200: true } }));
    }
    /** Starts an exec with stdin attached and returns the raw (hijacked) connection. */
    async startExecHijacked(execId, tty) {
        return (await this.call({
            path: `/exec/${execId}/start`,
            method: 'POST',
            options: { Detach: false, Tty: tty },
            isStream: true,
            hijack: true,
            openStdin: true,
            allowEmpty: true,
            statusCodes: { 200: true, 101: true, 404: 'no such exec', 409: 'container is stopped or paused' },
        }));
    }
    async resizeExec(execId, rows, cols) {
        await this.call({ path: `/exec/${execId}/resize?`, method: 'POST', options: { h: rows, w: cols }, statusCodes: { 200: true, 201: true, 404: 'no such exec' } });
    }
    /** start, stop, restart (204, or 304 when already in that state) and remove. */
    async containerAction(id, action) {
        const path = action === 'remove' ? `/containers/${encodeURIComponent(id)}?` : `/containers/${encodeURIComponent(id)}/${action}?`;
        const graceSeconds = 10;
        await this.call({
            path,
            method: action === 'remove' ? 'DELETE' : 'POST',
            // Removing a running container needs force; its anonymous volumes go with it, as with `docker rm -fv`.
            options: action === 'remove' ? { force: true, v: true } : action === 'start' ? {} : { t: graceSeconds },
            deadlineMs: action === 'stop' || action === 'restart' ? this.options.deadlineMs + graceSeconds * 1000 : undefined,
            statusCodes: { 204: true, 304: true, 404: 'no such container', 409: 'conflict', 500: 'server error' },
        });
    }
    /** Follows a container's logs with timestamps; non-TTY logs are multiplexed (see demuxStream). */
    async followLogs(id, tail) {
        return (await this.call({
            path: `/containers/${encodeURIComponent(id)}/logs?`,
            method: 'GET',
            options: { follow: true, stdout: true, stderr: true, timestamps: true, tail: String(tail) },
            isStream: true,
            statusCodes: { 200: true, 404: 'no such container' },
        }));
    }
    /** The container event stream, one parsed event per callback; resolves once the stream is open. */
    async streamEvents(onEvent) {
        const stream = (await this.call({
            path: '/events?',
            method: 'GET',
            options: { filters: JSON.stringify({ type: ['container'] }) },
            isStream: true,
            statusCodes: { 200: true },
        }));
        let buffered = '';
        stream.setEncoding('utf8');
        stream.on('data', (text) => {
            buffered += text;
            let newline;
            while ((newline = buffered.indexOf('\n')) >= 0) {
                const line = buffered.slice(0, newline).trim();
                buffered = buffered.slice(newline + 1);
                if (!line)
                    continue;
                try {
                    onEvent(JSON.parse(line));
                }
                catch {
                    // A malformed line from a strange engine is skipped; the next refresh re-lists anyway.
                }
            }
        });
        return stream;
    }
    /** One request with this engine's deadline; `versioned: false` for the version-less endpoints. */
    call({ deadlineMs, ...dial }, versioned = true) {
        const prefix = versioned && this.apiVersion ? `/v${this.apiVersion}` : '';
        const what = `${this.options.label}: ${dial.method} ${dial.path.replace(/\?$/, '')}`;
        const modem = this.docker.modem;
        return (0, deadline_1.withDeadline)(what, deadlineMs ?? this.options.deadlineMs, (signal) => new Promise((resolve, reject) => {
            modem.dial({ ...dial, path: prefix + dial.path, abortSignal: signal }, (error, result) => {
                if (error)
                    reject(explain(what, error));
                else
                    resolve(result);
            });
        }));
    }
}
exports.EngineApi = EngineApi;
function explain(what, error) {
    if (error.name === 'DeadlineError')
        return error;
    const fromEngine = engineMessage(error.json);
    if (error.statusCode)
        return new EngineApiError(`${what} failed (HTTP ${error.statusCode}): ${fromEngine ?? error.message}`, error.statusCode);
    return new EngineApiError(`${what} failed: ${error.code ? `${error.code} ` : ''}${error.message}`);
}
function engineMessage(json) {
    if (json && typeof json === 'object' && typeof json.message === 'string') {
        return json.message;
    }
    if (Buffer.isBuffer(json))
        return json.toString('utf8').trim() || undefined;
    return undefined;
}
function pickApiVersion(version) {
    const engine = version.ApiVersion ?? MIN_API_VERSION;
    return compareVersions(engine, exports.MAX_API_VERSION) > 0 ? exports.MAX_API_VERSION : engine;
}
function compareVersions(a, b) {
    const pa = a.split('.').map(Number);
    const pb = b.split('.').map(Number);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const d = (pa[i] ?? 0) - (pb[i] ?? 0);
        if (d !== 0)
            return d;
    }
    return 0;
}
//# sourceMappingURL=engineApi.js.map