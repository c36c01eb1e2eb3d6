import { normalizePath } from './containerPaths';

/**
 * The URI of a file in a container at any depth, stable across reloads (it names containers, not
 * connections or ids that change when a relay reconnects):
 *
 *   matryoshka-container:/<root engine>/<container>/…/<container>/-/<path in the container>
 *
 * e.g. `matryoshka-container:/default/ci-runner/build-42/-/etc/hostname`. The root engine and each
 * container are one path segment each, percent-encoded (a name may hold any character); `-` ends
 * them (no container name is `-`: Docker names start with a letter or digit, and an engine named
 * `-` is written `%2D`). The names are in the path and not the authority because VS Code
 * lower-cases an authority, and engine names keep their case.
 */
export const CONTAINER_SCHEME = 'matryoshka-container';
const SEPARATOR = '-';

export interface ContainerFileAddress {
  /** The root engine's name as the tree shows it. */
  engine: string;
  /** Container names (or ids) from the root engine down; the last holds the file. */
  path: string[];
  /** Absolute, normalized path inside the container. */
  file: string;
}

export class ContainerUriError extends Error {}

function encodeSegment(name: string): string {
  const encoded = encodeURIComponent(name);
  return encoded === SEPARATOR ? '%2D' : encoded;
}

/** The URI's path (what vscode.Uri.path holds) for an address. */
export function containerUriPath(address: ContainerFileAddress): string {
  if (address.path.length === 0) throw new ContainerUriError('a container file URI names at least one container');
  const file = normalizePath(address.file);
  return `/${[address.engine, ...address.path].map(encodeSegment).join('/')}/${SEPARATOR}${file === '/' ? '/' : file}`;
}

/** The address in a URI path; an error says what is wrong with it and what the form is. */
export function parseContainerUriPath(uriPath: string): ContainerFileAddress {
  const segments = uriPath.split('/');
  const end = segments.indexOf(SEPARATOR);
  const form = `${CONTAINER_SCHEME}:/<engine>/<container>/…/-/<path>`;
  if (segments[0] !== '' || end < 3) throw new ContainerUriError(`Not a Matryoshka container file URI: ${JSON.stringify(uriPath)} (the form is ${form}).`);
  let names: string[];
  try {
    names = segments.slice(1, end).map((s) => decodeURIComponent(s));
  } catch {
    throw new ContainerUriError(`A Matryoshka container file URI with a malformed name: ${JSON.stringify(uriPath)}.`);
  }
  if (names.some((n) => n === '')) throw new ContainerUriError(`A Matryoshka container file URI with an empty name: ${JSON.stringify(uriPath)} (the form is ${form}).`);
  const file = normalizePath(`/${segments.slice(end + 1).join('/')}`);
  return { engine: names[0], path: names.slice(1), file };
}
