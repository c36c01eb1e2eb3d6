import * as vscode from 'vscode';
import { endpointWarning, resolveEndpoints } from '../engine/endpoints';
import { EngineGraph, rootEngineKey } from '../engine/engineGraph';
import type { EngineApi } from '../engine/engineApi';
import type { EngineSnapshot } from '../model/snapshot';
import { RenderThrottle, type RenderBatch } from '../model/renderThrottle';
import type { HostKeyChecker } from '../engine/hostKeys';
import { readEngineSettings } from './settings';
import { SETTING_KEYS } from '../model/contributions';

/** A change after a quiet spell shows this soon (engine events come in bursts: wait for the rest). */
export const RENDER_DEBOUNCE_MS = 100;
/** Under sustained churn (hundreds of containers arriving) the tree renders at most this often. */
export const RENDER_MIN_INTERVAL_MS = 300;

/**
 * Owns the engine graph and decides when it works: not before a view or command needs it, not
 * while no Matryoshka view is visible, and re-rendering at a bounded rate. Merges engine events,
 * manual refreshes and settings changes into one stream of "the tree changed".
 */
export class EngineService implements vscode.Disposable {
  private graph: EngineGraph | undefined;
  private firstListing: Promise<void> | undefined;
  private readonly changed = new vscode.EventEmitter<RenderBatch>();
  private readonly throttle: RenderThrottle;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private problems: string[] = [];
  /** What is unsafe about each root engine's configuration (verification off), by engine key. */
  private warnings = new Map<string, string>();

  /** The tree changed: every engine (`all`), or only the engines named (by key). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    /** ssh host keys: known_hosts, and the person's answer about unknown hosts (see hostKeyPrompt). */
    private readonly hostKeys: HostKeyChecker,
  ) {
    this.throttle = new RenderThrottle({ quietMs: RENDER_DEBOUNCE_MS, minIntervalMs: RENDER_MIN_INTERVAL_MS }, (batch) => this.changed.fire(batch));
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!this.graph) return;
        // Live settings are read where they are used; only the request deadline is held by the graph.
        if (event.affectsConfiguration('matryoshka.requestTimeoutSeconds')) this.graph.setRequestDeadline(readEngineSettings().deadlineMs);
        if (SETTING_KEYS.relist.some((key) => event.affectsConfiguration(`matryoshka.${key}`))) {
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
    await this.listedOnce(graph);
    return graph;
  }

  /**
   * The first listing, shared by everyone who waits for it. Should it fail, the failure is not
   * kept: the next caller lists again, so nothing stays blank after its cause has gone.
   */
  private listedOnce(graph: EngineGraph): Promise<void> {
    if (!this.firstListing) {
      const listing = graph.refreshAll();
      this.firstListing = listing;
      listing.catch(() => {
        if (this.firstListing === listing) this.firstListing = undefined;
      });
    }
    return this.firstListing;
  }

  /** Lists every engine at every depth again; resolves when all have answered or failed. */
  async refresh(): Promise<void> {
    const graph = this.ensureGraph();
    await this.listedOnce(graph).catch(() => undefined);
    await graph.refreshAll();
    this.renderNow();
  }

  async retryEngine(key: string): Promise<void> {
    await this.ensureGraph().refreshEngine(key);
    this.renderNow();
  }

  /** The deadline of one request to an engine, as the settings say now (read on each use, so a change applies at once). */
  get requestDeadlineMs(): number {
    return readEngineSettings().deadlineMs;
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

  /** A warning for a root engine's row: how it is reached is unsafe. */
  warningFor(engineKey: string): string | undefined {
    return this.warnings.get(engineKey);
  }

  get started(): boolean {
    return this.graph !== undefined;
  }

  setVisible(visible: boolean): void {
    if (!this.graph) return;
    void this.graph.setActive(visible).then(() => this.renderNow());
  }

  private ensureGraph(): EngineGraph {
    if (this.graph) return this.graph;
    const settings = readEngineSettings();
    const graph = new EngineGraph({
      sysboxRuntimes: settings.sysboxRuntimes,
      deadlineMs: settings.deadlineMs,
      debounceMs: 150,
      // Capped low so that an engine back after a restart shows again within seconds, not half a minute.
      reconnect: { initialMs: 500, maxMs: 4000, stableMs: 10_000 },
      maxDepth: settings.maxDepth,
      log: (message) => this.log.info(message),
      hostKeys: this.hostKeys,
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
    const settings = readEngineSettings();
    const { endpoints, problems } = resolveEndpoints({ env: process.env, configured: settings.engines });
    this.problems = problems;
    this.warnings = new Map(endpoints.flatMap((e) => { const warning = endpointWarning(e); return warning ? [[rootEngineKey(e.name), warning] as const] : []; }));
    for (const problem of problems) this.log.warn(problem);
    graph.setEndpoints(endpoints, { sysboxRuntimes: settings.sysboxRuntimes, deadlineMs: settings.deadlineMs, maxDepth: settings.maxDepth });
  }

  /** Rows showing an uptime age once a minute: a render within the throttle's limits, changes or not. */
  private readonly clock = setInterval(() => this.throttle.scheduleClock(), 60_000);

  /** Renders the tree now (a row's state changed outside the engines: a bridge opened or closed). */
  rerender(): void {
    this.renderNow();
  }

  private renderNow(): void {
    this.throttle.flush();
  }

  dispose(): void {
    this.throttle.dispose();
    clearInterval(this.clock);
    this.graph?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
