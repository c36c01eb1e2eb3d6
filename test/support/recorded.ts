import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ContainerInspect, ContainerSummary, VersionInfo } from '../../src/model/apiTypes';

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
