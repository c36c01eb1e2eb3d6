"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.EngineSession = void 0;
const INSPECT_CONCURRENCY = 8;
/**
 * One engine's live connection: connects on demand, lists, keeps an event stream open, and on any
 * failure shows itself disconnected with the reason and reconnects with backoff. A successful
 * reconnect re-lists fully, so containers created meanwhile appear.
 */
class EngineSession {
    key;
    name;
    connect;
    hooks;
    policy;
    status = { kind: 'connecting' };
    containers = [];
    /** Inspect answers by container id: what classification needs never changes for an id. */
    inspections = new Map();
    version;
    everConnected = false;
    endpointText;
    connection;
    connecting;
    events;
    reconnectTimer;
    attempts = 0;
    inFlight;
    followUp;
    disposed = false;
    constructor(key, name, endpointText, connect, hooks, policy) {
        this.key = key;
        this.name = name;
        this.connect = connect;
        this.hooks = hooks;
        this.policy = policy;
        this.endpointText = endpointText;
    }
    get api() {
        return this.connection?.api;
    }
    get openRelayConnections() {
        return this.connection?.transport.openConnections() ?? 0;
    }
    /**
     * Lists the engine (connecting first when needed). Concurrent calls share one listing, and a
     * call made while a listing runs gets a fresh one after it, so no change is ever missed.
     */
    refresh() {
        if (this.disposed)
            return Promise.resolve();
        if (this.inFlight) {
            this.followUp ??= this.inFlight.then(() => {
                this.followUp = undefined;
                return this.refresh();
            });
            return this.followUp;
        }
        this.inFlight = this.list().finally(() => {
            this.inFlight = undefined;
        });
        return this.inFlight;
    }
    async list() {
        this.clearReconnect();
        try {
            const connection = await this.ensureConnected();
            const containers = await connection.api.listContainers();
            const missing = containers.filter((c) => !this.inspections.has(c.Id));
            await mapLimit(missing, INSPECT_CONCURRENCY, async (c) => {
                try {
                    this.inspections.set(c.Id, await connection.api.inspectContainer(c.Id));
                }
                catch (error) {
                    // Removed between list and inspect: the next event re-lists it away.
                    this.hooks.log(`${connection.api.label}: inspect ${c.Id.slice(0, 12)}: ${error.message}`);
                }
            });
            const live = new Set(containers.map((c) => c.Id));
            for (const id of this.inspections.keys())
                if (!live.has(id))
                    this.inspections.delete(id);
            this.containers = containers;
            this.attempts = 0;
            this.status = { kind: 'connected' };
        }
        catch (error) {
            this.markDisconnected(error);
        }
        this.hooks.onChanged(this);
    }
    async ensureConnected() {
        if (this.connection)
            return this.connection;
        if (!this.connecting) {
            this.connecting = this.connect().finally(() => {
                this.connecting = undefined;
            });
        }
        const connection = await this.connecting;
        if (this.disposed) {
            connection.transport.dispose();
            throw new Error('closed');
        }
        this.connection = connection;
        this.version = connection.version;
        this.everConnected = true;
        if (connection.relay)
            this.endpointText = `exec: ${connection.relay}`;
        this.hooks.log(`${connection.api.label}: connected (Docker ${connection.version.Version}, API ${connection.api.negotiatedVersion})`);
        await this.openEvents(connection);
        return connection;
    }
    async openEvents(connection) {
        const stream = await connection.api.streamEvents(() => this.hooks.onEngineEvent(this));
        this.events = stream;
        const lost = (why) => {
            if (this.events !== stream || this.disposed)
                return;
            this.events = undefined;
            this.markDisconnected(new Error(why));
            this.hooks.onChanged(this);
        };
        stream.once('end', () => lost('the engine closed its event stream'));
        stream.once('error', (error) => lost(`event stream failed: ${error.message}`));
        stream.once('close', () => lost('the connection to the engine closed'));
    }
    /** Drops the connection, shows why, and schedules a reconnect unless retrying cannot help. */
    markDisconnected(error) {
        const permanent = error.permanent === true;
        const reason = error.message;
        if (this.status.kind !== 'disconnected' || this.status.reason !== reason) {
            this.hooks.log(`${this.name}: disconnected: ${reason}`);
        }
        this.status = { kind: 'disconnected', reason, permanent };
        this.closeConnection();
        if (!permanent)
            this.scheduleReconnect();
    }
    /** Called when views become visible again: retry at once instead of waiting out the backoff. */
    retryNowIfDisconnected() {
        if (this.status.kind !== 'disconnected')
            return Promise.resolve();
        this.attempts = 0;
        return this.refresh();
    }
    scheduleReconnect() {
        this.clearReconnect();
        if (this.disposed || !this.hooks.isActive())
            return;
        const delay = Math.min(this.policy.initialMs * 2 ** this.attempts, this.policy.maxMs);
        this.attempts++;
        this.reconnectTimer = setTimeout(() => {
            this.reconnectTimer = undefined;
            void this.refresh();
        }, delay);
    }
    clearReconnect() {
        if (this.reconnectTimer)
            clearTimeout(this.reconnectTimer);
        this.reconnectTimer = undefined;
    }
    closeConnection() {
        const events = this.events;
        this.events = undefined;
        events?.destroy();
        this.connection?.transport.dispose();
        this.connection = undefined;
    }
    dispose() {
        this.disposed = true;
        this.clearReconnect();
        this.closeConnection();
    }
}
exports.EngineSession = EngineSession;
async function mapLimit(items, limit, work) {
    let next = 0;
    const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (next < items.length)
            await work(items[next++]);
    });
    await Promise.all(workers);
}
//# sourceMappingURL=engineSession.js.map