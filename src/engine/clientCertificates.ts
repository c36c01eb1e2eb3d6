import * as fs from 'node:fs';
import * as path from 'node:path';
import { PATH_SEPARATOR } from '../model/targets';
import type { EngineSnapshot } from '../model/snapshot';
import type { TarFile } from '../model/tarEntries';

/**
 * Client certificates of published workspaces live at `<certRoot>/<engine label>/<container name>`
 * (each part made safe as a file name). They unlock an engine, so they go as soon as their container
 * is gone, however it went: Remove Workspace, `docker rm`, or an engine reset.
 */
export interface CertificateOwner {
  /** "default", or "default › ci-runner" for the engine inside ci-runner. */
  label: string;
  /** The names of every container on it; undefined while it is not connected and listed. */
  containerNames: readonly string[] | undefined;
}

/**
 * A launch copies the certificates out before a listing shows its container, and a listing that
 * began before the container existed can arrive after that: younger directories are kept.
 */
export const CERTIFICATE_GRACE_MS = 60_000;

/** Every engine of the tree at any depth, listed or not, with the label a launch files its certificates under. */
export function certificateOwners(roots: readonly EngineSnapshot[]): CertificateOwner[] {
  const owners: CertificateOwner[] = [];
  const walk = (engine: EngineSnapshot, label: string) => {
    owners.push({ label, containerNames: engine.status.kind === 'connected' ? engine.containers.map((c) => c.name) : undefined });
    for (const container of engine.containers) if (container.inner) walk(container.inner, `${label}${PATH_SEPARATOR}${container.name}`);
  };
  for (const root of roots) walk(root, root.name);
  return owners;
}

/**
 * What to run after each change of the tree: prunes, but only when any certificate is kept at all,
 * so that a tree change (several a second under churn) costs no snapshot and no file reads for the
 * many who never publish an engine.
 */
export function certificatePruner(
  certRoot: string,
  snapshot: () => readonly EngineSnapshot[],
  log: { info(message: string): void; warn(message: string): void },
): () => void {
  return () => {
    try {
      if (!fs.existsSync(certRoot) || fs.readdirSync(certRoot).length === 0) return;
      for (const dir of pruneClientCertificates(certRoot, certificateOwners(snapshot()))) log.info(`removed the client certificates in ${dir}: their container is gone`);
    } catch (error) {
      log.warn(`client certificates: ${(error as Error).message}`);
    }
  };
}

function newestChange(dir: string): number {
  let newest = fs.statSync(dir).mtimeMs;
  for (const entry of fs.readdirSync(dir)) newest = Math.max(newest, fs.lstatSync(path.join(dir, entry)).mtimeMs);
  return newest;
}

/**
 * Deletes the certificate directories whose container is no longer on its engine. Only engines
 * that answered and were listed decide: under a disconnected engine (or one whose file name it
 * shares with a disconnected one) nothing is touched. Returns the directories deleted.
 */
export function pruneClientCertificates(certRoot: string, owners: readonly CertificateOwner[], now = Date.now()): string[] {
  const bySegment = new Map<string, { listed: boolean; names: Set<string> }>();
  for (const owner of owners) {
    const segment = safeSegment(owner.label);
    const entry = bySegment.get(segment) ?? { listed: true, names: new Set<string>() };
    if (owner.containerNames === undefined) entry.listed = false;
    else for (const name of owner.containerNames) entry.names.add(safeSegment(name));
    bySegment.set(segment, entry);
  }
  const removed: string[] = [];
  for (const [segment, entry] of bySegment) {
    if (!entry.listed) continue;
    const engineDir = path.join(certRoot, segment);
    if (!fs.existsSync(engineDir)) continue;
    for (const name of fs.readdirSync(engineDir)) {
      const dir = path.join(engineDir, name);
      if (entry.names.has(name) || !fs.lstatSync(dir).isDirectory() || newestChange(dir) > now - CERTIFICATE_GRACE_MS) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    }
  }
  return [...removed, ...pruneOrphanEngines(certRoot, bySegment, now)];
}

/**
 * The folders of engines that no longer appear at all: each ran inside a container that is gone
 * (`default_ci-runner` once ci-runner has left default). Only when every engine whose folder name is
 * a prefix of it was listed, and none of their containers could be the one it ran in.
 */
function pruneOrphanEngines(certRoot: string, bySegment: ReadonlyMap<string, { listed: boolean; names: Set<string> }>, now: number): string[] {
  const removed: string[] = [];
  for (const name of fs.readdirSync(certRoot)) {
    if (bySegment.has(name)) continue;
    const above = [...bySegment].filter(([segment]) => name.startsWith(`${segment}_`));
    if (above.length === 0 || above.some(([, entry]) => !entry.listed)) continue;
    const hostStillThere = above.some(([segment, entry]) => [...entry.names].some((c) => name === `${segment}_${c}` || name.startsWith(`${segment}_${c}_`)));
    const dir = path.join(certRoot, name);
    if (hostStillThere || !fs.lstatSync(dir).isDirectory() || newestChange(dir) > now - CERTIFICATE_GRACE_MS) continue;
    const inside = fs.readdirSync(dir).filter((entry) => fs.lstatSync(path.join(dir, entry)).isDirectory());
    if (inside.some((entry) => newestChange(path.join(dir, entry)) > now - CERTIFICATE_GRACE_MS)) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

/** The files a published engine's client needs, as `docker:dind` writes them to /certs/client. */
export const CLIENT_CERTIFICATE_FILES = ['ca.pem', 'cert.pem', 'key.pem'] as const;

/** A file name made of `text`: no separators, no leading dots, bounded. */
export function safeSegment(text: string): string {
  return text.replace(/[^a-zA-Z0-9_.-]+/g, '_').replace(/^\.+/, '_').slice(0, 80) || '_';
}

/** Writes a workspace's client certificates (owner-only) and returns their folder. */
export function writeClientCertificates(certRoot: string, engineLabel: string, name: string, files: readonly TarFile[]): string {
  const certPath = path.join(certRoot, safeSegment(engineLabel), safeSegment(name));
  fs.mkdirSync(certPath, { recursive: true, mode: 0o700 });
  for (const wanted of CLIENT_CERTIFICATE_FILES) {
    const file = files.find((f) => path.posix.basename(f.name) === wanted);
    if (file) fs.writeFileSync(path.join(certPath, wanted), file.data, { mode: 0o600 });
  }
  return certPath;
}
