import * as vscode from 'vscode';
import { clampNumber, SETTING_LIMITS as LIMITS } from '../model/contributions';
import type { WorkspaceMode } from '../model/workspaceSpec';

// Every reader of Matryoshka's settings. Which keys re-list the engines and which are read where
// they are used (and so apply at once) is listed in SETTING_KEYS (src/model/contributions.ts).

/**
 * A Matryoshka setting as a trusted source gives it. In Restricted Mode the folder's own value
 * (which could name any image, engine, runtime or program) is ignored: only the user's or the
 * default counts, whatever VS Code itself does with restrictedConfigurations.
 */
export function trustedSetting<T>(key: string, fallback: T, config = vscode.workspace.getConfiguration('matryoshka')): T {
  if (vscode.workspace.isTrusted) return config.get<T>(key, fallback);
  const inspected = config.inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
}

/** What the engine graph is built from. */
export interface EngineSettings {
  engines: unknown[];
  sysboxRuntimes: string[];
  deadlineMs: number;
  maxDepth: number;
}

/**
 * In Restricted Mode a folder must not name the engines Matryoshka connects to, what counts as
 * Sysbox, or how long an engine may stall every view; numbers are clamped to what a timer and a
 * walk can take.
 */
export function readEngineSettings(): EngineSettings {
  const config = vscode.workspace.getConfiguration('matryoshka');
  return {
    engines: trustedSetting<unknown[]>('engines', [], config),
    sysboxRuntimes: trustedSetting<string[]>('sysbox.runtimes', ['sysbox-runc'], config),
    deadlineMs: clampNumber(trustedSetting<unknown>('requestTimeoutSeconds', LIMITS.requestTimeoutSeconds.fallback, config), LIMITS.requestTimeoutSeconds) * 1000,
    maxDepth: Math.floor(clampNumber(trustedSetting<unknown>('maxDepth', LIMITS.maxDepth.fallback, config), LIMITS.maxDepth)),
  };
}

/** The program run in every container's terminal: an untrusted workspace does not get to choose it. */
export function terminalShell(): string | undefined {
  return trustedSetting<string>('terminal.shell', '') || undefined;
}

export interface LaunchSettings {
  /** false in Restricted Mode: every launch is then confirmed by the person, whatever a caller asks. */
  trusted: boolean;
  /** The folder's own Matryoshka settings that Restricted Mode ignores (`key = value`), for the dialog. */
  ignored: string[];
  image(mode: WorkspaceMode): string;
  sysboxRuntimes: string[];
  confirmPrivileged: boolean;
  engineTimeoutMs: number;
}

const DEFAULT_IMAGES: Record<WorkspaceMode, string> = { dood: 'docker:cli', dind: 'docker:dind', sysbox: 'docker:dind' };

/**
 * Launch settings as a trusted source gives them: in Restricted Mode a workspace's own values
 * (which could ask for any image) are ignored, and the confirmation setting is never a
 * workspace's to turn off (it is declared application-scoped as well).
 */
export function readLaunchSettings(): LaunchSettings {
  const config = vscode.workspace.getConfiguration('matryoshka');
  const trusted = vscode.workspace.isTrusted;
  const value = <T>(key: string, fallback: T): T => trustedSetting(key, fallback, config);
  const confirm = config.inspect<boolean>('confirmPrivilegedLaunch');
  return {
    trusted,
    ignored: trusted ? [] : ignoredFolderSettings(config),
    image: (mode) => value<string>(`${mode}.image`, DEFAULT_IMAGES[mode]) || DEFAULT_IMAGES[mode],
    sysboxRuntimes: value<string[]>('sysbox.runtimes', ['sysbox-runc']),
    confirmPrivileged: confirm?.globalValue ?? confirm?.defaultValue ?? true,
    engineTimeoutMs: clampNumber(value<unknown>('launch.engineTimeoutSeconds', 120), LIMITS.engineTimeoutSeconds) * 1000,
  };
}

/** The settings a folder may try to set for a launch; unknown keys are never read at all. */
const FOLDER_KEYS = ['dood.image', 'dind.image', 'sysbox.image', 'sysbox.runtimes', 'engines', 'launch.engineTimeoutSeconds', 'confirmPrivilegedLaunch'];

function ignoredFolderSettings(config: vscode.WorkspaceConfiguration): string[] {
  return FOLDER_KEYS.flatMap((key) => {
    const inspected = config.inspect(key);
    const value = inspected?.workspaceFolderValue ?? inspected?.workspaceValue;
    return value === undefined ? [] : [`matryoshka.${key} = ${shortJson(value)}`];
  });
}

function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** The setting that limits the size of a file opened from a container (named in the error). */
export const MAX_FILE_SETTING = 'matryoshka.files.maxFileSizeMB';

/** Read on each use: a changed limit applies to the next file opened. */
export function readFileSettings(): { maxFileBytes: number } {
  return { maxFileBytes: clampNumber(trustedSetting<unknown>('files.maxFileSizeMB', LIMITS.maxFileSizeMB.fallback), LIMITS.maxFileSizeMB) * 1024 * 1024 };
}
