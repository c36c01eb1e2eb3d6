import { randomBytes } from 'node:crypto';

/**
 * Which run a test container belongs to, so that suites and runs sharing one engine never remove
 * each other's containers.
 *
 * RUN_ID names the shared nested fixture. `npm test` makes one per run and hands it to every suite
 * (unit, integration, the extension host, UI) in MATRYOSHKA_RUN_ID, so one run builds one fixture
 * and two runs build two. Without it: with MATRYOSHKA_KEEP_FIXTURE=1 the stable KEPT_RUN_ID, so
 * that a developer's runs keep reusing one kept fixture; otherwise a fresh id for this process.
 *
 * OWN_ID is this process's alone: containers a suite creates and removes itself carry it, so two
 * processes that share RUN_ID (two developers' runs on the kept fixture) still never clash.
 */
export const RUN_ID_ENV = 'MATRYOSHKA_RUN_ID';
export const KEPT_RUN_ID = 'dev';
export const RUN_LABEL_KEY = 'dev.matryoshka.test.run';

/** Four base-36 characters: short enough for tree rows, 1.7 million apart. */
export function freshRunId(): string {
  return (randomBytes(4).readUInt32BE(0) % 36 ** 4).toString(36).padStart(4, '0');
}

export function runIdFrom(env: NodeJS.ProcessEnv): string {
  const given = env[RUN_ID_ENV];
  if (given) {
    // It becomes part of container names and label filters: nothing else may ride in on it.
    if (!/^[a-z0-9]{1,8}$/.test(given)) throw new Error(`${RUN_ID_ENV}="${given}": use 1 to 8 lower-case letters or digits`);
    return given;
  }
  return env.MATRYOSHKA_KEEP_FIXTURE === '1' ? KEPT_RUN_ID : freshRunId();
}

/**
 * Decided once, by the first module that loads this one, and recorded in the environment: every
 * process started from here on (node --test files, code-server and its extension host) shares it.
 */
export const RUN_ID = (process.env[RUN_ID_ENV] = runIdFrom(process.env));
export const OWN_ID = freshRunId();

/** `base-<run id>`: a name in the shared nested fixture. */
export function runName(base: string): string {
  return `${base}-${RUN_ID}`;
}

/** `base-<own id>`: a container, volume or network this process creates and removes itself. */
export function ownName(base: string): string {
  return `${base}-${OWN_ID}`;
}

/** The label that marks a container, volume or network as `id`'s. */
export function runLabel(id: string = RUN_ID): string {
  return `${RUN_LABEL_KEY}=${id}`;
}

/** How the tree and every message write a path: `default › a › b`. */
export function treePath(...names: string[]): string {
  return ['default', ...names].join(' › ');
}

/** The label that marks what this process creates and removes itself (with ownName). */
export const OWN_LABEL = `dev.matryoshka.test.own=${OWN_ID}`;
