// The bench fixture, built with the docker CLI on the real engine:
//   host: mbench-plain-1..N, mbench-dind-1..M (privileged docker:dind, K busybox children each),
//   and inside mbench-dind-1 a second DinD, mbench-dind-inner, with K children of its own.
// Everything carries LABEL; removeFixture removes only containers and volumes with that label.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';

export const LABEL = 'dev.matryoshka.bench=1';
const SLEEPER = ['busybox:latest', 'sleep', '86400'];
export const INNER = 'mbench-dind-inner';
export const dindName = (i) => `mbench-dind-${i}`;

/** `docker ARGS` without a shell; resolves with trimmed stdout. */
export function docker(args, { timeoutMs = 300_000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile('docker', args, { maxBuffer: 64 << 20, timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`docker ${args.join(' ')}: ${stderr.trim() || error.message}`));
      else resolve(stdout.trim());
    });
  });
}

/** Arguments that run a command inside the innermost container of `path` (exec through each level). */
export function execChain(path, flags = []) {
  return path.flatMap((container, i) => [...(i > 0 ? ['docker'] : []), 'exec', ...flags, container]);
}

export const dockerIn = (path, args) => docker(path.length ? [...execChain(path), 'docker', ...args] : args);

async function waitFor(what, timeoutMs, probe) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

const waitForEngine = (path) => waitFor(`the engine in ${path.join(' › ')}`, 120_000, () => dockerIn(path, ['version', '--format', '{{.Server.Version}}']));

/** Streams `docker save IMAGE` (or a saved tar file) into `docker load` inside the innermost container of `path`. */
function loadImage(source, path) {
  return new Promise((resolve, reject) => {
    const load = spawn('docker', [...execChain(path, ['-i']), 'docker', 'load', '-q'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    load.stderr.on('data', (d) => (errors += d));
    const input = source.endsWith('.tar') ? fs.createReadStream(source) : spawn('docker', ['save', source], { stdio: ['ignore', 'pipe', 'inherit'] }).stdout;
    input.pipe(load.stdin);
    load.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`loading ${source} into ${path.join(' › ')}: ${errors.trim()}`))));
  });
}

/** Runs `count` busybox sleepers inside the innermost container of `path`, in one exec. */
function runChildren(path, prefix, count) {
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);
  const loop = `for n in "$@"; do docker run -d --name "$n" --label ${LABEL} ${SLEEPER.join(' ')} >/dev/null || exit 1; done`;
  return docker([...execChain(path), 'sh', '-c', loop, 'sh', ...names]);
}

async function mapLimit(items, limit, work) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

/** Starts DinD containers first..last on the host, each with `children` busybox sleepers. */
export async function addDinds(first, last, children, busyboxTar) {
  const indexes = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  // The image's default (TLS on 2376) starts in about 5 s; an empty DOCKER_TLS_CERTDIR waits 15 s.
  await mapLimit(indexes, 5, (i) => docker(['run', '-d', '--privileged', '--name', dindName(i), '--label', LABEL, 'docker:dind']));
  await mapLimit(indexes, 5, async (i) => {
    await waitForEngine([dindName(i)]);
    await loadImage(busyboxTar, [dindName(i)]);
    await runChildren([dindName(i)], `mbench-child-${i}`, children);
  });
}

/** Builds the default-shaped fixture; returns how long it took. */
export async function createFixture({ n, m, k }, tmpDir) {
  const started = Date.now();
  await removeFixture();
  fs.mkdirSync(tmpDir, { recursive: true });
  const busyboxTar = `${tmpDir}/busybox.tar`;
  await docker(['save', '-o', busyboxTar, 'busybox:latest']);
  const plain = Array.from({ length: n }, (_, i) => i + 1);
  await Promise.all([
    mapLimit(plain, 4, (i) => docker(['run', '-d', '--name', `mbench-plain-${i}`, '--label', LABEL, ...SLEEPER])),
    addDinds(1, m, k, busyboxTar),
  ]);
  // The DinD inside a DinD: docker:dind streamed into mbench-dind-1 (no registry here).
  const outer = dindName(1);
  await loadImage('docker:dind', [outer]);
  await dockerIn([outer], ['run', '-d', '--privileged', '--name', INNER, '--label', LABEL, 'docker:dind']);
  await waitForEngine([outer, INNER]);
  await loadImage(busyboxTar, [outer, INNER]);
  await runChildren([outer, INNER], 'mbench-grandchild', k);
  return Date.now() - started;
}

/** Removes every container and volume with the bench label, and nothing else. */
export async function removeFixture() {
  const ids = (await docker(['ps', '-aq', '--filter', `label=${LABEL}`])).split('\n').filter(Boolean);
  if (ids.length) await docker(['rm', '-f', '-v', ...ids]);
  const volumes = (await docker(['volume', 'ls', '-q', '--filter', `label=${LABEL}`])).split('\n').filter(Boolean);
  if (volumes.length) await docker(['volume', 'rm', '-f', ...volumes]);
  return ids.length;
}

/** `docker system dial-stdio` processes in a container (docker top includes nested containers' processes). */
export async function relayProcesses(path) {
  const top = await dockerIn(path.slice(0, -1), ['top', path[path.length - 1], '-eo', 'pid,args']);
  return top.split('\n').filter((line) => /docker system dial-stdio|socat - UNIX-CONNECT/.test(line)).length;
}

/** Facts about the machine and the engine for the results header. */
export async function machineFacts() {
  const os = await import('node:os');
  const [version, info] = await Promise.all([docker(['version', '--format', '{{.Server.Version}} (API {{.Server.APIVersion}})']), docker(['info', '--format', '{{.Driver}}, cgroup v{{.CgroupVersion}}'])]);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return {
    machine: `${os.cpus().length} cores (${cpu.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}, Node ${process.version}`,
    engine: `Docker Engine ${version}, ${info}`,
  };
}
