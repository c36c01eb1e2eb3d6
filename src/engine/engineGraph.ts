import { classify, isEngineCandidate, isListedEngineCandidate, staticFacts, type ClassifyInput } from '../model/classify';
import { containerName, innerEngineKey, type ContainerSnapshot, type EngineSnapshot } from '../model/snapshot';
import type { ContainerSummary } from '../model/apiTypes';
import { EngineApi } from './engineApi';
import type { EngineEndpoint } from './endpoints';
import { connectInnerEngine } from './innerEngine';
import type { HostKeyChecker } from './hostKeys';
import { EngineSession, type Connection, type ReconnectPolicy, type SessionHooks } from './engineSession';
import { transportForEndpoint } from './transports';

export interface GraphOptions {
  sysboxRuntimes: readonly string[];
  /** Deadline of every non-streaming call. */
  deadlineMs: number;
  /** Events from one engine within this window cause one re-list. */
  debounceMs: number;
  reconnect: ReconnectPolicy;
  log: (message: string) => void;
  /** Checks ssh host keys against known_hosts and asks about unknown ones (default: refuse unknown hosts). */
  hostKeys?: HostKeyChecker;
  /** How engines are reached; the default opens real transports (tests answer from recordings). */
  connectors?: EngineConnectors;
}

export interface EngineConnectors {
  root(endpoint: EngineEndpoint): Promise<Connection>;
  /** The engine inside container `containerId` of the engine `parent`. */
  inner(parent: EngineApi, containerId: string, label: string): Promise<Connection>;
}

interface SessionInfo {
  session: EngineSession;
  /** "default › ci-runner › build-42": how errors and logs name the engine. */
  label: string;
  depth: number;
  endpoint?: EngineEndpoint;
  parentKey?: string;
  containerId?: string;
}

type Listener = (engineKey: string) => void;

/**
 * Every engine Matryoshka knows, and the engines inside their containers, to any depth. Each
 * engine is a session with its own event stream; an event re-lists only that engine (debounced),
 * and listing a container that hosts an engine opens a session for that inner engine through a
 * relay in the container. Independent engines are listed in parallel.
 */
export class EngineGraph {
  private readonly sessions = new Map<string, SessionInfo>();
  private rootKeys: string[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly debounceTimers = new Map<string, NodeJS.Timeout>();
  private readonly dirty = new Set<string>();
  private active = true;
  private readonly hooks: SessionHooks;
  /** Tree listings under way, and who waits for none to be (event streams, see whenSettled). */
  private walks = 0;
  private settledWaiters: Array<() => void> = [];

  constructor(private options: GraphOptions) {
    this.hooks = {
      onEngineEvent: (session) => this.scheduleRelist(session.key),
      onChanged: (session) => this.emit(session.key),
      onReconnectDue: (session) => {
        if (this.active) void this.relist(session.key);
        else this.dirty.add(session.key);
      },
      isActive: () => this.active,
      whenSettled: () => (this.walks === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.settledWaiters.push(resolve))),
      log: (message) => this.options.log(message),
    };
  }

  /** Sets the root engines; sessions whose endpoint did not change are kept as they are. */
  setEndpoints(endpoints: readonly EngineEndpoint[], sysboxRuntimes = this.options.sysboxRuntimes): void {
    if (sysboxRuntimes.join('\n') !== this.options.sysboxRuntimes.join('\n')) {
      for (const info of this.sessions.values()) info.session.facts.clear();
    }
    this.options = { ...this.options, sysboxRuntimes };
    const wanted = new Map(endpoints.map((e) => [encodeURIComponent(e.name), e]));
    for (const key of this.rootKeys) {
      const existing = this.sessions.get(key);
      const next = wanted.get(key);
      if (!next || existing?.endpoint?.host !== next.host || JSON.stringify(existing.endpoint.tls) !== JSON.stringify(next.tls)) {
        this.disposeTree(key);
      } else {
        existing.endpoint = next;
      }
    }
    for (const [key, endpoint] of wanted) {
      if (this.sessions.has(key)) continue;
      const connect = () => (this.options.connectors ? this.options.connectors.root(endpoint) : this.connectRoot(endpoint));
      const session = new EngineSession(key, endpoint.name, endpoint.host, connect, this.hooks, this.options.reconnect);
      this.sessions.set(key, { session, label: `engine "${endpoint.name}"`, depth: 0, endpoint });
    }
    this.rootKeys = [...wanted.keys()];
    this.emit('');
  }

  onDidChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Re-lists every engine at every depth; resolves once all of them have answered or failed. */
  async refreshAll(): Promise<void> {
    await Promise.all(this.rootKeys.map((key) => this.refreshTree(key)));
  }

  /**
   * Settles once the engines listed so far follow their events. refreshAll resolves with the
   * complete picture before that: event streams open after it (see SessionHooks.whenSettled).
   */
  async whenFollowing(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((info) => info.session.eventsOpened));
  }

  /** Re-lists one engine and everything below it (the tree's retry action). */
  async refreshEngine(key: string): Promise<void> {
    await this.refreshTree(key);
  }

  /** No work while no view is visible; on return, catch up on what changed meanwhile. */
  setActive(active: boolean): Promise<void> {
    const wasActive = this.active;
    this.active = active;
    if (!active || wasActive) return Promise.resolve();
    const dirty = [...this.dirty];
    this.dirty.clear();
    const retries = [...this.sessions.values()].map((info) => info.session.retryNowIfDisconnected().then(() => this.reconcile(info.session.key)));
    return Promise.all([...dirty.map((key) => this.relist(key)), ...retries]).then(() => undefined);
  }

  snapshot(): EngineSnapshot[] {
    return this.rootKeys.flatMap((key) => {
      const info = this.sessions.get(key);
      return info ? [this.snapshotOf(info)] : [];
    });
  }

  /** The API of an engine, for commands that act on it (inspect, exec...). */
  apiFor(engineKey: string): EngineApi | undefined {
    return this.sessions.get(engineKey)?.session.api;
  }

  labelOf(engineKey: string): string | undefined {
    return this.sessions.get(engineKey)?.label;
  }

  /** Relay connections (exec processes) an engine's transport holds open now. */
  relayConnections(engineKey: string): number {
    return this.sessions.get(engineKey)?.session.openRelayConnections ?? 0;
  }

  dispose(): void {
    for (const timer of this.debounceTimers.values()) clearTimeout(timer);
    this.debounceTimers.clear();
    for (const key of [...this.rootKeys]) this.disposeTree(key);
    this.rootKeys = [];
    this.listeners.clear();
    this.settle();
  }

  private async connectRoot(endpoint: EngineEndpoint): Promise<Connection> {
    const transport = transportForEndpoint(endpoint, this.options.log, this.options.hostKeys);
    const api = new EngineApi(transport.docker, { label: `engine "${endpoint.name}"`, deadlineMs: this.options.deadlineMs });
    try {
      const version = await api.negotiate();
      return { api, transport, version };
    } catch (error) {
      transport.dispose();
      throw error;
    }
  }

  /**
   * Lists an engine and every engine below it. Inner engines already open are listed alongside
   * their parent (warm), and relays to inner engines that the listing already shows (a DinD image,
   * a dockerd command, a label) open as soon as the parent has listed, while the parent still
   * inspects its containers (cold). Resolves when every engine below has answered or failed, every
   * container is inspected and the candidates that only inspect revealed are open too.
   */
  private async refreshTree(key: string): Promise<void> {
    this.walks++;
    try {
      await this.walkTree(key);
    } finally {
      if (--this.walks === 0) this.settle();
    }
  }

  private settle(): void {
    const waiters = this.settledWaiters;
    this.settledWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async walkTree(key: string): Promise<void> {
    const info = this.sessions.get(key);
    if (!info) return;
    const started = new Map<string, Promise<void>>();
    const start = (children: string[]) => {
      for (const child of children) if (!started.has(child)) started.set(child, this.refreshTree(child));
    };
    start(this.childKeys(key));
    const listing = info.session.refreshStaged();
    const early = listing.listed.then((containers) => {
      if (containers) start(this.openListedCandidates(key, containers));
    });
    await listing.done;
    await early;
    start(this.reconcile(key));
    await Promise.all(started.values());
  }

  /** Sessions for inner engines the listing alone shows; nothing is closed before the inspects. */
  private openListedCandidates(key: string, containers: ContainerSummary[]): string[] {
    const info = this.sessions.get(key);
    if (!info) return [];
    return containers
      .filter((summary) => isListedEngineCandidate(this.classifyInput(info, summary)))
      .map((summary) => this.ensureChild(info, summary));
  }

  private scheduleRelist(key: string): void {
    const pending = this.debounceTimers.get(key);
    if (pending) clearTimeout(pending);
    this.debounceTimers.set(
      key,
      setTimeout(() => {
        this.debounceTimers.delete(key);
        if (this.active) void this.relist(key);
        else this.dirty.add(key);
      }, this.options.debounceMs),
    );
  }

  /**
   * Re-lists one engine after its events (or when its reconnect is due). Inner engines that are new
   * get listed too, and so do those that were disconnected: their container may have just started
   * or been unpaused, or this engine itself just came back, and none of that reaches them otherwise.
   */
  private async relist(key: string): Promise<void> {
    const info = this.sessions.get(key);
    if (!info) return;
    const before = new Set(this.childKeys(key));
    await info.session.refresh();
    const due = this.reconcile(key).filter((child) => !before.has(child) || this.sessions.get(child)?.session.status.kind === 'disconnected');
    await Promise.all(due.map((child) => this.refreshTree(child)));
  }

  /**
   * Opens sessions for running containers that may host an engine, closes those that went away,
   * and suspends those whose container is paused. Returns the inner engines that can be listed.
   */
  private reconcile(key: string): string[] {
    const info = this.sessions.get(key);
    if (!info) return [];
    const session = info.session;
    if (session.status.kind !== 'connected') {
      // Keep inner sessions while the outer engine is away: they show their own state and return with it.
      return this.childKeys(key);
    }
    const wanted = new Map<string, ContainerSummary>();
    const paused = new Map<string, ContainerSummary>();
    for (const summary of session.containers) {
      const childKey = innerEngineKey(key, summary.Id);
      if (summary.State === 'paused' && this.sessions.has(childKey)) paused.set(childKey, summary);
      else if (isEngineCandidate(this.classifyInput(info, summary))) wanted.set(childKey, summary);
    }
    for (const child of this.childKeys(key)) if (!wanted.has(child) && !paused.has(child)) this.disposeTree(child);
    for (const [childKey, summary] of paused) {
      this.sessions.get(childKey)?.session.suspend(`${containerName(summary)} is paused: unpause it to reach the engine inside`);
    }
    for (const summary of wanted.values()) this.sessions.get(this.ensureChild(info, summary))?.session.resume();
    return [...wanted.keys()];
  }

  /** The session for the engine inside `summary`'s container, made when missing. */
  private ensureChild(info: SessionInfo, summary: ContainerSummary): string {
    const key = info.session.key;
    const childKey = innerEngineKey(key, summary.Id);
    if (this.sessions.has(childKey)) return childKey;
    const label = `${info.label.replace(/^engine "(.*)"$/, '$1')} › ${containerName(summary)}`;
    const connect = () => {
      const parentApi = this.sessions.get(key)?.session.api;
      if (!parentApi) return Promise.reject(new Error(`the engine that runs ${containerName(summary)} is disconnected`));
      if (this.options.connectors) return this.options.connectors.inner(parentApi, summary.Id, label);
      return connectInnerEngine(parentApi, summary.Id, label, this.options.deadlineMs);
    };
    const child = new EngineSession(childKey, containerName(summary), 'exec', connect, this.hooks, this.options.reconnect);
    this.sessions.set(childKey, { session: child, label, depth: info.depth + 1, parentKey: key, containerId: summary.Id });
    return childKey;
  }

  private childKeys(key: string): string[] {
    return [...this.sessions.entries()].filter(([, info]) => info.parentKey === key).map(([childKey]) => childKey);
  }

  private disposeTree(key: string): void {
    for (const child of this.childKeys(key)) this.disposeTree(child);
    this.sessions.get(key)?.session.dispose();
    this.sessions.delete(key);
    const timer = this.debounceTimers.get(key);
    if (timer) clearTimeout(timer);
    this.debounceTimers.delete(key);
  }

  private classifyInput(info: SessionInfo, summary: ContainerSummary): ClassifyInput {
    const host = info.endpoint?.host ?? '';
    const socket = host.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
    const child = this.sessions.get(innerEngineKey(info.session.key, summary.Id))?.session;
    const probe = child
      ? { answered: child.everConnected, reason: child.status.kind === 'disconnected' ? child.status.reason : undefined }
      : undefined;
    const input: ClassifyInput = {
      summary,
      inspect: info.session.inspections.get(summary.Id),
      engineSocketPaths: [socket],
      sysboxRuntimes: this.options.sysboxRuntimes,
      probe,
    };
    if (!input.inspect) return input;
    let facts = info.session.facts.get(summary.Id);
    if (!facts) info.session.facts.set(summary.Id, (facts = staticFacts(input)));
    input.facts = facts;
    return input;
  }

  private snapshotOf(info: SessionInfo): EngineSnapshot {
    const session = info.session;
    const containers: ContainerSnapshot[] = session.containers.map((summary) => {
      const childInfo = this.sessions.get(innerEngineKey(session.key, summary.Id));
      return {
        engineKey: session.key,
        id: summary.Id,
        name: containerName(summary),
        summary,
        inspect: session.inspections.get(summary.Id),
        classification: classify(this.classifyInput(info, summary)),
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

  private emit(key: string): void {
    for (const listener of this.listeners) listener(key);
  }
}
