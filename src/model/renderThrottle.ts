/** Timers as the throttle uses them; tests pass a fake clock to make every schedule deterministic. */
export interface ThrottleClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: ThrottleClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** What changed since the last render: some engines (by key), or everything. */
export interface RenderBatch {
  readonly all: boolean;
  readonly engines: ReadonlySet<string>;
  /** When the render began, on the throttle's clock (what the interval is measured from). */
  readonly at: number;
}

export interface ThrottleOptions {
  /** A change after a quiet spell renders this long after it (changes come in bursts: wait for the rest). */
  quietMs: number;
  /** Renders that changes cause are at least this far apart, however fast engines emit events. */
  minIntervalMs: number;
}

/**
 * Decides when the tree renders. A change waits `quietMs`, then renders with every change that came
 * meanwhile; under sustained churn renders are `minIntervalMs` apart, so an engine creating
 * hundreds of containers costs a few renders a second, not one per event. `flush` renders at once
 * (a manual refresh) and also counts as a render for the interval.
 */
export class RenderThrottle {
  private pending: { all: boolean; engines: Set<string>; at: number } | undefined;
  private timer: unknown;
  private due = 0;
  private lastRender = Number.NEGATIVE_INFINITY;
  private disposed = false;

  constructor(
    private readonly options: ThrottleOptions,
    private readonly render: (batch: RenderBatch) => void,
    private readonly clock: ThrottleClock = realClock,
  ) {}

  /** One engine changed (`undefined`: something that concerns the whole tree). */
  schedule(engineKey?: string): void {
    if (this.disposed) return;
    this.add(engineKey === undefined, engineKey);
    this.wait();
  }

  /** Nothing changed but the clock (rows showing an uptime): a render within the same limits. */
  scheduleClock(): void {
    if (this.disposed) return;
    this.pending ??= { all: false, engines: new Set(), at: 0 };
    this.wait();
  }

  private wait(): void {
    if (this.timer !== undefined) return;
    this.due = Math.max(this.clock.now() + this.options.quietMs, this.lastRender + this.options.minIntervalMs);
    this.arm();
  }

  /** Renders the whole tree now (a manual refresh, the view shown again), pending changes included. */
  flush(): void {
    if (this.disposed) return;
    this.add(true);
    this.cancelTimer();
    this.renderPending();
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
    this.pending = undefined;
  }

  private add(all: boolean, engineKey?: string): void {
    this.pending ??= { all: false, engines: new Set(), at: 0 };
    if (all) this.pending.all = true;
    if (engineKey !== undefined) this.pending.engines.add(engineKey);
  }

  private renderPending(): void {
    const batch = this.pending;
    this.pending = undefined;
    if (!batch) return;
    this.lastRender = batch.at = this.clock.now();
    this.render(batch);
  }

  /**
   * Node's timers count from the event loop's cached time, so one set late in a long turn of the
   * loop fires early by that much: what is left of the wait is waited again.
   */
  private arm(): void {
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.clock.now() < this.due) this.arm();
      else this.renderPending();
    }, this.due - this.clock.now());
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
