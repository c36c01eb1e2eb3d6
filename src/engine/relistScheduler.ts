/**
 * When engines are re-listed: events from one engine within `debounceMs` cause one re-list, and
 * while no view is visible (inactive) nothing is re-listed, only remembered, so that the views
 * catch up when they return.
 */
export class RelistScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly dirty = new Set<string>();
  private active = true;

  constructor(
    private readonly debounceMs: number,
    private readonly relist: (key: string) => Promise<void>,
  ) {}

  get isActive(): boolean {
    return this.active;
  }

  /** An event arrived from this engine: re-list it once the burst is over. */
  debounced(key: string): void {
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.now(key);
      }, this.debounceMs),
    );
  }

  /** Re-list now when active, else when the views return. */
  now(key: string): void {
    if (this.active) void this.relist(key);
    else this.dirty.add(key);
  }

  /** Returns the engines to re-list because they changed while inactive (empty unless becoming active). */
  setActive(active: boolean): string[] {
    const wasActive = this.active;
    this.active = active;
    if (!active || wasActive) return [];
    const dirty = [...this.dirty];
    this.dirty.clear();
    return dirty;
  }

  /** The engine is gone: nothing is due for it any more. */
  forget(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    this.dirty.delete(key);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.dirty.clear();
  }
}
