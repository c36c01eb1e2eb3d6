import { formatSize } from '../model/sizes';
import { EngineApiError } from './engineApi';

/**
 * What went wrong with a file in a container, in words a person can act on, always naming the
 * container (its whole path from the root engine) and the path inside it. `code` matches the
 * FileSystemError the editor shows (FileNotFound, NoPermissions, ...).
 */
export type FileErrorCode = 'FileNotFound' | 'FileExists' | 'FileNotADirectory' | 'FileIsADirectory' | 'NoPermissions' | 'Unavailable';

export type FileErrorReason =
  | 'not-found'
  | 'exists'
  | 'not-a-directory'
  | 'is-a-directory'
  | 'read-only'
  | 'permission-denied'
  | 'too-large'
  | 'container-gone'
  | 'container-stopped'
  | 'no-tool'
  | 'engine';

const CODES: Record<FileErrorReason, FileErrorCode> = {
  'not-found': 'FileNotFound',
  exists: 'FileExists',
  'not-a-directory': 'FileNotADirectory',
  'is-a-directory': 'FileIsADirectory',
  'read-only': 'NoPermissions',
  'permission-denied': 'NoPermissions',
  'too-large': 'Unavailable',
  'container-gone': 'Unavailable',
  'container-stopped': 'Unavailable',
  'no-tool': 'Unavailable',
  engine: 'Unavailable',
};

export class ContainerFileError extends Error {
  readonly code: FileErrorCode;
  constructor(readonly reason: FileErrorReason, message: string) {
    super(message);
    this.name = 'ContainerFileError';
    this.code = CODES[reason];
  }
}

/** "Cannot read /etc/x in container default › ci › build: " */
export function failure(verb: string, path: string, container: string): string {
  return `Cannot ${verb} ${path} in container ${container}`;
}

export function tooLarge(path: string, container: string, size: number, limit: number, setting: string): ContainerFileError {
  return new ContainerFileError(
    'too-large',
    `${failure('open', path, container)}: it is ${formatSize(size, true)}, over the limit of ${formatSize(limit, true)} (raise ${setting} to open it).`,
  );
}

/** The engine's word for an archive call, mapped to a reason; `engineMessage` is kept in the message. */
export function fromEngine(verb: string, path: string, container: string, error: unknown): ContainerFileError {
  if (error instanceof ContainerFileError) return error;
  const said = error instanceof EngineApiError ? error.engineMessage ?? error.message : error instanceof Error ? error.message : String(error);
  const status = error instanceof EngineApiError ? error.statusCode : undefined;
  const reason = reasonOf(status, said);
  const what = failure(verb, path, container);
  switch (reason) {
    case 'container-gone':
      return new ContainerFileError(reason, `${what}: the container no longer exists (it was removed). Close its editors; the engine said: ${said}`);
    case 'read-only':
      return new ContainerFileError(reason, `${what}: the file system there is read-only (the engine said: ${said}). Nothing was written.`);
    case 'permission-denied':
      return new ContainerFileError(reason, `${what}: permission denied (${said}).`);
    case 'not-found':
      return new ContainerFileError(reason, `${what}: no such file or directory.`);
    case 'not-a-directory':
      return new ContainerFileError(reason, `${what}: a part of the path is not a directory (${said}).`);
    default:
      return new ContainerFileError('engine', `${what}: ${said}`);
  }
}

function reasonOf(status: number | undefined, said: string): FileErrorReason {
  const text = said.toLowerCase();
  if (text.includes('no such container')) return 'container-gone';
  if (text.includes('read-only') || text.includes('read only')) return 'read-only';
  if (text.includes('permission denied') || text.includes('operation not permitted')) return 'permission-denied';
  if (text.includes('not a directory')) return 'not-a-directory';
  if (status === 404 || text.includes('could not find the file') || text.includes('no such file')) return 'not-found';
  if (status === 403) return 'read-only';
  return 'engine';
}
