/** The runtime name Sysbox installs itself under. */
export const SYSBOX_RUNTIME = 'sysbox-runc';
export const SYSBOX_INSTALL_URL = 'https://github.com/nestybox/sysbox/blob/master/docs/user-guide/install.md';

export type SysboxRuntimeCheck =
  | { kind: 'ok'; runtime: string }
  /** The engine has Sysbox, under a name that matryoshka.sysbox.runtimes leaves out: not "not installed". */
  | { kind: 'excluded-by-setting'; listed: string; message: string }
  | { kind: 'missing'; message: string };

/**
 * Which runtime a Sysbox workspace on this engine uses: the caller's, else the first of the
 * setting's that the engine lists. Asked right after the engine is known, before any other question.
 */
export function checkSysboxRuntime(engineLabel: string, engineRuntimes: readonly string[], configured: readonly string[], wanted?: string): SysboxRuntimeCheck {
  const candidates = wanted !== undefined ? [wanted] : configured;
  const runtime = candidates.find((r) => engineRuntimes.includes(r));
  if (runtime) return { kind: 'ok', runtime };
  if (wanted === undefined && engineRuntimes.includes(SYSBOX_RUNTIME)) {
    return {
      kind: 'excluded-by-setting',
      listed: SYSBOX_RUNTIME,
      message: `${engineLabel} has the Sysbox runtime ${SYSBOX_RUNTIME}, but the setting matryoshka.sysbox.runtimes names only ${configured.join(', ') || 'nothing'}.`,
    };
  }
  return {
    kind: 'missing',
    message: `Sysbox is not installed on ${engineLabel}: its runtimes are ${engineRuntimes.join(', ') || 'none'}, not ${candidates.join(' or ') || SYSBOX_RUNTIME}. Install Sysbox (${SYSBOX_INSTALL_URL}), or launch a DinD workspace instead. Nothing was created.`,
  };
}

/** For the engine pick of a Sysbox launch: which engines can run one. */
export function sysboxRuntimeNote(engineRuntimes: readonly string[] | undefined, configured: readonly string[]): string {
  if (!engineRuntimes) return 'runtimes unknown';
  const usable = configured.find((r) => engineRuntimes.includes(r));
  if (usable) return `Sysbox: ${usable}`;
  return engineRuntimes.includes(SYSBOX_RUNTIME) ? `Sysbox: ${SYSBOX_RUNTIME} (not in matryoshka.sysbox.runtimes)` : 'no Sysbox runtime';
}
