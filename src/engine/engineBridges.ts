import { BridgeError, bridgeSocketPath, EngineBridge, removeStaleSocket, socketAnswers, type BridgeGraph } from './engineBridge';
import type { EngineSnapshot } from '../model/snapshot';
import { listEngines, resolveEngine, type NodePath } from '../model/targets';
import { bridgeContextName, listBridgeContexts, removeBridgeContext, writeBridgeContext } from './dockerContexts';

/** An engine as the tree and other extensions name it (see model/targets.ts). */
export type EngineTarget = NodePath;

/** What a caller gets for a bridged engine (the `matryoshka.bridgeEngine` result). */
export interface BridgeInfo {
  socket: string;
  dockerHost: string;
  context: string;
  /** Another process (another window) serves the socket: this one neither owns nor stops it. */
  servedElsewhere?: boolean;
}

/** A bridge as it is remembered across reloads. */
export interface StoredBridge extends EngineTarget {
  engineKey: string;
}

/**
 * A bridge a crash left behind: a context of Matryoshka's in the store that no bridge of this
 * window has, whose socket no process serves.
 */
export interface StaleBridge {
  context: string;
  engineKey: string;
  socket: string;
  /** The engine's path as the context recorded it ("default › ci-runner › build-42"). */
  label: string;
}

export interface BridgeStore {
  load(): StoredBridge[];
  save(bridges: StoredBridge[]): void;
}

export interface EngineBridgesOptions {
  /** Folders for sockets, most private first (see bridgeSocketPath). */
  socketFolders: readonly string[];
  /** The Docker CLI's config folder (its context store). */
  dockerConfigDir: string;
  store: BridgeStore;
  log: (message: string) => void;
  /** A bridge closed by itself (its engine's container was removed). */
  onDidChange: () => void;
}

interface Open {
  target: StoredBridge;
  info: BridgeInfo;
  bridge?: EngineBridge;
}

/**
 * The bridged engines of one window: a socket and a Docker context each, remembered so that a
 * reload brings them back, removed when stopped or when their engine's container goes away.
 */
export class EngineBridges {
  private readonly open = new Map<string, Open>();

  constructor(private readonly options: EngineBridgesOptions) {}

  /** Opens (or returns) the bridge to the engine `engineKey`, named by `target`. */
  async bridge(graph: BridgeGraph, engineKey: string, target: EngineTarget): Promise<BridgeInfo> {
    const existing = this.open.get(engineKey);
    if (existing) return existing.info;
    const label = [target.engine, ...target.path].join(' › ');
    const context = bridgeContextName(target.engine, target.path);
    const socket = bridgeSocketPath(this.options.socketFolders, context);
    const info: BridgeInfo = { socket, dockerHost: `unix://${socket}`, context };
    const stored: StoredBridge = { ...target, engineKey };
    let bridge: EngineBridge;
    try {
      bridge = await EngineBridge.listen({
        graph,
        engineKey,
        label,
        socketPath: socket,
        log: this.options.log,
        onGone: (reason) => {
          this.options.log(`bridge to ${label} closed: ${reason}`);
          void this.stop(engineKey).then(() => this.options.onDidChange());
        },
      });
    } catch (error) {
      // Two windows never fight over one bridge: the one that serves it keeps it.
      if (error instanceof BridgeError && /already served/.test(error.message)) {
        const shared = { ...info, servedElsewhere: true };
        this.open.set(engineKey, { target: stored, info: shared });
        return shared;
      }
      throw error;
    }
    try {
      writeBridgeContext(this.options.dockerConfigDir, { name: context, dockerHost: info.dockerHost, engineKey, label });
    } catch (error) {
      await bridge.close();
      throw error;
    }
    this.open.set(engineKey, { target: stored, info, bridge });
    this.persist();
    return info;
  }

  /** Closes the bridge: its connections, socket and context. */
  async stop(engineKey: string): Promise<boolean> {
    const entry = this.open.get(engineKey);
    if (!entry) return false;
    this.open.delete(engineKey);
    this.persist();
    if (entry.bridge) {
      await entry.bridge.close();
      removeBridgeContext(this.options.dockerConfigDir, entry.info.context);
    }
    return true;
  }

  infoFor(engineKey: string): BridgeInfo | undefined {
    return this.open.get(engineKey)?.info;
  }

  /** Client connections carried now by the bridge to `engineKey`. */
  connectionsOf(engineKey: string): number {
    return this.open.get(engineKey)?.bridge?.connections ?? 0;
  }

  /** Bridges remembered from the last session (none: nothing to restore, no engine to contact). */
  get storedCount(): number {
    return this.options.store.load().length;
  }

  /** The bridges remembered from the last session, as they were when the window started. */
  stored(): StoredBridge[] {
    return this.options.store.load();
  }

  get bridgedKeys(): string[] {
    return [...this.open.keys()];
  }

  /**
   * Opens the bridges remembered from the last session (`stored`, read before anything persists),
   * but those whose context is in `skip` (a crash left them: the person decides); returns the
   * ones that could not be opened.
   */
  async restore(graph: BridgeGraph, stored: readonly StoredBridge[] = this.options.store.load(), skip: ReadonlySet<string> = new Set()): Promise<string[]> {
    const failed: string[] = [];
    for (const entry of stored) {
      if (skip.has(bridgeContextName(entry.engine, entry.path))) continue;
      try {
        await this.bridge(graph, entry.engineKey, entry);
      } catch (error) {
        failed.push(`${[entry.engine, ...entry.path].join(' › ')}: ${(error as Error).message}`);
      }
    }
    this.persist();
    return failed;
  }

  /** What a crash left behind: Matryoshka's contexts that no bridge of this window has and whose socket no process (no other window) serves. */
  async findStale(): Promise<StaleBridge[]> {
    const ours = new Set([...this.open.values()].map((entry) => entry.info.context));
    const found: StaleBridge[] = [];
    for (const context of listBridgeContexts(this.options.dockerConfigDir)) {
      if (ours.has(context.name) || !context.dockerHost.startsWith('unix://')) continue;
      const socket = context.dockerHost.slice('unix://'.length);
      if (await socketAnswers(socket)) continue;
      found.push({ context: context.name, engineKey: context.engineKey, socket, label: context.label });
    }
    return found;
  }

  /**
   * Opens again the bridges a crash left behind, each to the engine its path names now (else the
   * engine its context recorded); returns the contexts now bridged and why the others could not be.
   */
  async restoreStale(graph: BridgeGraph, roots: readonly EngineSnapshot[], stale: readonly StaleBridge[], stored: readonly StoredBridge[] = []): Promise<{ restored: string[]; failed: string[] }> {
    const restored: string[] = [];
    const failed: string[] = [];
    for (const entry of stale) {
      const found = staleTarget(entry, roots, stored);
      if (!found) {
        failed.push(`${entry.label}: no engine at that path is listed now (its container may have been removed)`);
        continue;
      }
      try {
        const info = await this.bridge(graph, found.engineKey, found.target);
        // The socket folder may have moved since (another runtime folder): the old file is litter.
        if (info.socket !== entry.socket) await removeStaleSocket(entry.socket);
        restored.push(entry.context);
      } catch (error) {
        failed.push(`${entry.label}: ${(error as Error).message}`);
      }
    }
    return { restored, failed };
  }

  /**
   * Removes what a crash left behind (`stale`, else what findStale finds now): the socket file,
   * unless a process serves it meanwhile, and the context. Returns the contexts removed.
   */
  async removeStale(stale?: readonly StaleBridge[]): Promise<string[]> {
    const removed: string[] = [];
    const ours = new Set([...this.open.values()].map((entry) => entry.info.context));
    for (const entry of stale ?? (await this.findStale())) {
      if (ours.has(entry.context) || (await socketAnswers(entry.socket))) continue;
      await removeStaleSocket(entry.socket);
      if (removeBridgeContext(this.options.dockerConfigDir, entry.context)) removed.push(entry.context);
    }
    return removed;
  }

  /** Drops remembered bridges to these contexts (cleaned up after a crash: they do not come back), unless open here. */
  forget(contexts: readonly string[]): void {
    const drop = new Set(contexts);
    const openKeys = new Set(this.open.keys());
    this.options.store.save(this.options.store.load().filter((entry) => openKeys.has(entry.engineKey) || !drop.has(bridgeContextName(entry.engine, entry.path))));
  }

  /**
   * Ends every bridge of this window (it is closing): sockets and contexts go at once, the list
   * stays remembered so that the next start brings them back.
   */
  dispose(): void {
    for (const entry of this.open.values()) {
      if (!entry.bridge) continue;
      void entry.bridge.close();
      removeBridgeContext(this.options.dockerConfigDir, entry.info.context);
    }
    this.open.clear();
  }

  private persist(): void {
    this.options.store.save([...this.open.values()].filter((entry) => entry.bridge).map((entry) => entry.target));
  }
}

/** The engine a stale bridge stood for: by the path this workspace remembers, else by the key its context recorded. */
function staleTarget(entry: StaleBridge, roots: readonly EngineSnapshot[], stored: readonly StoredBridge[]): { engineKey: string; target: EngineTarget } | undefined {
  const remembered = stored.find((s) => bridgeContextName(s.engine, s.path) === entry.context);
  if (remembered) {
    try {
      const resolved = resolveEngine(roots, remembered);
      return { engineKey: resolved.engine.key, target: { engine: resolved.at.engine, path: [...resolved.at.path] } };
    } catch {
      // Not there by that path now: the recorded key may still name it.
    }
  }
  const listed = listEngines(roots).find((e) => e.engine.key === entry.engineKey);
  // Restoring must give the context the same name: the key's engine must still be at a path of that name.
  if (!listed || bridgeContextName(listed.at.engine, listed.at.path) !== entry.context) return undefined;
  return { engineKey: listed.engine.key, target: { engine: listed.at.engine, path: [...listed.at.path] } };
}
