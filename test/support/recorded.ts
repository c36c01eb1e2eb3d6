import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ContainerInspect, ContainerSummary, VersionInfo } from '../../src/model/apiTypes';
import { classify } from '../../src/model/classify';
import { containerName, innerEngineKey, type ContainerSnapshot, type EngineSnapshot } from '../../src/model/snapshot';

/** The recordings of a real engine made by scripts/recordFixtures.sh (see test/fixtures/recorded/README.md). */
export const RECORDED = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'recorded');

export function readJson<T>(...parts: string[]): T {
  return JSON.parse(fs.readFileSync(path.join(RECORDED, ...parts), 'utf8')) as T;
}

export function recordedEngine(engine: string): { containers: ContainerSummary[]; inspect: Map<string, ContainerInspect>; version: VersionInfo; info: Record<string, unknown> } {
  const containers = readJson<ContainerSummary[]>(engine, 'containers.json');
  const inspect = new Map<string, ContainerInspect>();
  for (const file of fs.readdirSync(path.join(RECORDED, engine, 'inspect'))) {
    const data = readJson<ContainerInspect>(engine, 'inspect', file);
    inspect.set(data.Id, data);
  }
  return { containers, inspect, version: readJson<VersionInfo>(engine, 'version.json'), info: readJson<Record<string, unknown>>(engine, 'info.json') };
}

/**
 * Builds the engine graph the way the engine layer does, from recordings: each recorded engine
 * folder named after a container is that container's inner engine (probe answered).
 */
export function recordedSnapshot(engineFolder = 'host', key = 'default', name = 'default', depth = 0): EngineSnapshot {
  const { containers, inspect, version } = recordedEngine(engineFolder);
  const snapshots: ContainerSnapshot[] = containers.map((summary) => {
    const folder = containerName(summary);
    const hasInner = fs.existsSync(path.join(RECORDED, folder, 'containers.json'));
    const inner = hasInner ? recordedSnapshot(folder, innerEngineKey(key, summary.Id), folder, depth + 1) : undefined;
    return {
      engineKey: key,
      id: summary.Id,
      name: folder,
      summary,
      inspect: inspect.get(summary.Id),
      classification: classify({
        summary,
        inspect: inspect.get(summary.Id),
        engineSocketPaths: ['/var/run/docker.sock'],
        sysboxRuntimes: ['sysbox-runc'],
        probe: hasInner ? { answered: true } : undefined,
      }),
      inner,
    };
  });
  return {
    key,
    name,
    endpoint: depth === 0 ? 'unix:///var/run/docker.sock' : 'exec: docker system dial-stdio',
    origin: depth === 0 ? 'default' : 'inner',
    current: depth === 0,
    depth,
    status: { kind: 'connected' },
    version,
    containers: snapshots,
  };
}
