/**
 * What a workspace is, before any engine is asked: validation of what the user typed and the
 * Engine API body that each mode creates. Pure, so every security-relevant choice (privileged or
 * not, which socket, which ports on which address) is unit-tested without an engine.
 */
import { trimTrailing } from './linearText';

export type WorkspaceMode = 'dood' | 'dind' | 'sysbox';

export const WORKSPACE_LABEL = 'dev.matryoshka.workspace';
export const MODE_LABEL = 'dev.matryoshka.mode';
export const VERSION_LABEL = 'dev.matryoshka.version';

/** Where the inner engine keeps its TLS material (docker:dind's DOCKER_TLS_CERTDIR convention). */
export const CERT_DIR = '/certs';
export const TLS_PORT = '2376/tcp';

export interface WorkspaceRequest {
  mode: WorkspaceMode;
  name: string;
  image: string;
  /** Absolute path on the engine's host, mounted at the same path inside; null: no folder. */
  folder: string | null;
  /** DinD/Sysbox: publish the inner engine's TLS port on 127.0.0.1 of the engine's host. */
  publish: boolean;
  /** Sysbox: the runtime to run with. */
  runtime?: string;
  /** DooD: the engine's own socket, as the engine's host sees it. */
  socketPath?: string;
  /** DooD: the socket's group id, added to the container's groups so a non-root user can use it. */
  socketGroup?: number;
  /** dev.matryoshka.version */
  version: string;
}

export interface VolumeSpec {
  Name: string;
  Labels: Record<string, string>;
}

export interface WorkspacePlan {
  volumes: VolumeSpec[];
  /** Body of POST /containers/create?name=… */
  container: Record<string, unknown>;
  /** The flags that need the user's consent, each with what it lets the container do. */
  risks: { flag: string; meaning: string }[];
  /** Whether an engine runs inside (and must be waited for). */
  innerEngine: boolean;
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** Docker's own rule for container names; the error says what is allowed. */
export function validateName(name: string): string | undefined {
  if (!name) return 'Give the workspace a name.';
  if (name.length > 63) return 'A name is at most 63 characters (it also names the workspace volumes).';
  if (!NAME.test(name)) return `"${name}" is not a valid container name: use letters, digits, "_", "." and "-", starting with a letter or digit.`;
  return undefined;
}

// registry[:port]/path/components[:tag][@digest], as the reference grammar of distribution/reference.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?';
const REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

/** An image reference, never a flag or anything with spaces (it goes to the engine as one value). */
export function validateImage(image: string): string | undefined {
  if (!image) return 'Name an image, e.g. docker:dind.';
  if (image.startsWith('-')) return `"${image}" looks like a flag, not an image reference.`;
  if (/\s/.test(image)) return `"${image}" contains spaces: an image reference is one word, e.g. docker:dind.`;
  // Like the Docker CLI, a first part is a registry only with a "." or ":" in it (or "localhost");
  // otherwise it is a repository path and must be lowercase.
  const first = image.split('/')[0];
  const registry = image.includes('/') && (/[.:]/.test(first) || first === 'localhost');
  const repository = registry ? image.slice(first.length + 1) : image;
  if (image.length > 255 || !REFERENCE.test(image) || /[A-Z]/.test(repository.split(/[:@]/)[0])) return `"${image}" is not a valid image reference (expected e.g. docker:dind or registry.example.com:5000/team/image:tag).`;
  return undefined;
}

/** A folder is mounted at its own path: it must be absolute, and never the whole file system. */
export function validateFolder(folder: string | null): string | undefined {
  if (folder === null) return undefined;
  if (!folder.startsWith('/')) return `The folder to mount must be an absolute path on the engine's host, not "${folder}".`;
  if (trimTrailing(folder, '/') === '' || folder.includes(':')) return `Mounting "${folder}" would hand the container the whole file system of the engine's host (or is not one path): pick a project folder.`;
  return undefined;
}

/** The image's name and tag as POST /images/create wants them ("latest" when none is given). */
export function splitReference(image: string): { fromImage: string; tag: string } {
  const at = image.indexOf('@');
  if (at >= 0) return { fromImage: image.slice(0, at), tag: image.slice(at + 1) };
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > lastSlash ? { fromImage: image.slice(0, colon), tag: image.slice(colon + 1) } : { fromImage: image, tag: 'latest' };
}

export function workspaceLabels(request: Pick<WorkspaceRequest, 'name' | 'mode' | 'version'>): Record<string, string> {
  return { [WORKSPACE_LABEL]: request.name, [MODE_LABEL]: request.mode, [VERSION_LABEL]: request.version };
}

export function volumeNames(name: string): { docker: string; certs: string } {
  return { docker: `${name}-var-lib-docker`, certs: `${name}-certs` };
}

/**
 * Keeps a container running without depending on the image's entrypoint, and stops at once on
 * `docker stop` (a plain `sleep` as PID 1 ignores SIGTERM and waits out the grace period).
 */
export const KEEP_ALIVE = ['sh', '-c', 'trap "exit 0" TERM INT; while :; do sleep 3600 & wait $!; done'];

export function planWorkspace(request: WorkspaceRequest): WorkspacePlan {
  const labels = workspaceLabels(request);
  const env: string[] = [];
  const binds: string[] = [];
  const host: Record<string, unknown> = {};
  const container: Record<string, unknown> = { Image: request.image, Labels: labels, Env: env, HostConfig: host };
  const risks: WorkspacePlan['risks'] = [];
  const volumes: VolumeSpec[] = [];

  if (request.folder) {
    // The same absolute path inside: `docker run -v "$PWD":/src` typed inside a DooD workspace is
    // resolved by the host's engine, so $PWD must name the host's folder.
    binds.push(`${request.folder}:${request.folder}`);
    container.WorkingDir = request.folder;
    env.push(`LOCAL_WORKSPACE_FOLDER=${request.folder}`);
  }

  if (request.mode === 'dood') {
    if (!request.socketPath) throw new Error('DooD needs the engine socket path');
    binds.push(`${request.socketPath}:/var/run/docker.sock`);
    if (request.socketGroup !== undefined && request.socketGroup !== 0) host.GroupAdd = [String(request.socketGroup)];
    container.Entrypoint = KEEP_ALIVE.slice(0, 1);
    container.Cmd = KEEP_ALIVE.slice(1);
    risks.push({
      flag: `-v ${request.socketPath}:/var/run/docker.sock`,
      meaning: 'The container can start, stop and remove every container on this engine, and start privileged ones: in effect root on the engine\'s host.',
    });
  } else {
    const names = volumeNames(request.name);
    volumes.push({ Name: names.docker, Labels: labels }, { Name: names.certs, Labels: labels });
    binds.push(`${names.docker}:/var/lib/docker`, `${names.certs}:${CERT_DIR}`);
    env.push(`DOCKER_TLS_CERTDIR=${CERT_DIR}`);
    container.ExposedPorts = { [TLS_PORT]: {} };
    if (request.publish) {
      // Loopback only and TLS only: an unauthenticated 2375 or a 0.0.0.0 bind hands the engine to the network.
      host.PortBindings = { [TLS_PORT]: [{ HostIp: '127.0.0.1', HostPort: '' }] };
    }
    if (request.mode === 'dind') {
      host.Privileged = true;
      risks.push({
        flag: '--privileged',
        meaning: 'The container gets every capability and every device of the engine\'s host: root inside is root on the host.',
      });
    } else {
      if (!request.runtime) throw new Error('Sysbox needs a runtime name');
      host.Runtime = request.runtime;
    }
  }
  host.Binds = binds;
  return { volumes, container, risks, innerEngine: request.mode !== 'dood' };
}

/** The environment lines a host shell needs to use a published inner engine. */
export function dockerHostLines(port: number, certPath: string): string[] {
  return [`DOCKER_HOST=tcp://127.0.0.1:${port}`, 'DOCKER_TLS_VERIFY=1', `DOCKER_CERT_PATH=${certPath}`];
}

/**
 * `export NAME='value'` for a POSIX shell: inside single quotes nothing is special but the quote
 * itself, which is closed, escaped and reopened. A path with spaces, `$` or quotes stays one word.
 */
export function shellExportLines(lines: readonly string[]): string {
  return lines
    .map((line) => {
      const at = line.indexOf('=');
      return `export ${line.slice(0, at)}='${line.slice(at + 1).replace(/'/g, `'\\''`)}'`;
    })
    .join('\n');
}
