import { docker, dockerIn, loadImageInto, waitFor } from './docker';

/**
 * A DinD of our own for load tests (prefix `ld-`, labelled), and a way to fill its engine with
 * hundreds of containers fast (no network, no logging: the engine's least work per container).
 */
export const LOAD_LABEL = 'dev.matryoshka.test=ld';

export async function startLoadDind(name: string): Promise<void> {
  await removeLoadDind(name);
  await docker([
    'run', '-d', '--init', '--name', name, '--privileged', '--label', LOAD_LABEL,
    '--entrypoint', 'sh', 'docker:dind', '-c', 'exec dockerd --host=unix:///var/run/docker.sock >/var/log/dockerd.log 2>&1',
  ]);
  await waitFor(`the engine inside ${name}`, 120_000, async () => (await dockerIn([name], ['version', '--format', '{{.Server.Version}}'])) || undefined, 300);
  await loadImageInto('busybox:latest', [name]);
}

/**
 * Creates `count` busybox sleepers named `<prefix><n>` in the engine inside `dind` (several exec
 * streams at once), then starts the first `start` of them: creating is what the engine does fast;
 * starting costs a runc process each (about 5 a second on two shared cores). Resolves to the
 * milliseconds each phase took.
 */
export async function fillLoadDind(dind: string, prefix: string, count: number, start: number, streams = 6): Promise<{ createMs: number; startMs: number }> {
  // The scripts are fixed; the numbers and the prefix are arguments ($1 $2 $3), never part of them.
  const create = 'for i in $(seq "$1" "$2"); do docker create --network none --log-driver none --name "$3$i" busybox:latest sleep 3600 >/dev/null || exit 1; done';
  const startAll = 'docker start $(seq -f "$3%g" "$1" "$2") >/dev/null';
  const inStreams = (script: string, total: number) => {
    const per = Math.ceil(total / streams);
    return Promise.all(
      Array.from({ length: streams }, (_, s) => {
        const first = s * per;
        const last = Math.min(total, first + per) - 1;
        return last < first ? '' : docker(['exec', dind, 'sh', '-c', script, 'fill', String(first), String(last), prefix], { timeoutMs: 300_000 });
      }),
    );
  };
  const began = Date.now();
  await inStreams(create, count);
  const created = Date.now();
  await inStreams(startAll, start);
  return { createMs: created - began, startMs: Date.now() - created };
}

export async function removeLoadDind(name: string): Promise<void> {
  const ids = (await docker(['ps', '-aq', '--filter', `name=^${name}$`, '--filter', `label=${LOAD_LABEL}`])).split('\n').filter(Boolean);
  if (ids.length) await docker(['rm', '-f', '-v', ...ids], { timeoutMs: 120_000 });
}
