import { isEngineCandidate, isListedEngineCandidate } from '../model/classify';
import { containerName, innerEngineKey, type EngineSnapshot } from '../model/snapshot';
import { rootEngineLabel } from '../model/targets';
import type { Duplex } from 'node:stream';
import type { ContainerSummary } from '../model/apiTypes';
import { EngineApi } from './engineApi';
import type { EngineEndpoint } from './endpoints';
import { connectInnerEngine, EngineAliasError } from './innerEngine';
import type { HostKeyChecker } from './hostKeys';
import { EngineSession, type Connection, type ReconnectPolicy, type SessionHooks } from './engineSession';
import { classifyInputFor, snapshotOf, type SessionInfo } from './graphSnapshot';
import { RelistScheduler } from './relistScheduler';
import { transportForEndpoint } from './transports';

/** A root engine's key: its name, made safe for a key path (inner engines' keys extend it with container ids). */
export function rootEngineKey(name: string): string {
  return encodeURIComponent(name);
}

export interface GraphOptions {
  sysboxRuntimes: readonly string[];
  /** Deadline of every non-streaming call. */
  deadlineMs: number;
  /** Events from one engine within this window cause one re-list. */
  debounceMs: number;
  reconnect: ReconnectPolicy;
  /**
   * How deep inner engines are followed (root engines are depth 0). A container below it shows a
   * note instead of its engine, so that no nesting, however deep or odd, can stall a listing.
   */
  maxDepth: number;
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

type Listener = (engineKey: string) => void;

export type EngineReachability = { kind: 'connected' } | { kind: 'unreachable' | 'gone'; reason: string };

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
  private readonly scheduler: RelistScheduler;
  private readonly lookup = (key: string): SessionInfo | undefined => this.sessions.get(key);
  /** Read by every engine's API on each call: a new deadline applies to open connections too. */
  private readonly deadline = (): number => this.options.deadlineMs;
  private readonly hooks: SessionHooks;
  /** Tree listings under way, and who waits for none to be (event streams, see whenSettled). */
  private walks = 0;
  private settledWaiters: Array<() => void> = [];

  constructor(private options: GraphOptions) {
    this.scheduler = new RelistScheduler(options.debounceMs, (key) => this.relist(key));
    this.hooks = {
      onEngineEvent: (session) => this.scheduler.debounced(session.key),
      onChanged: (session) => this.emit(session.key),
      onReconnectDue: (session) => this.scheduler.now(session.key),
      isActive: () => this.scheduler.isActive,
      whenSettled: () => (this.walks === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.settledWaiters.push(resolve))),
      log: (message) => this.options.log(message),
    };
  }

  /** Sets the root engines; sessions whose endpoint did not change are kept as they are. */
  /** A new deadline for every request, open connections included (see deadline); nothing is listed again. */
  setRequestDeadline(deadlineMs: number): void {
    this.options = { ...this.options, deadlineMs };
  }

  setEndpoints(endpoints: readonly EngineEndpoint[], settings: Partial<Pick<GraphOptions, 'sysboxRuntimes' | 'deadlineMs' | 'maxDepth'>> = {}): void {
    const sysboxRuntimes = settings.sysboxRuntimes ?? this.options.sysboxRuntimes;
    if (sysboxRuntimes.join('\n') !== this.options.sysboxRuntimes.join('\n')) {
      for (const info of this.sessions.values()) info.session.facts.clear();
    }
    // A new deadline applies at once, to open connections too (see deadline); a new depth at the next listing.
    this.options = { ...this.options, ...settings, sysboxRuntimes };
    const wanted = new Map(endpoints.map((e) => [rootEngineKey(e.name), e]));
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
      this.sessions.set(key, { session, label: rootEngineLabel(endpoint.name), pathName: endpoint.name, depth: 0, endpoint });
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
    const wasActive = this.scheduler.isActive;
    const dirty = this.scheduler.setActive(active);
    if (!active || wasActive) return Promise.resolve();
    const retries = [...this.sessions.values()].map((info) => info.session.retryNowIfDisconnected().then(() => this.reconcile(info.session.key)));
    return Promise.all([...dirty.map((key) => this.relist(key)), ...retries]).then(() => undefined);
  }

  snapshot(): EngineSnapshot[] {
    return this.rootKeys.flatMap((key) => {
      const info = this.sessions.get(key);
      return info ? [snapshotOf(info, this.lookup, this.options)] : [];
    });
  }

  /** The API of an engine, for commands that act on it (inspect, exec...). */
  apiFor(engineKey: string): EngineApi | undefined {
    return this.sessions.get(engineKey)?.session.api;
  }

  /**
   * A raw byte stream to an engine at any depth, carried like its API: a socket for a local root
   * engine, TLS or an ssh channel for a remote one, a relay in the container for an inner one.
   */
  openEngineStream(engineKey: string): Promise<Duplex> {
    const session = this.sessions.get(engineKey)?.session;
    if (!session) return Promise.reject(new Error(`no engine ${engineKey} is listed`));
    return session.openStream();
  }

  /**
   * Whether an engine can be used now. `gone`: the graph has no such engine and, for an inner one,
   * its parent engine lists no container with that id (removed, not just stopped or unreachable).
   */
  reachability(engineKey: string): EngineReachability {
    const session = this.sessions.get(engineKey)?.session;
    if (session?.status.kind === 'connected') return { kind: 'connected' };
    if (session) return { kind: 'unreachable', reason: session.status.kind === 'disconnected' ? session.status.reason : 'it is still connecting' };
    const slash = engineKey.lastIndexOf('/');
    if (slash < 0) return { kind: 'gone', reason: `the engine ${decodeURIComponent(engineKey)} is no longer configured` };
    const parent = this.sessions.get(engineKey.slice(0, slash));
    const containerId = engineKey.slice(slash + 1);
    if (parent?.session.status.kind !== 'connected') return { kind: 'unreachable', reason: 'the engine that runs its container cannot be reached' };
    const container = parent.session.containers.find((c) => c.Id === containerId);
    if (!container) return { kind: 'gone', reason: `its container ${containerId.slice(0, 12)} was removed from ${parent.label}` };
    return { kind: 'unreachable', reason: `its container ${containerName(container)} is ${container.State}` };
  }

  labelOf(engineKey: string): string | undefined {
    return this.sessions.get(engineKey)?.label;
  }

  /** Relay connections (exec processes) an engine's transport holds open now. */
  relayConnections(engineKey: string): number {
    return this.sessions.get(engineKey)?.session.openRelayConnections ?? 0;
  }

  dispose(): void {
    this.scheduler.dispose();
    for (const key of [...this.rootKeys]) this.disposeTree(key);
    this.rootKeys = [];
    this.listeners.clear();
    this.settle();
  }

  private async connectRoot(endpoint: EngineEndpoint): Promise<Connection> {
    const transport = transportForEndpoint(endpoint, this.options.log, this.options.hostKeys);
    const api = new EngineApi(transport.docker, { label: rootEngineLabel(endpoint.name), deadlineMs: this.deadline });
    try {
      // Both at once on a root's own connection pool (/info needs no API version in its path).
      const [version, identity] = await Promise.all([api.negotiate(), api.identity()]);
      return { api, transport, version, identity };
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
    } catch (error) {
      // Whatever one engine sent (classification included) fails that engine, never the others.
      this.sessions.get(key)?.session.markDisconnected(new Error(`could not list: ${(error as Error).message}`));
      this.emit(key);
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
    if (info.depth >= this.options.maxDepth) return [];
    return containers
      .filter((summary) => isListedEngineCandidate(classifyInputFor(info, summary, this.lookup, this.options.sysboxRuntimes)))
      .map((summary) => this.ensureChild(info, summary));
  }

  /**
   * Re-lists one engine after its events (or when its reconnect is due). Inner engines that are new
   * get listed too, and so do those that were disconnected: their container may have just started
   * or been unpaused, or this engine itself just came back, and none of that reaches them otherwise.
   */
  private async relist(key: string): Promise<void> {
    const info = this.sessions.get(key);
    // An event re-list queued before the engine dropped: its reconnect is due later.
    if (!info || info.session.awaitingReconnect) return;
    const before = new Set(this.childKeys(key));
    await info.session.refresh(true);
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
      else if (info.depth < this.options.maxDepth && isEngineCandidate(classifyInputFor(info, summary, this.lookup, this.options.sysboxRuntimes))) wanted.set(childKey, summary);
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
    const label = `${info.pathName} › ${containerName(summary)}`;
    const connect = async (): Promise<Connection> => {
      const parentApi = this.sessions.get(key)?.session.api;
      if (!parentApi) throw new Error(`the engine that runs ${containerName(summary)} is disconnected`);
      const connection = this.options.connectors
        ? await this.options.connectors.inner(parentApi, summary.Id, label)
        : await connectInnerEngine(parentApi, summary.Id, label, this.deadline);
      const known = this.engineKnownAs(connection.identity, childKey);
      if (known) {
        connection.transport.dispose();
        this.options.log(`${label}: the relay reached engine "${known.pathName}" again: shown as DooD of it, relay closed`);
        throw new EngineAliasError(containerName(summary), known.pathName);
      }
      return connection;
    };
    const child = new EngineSession(childKey, containerName(summary), 'exec', connect, this.hooks, this.options.reconnect);
    this.sessions.set(childKey, { session: child, label, pathName: label, depth: info.depth + 1, parentKey: key, containerId: summary.Id });
    return childKey;
  }

  /**
   * The engine already in the graph that answers with `identity`: one of the engines that `key` is
   * nested in (a relay that loops back, which would otherwise nest without end) or a root engine
   * (a container that mounts another root's socket).
   */
  private engineKnownAs(identity: string, key: string): SessionInfo | undefined {
    for (let at = this.sessions.get(key)?.parentKey; at !== undefined; at = this.sessions.get(at)?.parentKey) {
      const ancestor = this.sessions.get(at);
      if (ancestor?.session.identity === identity) return ancestor;
    }
    return this.rootKeys.map((root) => this.sessions.get(root)).find((root) => root?.session.identity === identity);
  }

  private childKeys(key: string): string[] {
    return [...this.sessions.entries()].filter(([, info]) => info.parentKey === key).map(([childKey]) => childKey);
  }

  private disposeTree(key: string): void {
    for (const child of this.childKeys(key)) this.disposeTree(child);
    this.sessions.get(key)?.session.dispose();
    this.sessions.delete(key);
    this.scheduler.forget(key);
  }

  private emit(key: string): void {
    for (const listener of this.listeners) listener(key);
  }
}
