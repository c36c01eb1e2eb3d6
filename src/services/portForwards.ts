import * as vscode from 'vscode';
import { PortForward, type ForwardStatus } from '../engine/portForward';
import { isPort } from '../model/ports';
import { parseTarget, resolveTarget, type Target } from '../model/targets';
import type { EngineService } from './engineService';

/** What is kept across reloads (workspace state): where each forward went and on which local port. */
interface SavedForward {
  engine?: string;
  path: string[];
  port: number;
  localPort: number;
}

const STATE_KEY = 'matryoshka.portForwards';

export interface ForwardInfo {
  /** The container, by engine name and container names (as its tree row names it). */
  target: Target;
  port: number;
  localPort: number;
  url: string;
  status: ForwardStatus;
}

function keyOf(target: Target, port: number): string {
  return JSON.stringify([target.engine ?? '', ...target.path, port]);
}

/**
 * The window's port forwards: started by command, shown under their containers, saved in the
 * workspace state and started again after a reload (a container that is not running then leaves
 * its forward waiting for it). Disposing closes them without forgetting them.
 */
export class PortForwards implements vscode.Disposable {
  private readonly forwards = new Map<string, { target: Target; forward: PortForward; off: () => void }>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly engineService: EngineService,
    private readonly memento: vscode.Memento,
    private readonly log: (message: string) => void,
  ) {}

  /** Forwards a port (the same forward again when there is one); resolves once it listens. */
  async start(target: Target, port: number, localPort?: number, restoring = false): Promise<ForwardInfo> {
    const graph = await this.engineService.ready();
    // Kept by engine name and container names, as the tree shows them and as a reload finds them again.
    const at = restoring ? target : resolveTarget(graph.snapshot(), target).at;
    const key = keyOf(at, port);
    const existing = this.forwards.get(key);
    if (existing && (localPort === undefined || existing.forward.localPort === localPort)) return this.info(existing.target, existing.forward);
    if (existing) await this.stop(at, port);
    const forward = await PortForward.start(graph, at, port, { localPort, restoring, log: this.log });
    const off = forward.onDidChangeStatus(() => this.changed.fire());
    this.forwards.set(key, { target: at, forward, off });
    await this.save();
    this.changed.fire();
    return this.info(at, forward);
  }

  /** Stops one forward; false when there was none. */
  async stop(target: Target, port: number): Promise<boolean> {
    const snapshotAt = (() => {
      try {
        return resolveTarget(this.engineService.snapshot(), target).at;
      } catch {
        return target;
      }
    })();
    const key = [keyOf(target, port), keyOf(snapshotAt, port)].find((k) => this.forwards.has(k));
    const entry = key ? this.forwards.get(key) : undefined;
    if (!key || !entry) return false;
    this.forwards.delete(key);
    entry.off();
    await entry.forward.dispose();
    await this.save();
    this.changed.fire();
    return true;
  }

  list(): ForwardInfo[] {
    return [...this.forwards.values()].map((e) => this.info(e.target, e.forward));
  }

  /** The forwards of one container, for its tree row. */
  forwardsOf(target: Target): ForwardInfo[] {
    const path = target.path.join('\0');
    return this.list().filter((f) => f.target.engine === target.engine && f.target.path.join('\0') === path);
  }

  /** Starts again what the last window forwarded; resolves when each has started or failed (logged). */
  async restore(): Promise<void> {
    const saved = this.memento.get<unknown[]>(STATE_KEY, []);
    await Promise.all(
      saved.map(async (entry) => {
        const target = parseTarget(entry);
        const { port, localPort } = (entry ?? {}) as Partial<SavedForward>;
        if (!target || target.path.length === 0 || !isPort(port)) return;
        try {
          await this.start(target, port, isPort(localPort) ? localPort : undefined, true);
        } catch (error) {
          this.log(`could not restore the forward of port ${port} of ${target.path.join(' › ')}: ${(error as Error).message}`);
        }
      }),
    );
  }

  /** Closes every forward and keeps them saved (a window that closes or reloads). */
  async closeAll(): Promise<void> {
    const entries = [...this.forwards.values()];
    this.forwards.clear();
    await Promise.all(entries.map((e) => (e.off(), e.forward.dispose())));
    this.changed.fire();
  }

  dispose(): void {
    void this.closeAll();
    this.changed.dispose();
  }

  pending(): number {
    return this.memento.get<unknown[]>(STATE_KEY, []).length;
  }

  private info(target: Target, forward: PortForward): ForwardInfo {
    return { target, port: forward.port, localPort: forward.localPort, url: forward.url, status: forward.state };
  }

  private async save(): Promise<void> {
    const saved: SavedForward[] = this.list().map((f) => ({ ...(f.target.engine === undefined ? {} : { engine: f.target.engine }), path: f.target.path, port: f.port, localPort: f.localPort }));
    await this.memento.update(STATE_KEY, saved);
  }
}
