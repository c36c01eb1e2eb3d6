import type { MountPoint } from './apiTypes';
import type { HealthInput, HealthResult } from './healthTypes';

/** What the SOCKET exec prints: `uid 1000`, `groups 1000 27`, `socket /var/run/docker.sock 0 105 660`, `access … rw|denied`, `missing …`. */
export interface SocketReport {
  uid?: string;
  groups: string[];
  sockets: Array<{ path: string; owner?: string; group?: string; mode?: string; access: 'rw' | 'denied' | 'missing' }>;
}

export function parseSocketReport(text: string): SocketReport {
  const report: SocketReport = { groups: [], sockets: [] };
  const socket = (path: string) => {
    let found = report.sockets.find((s) => s.path === path);
    if (!found) report.sockets.push((found = { path, access: 'missing' }));
    return found;
  };
  for (const line of text.split('\n')) {
    const [word, ...rest] = line.trim().split(/\s+/);
    if (word === 'uid') report.uid = rest[0];
    else if (word === 'groups') report.groups = rest;
    else if (word === 'socket' && rest.length >= 4) Object.assign(socket(rest[0]), { owner: rest[1], group: rest[2], mode: rest[3] });
    else if (word === 'access' && rest.length >= 2) socket(rest[0]).access = rest[1] === 'rw' ? 'rw' : 'denied';
    else if (word === 'missing' && rest[0]) socket(rest[0]).access = 'missing';
  }
  return report;
}

/** Where the container talks to its engine: socket mounts, as the container sees them. */
export function socketPaths(mounts: readonly MountPoint[], env: readonly string[] | null | undefined): string[] {
  const paths = mounts.filter((m) => m.Type === 'bind' && /docker\.sock$/.test(m.Destination ?? '')).map((m) => m.Destination as string);
  const host = (env ?? []).find((e) => e.startsWith('DOCKER_HOST=unix://'))?.slice('DOCKER_HOST=unix://'.length);
  if (host) paths.push(host);
  return [...new Set(paths)];
}

/** DooD: the container's user must be able to read and write the mounted socket. */
export function checkDoodSocket(input: HealthInput): HealthResult | undefined {
  const container = input.container;
  if (!container?.dood || container.socket === undefined) return undefined;
  const report = parseSocketReport(container.socket);
  const user = `uid ${report.uid ?? '?'} (groups ${report.groups.join(' ') || 'none'})`;
  const denied = report.sockets.filter((s) => s.access !== 'rw');
  const first = report.sockets[0];
  if (!first) return undefined;
  if (denied.length === 0) {
    return { check: 'dood socket', status: 'ok', detail: `${container.name}'s user ${user} can read and write ${first.path} (owner ${first.owner}, group ${first.group}, mode ${first.mode}).` };
  }
  const bad = denied[0];
  if (bad.access === 'missing') {
    return {
      check: 'dood socket',
      status: 'error',
      detail: `${container.name} has no socket at ${bad.path}: the mount's source is not the engine's socket (a directory or a file was mounted instead), so docker inside cannot reach the engine.`,
      fix: 'Mount the engine socket itself: -v /var/run/docker.sock:/var/run/docker.sock.',
    };
  }
  return {
    check: 'dood socket',
    status: 'error',
    detail: `${container.name}'s user ${user} cannot use ${bad.path}: it is owned by ${bad.owner}:${bad.group} with mode ${bad.mode}, and the user is neither its owner nor in group ${bad.group}. docker inside fails with "permission denied while trying to connect to the Docker daemon socket".`,
    fix: `Add the socket's group to the container's user: docker run --group-add ${bad.group} … (the group id as the engine's host numbers it).`,
  };
}

/** DooD: `-v $PWD:/src` typed inside names a path on the engine's host, so the workdir should be mounted at the same path. */
export function checkDoodWorkdir(input: HealthInput): HealthResult | undefined {
  const container = input.container;
  if (!container?.dood) return undefined;
  const workdir = container.inspect.Config?.WorkingDir || '/';
  const mount = (container.inspect.Mounts ?? [])
    .filter((m) => m.Destination && m.Destination !== '/' && (workdir === m.Destination || workdir.startsWith(`${m.Destination}/`)))
    .sort((a, b) => (b.Destination?.length ?? 0) - (a.Destination?.length ?? 0))[0];
  const engine = input.outer?.label ?? 'the engine';
  const example = `docker run -v "$PWD":/src …`;
  if (!mount) {
    return {
      check: 'dood workdir',
      status: 'warn',
      detail: `${container.name}'s working directory ${workdir} is not mounted from ${engine}'s host. Bind mounts typed inside (${example}) are resolved by ${engine} on its host, where ${workdir} does not hold these files: the inner container sees an empty or different directory.`,
      fix: 'Mount the project at the same path on both sides: docker run -v /path/on/host:/path/on/host -w /path/on/host …',
    };
  }
  const hostPath = mount.Type === 'bind' && mount.Source ? mount.Source + workdir.slice((mount.Destination ?? '').length) : undefined;
  if (hostPath === workdir) {
    return { check: 'dood workdir', status: 'ok', detail: `${container.name}'s working directory ${workdir} is bind-mounted from the same path on ${engine}'s host: bind mounts typed inside resolve to the same files.` };
  }
  return {
    check: 'dood workdir',
    status: 'warn',
    detail: `${container.name}'s working directory ${workdir} is ${hostPath ? `${hostPath} on ${engine}'s host` : `in the ${mount.Type ?? '?'} mount ${mount.Name ?? mount.Source ?? ''}`}. Bind mounts typed inside (${example}) are resolved by ${engine} on its host, so they mount the host's ${workdir}, not these files.`,
    fix: hostPath ? `Mount it at the same path on both sides: -v ${hostPath}:${hostPath} -w ${hostPath}.` : 'Bind-mount the project from the host at the same path on both sides.',
  };
}
