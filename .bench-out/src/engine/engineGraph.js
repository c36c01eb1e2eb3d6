"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.EngineGraph = void 0;
const classify_1 = require("../model/classify");
const snapshot_1 = require("../model/snapshot");
const engineApi_1 = require("./engineApi");
const innerEngine_1 = require("./innerEngine");
const engineSession_1 = require("./engineSession");
const transports_1 = require("./transports");
/**
 * Every engine Matryoshka knows, and the engines inside their containers, to any depth. Each
 * engine is a session with its own event stream; an event re-lists only that engine (debounced),
 * and listing a container that hosts an engine opens a session for that inner engine through a
 * relay in the container. Independent engines are listed in parallel.
 */
class EngineGraph {
    options;
    sessions = new Map();
    rootKeys = [];
    listeners = new Set();
    debounceTimers = new Map();
    dirty = new Set();
    active = true;
    hooks;
    constructor(options) {
        this.options = options;
        this.hooks = {
            onEngineEvent: (session) => this.scheduleRelist(session.key),
            onChanged: (session) => this.emit(session.key),
            isActive: () => this.active,
            log: (message) => this.options.log(message),
        };
    }
    /** Sets the root engines; sessions whose endpoint did not change are kept as they are. */
    setEndpoints(endpoints, sysboxRuntimes = this.options.sysboxRuntimes) {
        this.options = { ...this.options, sysboxRuntimes };
        const wanted = new Map(endpoints.map((e) => [encodeURIComponent(e.name), e]));
        for (const key of this.rootKeys) {
            const existing = this.sessions.get(key);
            const next = wanted.get(key);
            if (!next || existing?.endpoint?.host !== next.host || JSON.stringify(existing.endpoint.tls) !== JSON.stringify(next.tls)) {
                this.disposeTree(key);
            }
            else {
                existing.endpoint = next;
            }
        }
        for (const [key, endpoint] of wanted) {
            if (this.sessions.has(key))
                continue;
            const session = new engineSession_1.EngineSession(key, endpoint.name, endpoint.host, () => this.connectRoot(endpoint), this.hooks, this.options.reconnect);
            this.sessions.set(key, { session, label: `engine "${endpoint.name}"`, depth: 0, endpoint });
        }
        this.rootKeys = [...wanted.keys()];
        this.emit('');
    }
    onDidChange(listener) {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }
    /** Re-lists every engine at every depth; resolves once all of them have answered or failed. */
    async refreshAll() {
        await Promise.all(this.rootKeys.map((key) => this.refreshTree(key)));
    }
    /** Re-lists one engine and everything below it (the tree's retry action). */
    async refreshEngine(key) {
        await this.refreshTree(key);
    }
    /** No work while no view is visible; on return, catch up on what changed meanwhile. */
    setActive(active) {
        const wasActive = this.active;
        this.active = active;
        if (!active || wasActive)
            return Promise.resolve();
        const dirty = [...this.dirty];
        this.dirty.clear();
        const retries = [...this.sessions.values()].map((info) => info.session.retryNowIfDisconnected().then(() => this.reconcile(info.session.key)));
        return Promise.all([...dirty.map((key) => this.relist(key)), ...retries]).then(() => undefined);
    }
    snapshot() {
        return this.rootKeys.flatMap((key) => {
            const info = this.sessions.get(key);
            return info ? [this.snapshotOf(info)] : [];
        });
    }
    /** The API of an engine, for commands that act on it (inspect, exec...). */
    apiFor(engineKey) {
        return this.sessions.get(engineKey)?.session.api;
    }
    labelOf(engineKey) {
        return this.sessions.get(engineKey)?.label;
    }
    /** Relay connections (exec processes) an engine's transport holds open now. */
    relayConnections(engineKey) {
        return this.sessions.get(engineKey)?.session.openRelayConnections ?? 0;
    }
    dispose() {
        for (const timer of this.debounceTimers.values())
            clearTimeout(timer);
        this.debounceTimers.clear();
        for (const key of [...this.rootKeys])
            this.disposeTree(key);
        this.rootKeys = [];
        this.listeners.clear();
    }
    async connectRoot(endpoint) {
        const transport = (0, transports_1.transportForEndpoint)(endpoint, this.options.log);
        const api = new engineApi_1.EngineApi(transport.docker, { label: `engine "${endpoint.name}"`, deadlineMs: this.options.deadlineMs });
        try {
            const version = await api.negotiate();
            return { api, transport, version };
        }
        catch (error) {
            transport.dispose();
            throw error;
        }
    }
    async refreshTree(key) {
        const info = this.sessions.get(key);
        if (!info)
            return;
        await info.session.refresh();
        const children = this.reconcile(key);
        await Promise.all(children.map((child) => this.refreshTree(child)));
    }
    scheduleRelist(key) {
        const pending = this.debounceTimers.get(key);
        if (pending)
            clearTimeout(pending);
        this.debounceTimers.set(key, setTimeout(() => {
            this.debounceTimers.delete(key);
            if (this.active)
                void this.relist(key);
            else
                this.dirty.add(key);
        }, this.options.debounceMs));
    }
    /** Re-lists one engine after its events; only inner engines that are new get listed too. */
    async relist(key) {
        const info = this.sessions.get(key);
        if (!info)
            return;
        const before = new Set(this.childKeys(key));
        await info.session.refresh();
        const fresh = this.reconcile(key).filter((child) => !before.has(child));
        await Promise.all(fresh.map((child) => this.refreshTree(child)));
    }
    /** Opens sessions for running containers that may host an engine, closes those that went away. */
    reconcile(key) {
        const info = this.sessions.get(key);
        if (!info)
            return [];
        const session = info.session;
        const wanted = new Map();
        if (session.status.kind === 'connected') {
            for (const summary of session.containers) {
                if ((0, classify_1.isEngineCandidate)(this.classifyInput(info, summary)))
                    wanted.set((0, snapshot_1.innerEngineKey)(key, summary.Id), summary);
            }
        }
        else {
            // Keep inner sessions while the outer engine is away: they show their own state and return with it.
            return this.childKeys(key);
        }
        for (const child of this.childKeys(key))
            if (!wanted.has(child))
                this.disposeTree(child);
        for (const [childKey, summary] of wanted) {
            if (this.sessions.has(childKey))
                continue;
            const label = `${info.label.replace(/^engine "(.*)"$/, '$1')} › ${(0, snapshot_1.containerName)(summary)}`;
            const connect = () => {
                const parentApi = this.sessions.get(key)?.session.api;
                if (!parentApi)
                    return Promise.reject(new Error(`the engine that runs ${(0, snapshot_1.containerName)(summary)} is disconnected`));
                return (0, innerEngine_1.connectInnerEngine)(parentApi, summary.Id, label, this.options.deadlineMs);
            };
            const child = new engineSession_1.EngineSession(childKey, (0, snapshot_1.containerName)(summary), 'exec', connect, this.hooks, this.options.reconnect);
            this.sessions.set(childKey, { session: child, label, depth: info.depth + 1, parentKey: key, containerId: summary.Id });
        }
        return [...wanted.keys()];
    }
    childKeys(key) {
        return [...this.sessions.entries()].filter(([, info]) => info.parentKey === key).map(([childKey]) => childKey);
    }
    disposeTree(key) {
        for (const child of this.childKeys(key))
            this.disposeTree(child);
        this.sessions.get(key)?.session.dispose();
        this.sessions.delete(key);
        const timer = this.debounceTimers.get(key);
        if (timer)
            clearTimeout(timer);
        this.debounceTimers.delete(key);
    }
    classifyInput(info, summary) {
        const host = info.endpoint?.host ?? '';
        const socket = host.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
        const child = this.sessions.get((0, snapshot_1.innerEngineKey)(info.session.key, summary.Id))?.session;
        const probe = child
            ? { answered: child.everConnected, reason: child.status.kind === 'disconnected' ? child.status.reason : undefined }
            : undefined;
        return {
            summary,
            inspect: info.session.inspections.get(summary.Id),
            engineSocketPaths: [socket],
            sysboxRuntimes: this.options.sysboxRuntimes,
            probe,
        };
    }
    snapshotOf(info) {
        const session = info.session;
        const containers = session.containers.map((summary) => {
            const childInfo = this.sessions.get((0, snapshot_1.innerEngineKey)(session.key, summary.Id));
            return {
                engineKey: session.key,
                id: summary.Id,
                name: (0, snapshot_1.containerName)(summary),
                summary,
                inspect: session.inspections.get(summary.Id),
                classification: (0, classify_1.classify)(this.classifyInput(info, summary)),
                inner: childInfo ? this.snapshotOf(childInfo) : undefined,
            };
        });
        return {
            key: session.key,
            name: session.name,
            endpoint: session.endpointText,
            origin: info.endpoint?.origin ?? 'inner',
            current: info.endpoint?.current ?? false,
            depth: info.depth,
            status: session.status,
            version: session.version,
            containers,
        };
    }
    emit(key) {
        for (const listener of this.listeners)
            listener(key);
    }
}
exports.EngineGraph = EngineGraph;
//# sourceMappingURL=engineGraph.js.map