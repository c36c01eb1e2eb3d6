import type { MountPoint } from './apiTypes';
import type { HealthInput, HealthResult } from './healthTypes';
import { trimTrailing } from './linearText';

/** What dockerd logs when overlay2 cannot be mounted on an overlay filesystem (its data root on the container's own layer). */
const OVERLAY_FAILURE = /failed to mount overlay|overlay2? is not supported over overlayfs|backing file system is unsupported for this graph driver|error initializing graphdriver/i;
const ANONYMOUS_VOLUME = /^[0-9a-f]{64}$/;
const GOOD_DRIVERS = new Set(['overlay2', 'fuse-overlayfs', 'btrfs', 'zfs']);

/** The `msg="..."` of a logrus line, else the line itself, shortened: engine text, shown as text. */
export function logMessage(line: string): string {
  const match = /msg="((?:[^"\\]|\\.)*)"/.exec(line);
  const text = (match ? match[1].replace(/\\"/g, '"') : line).trim();
  const driver = /storage-driver=(\S+)/.exec(line)?.[1];
  const withDriver = driver ? `${text} (storage-driver=${driver})` : text;
  return withDriver.length > 200 ? `${withDriver.slice(0, 199)}…` : withDriver;
}

/** Lines of the daemon's log that match, distinct, in order. */
export function logLines(log: string | undefined, pattern: { test(line: string): boolean }): string[] {
  if (!log) return [];
  const found = log.split('\n').filter((line) => pattern.test(line)).map(logMessage);
  return [...new Set(found)];
}

export function overlayFailures(log: string | undefined): string[] {
  return logLines(log, OVERLAY_FAILURE);
}

function dataRootOf(input: HealthInput): string {
  return input.inner?.info?.DockerRootDir || '/var/lib/docker';
}

function backingFilesystem(input: HealthInput): string | undefined {
  return input.inner?.info?.DriverStatus?.find(([key]) => key === 'Backing Filesystem')?.[1];
}

/** The inner engine's storage driver: vfs is slow; overlay failing on overlay is the classic DinD trap. */
export function checkStorageDriver(input: HealthInput): HealthResult | undefined {
  const who = input.inner?.label ?? input.subject;
  const failures = overlayFailures(input.container?.daemonLog);
  const driver = input.inner?.info?.Driver;
  const root = dataRootOf(input);
  const volumeFix = `Put ${root} on a volume (docker run -v NAME:${root} …) so that overlay2 has a real filesystem under it, and do not force --storage-driver.`;
  if (!driver) {
    if (!failures.length) return undefined;
    return {
      check: 'storage driver',
      status: 'error',
      detail: `${who} did not start: its log says "${failures.join('"; "')}". overlay2 cannot be mounted on the container's own overlay filesystem (overlay on overlay), so the daemon has no storage driver.`,
      fix: volumeFix,
    };
  }
  const backing = backingFilesystem(input);
  const saw = `${who} uses the ${driver} storage driver${backing ? ` on ${backing}` : ''} (data root ${root})`;
  if (driver === 'vfs') {
    if (failures.length) {
      return {
        check: 'storage driver',
        status: 'error',
        detail: `${saw} because overlay failed: its log says "${failures.join('"; "')}". Its data root is on an overlay filesystem (overlay on overlay), so dockerd fell back to vfs, which copies every image layer in full: builds are slow and disk use multiplies.`,
        fix: volumeFix,
      };
    }
    return {
      check: 'storage driver',
      status: 'warn',
      detail: `${saw}. vfs copies every layer in full instead of sharing it: image pulls and builds are slow and each layer costs its whole size again on disk.`,
      fix: `Start the inner dockerd without --storage-driver vfs (overlay2 is chosen by itself when ${root} is on a volume).`,
    };
  }
  if (GOOD_DRIVERS.has(driver)) return { check: 'storage driver', status: 'ok', detail: `${saw}: layers are shared, not copied.` };
  return {
    check: 'storage driver',
    status: 'warn',
    detail: `${saw}. ${driver} is deprecated or slow compared with overlay2.`,
    fix: `Run the inner engine with overlay2 (put ${root} on a volume and do not force another driver).`,
  };
}

/** /run and /var/run are one directory; a path is "under" itself. */
function isUnder(path: string, parent: string): boolean {
  const norm = (p: string) => trimTrailing(p, '/') || '/';
  const a = norm(path);
  const b = norm(parent);
  return a === b || b === '/' || a.startsWith(`${b}/`);
}

function mountAt(mounts: readonly MountPoint[], path: string): MountPoint | undefined {
  return mounts
    .filter((m) => m.Destination && isUnder(path, m.Destination))
    .sort((a, b) => (b.Destination?.length ?? 0) - (a.Destination?.length ?? 0))[0];
}

/** Where the inner engine keeps its images: a named volume survives, an anonymous one goes with `rm -v`, a shared one corrupts. */
export function checkDataRoot(input: HealthInput): HealthResult | undefined {
  const container = input.container;
  if (!container || (container.mode !== 'dind' && container.mode !== 'sysbox')) return undefined;
  const root = dataRootOf(input);
  const outerName = input.outer?.label ?? 'the outer engine';
  const mount = mountAt(container.inspect.Mounts ?? [], root);
  const namedFix = `Use a named volume: docker run -v ${container.name}-docker:${root} … (one volume per engine).`;
  if (!mount || mount.Destination === '/') {
    return {
      check: 'data root',
      status: 'warn',
      detail: `${container.name} keeps its engine's data (${root}) on the container's own writable layer: no volume or bind mount is there. The inner image cache goes with the container, and overlay2 cannot work on top of overlay.`,
      fix: namedFix,
    };
  }
  const where = `${root} of ${container.name}`;
  if (mount.Type === 'volume') {
    if (mount.Name && ANONYMOUS_VOLUME.test(mount.Name)) {
      return {
        check: 'data root',
        status: 'warn',
        detail: `${where} is the anonymous volume ${mount.Name.slice(0, 12)}: \`docker rm -v\` (or --rm) deletes it, and with it every image the inner engine pulled or built; a new container starts with an empty cache.`,
        fix: namedFix,
      };
    }
    return { check: 'data root', status: 'ok', detail: `${where} is the named volume ${mount.Name ?? '?'}: the inner image cache outlives the container.` };
  }
  if (mount.Type === 'bind') {
    const source = mount.Source ?? '';
    const outerRoot = input.outer?.info?.DockerRootDir;
    if (outerRoot && (isUnder(source, outerRoot) || isUnder(outerRoot, source))) {
      return {
        check: 'data root',
        status: 'error',
        detail: `${where} is bind-mounted from ${source}, which is ${outerName}'s own data root (${outerRoot}). Two daemons writing one image store corrupt each other's layers and containers.`,
        fix: namedFix,
      };
    }
    const sharers = container.siblings.filter(
      (s) => s.State === 'running' && s.Id !== container.inspect.Id && (s.Mounts ?? []).some((m) => m.Type === 'bind' && m.Source === source && m.Destination === mount.Destination),
    );
    if (sharers.length) {
      const names = sharers.map((s) => (s.Names?.[0] ?? s.Id.slice(0, 12)).replace(/^\//, ''));
      return {
        check: 'data root',
        status: 'error',
        detail: `${where} is bind-mounted from ${source}, which running ${names.join(', ')} also mount${names.length === 1 ? 's' : ''} at ${mount.Destination}. Two engines on one data root lock each other out (one of them hangs at start) or corrupt it.`,
        fix: `Give each engine its own directory or named volume at ${root}.`,
      };
    }
    return { check: 'data root', status: 'ok', detail: `${where} is bind-mounted from ${source}, which no other running container mounts: the cache survives the container.` };
  }
  return {
    check: 'data root',
    status: 'warn',
    detail: `${where} is a ${mount.Type ?? 'unknown'} mount: it is lost when the container stops${mount.Type === 'tmpfs' ? ' and it holds every image in memory' : ''}.`,
    fix: namedFix,
  };
}
