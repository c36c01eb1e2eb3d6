import * as vscode from 'vscode';
import { resolveEndpoints } from '../engine/endpoints';
import { EngineGraph } from '../engine/engineGraph';
import type { EngineApi } from '../engine/engineApi';
import type { EngineSnapshot } from '../model/snapshot';
import { RenderThrottle, type RenderBatch } from '../model/renderThrottle';
import { DEFAULT_REQUEST_TIMEOUT_SECONDS, requestDeadlineMs } from '../model/requestDeadline';
import { trustedSetting } from './trustedSetting';

/** A change after a quiet spell shows this soon (engine events come in bursts: wait for the rest). */
export const RENDER_DEBOUNCE_MS = 100;
/** Under sustained churn (hundreds of containers arriving) the tree renders at most this often. */
export const RENDER_MIN_INTERVAL_MS = 300;

export interface MatryoshkaSettings {
  engines: unknown[];
  sysboxRuntimes: string[];
  deadlineMs: number;
}

/**
 * In Restricted Mode a folder must not name the engines Matryoshka connects to, what counts as
 * Sysbox, or how long a request may hang.
 */
export function readSettings(): MatryoshkaSettings {
  const config = vscode.workspace.getConfiguration('matryoshka');
  return {
    engines: trustedSetting<unknown[]>('engines', [], config),
    sysboxRuntimes: trustedSetting<string[]>('sysbox.runtimes', ['sysbox-runc'], config),
    deadlineMs: requestDeadlineMs(trustedSetting<unknown>('requestTimeoutSeconds', DEFAULT_REQUEST_TIMEOUT_SECONDS, config)),
  };
}

/**
 * Owns the engine graph and decides when it works: not before a view or command needs it, not
 * while no Matryoshka view is visible, and re-rendering at a bounded rate. Merges engine events,
 * manual refreshes and settings changes into one stream of "the tree changed".
 */
export class RefreshController implements vscode.Disposable {
  private graph: EngineGraph | undefined;
  private firstListing: Promise<void> | undefined;
  private readonly changed = new vscode.EventEmitter<RenderBatch>();
  private readonly throttle: RenderThrottle;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private visible = false;
  private problems: string[] = [];

  /** The tree changed: every engine (`all`), or only the engines named (by key). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.throttle = new RenderThrottle({ quietMs: RENDER_DEBOUNCE_MS, minIntervalMs: RENDER_MIN_INTERVAL_MS }, (batch) => this.changed.fire(batch));
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('matryoshka') && this.graph) {
          this.configure(this.graph);
          void this.refresh();
        }
      }),
      // Trusting the folder brings its engines and runtimes in.
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        if (!this.graph) return;
        this.configure(this.graph);
        void this.refresh();
      }),
    );
  }

  /** The graph, listed at least once. Commands call this; the first call connects to engines. */
  async ready(): Promise<EngineGraph> {
    const graph = this.ensureGraph();
    this.firstListing ??= graph.refreshAll();
    await this.firstListing;
    return graph;
  }

  /** Lists every engine at every depth again; resolves when all have answered or failed. */
  async refresh(): Promise<void> {
    const graph = this.ensureGraph();
    this.firstListing ??= graph.refreshAll();
    await this.firstListing;
    await graph.refreshAll();
    this.renderNow();
  }

  async retryEngine(key: string): Promise<void> {
    await this.ensureGraph().refreshEngine(key);
    this.renderNow();
  }

  snapshot(): EngineSnapshot[] {
    return this.graph?.snapshot() ?? [];
  }

  /** The API of a listed engine (inner ones included), for commands that act on its containers. */
  apiFor(engineKey: string): EngineApi | undefined {
    return this.graph?.apiFor(engineKey);
  }

  /** The listed graph, for views that gather more than the tree shows (the compare view). */
  graphForViews(): EngineGraph | undefined {
    return this.graph;
  }

  /** Re-lists one engine now (after an action), without waiting for its events. */
  async relist(engineKey: string): Promise<void> {
    await this.graph?.refreshEngine(engineKey);
    this.renderNow();
  }

  /** Problems reading Docker contexts or the matryoshka.engines setting. */
  get configurationProblems(): readonly string[] {
    return this.problems;
  }

  get started(): boolean {
    return this.graph !== undefined;
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (!this.graph) return;
    void this.graph.setActive(visible).then(() => this.renderNow());
  }

  private ensureGraph(): EngineGraph {
    if (this.graph) return this.graph;
    const settings = readSettings();
    const graph = new EngineGraph({
      sysboxRuntimes: settings.sysboxRuntimes,
      deadlineMs: settings.deadlineMs,
      debounceMs: 150,
      // Capped low so that an engine back after a restart shows again within seconds, not half a minute.
      reconnect: { initialMs: 500, maxMs: 4000 },
      log: (message) => this.log.info(message),
    });
    this.configure(graph);
    // The graph names the engine that changed ('' when its set of engines did).
    graph.onDidChange((engineKey) => this.throttle.schedule(engineKey || undefined));
    // Commands may start the graph while no view is open; it pauses once a view has been hidden.
    void graph.setActive(true);
    this.graph = graph;
    return graph;
  }

  private configure(graph: EngineGraph): void {
    const settings = readSettings();
    const { endpoints, problems } = resolveEndpoints({ env: process.env, configured: settings.engines });
    this.problems = problems;
    for (const problem of problems) this.log.warn(problem);
    graph.setEndpoints(endpoints, settings.sysboxRuntimes);
  }

  private renderNow(): void {
    this.throttle.flush();
  }

  dispose(): void {
    this.throttle.dispose();
    this.graph?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
