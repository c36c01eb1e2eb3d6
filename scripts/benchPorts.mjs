// Port forwarding figures on the real engine (not part of `npm test`; run after `npm run compile-tests`):
//   node scripts/benchPorts.mjs [--requests=30]
// Needs the nested fixture (test/support/nestedFixture.ts) running. Creates a busybox httpd container
// two engines down (it-dind › it-dind-inner, per-run name), measures, prints markdown, removes it.
//   latency:    small GETs one after another through a warm forward, against `docker exec … wget -qO- …`
//               by hand at the same depth (target: the forward at most 1/10 of the by-hand time)
//   throughput: a 100 MB download through the forward, against `docker exec … cat` at the same depth
//               (target: at least 0.5x)
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { NAMES } = require(path.join(REPO, 'out/test/support/nestedFixture.js'));
const { newTestGraph } = require(path.join(REPO, 'out/test/support/testGraph.js'));
const { PortForward } = require(path.join(REPO, 'out/src/engine/portForward.js'));
const requests = Number(process.argv.find((a) => a.startsWith('--requests='))?.split('=')[1] ?? 30);
const DEPTH2 = [NAMES.dind, NAMES.dindInner];
const WEB = `pf-bench-${process.pid.toString(36)}`;
const MB = 100;

const chain = (args) => ['exec', NAMES.dind, 'docker', 'exec', NAMES.dindInner, 'docker', ...args];
const docker = (args) => {
  const r = spawnSync('docker', args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const get = (port, file) =>
  new Promise((resolve, reject) => {
    let bytes = 0;
    http.get({ host: '127.0.0.1', port, path: file, agent: false }, (r) => r.on('data', (c) => (bytes += c.length)).once('end', () => resolve(bytes))).once('error', reject);
  });
const byHand = (args) =>
  new Promise((resolve, reject) => {
    let bytes = 0;
    const child = spawn('docker', chain(args), { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (c) => (bytes += c.length));
    child.once('exit', (code) => (code === 0 ? resolve(bytes) : reject(new Error(`exit ${code}`))));
  });
const timed = async (work) => {
  const t = performance.now();
  const value = await work();
  return { ms: performance.now() - t, value };
};

docker(chain(['run', '-d', '--name', WEB, 'busybox:latest', 'sh', '-c', `mkdir -p /www && echo hi > /www/index.html && head -c ${MB * 1024 * 1024} /dev/zero > /www/big && exec httpd -f -p 8080 -h /www`]));
const graph = newTestGraph(undefined, 30_000);
try {
  await graph.refreshAll();
  const forward = await PortForward.start(graph, { engine: 'default', path: [...DEPTH2, WEB] }, 8080, { log: () => undefined });
  await get(forward.localPort, '/');
  const viaForward = [];
  const viaHand = [];
  for (let i = 0; i < requests; i++) {
    await new Promise((r) => setTimeout(r, 200)); // a warm forward: its relays started ahead are back
    viaForward.push((await timed(() => get(forward.localPort, '/'))).ms);
    viaHand.push((await timed(() => byHand(['exec', WEB, 'wget', '-qO-', 'http://127.0.0.1:8080/']))).ms);
  }
  const down = await timed(() => get(forward.localPort, '/big'));
  const cat = await timed(() => byHand(['exec', WEB, 'cat', '/www/big']));
  await forward.dispose();
  const rate = (r) => r.value / 1048576 / (r.ms / 1000);
  console.log(`| measure (depth 2, load ${spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.split(' ')[0]}) | forward | by hand | ratio | target |`);
  console.log('|---|---|---|---|---|');
  console.log(`| small GET, median of ${requests} | ${median(viaForward).toFixed(0)} ms | ${median(viaHand).toFixed(0)} ms | ${(median(viaForward) / median(viaHand)).toFixed(2)} | ≤ 0.10 |`);
  console.log(`| ${MB} MB download | ${rate(down).toFixed(1)} MB/s | ${rate(cat).toFixed(1)} MB/s | ${(rate(down) / rate(cat)).toFixed(2)} | ≥ 0.5 |`);
} finally {
  graph.dispose();
  docker(chain(['rm', '-f', WEB]));
}
