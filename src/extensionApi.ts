import type { EngineService } from './services/engineService';
import type { EnginesView } from './views/enginesView';
import type { ContainerTerminals } from './terminals/containerTerminals';
import type { LaunchJournal } from './commands/launchJournal';
import type { HealthStore } from './views/healthStore';
import type { PortForwards } from './services/portForwards';
import type { ContainerFileSystem } from './views/containerFileSystem';

/**
 * What other extensions get from `activate` (README, "For other extensions"). Deliberately small:
 * engine connections, terminals and their transcripts stay inside Matryoshka; launching and
 * removing workspaces go through the documented commands, which ask the user where they must.
 */
export interface MatryoshkaPublicApi {
  /** The version of this API; a change that breaks callers raises it. */
  readonly apiVersion: 1;
  /** The extension's version, e.g. "0.1.0". */
  readonly version: string;
  /** Lists every engine again (as the view's Refresh does); resolves when the tree is up to date. */
  refresh(): Promise<void>;
}

/** The internals, for this extension's own tests only: returned when VS Code runs it in test mode. */
export interface MatryoshkaApi extends MatryoshkaPublicApi {
  engineService: EngineService;
  view: EnginesView;
  terminals: ContainerTerminals;
  /** Launches in progress (what survives a window that closed mid-launch). */
  launches: LaunchJournal;
  /** Finds what interrupted launches left and offers to remove it; resolves to the names cleaned up. */
  recoverInterruptedLaunches(): Promise<string[]>;
  /** The last health check of each engine and container (the tree's badges). */
  health: HealthStore;
  /** How long activate() took, in milliseconds (no engine is contacted during activation). */
  activationMs: number;
  /** Where published workspaces' client certificates are kept. */
  certRoot: string;
  /** Forwarded ports. */
  forwards: PortForwards;
  /** Finds the bridges a crash left behind (only these contexts, if given) and asks to restore or clean them up, as at start. */
  recoverStaleBridges(only?: readonly string[]): Promise<{ restored: string[]; removed: string[] }>;
  /** The container file system (matryoshka-container URIs). */
  fileSystem: ContainerFileSystem;
}
