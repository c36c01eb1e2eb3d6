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
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

/** Context keys Matryoshka sets with `setContext`. */
export const CONTEXT_KEYS = {
  /** No root engine answers: the view shows its welcome text. */
  noEngineAnswers: 'matryoshka.noEngineAnswers',
} as const;
