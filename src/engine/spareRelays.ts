import { openRoute, type OpenedRoute, type Route } from './portRelays';

/**
 * Relays started ahead for one route, each waiting to be released (see openRoute's gate), so
 * that a new connection does not wait for an exec to be created and its process to start: a
 * connection takes a spare and a replacement starts behind it. A container without a shell to
 * hold the gate gets no spares; its connections start their relay when they arrive.
 */
export class SpareRelays {
  private readonly ready: OpenedRoute[] = [];
  private opening = 0;
  private disabled = false;
  private disposed = false;

  constructor(
    readonly route: Route,
    private readonly label: string,
    private readonly count: number,
    private readonly log: (message: string) => void,
  ) {}

  /** Relays started and waiting now. */
  get waiting(): number {
    return this.ready.length;
  }

  /** A released spare, connecting now, or undefined when none is ready; starts a replacement. */
  take(): OpenedRoute | undefined {
    const spare = this.ready.shift();
    this.fill();
    spare?.release();
    return spare;
  }

  fill(): void {
    if (this.disabled || this.disposed || this.route.kind !== 'exec') return;
    while (this.ready.length + this.opening < this.count) {
      this.opening++;
      openRoute(this.route, this.label, true).then(
        (spare) => {
          this.opening--;
          if (this.disposed) return void spare.stream.destroy();
          this.ready.push(spare);
          spare.stream.on('error', () => undefined);
          spare.stream.once('close', () => this.died(spare));
        },
        (error: Error) => {
          this.opening--;
          // Not retried in a loop: the next connection asks again.
          this.disabled = true;
          this.log(`${this.label}: no relay started ahead (${error.message}); connections start their own`);
        },
      );
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const spare of this.ready.splice(0)) spare.stream.destroy();
  }

  /** A spare that ended before any connection took it: the container stopped, or it has no shell. */
  private died(spare: OpenedRoute): void {
    const at = this.ready.indexOf(spare);
    if (at < 0) return;
    this.ready.splice(at, 1);
    void spare.failure().then((failure) => {
      if (failure && /exited with 12[67]\b/.test(failure)) {
        this.disabled = true;
        this.log(`${this.label}: no shell to hold a relay ahead (${failure}); connections start their own`);
      }
    });
  }
}
