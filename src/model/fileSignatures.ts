import type { EngineSnapshot } from './snapshot';

/**
 * What each container file looked like when Matryoshka last read or wrote it, to tell a change
 * made by someone else when its editor gets focus. Bounded: past `limit` entries the one used
 * longest ago goes first (search and the Explorer read files that never get an editor), and the
 * owner drops entries that cannot matter any more (see `retain`).
 */
export class FileSignatures {
  private readonly entries = new Map<string, string>();

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a limit of at least one entry, not ${limit}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): string | undefined {
    return this.entries.get(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Records a signature as the newest entry; the oldest go past the limit. */
  set(key: string, signature: string): void {
    this.entries.delete(key);
    this.entries.set(key, signature);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.limit) break;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** Keeps only the entries `keep` says yes to (their files still open, their containers still there). */
  retain(keep: (key: string) => boolean): void {
    for (const key of this.keys()) if (!keep(key)) this.entries.delete(key);
  }
}

/**
 * Whether a container is known to be gone: an engine on the way to it is listed (connected) and
 * lacks the next name. An engine that cannot be reached right now proves nothing.
 */
export function containerGone(roots: readonly EngineSnapshot[], engine: string, path: readonly string[]): boolean {
  let containers = roots.find((e) => e.name === engine);
  for (const name of path) {
    if (!containers) return true;
    if (containers.status.kind !== 'connected') return false;
    const found = containers.containers.find((c) => c.name === name || c.id === name);
    if (!found) return true;
    containers = found.inner;
    if (!containers && name !== path[path.length - 1]) return true;
  }
  return false;
}

/** Whether the container `id` run by the engine `engineKey` is known to be gone (as above). */
export function containerIdGone(roots: readonly EngineSnapshot[], engineKey: string, id: string): boolean {
  const find = (engines: readonly EngineSnapshot[]): EngineSnapshot | undefined => {
    for (const engine of engines) {
      if (engine.key === engineKey) return engine;
      const inner = find(engine.containers.flatMap((c) => (c.inner ? [c.inner] : [])));
      if (inner) return inner;
    }
    return undefined;
  };
  const engine = find(roots);
  if (!engine) return true;
  return engine.status.kind === 'connected' && !engine.containers.some((c) => c.id === id);
}
