import type { ContainerInspect } from '../model/apiTypes';
import { runHealthChecks } from '../model/health';
import { socketPaths } from '../model/healthDood';
import type { EngineAnswers, EngineInfo, HealthContainer, HealthInput, HealthInspect, HealthResult } from '../model/healthTypes';
import type { EngineSnapshot } from '../model/snapshot';
import { type ResolvedTarget, engineLabel, pathLabel, rootEngineLabel } from '../model/targets';
import { runExec } from './containerExec';
import type { EngineApi } from './engineApi';
import { inspectNetwork, logTail, runProbe } from './healthApi';

/**
 * The commands the checks run inside a container, fixed scripts with paths as arguments, never user
 * input. scripts/recordHealthFixtures.sh runs the same ones to record what they print.
 */
export const HEALTH_EXECS = {
  netMtu: ['sh', '-c', 'for f in /sys/class/net/*/mtu; do n=${f%/mtu}; echo "${n##*/} $(cat "$f")"; done'],
  uidMap: ['cat', '/proc/self/uid_map'],
  socket: (paths: string[]) => [
    'sh',
    '-c',
    'echo "uid $(id -u)"; echo "groups $(id -G)"; for s in "$@"; do if [ -S "$s" ]; then echo "socket $s $(stat -c "%u %g %a" "$s")"; if [ -r "$s" ] && [ -w "$s" ]; then echo "access $s rw"; else echo "access $s denied"; fi; else echo "missing $s"; fi; done',
    'socket-check',
    ...paths,
  ],
  /** dockerd started by a script (not as the container's main process) often logs here. */
  daemonLogFile: ['sh', '-c', 'tail -n 200 /var/log/dockerd.log 2>/dev/null; true'],
};
const LOG_LINES = 200;

/** What gathering needs from the engine graph: the API of each listed engine. */
export interface HealthEngines {
  apiFor(engineKey: string): EngineApi | undefined;
}

export interface HealthRun {
  /** How results name what was checked. */
  subject: string;
  results: HealthResult[];
}

async function optional<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch {
    return undefined;
  }
}

/** stdout of a fixed command in the container, or undefined when it could not run (no shell, stopped). */
async function execText(api: EngineApi, id: string, cmd: string[]): Promise<string | undefined> {
  const result = await optional(() => runExec(api, id, cmd));
  return result && result.exitCode === 0 ? result.stdout : undefined;
}

/** An engine's own answers (info, its default bridge); the version comes from the listing. */
async function engineAnswers(engines: HealthEngines, engine: EngineSnapshot | undefined, label: string, why: string): Promise<EngineAnswers> {
  if (!engine) return { label, error: why };
  if (engine.status.kind !== 'connected') return { label, error: engine.status.kind === 'disconnected' ? engine.status.reason : 'still connecting' };
  const api = engines.apiFor(engine.key);
  if (!api) return { label, error: 'not connected' };
  try {
    const [info, bridge] = await Promise.all([api.info() as Promise<EngineInfo>, inspectNetwork(api, 'bridge')]);
    return { label, info, bridge, version: engine.version };
  } catch (error) {
    return { label, error: (error as Error).message };
  }
}

/** Checks a root engine itself: storage, cgroups, a probe container, its warnings. */
export async function checkEngineHealth(engines: HealthEngines, engine: EngineSnapshot): Promise<HealthRun> {
  const label = rootEngineLabel(engine.name);
  const inner = await engineAnswers(engines, engine, label, 'not listed');
  const api = engines.apiFor(engine.key);
  const probe = api && !inner.error ? await runProbe(api) : undefined;
  const input: HealthInput = { subject: label, inner, probe };
  return { subject: label, results: runHealthChecks(input) };
}

/** Checks a DinD, Sysbox or DooD container at any depth: the container as its engine sees it, and the engine inside. */
export async function checkContainerHealth(engines: HealthEngines, target: ResolvedTarget): Promise<HealthRun> {
  const input = await gatherContainerHealth(engines, target);
  return { subject: input.subject, results: runHealthChecks(input) };
}

/** What the container checks read, asked of the container's engine and of the engine inside it. */
export async function gatherContainerHealth(engines: HealthEngines, target: ResolvedTarget): Promise<HealthInput> {
  const subject = pathLabel(target.at);
  const container = target.container;
  const outerEngine = target.engines[target.engines.length - 1];
  const outerApi = engines.apiFor(container.engineKey);
  if (!outerApi || !outerEngine) throw new Error(`the engine running ${subject} is not connected; refresh and try again`);
  const outerPath = { engine: target.at.engine, path: target.at.path.slice(0, -1) };
  const mode = container.classification.mode;
  const hostsEngine = mode === 'dind' || mode === 'sysbox';
  const inspect = (await outerApi.inspectContainer(container.id)) as HealthInspect;
  const running = inspect.State?.Running === true;

  const [outer, inner, details] = await Promise.all([
    engineAnswers(engines, outerEngine, engineLabel(outerPath), 'not listed'),
    hostsEngine
      ? engineAnswers(engines, container.inner, engineLabel(target.at), running ? 'no engine answered inside' : `${container.name} is not running`)
      : Promise.resolve(undefined),
    gatherContainer(outerApi, inspect, running, hostsEngine, container.classification.dood),
  ]);
  const innerApi = container.inner ? engines.apiFor(container.inner.key) : undefined;
  const probe = hostsEngine && innerApi && inner && !inner.error ? await runProbe(innerApi) : undefined;
  const healthContainer: HealthContainer = {
    name: container.name,
    inspect,
    mode,
    dood: container.classification.dood,
    siblings: outerEngine.containers.map((c) => c.summary),
    ...details,
  };
  return { subject, container: healthContainer, outer, inner, probe };
}

/** The files and logs read through the outer engine: execs in the container, its log tail. */
async function gatherContainer(
  api: EngineApi,
  inspect: ContainerInspect,
  running: boolean,
  hostsEngine: boolean,
  dood: boolean,
): Promise<Pick<HealthContainer, 'netMtu' | 'uidMap' | 'socket' | 'daemonLog'>> {
  const id = inspect.Id;
  const sockets = socketPaths(inspect.Mounts ?? [], inspect.Config?.Env);
  const [netMtu, uidMap, socket, logs, logFile] = await Promise.all([
    running && hostsEngine ? execText(api, id, HEALTH_EXECS.netMtu) : undefined,
    running ? execText(api, id, HEALTH_EXECS.uidMap) : undefined,
    running && dood && sockets.length ? execText(api, id, HEALTH_EXECS.socket(sockets)) : undefined,
    hostsEngine ? optional(() => logTail(api, id, LOG_LINES, inspect.Config?.Tty === true)) : undefined,
    running && hostsEngine ? execText(api, id, HEALTH_EXECS.daemonLogFile) : undefined,
  ]);
  const daemonLog = [logs, logFile].filter((t) => t).join('\n') || undefined;
  return { netMtu, uidMap, socket, daemonLog };
}
