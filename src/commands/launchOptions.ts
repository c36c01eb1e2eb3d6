import * as vscode from 'vscode';
import { trustedSetting } from '../views/trustedSetting';
import type { WorkspaceMode } from '../model/workspaceSpec';
import { UserFacingError } from '../model/userFacingError';

/** The programmatic form of the launch commands: whatever is given is not asked. */
export interface LaunchOptions {
  engine?: string;
  name?: string;
  image?: string;
  folder?: string | null;
  publish?: boolean;
  runtime?: string;
  skipConfirmation?: boolean;
}

const FIELDS: Record<keyof LaunchOptions, (v: unknown) => boolean> = {
  engine: (v) => typeof v === 'string',
  name: (v) => typeof v === 'string',
  image: (v) => typeof v === 'string',
  folder: (v) => v === null || typeof v === 'string',
  publish: (v) => typeof v === 'boolean',
  runtime: (v) => typeof v === 'string',
  skipConfirmation: (v) => typeof v === 'boolean',
};

/** Checks an options object field by field; a tree node or nothing means "ask everything". */
export function parseLaunchOptions(argument: unknown): LaunchOptions {
  if (argument === undefined || argument === null || typeof argument !== 'object' || !isPlainObject(argument)) return {};
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(argument)) {
    const check = FIELDS[key as keyof LaunchOptions];
    if (!check) throw new UserFacingError(`Unknown launch option "${key}". Options: ${Object.keys(FIELDS).join(', ')}.`);
    if (value === undefined) continue;
    if (!check(value)) throw new UserFacingError(`The launch option "${key}" has the wrong type (${typeof value}).`);
    options[key] = value;
  }
  return options as LaunchOptions;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
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
    engineTimeoutMs: Math.max(5, value<number>('launch.engineTimeoutSeconds', 120)) * 1000,
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
