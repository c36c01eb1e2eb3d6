import { BridgeError, bridgeSocketPath, claimSocketPath, EngineBridge, type BridgeGraph } from './engineBridge';
import type { NodePath } from '../model/targets';
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

  get bridgedKeys(): string[] {
    return [...this.open.keys()];
  }

  /** Opens the bridges remembered from the last session; returns the ones that could not be. */
  async restore(graph: BridgeGraph): Promise<string[]> {
    const failed: string[] = [];
    for (const stored of this.options.store.load()) {
      try {
        await this.bridge(graph, stored.engineKey, stored);
      } catch (error) {
        failed.push(`${[stored.engine, ...stored.path].join(' › ')}: ${(error as Error).message}`);
      }
    }
    this.persist();
    return failed;
  }

  /**
   * Removes contexts and socket files a crash left behind: Matryoshka's contexts that no bridge of
   * this window has and whose socket no process (no other window) serves.
   */
  async removeStale(): Promise<string[]> {
    const removed: string[] = [];
    const ours = new Set([...this.open.values()].map((entry) => entry.info.context));
    for (const context of listBridgeContexts(this.options.dockerConfigDir)) {
      if (ours.has(context.name) || !context.dockerHost.startsWith('unix://')) continue;
      const socket = context.dockerHost.slice('unix://'.length);
      try {
        await claimSocketPath(socket, context.name);
      } catch {
        continue;
      }
      removeBridgeContext(this.options.dockerConfigDir, context.name);
      removed.push(context.name);
    }
    return removed;
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
