// The bridge (src/engine/engineBridge.ts): the Docker CLI on the host through a bridge socket,
// against the same work typed by hand through nested `docker exec`s, on the nested test fixture
// (it-dind at depth 1, it-dind › it-dind-inner at depth 2).
//   docker ps          `docker -H unix://<bridge> ps` against `docker exec it-dind [docker exec it-dind-inner] docker ps`,
//                      interleaved; the bridged client arrives at a bridge at rest (its warm relay
//                      ready), and once more back to back (the warm relay may still be opening).
//                      Target: at depth 2 the bridge takes at most half the by-hand time.
//   save | load        a 50 MB image from the host into the engine at depth 2 and back out of it:
//                      `docker save | docker -H <bridge> load` against `… | docker exec -i … docker load`,
//                      and `docker -H <bridge> save | docker load` against `docker exec … docker save | …`.
//                      The image is removed from the receiving engine before each run, so every load
//                      writes its layer. Target: the bridge at least 0.8x the by-hand throughput.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { bytes, keyValueTable, median, ms, targetTable, timingTable } from '../report.mjs';

export const title = 'Bridge: the Docker CLI on the host, against an engine two levels down';

const PS_RUNS = 15;
const BACK_TO_BACK_RUNS = 10;
const TRANSFER_RUNS = 5;
const BLOB_BYTES = 50 * 1024 * 1024;

export async function run({ out, say }) {
  const { NAMES } = out('test/support/nestedFixture.js');
  const { execChain } = out('test/support/docker.js');
  const { newTestGraph } = out('test/support/testGraph.js');
  const { EngineBridge } = out('src/engine/engineBridge.js');
  const suffix = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  const image = `mbench-bridge-blob-${suffix}:latest`;
  const depth = { 1: [NAMES.dind], 2: [NAMES.dind, NAMES.dindInner] };
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mbench-bridge-'));
  // An empty config folder: no current context of the person's steers either side.
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mbench-bridge-config-'));
  const env = { ...process.env, DOCKER_CONFIG: configDir, DOCKER_BUILDKIT: '0' };
  delete env.DOCKER_HOST;
  delete env.DOCKER_CONTEXT;
  const cli = (args, options) => runDocker(args, env, options);
  const loadAtStart = os.loadavg();
  const graph = newTestGraph(undefined, 30_000);
  const bridges = [];
  const hosts = {};
  try {
    say('listing the fixture and opening bridges at depth 1 and 2');
    await graph.refreshAll();
    for (const level of [1, 2]) {
      const engine = engineAt(graph, depth[level]);
      const bridge = await EngineBridge.listen({ graph, engineKey: engine.key, label: ['default', ...depth[level]].join(' › '), socketPath: path.join(folder, `depth${level}.sock`), log: () => undefined });
      bridges[level] = bridge;
      hosts[level] = ['-H', `unix://${bridge.socketPath}`];
    }
    const atRest = (level) => waitUntil(() => bridges[level].connections === 0 && bridges[level].warmRelayReady, 30_000);
    // The bridge reaches what the chain reaches (a benchmark of the wrong engine measures nothing).
    for (const level of [1, 2]) {
      const [viaBridge, viaHand] = [await cli([...hosts[level], 'ps', '--format', '{{.Names}}']), await cli([...execChain(depth[level]), 'docker', 'ps', '--format', '{{.Names}}'])];
      if (sorted(viaBridge.stdout) !== sorted(viaHand.stdout)) throw new Error(`the bridge at depth ${level} lists ${viaBridge.stdout} but by hand ${viaHand.stdout}`);
    }

    say(`docker ps, ${PS_RUNS} rounds at depth 1 and 2 (bridge at rest, then by hand)`);
    const ps = { bridge1: [], hand1: [], bridge2: [], hand2: [], backToBack2: [] };
    for (let round = 0; round < PS_RUNS; round++) {
      for (const level of [1, 2]) {
        await atRest(level);
        ps[`bridge${level}`].push((await cli([...hosts[level], 'ps'])).ms);
        ps[`hand${level}`].push((await cli([...execChain(depth[level]), 'docker', 'ps'])).ms);
      }
    }
    await atRest(2);
    for (let i = 0; i < BACK_TO_BACK_RUNS; i++) ps.backToBack2.push((await cli([...hosts[2], 'ps'])).ms);

    say(`building a ${bytes(BLOB_BYTES)} image on the host`);
    await cli(['build', '-q', '-t', image, '-'], { input: `FROM busybox:latest\nLABEL dev.matryoshka.bench=bridge\nRUN head -c ${BLOB_BYTES} /dev/urandom > /blob\n`, timeoutMs: 300_000 });
    const archive = (await cli(['save', image], { count: true })).bytes;

    say(`save | load of ${bytes(archive)}, ${TRANSFER_RUNS} rounds each way`);
    const removeInner = () => cli([...hosts[2], 'rmi', '-f', image]);
    const removeOnHost = () => cli(['rmi', '-f', image]);
    const into = { bridge: [], hand: [] };
    const outOf = { bridge: [], hand: [] };
    for (let round = 0; round < TRANSFER_RUNS; round++) {
      await removeInner();
      await atRest(2);
      into.bridge.push((await pipeline(env, ['save', image], [...hosts[2], 'load', '-q'])).ms);
      await removeInner();
      into.hand.push((await pipeline(env, ['save', image], [...execChain(depth[2], ['-i']), 'docker', 'load', '-q'])).ms);
    }
    // The image is in the engine at depth 2 now; out of it, into the host.
    for (let round = 0; round < TRANSFER_RUNS; round++) {
      await removeOnHost();
      await atRest(2);
      outOf.bridge.push((await pipeline(env, [...hosts[2], 'save', image], ['load', '-q'])).ms);
      await removeOnHost();
      outOf.hand.push((await pipeline(env, [...execChain(depth[2]), 'docker', 'save', image], ['load', '-q'])).ms);
    }
    const loadAtEnd = os.loadavg();

    const rate = (samples) => archive / 2 ** 20 / (median(samples) / 1000);
    const psRatio = median(ps.bridge2) / median(ps.hand2);
    const intoRatio = rate(into.bridge) / rate(into.hand);
    const outRatio = rate(outOf.bridge) / rate(outOf.hand);
    const mbs = (samples) => `${rate(samples).toFixed(1)} MiB/s`;
    const load = (l) => l.map((x) => x.toFixed(2)).join(' / ');
    return [
      keyValueTable(['fact', 'value'], [
        ['machine', `${os.cpus().length} cores, load average (1 / 5 / 15 min) ${load(loadAtStart)} at the start, ${load(loadAtEnd)} at the end`],
        ['bridges', `depth 1: default › ${NAMES.dind}; depth 2: default › ${NAMES.dind} › ${NAMES.dindInner}; the Docker CLI ${(await cli(['version', '--format', '{{.Client.Version}}'])).stdout.trim()} on the host`],
        ['archive', `${image.replace(/:latest$/, '')}: busybox and a ${bytes(BLOB_BYTES)} random layer, ${bytes(archive)} as \`docker save\` writes it`],
      ]),
      '',
      timingTable([
        { name: '`docker -H <bridge> ps`, depth 1, bridge at rest', samples: ps.bridge1 },
        { name: '`docker exec it-dind docker ps`, by hand', samples: ps.hand1 },
        { name: '`docker -H <bridge> ps`, depth 2, bridge at rest', samples: ps.bridge2 },
        { name: '`docker -H <bridge> ps`, depth 2, back to back', samples: ps.backToBack2 },
        { name: '`docker exec it-dind docker exec it-dind-inner docker ps`, by hand', samples: ps.hand2 },
        { name: `save on the host \\| load at depth 2, through the bridge (${mbs(into.bridge)})`, samples: into.bridge },
        { name: `save on the host \\| load at depth 2, nested \`docker exec -i\` (${mbs(into.hand)})`, samples: into.hand },
        { name: `save at depth 2 \\| load on the host, through the bridge (${mbs(outOf.bridge)})`, samples: outOf.bridge },
        { name: `save at depth 2 \\| load on the host, nested \`docker exec\` (${mbs(outOf.hand)})`, samples: outOf.hand },
      ]),
      '',
      targetTable([
        { name: '`docker ps` at depth 2: bridge / by hand', value: `${psRatio.toFixed(2)}x (${ms(median(ps.bridge2))} / ${ms(median(ps.hand2))})`, goal: '≤ 0.5x', pass: psRatio <= 0.5 },
        { name: 'save \\| load into depth 2: bridge / by hand throughput', value: `${intoRatio.toFixed(2)}x`, goal: '≥ 0.8x', pass: intoRatio >= 0.8 },
        { name: 'save \\| load out of depth 2: bridge / by hand throughput', value: `${outRatio.toFixed(2)}x`, goal: '≥ 0.8x', pass: outRatio >= 0.8 },
      ]),
    ].join('\n');
  } finally {
    for (const bridge of bridges) await bridge?.close();
    graph.dispose();
    await cli(['rmi', '-f', image]).catch(() => undefined);
    await runDocker([...execChain(depth[2]), 'docker', 'rmi', '-f', image], env).catch(() => undefined);
    fs.rmSync(folder, { recursive: true, force: true });
    fs.rmSync(configDir, { recursive: true, force: true });
  }
}

function engineAt(graph, names) {
  let engine = graph.snapshot()[0];
  for (const name of names) {
    engine = engine.containers.find((c) => c.name === name)?.inner;
    if (engine?.status.kind !== 'connected') throw new Error(`no connected engine inside ${names.join(' › ')} (is the nested fixture healthy?)`);
  }
  return engine;
}

const sorted = (text) => text.split('\n').filter(Boolean).sort().join(',');

async function waitUntil(condition, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`the bridge did not come to rest (a warm relay, no connections) within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One docker CLI run, timed from spawn to exit; stdout kept as text, or only counted (`count`). */
function runDocker(args, env, { input, count = false, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('docker', args, { env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let received = 0;
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk) => {
      received += chunk.length;
      if (!count) stdout += chunk;
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    if (input !== undefined) child.stdin.end(input);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const elapsed = performance.now() - started;
      if (code === 0) resolve({ ms: elapsed, stdout, bytes: received });
      else reject(new Error(`docker ${args.join(' ')}: ${stderr.trim() || signal || `exit ${code}`}`));
    });
  });
}

/**
 * `docker <from> | docker <to>` without a shell: the bytes go through this process (as with
 * `loadImageInto` in test/support/docker.ts), the same way for both sides. Timed until both exit.
 */
function pipeline(env, from, to, timeoutMs = 300_000) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const source = spawn('docker', from, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const sink = spawn('docker', to, { env, stdio: ['pipe', 'ignore', 'pipe'] });
    const errors = [];
    source.stderr.on('data', (chunk) => errors.push(chunk));
    sink.stderr.on('data', (chunk) => errors.push(chunk));
    sink.stdin.on('error', () => undefined); // a sink that failed says why on stderr
    source.stdout.pipe(sink.stdin);
    const timer = setTimeout(() => [source, sink].forEach((p) => p.kill('SIGKILL')), timeoutMs);
    const exited = (child) => new Promise((done) => child.once('close', (code) => done(code)));
    Promise.all([exited(source), exited(sink)]).then(([a, b]) => {
      clearTimeout(timer);
      if (a === 0 && b === 0) resolve({ ms: performance.now() - started });
      else reject(new Error(`docker ${from.join(' ')} | docker ${to.join(' ')}: ${Buffer.concat(errors).toString().trim() || `exit ${a}, ${b}`}`));
    });
  });
}
