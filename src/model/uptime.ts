import type { ContainerInspect, ContainerSummary } from './apiTypes';
import type { ContainerSnapshot } from './snapshot';
import { isRunning } from './classify';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** When a container last started, from its inspect; undefined when unknown (never started: Go's zero time). */
export function startedAt(container: ContainerSnapshot): number | undefined {
  const state = container.inspect?.State;
  // An inspect from before the container last stopped says nothing of its current run.
  if (!state?.Running || !state.StartedAt) return undefined;
  const at = Date.parse(state.StartedAt);
  return Number.isFinite(at) && at > 0 ? at : undefined;
}

/**
 * How long a running container has been up, in steps no finer than a minute, so that a row
 * re-rendered once a minute is never stale ("up <1 min", "up 5 min", "up 3 h", "up 4 days").
 */
export function uptimeText(started: number, now: number): string {
  const up = Math.max(0, now - started);
  if (up < MINUTE) return 'up <1 min';
  if (up < HOUR) return `up ${Math.floor(up / MINUTE)} min`;
  if (up < 2 * DAY) return `up ${Math.floor(up / HOUR)} h`;
  return `up ${Math.floor(up / DAY)} days`;
}

/** The state part of a container's row: uptime while running, else the engine's state word and exit code. */
export function stateText(container: ContainerSnapshot, now: number): string {
  const summary = container.summary;
  if (isRunning(summary)) {
    const started = startedAt(container);
    return started === undefined ? 'running' : uptimeText(started, now);
  }
  const state = summary.State ?? '';
  const code = container.inspect?.State?.ExitCode;
  // The inspect's exit code is that of the run that ended only if the inspect shows it ended.
  return state === 'exited' && container.inspect?.State?.Running === false && typeof code === 'number' ? `exited (${code})` : state;
}

/** Whether an inspect's run state contradicts a newer listing (started or ended since): read it again. */
export function runStateChanged(summary: ContainerSummary, inspect: ContainerInspect | undefined): boolean {
  const running = inspect?.State?.Running;
  if (running === undefined) return false;
  if (summary.State === 'running') return !running;
  return (summary.State === 'exited' || summary.State === 'dead') && running;
}
