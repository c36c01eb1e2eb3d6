/** The default of `matryoshka.requestTimeoutSeconds`. */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 10;
/** Below a second a busy engine's every answer would count as none. */
export const MIN_REQUEST_TIMEOUT_SECONDS = 1;
/**
 * Above five minutes a request is not slow but lost, and the tree would show an engine that stopped
 * answering as connected all that time. A timer also takes at most 2^31-1 ms (24.8 days): beyond
 * that Node fires it at once, so 1e7 seconds would time every request out immediately.
 */
export const MAX_REQUEST_TIMEOUT_SECONDS = 300;

/** The deadline of one engine request in milliseconds, from the setting's value (any JSON a settings file holds). */
export function requestDeadlineMs(seconds: unknown): number {
  const value = typeof seconds === 'number' && Number.isFinite(seconds) ? seconds : DEFAULT_REQUEST_TIMEOUT_SECONDS;
  return Math.min(MAX_REQUEST_TIMEOUT_SECONDS, Math.max(MIN_REQUEST_TIMEOUT_SECONDS, value)) * 1000;
}
