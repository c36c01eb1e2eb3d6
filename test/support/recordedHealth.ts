import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ContainerSummary, VersionInfo } from '../../src/model/apiTypes';
import { classify } from '../../src/model/classify';
import type { EngineAnswers, EngineInfo, HealthInput, HealthInspect, NetworkInspect, ProbeOutcome } from '../../src/model/healthTypes';
import { RECORDED, readJson } from './recorded';

/** The health recordings (scripts/recordHealthFixtures.sh), see test/fixtures/recorded/health/README.md. */
const HEALTH = path.join(RECORDED, 'health');

function optionalText(...parts: string[]): string | undefined {
  const file = path.join(HEALTH, ...parts);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

function optionalJson<T>(...parts: string[]): T | undefined {
  const text = optionalText(...parts);
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

export function hostAnswers(): EngineAnswers {
  return { label: 'engine "default"', info: readJson<EngineInfo>('health', 'host', 'info.json'), version: readJson<VersionInfo>('health', 'host', 'version.json') };
}

/** The recorded probe: create answered an id and wait a status code, or create answered an error. */
function recordedProbe(name: string): ProbeOutcome | undefined {
  const create = optionalJson<{ Id?: string; message?: string }>(name, 'inner', 'probe-create.json');
  if (!create) return undefined;
  if (create.message && /No such image/.test(create.message)) return { kind: 'no-image' };
  if (create.message) return { kind: 'failed', image: 'busybox:latest', stage: 'create', message: create.message };
  const wait = optionalJson<{ StatusCode: number }>(name, 'inner', 'probe-wait.json');
  return { kind: 'ran', image: 'busybox:latest', exitCode: wait?.StatusCode ?? -1 };
}

/** A HealthInput for a recorded container of the host engine, assembled as src/engine/healthGather.ts does. */
export function recordedHealthInput(name: string, overrides: Partial<HealthInput> = {}): HealthInput {
  const siblings = readJson<ContainerSummary[]>('health', 'host', 'containers.json');
  const summary = siblings.find((s) => s.Names?.[0] === `/${name}`);
  if (!summary) throw new Error(`${name} is not in the health recording`);
  const inspect = readJson<HealthInspect>('health', name, 'inspect.json');
  const classification = classify({ summary, inspect, engineSocketPaths: ['/var/run/docker.sock'], sysboxRuntimes: ['sysbox-runc'], probe: { answered: summary.State === 'running' && fs.existsSync(path.join(HEALTH, name, 'inner')) } });
  const innerInfo = optionalJson<EngineInfo>(name, 'inner', 'info.json');
  const inner: EngineAnswers | undefined =
    classification.mode === 'dind' || classification.mode === 'sysbox'
      ? innerInfo
        ? { label: `the engine inside ${name}`, info: innerInfo, version: optionalJson<VersionInfo>(name, 'inner', 'version.json'), bridge: optionalJson<NetworkInspect>(name, 'inner', 'bridge.json') }
        : { label: `the engine inside ${name}`, error: 'no engine answered inside (recorded: not running)' }
      : undefined;
  return {
    subject: `default › ${name}`,
    container: {
      name,
      inspect,
      mode: classification.mode,
      dood: classification.dood,
      siblings,
      netMtu: optionalText(name, 'net-mtu.txt'),
      uidMap: optionalText(name, 'uid-map.txt'),
      socket: optionalText(name, 'socket.txt'),
      daemonLog: optionalText(name, 'daemon-log.txt'),
    },
    outer: hostAnswers(),
    inner,
    probe: recordedProbe(name),
    ...overrides,
  };
}
