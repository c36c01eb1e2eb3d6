/**
 * The ids of every command Matryoshka contributes and the context keys its menus read. No `vscode`
 * import, so that a plain-Node test can hold them against package.json: the command table is typed
 * by this list, and the test checks package.json lists exactly the same.
 */
export const COMMAND_IDS = [
  'matryoshka.refresh',
  'matryoshka.retryEngine',
  'matryoshka.copyId',
  'matryoshka.inspect',
  'matryoshka.reveal',
  'matryoshka.attachTerminal',
  'matryoshka.showLogs',
  'matryoshka.start',
  'matryoshka.stop',
  'matryoshka.restart',
  'matryoshka.remove',
  'matryoshka.compare',
  'matryoshka.launchWorkspace',
  'matryoshka.launchDood',
  'matryoshka.launchDind',
  'matryoshka.launchSysbox',
  'matryoshka.removeWorkspace',
  'matryoshka.loadImage',
  'matryoshka.copyDockerHost',
  'matryoshka.openDockerHostTerminal',
  'matryoshka.engineHealth',
  'matryoshka.copyImageIntoEngine',
  'matryoshka.forwardPort',
  'matryoshka.stopForwarding',
  'matryoshka.openForwardInBrowser',
  'matryoshka.copyForwardAddress',
  'matryoshka.openContainerFolder',
  'matryoshka.containerUri',
  'matryoshka.refreshFiles',
  'matryoshka.bridgeEngine',
  'matryoshka.unbridgeEngine',
  'matryoshka.copyBridgedDockerHost',
  'matryoshka.openBridgedHostTerminal',
  'matryoshka.filter',
  'matryoshka.clearFilter',
  'matryoshka.setFilter',
  'matryoshka.showInfrastructure',
  'matryoshka.hideInfrastructure',
  'matryoshka.composeStart',
  'matryoshka.composeStop',
  'matryoshka.composeRestart',
  'matryoshka.composeRemove',
  'matryoshka.composeLogs',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

/** Context keys Matryoshka sets with `setContext`. */
export const CONTEXT_KEYS = {
  /** No root engine answers: the view shows its welcome text. */
  noEngineAnswers: 'matryoshka.noEngineAnswers',
  /** The tree is filtered: Clear Filter shows in its title. */
  filterActive: 'matryoshka.filterActive',
  /** Pod sandboxes show: the toggle in the title reads Hide Infrastructure. */
  showInfrastructure: 'matryoshka.showInfrastructure',
} as const;

/**
 * Every setting, by what a change to it does. `relist`: it decides which engines are connected or
 * how containers are classified, so the engines are listed again. `live`: read where it is used
 * (a launch, a terminal, a request's deadline), so the next use sees it without a re-list.
 */
export const SETTING_KEYS = {
  relist: ['engines', 'sysbox.runtimes', 'maxDepth'],
  live: ['requestTimeoutSeconds', 'terminal.shell', 'dood.image', 'dind.image', 'sysbox.image', 'confirmPrivilegedLaunch', 'launch.engineTimeoutSeconds', 'files.maxFileSizeMB'],
} as const;

export interface NumberLimit {
  min: number;
  max: number;
  fallback: number;
}

/**
 * Bounds of the numeric settings. Timers overflow past 2^31 ms (about 24.8 days) and then fire at
 * once, so no deadline may come near it; 300 s is longer than any engine that still answers needs.
 * Nesting deeper than 32 engines is never real, and a deeper walk only takes longer to stop.
 */
export const SETTING_LIMITS = {
  requestTimeoutSeconds: { min: 1, max: 300, fallback: 10 },
  maxDepth: { min: 0, max: 32, fallback: 8 },
  engineTimeoutSeconds: { min: 5, max: 3600, fallback: 120 },
  /** The largest file opened from a container: the editor holds it whole in memory. */
  maxFileSizeMB: { min: 1, max: 1024, fallback: 50 },
} satisfies Record<string, NumberLimit>;

/** A setting's number within its limits; anything that is not a finite number gives the default. */
export function clampNumber(value: unknown, limit: NumberLimit): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return limit.fallback;
  return Math.min(limit.max, Math.max(limit.min, value));
}
