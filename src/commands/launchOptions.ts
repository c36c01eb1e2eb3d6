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
