// `npm run bench`: how fast Matryoshka's engine layer shows what runs where, on the real
// engine, against the raw Engine API calls (the lower bound) and the docker CLI (by hand).
//   --n=20 --m=5 --k=10   fixture: N plain containers, M DinDs with K children, a DinD in mbench-dind-1
//   --runs=10 --trials=20 rounds of full-picture timings, change-latency trials per depth
//   --scale               also the full picture for M = 1, 5, 10, 20 (several minutes)
//   --keep                leave the fixture running (label dev.matryoshka.bench=1); --reuse takes it up again
//   --room=a,b            only these rooms of bench/rooms/ (bridge, ports, files, tree: see bench/rooms.mjs);
//                         without it the main benchmark runs, then every room
//   --compiled=DIR        measure an engine layer already compiled into DIR (DIR/src/engine/*.js under this
//                         repo, to try a change to src/ side by side) instead of compiling src/
// Not part of `npm test`. Prints a markdown report and writes it into bench/RESULTS.md (between markers).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { performance } from 'node:perf_hooks';
import * as fx from '../bench/fixture.mjs';
import * as m from '../bench/measure.mjs';
import { cpuProfile, instrument, profileTable, relaysOpened, summarize } from '../bench/profile.mjs';
import { roomNames, runRooms } from '../bench/rooms.mjs';
import { bytes, keyValueTable, median, ms, stats, targetTable, timingTable, writeResults } from '../bench/report.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TMP = path.join(REPO, 'bench', 'tmp'); // ignored by git (/bench/tmp/)
const OUT = path.join(TMP, 'out');
const flag = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const opts = { n: flag('n', 20), m: flag('m', 5), k: flag('k', 10), runs: Math.max(10, flag('runs', 10)), trials: flag('trials', 20) };
const has = (name) => process.argv.includes(`--${name}`);
const sleep = (msec) => new Promise((r) => setTimeout(r, msec));
const say = (text) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}`);

v8.setFlagsFromString('--expose-gc');
globalThis.gc = vm.runInNewContext('gc');

function sh(cmd, args, cwd = REPO) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

const compiled = process.argv.find((a) => a.startsWith('--compiled='))?.split('=')[1];

/** Which engine layer was measured: src/ at a commit (and whether src/ had uncommitted changes), or --compiled. */
function measuredCode() {
  if (compiled) return `compiled in ${compiled} (--compiled)`;
  const git = (args) => spawnSync('git', args, { cwd: REPO, encoding: 'utf8' });
  const head = git(['rev-parse', '--short', 'HEAD']).stdout?.trim();
  if (!head) return 'src/ (not a git checkout)';
  return `src/ at ${head}${git(['status', '--porcelain', 'src']).stdout?.trim() ? ' with uncommitted changes' : ''}`;
}

/** Compiles src/ into bench/tmp/out (never the shared out/) and loads the engine layer from there. */
function loadEngineLayer() {
  if (!compiled) sh(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--outDir', OUT]);
  const require = createRequire(import.meta.url);
  const mod = (name) => require(path.resolve(compiled ?? OUT, 'src', 'engine', `${name}.js`));
  return { ...mod('engineGraph'), ...mod('engineApi'), ...mod('innerEngine'), ...mod('transports') };
}

/** The production bundle, built by scripts/build.mjs itself in a scratch directory (dist/ is left alone). */
function bundleSize() {
  const dir = path.join(TMP, 'bundle');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.symlinkSync(path.join(REPO, 'src'), path.join(dir, 'src'));
  sh(process.execPath, [path.join(REPO, 'scripts', 'build.mjs'), '--production'], dir);
  const files = fs.readdirSync(path.join(dir, 'dist'), { recursive: true }).filter((f) => f.endsWith('.js'));
  return files.sort().map((file) => {
    const code = fs.readFileSync(path.join(dir, 'dist', file));
    return `dist/${file} ${bytes(code.length)} (${bytes(zlib.gzipSync(code).length)} gzipped)`;
  }).join('; ');
}

/** activate() runs only inside VS Code: `npm test` (extension-host suite) records it in test-results/figures.json. */
function activationFigure() {
  const file = path.join(REPO, 'test-results', 'figures.json');
  if (!fs.existsSync(file)) return 'measured inside VS Code by the extension-host suite: run `npm test` to record it (test-results/figures.json)';
  const { activationMs } = JSON.parse(fs.readFileSync(file, 'utf8'));
  return `${ms(activationMs)} (\`activate()\` in code-server's extension host, from the last \`npm test\`, ${fs.statSync(file).mtime.toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
}

async function ensureFixture() {
  if (has('reuse')) {
    const names = (await fx.docker(['ps', '--filter', `label=${fx.LABEL}`, '--format', '{{.Names}}'])).split('\n').filter(Boolean);
    const inner = await fx.dockerIn([fx.dindName(1), fx.INNER], ['ps', '-q']).catch(() => '');
    if (names.length === opts.n + opts.m && inner.split('\n').filter(Boolean).length === opts.k) return say('reusing the fixture');
  }
  say(`building the fixture: N=${opts.n} plain, M=${opts.m} DinD × K=${opts.k} children, one DinD in a DinD with ${opts.k}`);
  const took = await fx.createFixture(opts, TMP);
  say(`fixture ready in ${(took / 1000).toFixed(0)} s`);
}

/**
 * Relay (dial-stdio) processes in each DinD container of the fixture, minus those of nested
 * containers (docker top counts them too). Every client on this machine is counted (another VS Code
 * window or test run listing the host reaches these DinDs too): see relaysAtRest.
 */
async function topCounts() {
  const paths = [...Array.from({ length: opts.m }, (_, i) => [fx.dindName(i + 1)]), [fx.dindName(1), fx.INNER]];
  const counts = new Map();
  for (const names of paths) counts.set(names.join(' › '), await fx.relayProcesses(names));
  for (const names of paths.filter((p) => p.length > 1)) {
    const parent = names.slice(0, -1).join(' › ');
    counts.set(parent, counts.get(parent) - counts.get(names.join(' › ')));
  }
  return counts;
}

/**
 * Our relays at rest per inner engine: docker top with the graph minus docker top without it (a
 * baseline taken seconds apart, so other clients' relays cancel out), and the graph's own count of
 * the connections its transports hold (StreamAgent), which other clients cannot touch.
 */
function relaysHeld(graph, engines) {
  return engines.filter((x) => x.depth > 0).map((e) => {
    const nested = engines.filter((x) => x.depth === e.depth + 1 && x.key.startsWith(`${e.key}/`));
    return { name: e.names.join(' › '), agent: graph.relayConnections(e.key), carries: nested.reduce((n, c) => n + graph.relayConnections(c.key), 0) };
  });
}

const relaysAtRest = (held, withGraph, without) => held.map((r) => ({ ...r, processes: withGraph.get(r.name) - without.get(r.name), others: without.get(r.name) }));

const relayText = (rows) => rows.map((r) => `${r.name}: ${r.processes} (held by the graph: ${r.agent}${r.carries ? ` + ${r.carries} carrying the relays of the engine inside` : ''}; other clients' meanwhile: ${r.others})`).join('; ');

/** One round: every full-picture variant once, side by side. */
async function round(lib, graph, withHand) {
  const r = {};
  await sleep(800); // let event-driven re-lists from the previous round finish
  // What the graph sees now (engines of other fixtures on the host may come and go).
  const engines = m.enginesOf(graph.snapshot()).filter((e) => e.status === 'connected');
  const tree = m.engineTree(graph.snapshot());
  const keys = engines.map((e) => e.key);
  const paths = engines.filter((e) => e.depth > 0).map((e) => e.names);
  // A-B-B-A: the first request after the pause above meets colder relays and engines than the
  // second, so each warm variant runs once in each position and its two times are averaged.
  const warm1 = await m.fullWarm(graph);
  const lower1 = await m.lowerWarm(graph, keys);
  const lower2 = await m.lowerWarm(graph, keys);
  const warm2 = await m.fullWarm(graph);
  r.warm = { ...warm2, ms: (warm1.ms + warm2.ms) / 2 };
  r.lowerWarm = { ...lower2, ms: (lower1.ms + lower2.ms) / 2 };
  // The relays that cold runs open are exec events on the engines around them: the warm graph
  // would re-list for them (a second graph the extension never has), so it pauses meanwhile.
  await graph.setActive(false);
  r.cold = await m.fullCold(lib);
  await sleep(300);
  r.lowerCold = await m.lowerCold(lib, tree);
  if (withHand) {
    r.handSeq = await m.byHand(paths, false);
    r.handPar = await m.byHand(paths, true);
  }
  await graph.setActive(true);
  return r;
}

async function rounds(lib, graph, count, withHand) {
  const engines = m.enginesOf(graph.snapshot()).filter((e) => e.status === 'connected');
  await round(lib, graph, false); // warm-up, not counted
  const all = [];
  for (let i = 0; i < count; i++) {
    all.push(await round(lib, graph, withHand));
    process.stdout.write('.');
  }
  process.stdout.write('\n');
  const col = (name) => all.map((r) => r[name]).filter(Boolean);
  const ratio = (a, b) => median(all.map((r) => r[a].ms / r[b].ms)); // paired per round
  return { all, col, ratio, engines: engines.length };
}

const pictureText = (samples) => {
  const sizes = new Set(samples.map((s) => `${s.size.engines} engines, ${s.size.containers} containers`));
  return [...sizes].join(' / ');
};

async function changeLatency(lib, graph) {
  const engines = m.enginesOf(graph.snapshot());
  const d1 = engines.find((e) => e.depth === 1 && e.names[0] === fx.dindName(1));
  const d2 = engines.find((e) => e.depth === 2 && e.names[1] === fx.INNER);
  const root = await m.openRoot(lib);
  const api1 = await lib.connectInnerEngine(root.api, d1.ids[0], 'bench client 1', 10_000);
  const api2 = await lib.connectInnerEngine(api1.api, d2.ids[1], 'bench client 2', 10_000);
  await sleep(1000);
  const result = {};
  for (const [depth, engine, client] of [[1, d1, api1], [2, d2, api2]]) {
    const samples = [];
    for (let i = 0; i < opts.trials; i++) samples.push(await m.changeOnce(graph, client.api, engine.key));
    result[depth] = samples;
  }
  api2.transport.dispose();
  api1.transport.dispose();
  root.transport.dispose();
  return result;
}

async function profileOnce(lib, graph) {
  const probe = instrument(lib);
  try {
    await graph.setActive(false);
    const cold = await probe.record(() => m.fullCold(lib));
    await graph.setActive(true);
    await sleep(800);
    const warm = await probe.record(() => m.fullWarm(graph));
    const cpu = await cpuProfile(() => m.fullWarm(graph), 30);
    const keep = (label) => label === 'engine "default"' || new RegExp(`${fx.dindName(1)}( |$)`).test(label);
    const started = performance.now();
    let snapshots = 0;
    while (performance.now() - started < 200) (graph.snapshot(), snapshots++);
    return { cold, warm, cpu, coldRows: summarize(cold.calls, keep), warmRows: summarize(warm.calls, keep), snapshotMs: (performance.now() - started) / snapshots };
  } finally {
    probe.restore();
  }
}

async function scale(lib, busyboxTar) {
  if (!fs.existsSync(busyboxTar)) await fx.docker(['save', '-o', busyboxTar, 'busybox:latest']);
  const results = [];
  const measure = async (mCount) => {
    const graph = m.newGraph(lib);
    await graph.refreshAll();
    const r = await rounds(lib, graph, opts.runs, false);
    results.push({ m: mCount, cold: r.col('cold'), warm: r.col('warm'), lowerCold: r.col('lowerCold'), lowerWarm: r.col('lowerWarm'), engines: r.engines, coldRatio: r.ratio('cold', 'lowerCold'), warmRatio: r.ratio('warm', 'lowerWarm') });
    graph.dispose();
    say(`M=${mCount}: cold ${ms(median(r.col('cold').map((s) => s.ms)))}, warm ${ms(median(r.col('warm').map((s) => s.ms)))}`);
  };
  await measure(opts.m);
  for (const target of [10, 20].filter((x) => x > opts.m)) {
    const have = Math.max(opts.m, ...results.map((r) => r.m));
    say(`adding DinDs ${have + 1}..${target}`);
    await fx.addDinds(have + 1, target, opts.k, busyboxTar);
    await measure(target);
  }
  say('removing DinDs 2.. for M=1');
  const extra = Array.from({ length: Math.max(...results.map((r) => r.m)) - 1 }, (_, i) => fx.dindName(i + 2));
  await fx.docker(['rm', '-f', '-v', ...extra]);
  await measure(1);
  return results.sort((a, b) => a.m - b.m);
}

function scaleSection(results) {
  const lines = ['| M (DinDs) | engines | cold full picture | cold lower bound | cold ÷ bound | warm full picture | warm lower bound | warm ÷ bound |', '|--:|--:|--:|--:|--:|--:|--:|--:|'];
  for (const r of results) {
    const med = (samples) => median(samples.map((s) => s.ms));
    const cell = (samples) => `${ms(med(samples))} (${ms(Math.min(...samples.map((s) => s.ms)))} – ${ms(Math.max(...samples.map((s) => s.ms)))})`;
    lines.push(`| ${r.m} | ${r.engines} | ${cell(r.cold)} | ${cell(r.lowerCold)} | ${r.coldRatio.toFixed(2)} | ${cell(r.warm)} | ${cell(r.lowerWarm)} | ${r.warmRatio.toFixed(2)} |`);
  }
  return lines.join('\n');
}

/** Linear or better: from M=5 to M=20 the cold full picture grows at most 4× (+15% for noise). */
function scaleVerdict(results) {
  const at = (mCount, what) => median(results.find((r) => r.m === mCount)?.[what].map((s) => s.ms) ?? []);
  const growth = at(20, 'cold') / at(5, 'cold');
  const warmGrowth = at(20, 'warm') / at(5, 'warm');
  return { growth, warmGrowth, pass: Number.isFinite(growth) ? growth <= 4.6 && warmGrowth <= 4.6 : undefined };
}

const onlyRooms = process.argv.find((a) => a.startsWith('--room='))?.split('=')[1];

async function main() {
  if (onlyRooms !== undefined) return runRooms(onlyRooms.split(',').filter(Boolean), { say, keep: has('keep') });
  await mainBenchmark();
  // The main fixture goes first: the rooms measure on the nested test fixture, not on 80 containers.
  await cleanup();
  await runRooms(roomNames(), { say, keep: has('keep') });
}

async function mainBenchmark() {
  const facts = await fx.machineFacts();
  say(compiled ? `loading the engine layer from ${compiled}` : 'compiling src/ into bench/tmp/out');
  const lib = loadEngineLayer();
  say('building the production bundle in bench/tmp/bundle');
  const bundle = bundleSize();
  await ensureFixture();

  const withoutAtStart = await topCounts();
  const before = m.memory();
  const graph = m.newGraph(lib);
  await graph.refreshAll();
  const after = m.memory();
  const engines = m.enginesOf(graph.snapshot());
  const ours = engines.filter((e) => e.names[0]?.startsWith('mbench-'));
  const missing = ours.filter((e) => e.status !== 'connected');
  if (ours.length !== opts.m + 1 || missing.length) throw new Error(`the graph does not see the fixture: ${ours.length} bench engines, not answering: ${missing.map((e) => e.names.join(' › ')).join(', ')}`);
  const foreign = engines.filter((e) => e.depth > 0 && !e.names[0].startsWith('mbench-'));
  say(`picture: ${engines.length} engines (${foreign.length} not ours), ${m.pictureSize(graph.snapshot()).containers} containers`);
  await sleep(2000);
  const ourEngines = () => m.enginesOf(graph.snapshot()).filter((e) => e.names[0]?.startsWith('mbench-'));
  const relays = relaysAtRest(relaysHeld(graph, ourEngines()), await topCounts(), withoutAtStart);

  say('profiling one cold and one warm full picture');
  const profile = await profileOnce(lib, graph);
  say(`timing ${opts.runs} rounds (warm, warm lower bound, cold, cold lower bound, by hand in sequence and in parallel)`);
  const main = await rounds(lib, graph, opts.runs, true);
  say(`change latency: ${opts.trials} trials at depth 1 and depth 2 (debounceMs 150, as in the extension)`);
  const change = await changeLatency(lib, graph);
  await sleep(2000);
  const withAtEnd = await topCounts();
  const heldAtEnd = relaysHeld(graph, ourEngines());
  graph.dispose();
  await sleep(2000);
  const withoutAtEnd = await topCounts();
  const relaysAtEnd = relaysAtRest(heldAtEnd, withAtEnd, withoutAtEnd);
  const leftBehind = [...withoutAtEnd].map(([name, n]) => `${name}: ${n - withoutAtStart.get(name)}`).join('; ');
  const scaleResults = has('scale') ? await scale(lib, path.join(TMP, 'busybox.tar')) : undefined;

  const col = (name) => main.col(name).map((s) => s.ms);
  const pct = (samples, q) => stats(samples)[q];
  const latency = (depth, key) => change[depth].map((s) => s[key]);
  const verdict = scaleResults ? scaleVerdict(scaleResults) : undefined;
  const maxRelays = Math.max(...relays.map((r) => Math.max(r.processes - r.carries, r.agent)));
  const maxRelaysAtEnd = Math.max(...relaysAtEnd.map((r) => Math.max(r.processes - r.carries, r.agent)));
  const report = [
    `## Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    keyValueTable(['', ''], [
      ['machine', facts.machine],
      ['engine', facts.engine],
      ['fixture', `N=${opts.n} plain, M=${opts.m} DinD × K=${opts.k} children, 1 DinD in mbench-dind-1 with ${opts.k} children; the graph saw ${engines.length} engines${foreign.length ? ` (${foreign.length} from other fixtures on the host)` : ''}`],
      ['engine layer', measuredCode()],
      ['settings', 'the extension\'s own: debounceMs 150, deadline 10 s; rounds interleave every variant, warm ones in A-B-B-A order (each time the mean of its two positions), ratios are medians of per-round ratios'],
    ]),
    '### Full picture (all engines, all containers, classified)',
    timingTable([
      { name: 'Matryoshka, warm (`refreshAll` + `snapshot`, transports open)', samples: col('warm'), size: pictureText(main.col('warm')) },
      { name: 'lower bound, warm (one list per engine, in parallel, on open transports)', samples: col('lowerWarm'), size: pictureText(main.col('lowerWarm')) },
      { name: 'Matryoshka, cold (new graph: connect, list, inspect, classify)', samples: col('cold'), size: pictureText(main.col('cold')) },
      { name: 'lower bound, cold (open each transport, negotiate, list once)', samples: col('lowerCold'), size: pictureText(main.col('lowerCold')) },
      { name: 'by hand, in sequence (`docker ps`, then `docker exec <c> docker ps` per engine)', samples: col('handSeq'), size: `${main.col('handSeq')[0].size.engines} processes, running only` },
      { name: 'by hand, in parallel (the same processes at once)', samples: col('handPar'), size: `${main.col('handPar')[0].size.engines} processes, running only` },
    ]),
    '### Change latency (`docker run -d` in a DinD until the model shows the container running)',
    timingTable([
      { name: 'depth 1, from `docker run -d` returning', samples: latency(1, 'fromReturn') },
      { name: 'depth 2, from `docker run -d` returning', samples: latency(2, 'fromReturn') },
      { name: 'depth 1, from `docker run` issued (includes create + start)', samples: latency(1, 'fromIssue') },
      { name: 'depth 2, from `docker run` issued (includes create + start)', samples: latency(2, 'fromIssue') },
    ]),
    `p95: depth 1 ${ms(pct(latency(1, 'fromReturn'), 'p95'))}, depth 2 ${ms(pct(latency(2, 'fromReturn'), 'p95'))} (from \`docker run -d\` returning). The view renders a change 100 ms after it when the tree was quiet, and at most every 300 ms under churn (src/model/renderThrottle.ts), so what the user sees lags the model by 100 ms more (up to 300 ms while engines churn).`,
    '### Cost',
    keyValueTable(['', ''], [
      ['activation time', activationFigure()],
      ['bundle (`scripts/build.mjs --production`)', bundle],
      ['engine layer memory, default fixture listed', `heap +${bytes(after.heapUsed - before.heapUsed)}, external +${bytes(after.external - before.external)}; RSS ${bytes(before.rss)} → ${bytes(after.rss)} (this process after GC, one graph listing the picture: the engine layer's share, not the whole extension host)`],
      ['relay processes at rest, per inner engine (docker top with the graph minus without it; the graph alone, listed once)', relayText(relays)],
      [`the same at the end (after ${opts.runs + 2} cold graphs were disposed and ${2 * opts.trials} changes)`, relayText(relaysAtEnd)],
      ['relay processes left once every graph was disposed (docker top at the end minus before the first graph; other clients\' changes count too)', leftBehind],
    ]),
    ...(scaleResults ? ['### Scale (M DinDs with K children each, plus the nested DinD)', scaleSection(scaleResults)] : []),
    '### Targets (default fixture, one run)',
    targetTable([
      { name: 'warm full picture ÷ warm lower bound', value: main.ratio('warm', 'lowerWarm').toFixed(2), goal: '≤ 2', pass: main.ratio('warm', 'lowerWarm') <= 2 },
      { name: 'by hand in sequence ÷ warm full picture', value: main.ratio('handSeq', 'warm').toFixed(0), goal: '≥ 50', pass: main.ratio('handSeq', 'warm') >= 50 },
      { name: 'cold full picture ÷ cold lower bound', value: main.ratio('cold', 'lowerCold').toFixed(2), goal: '≤ 1.5', pass: main.ratio('cold', 'lowerCold') <= 1.5 },
      { name: 'change latency, depth 2, p95', value: ms(pct(latency(2, 'fromReturn'), 'p95')), goal: '< 300 ms', pass: pct(latency(2, 'fromReturn'), 'p95') < 300 },
      { name: 'growth with M (5 → 20), cold / warm', value: verdict ? `${verdict.growth.toFixed(2)}× / ${verdict.warmGrowth.toFixed(2)}×` : '`--scale` not run', goal: '≤ 4× (linear), +15% noise', pass: verdict?.pass },
      { name: 'relay processes at rest per inner engine (own, not carrying nested ones), at the start / at the end', value: `${maxRelays} / ${maxRelaysAtEnd}`, goal: '≤ 2', pass: Math.max(maxRelays, maxRelaysAtEnd) <= 2 },
    ]),
    '### Profile of one run (calls on the critical path: the host engine, mbench-dind-1 and the DinD inside it)',
    `Cold: ${profile.cold.calls.length} API calls, ${relaysOpened(profile.cold.calls)} relay execs opened for ${engines.length - 1} inner engines; the picture was complete after ${ms(profile.cold.value.ms)} (calls made in the 1.5 s after it, before dispose, are listed too). Exec create/start rows are calls on the parent engine that open a relay to the engine inside a container.`,
    profileTable(profile.coldRows),
    `Warm: ${profile.warm.calls.length} API calls, ${relaysOpened(profile.warm.calls)} relay execs opened, ${ms(profile.warm.total)} in all; \`snapshot()\` (classification of every container) alone takes ${ms(profile.snapshotMs)}.`,
    profileTable(profile.warmRows),
    `CPU of this Node process over 30 warm full pictures: ${ms(profile.cpu.cpuPerRun)} of CPU per ${ms(profile.cpu.wallPerRun)} of wall time. Top self time (sampled):`,
    keyValueTable(['function', 'share of busy samples'], profile.cpu.top.map((t) => [`\`${t.name}\``, `${(100 * t.share).toFixed(1)} %`])),
  ].join('\n\n');

  console.log(`\n${report}\n`);
  writeResults(path.join(REPO, 'bench', 'RESULTS.md'), report);
  say('wrote bench/RESULTS.md');
}

let cleaning;
async function cleanup() {
  if (onlyRooms !== undefined) return;
  if (has('keep')) return say('keeping the fixture (--keep)');
  cleaning ??= fx.removeFixture().then((n) => say(`removed ${n} bench containers`));
  await cleaning;
}
process.once('SIGINT', () => {
  say('interrupted: removing the fixture');
  cleanup().finally(() => process.exit(130));
});
main()
  .then(cleanup)
  .then(() => process.exit(0))
  .catch(async (error) => {
    console.error(error);
    await cleanup().catch((e) => console.error(e));
    process.exit(1);
  });
