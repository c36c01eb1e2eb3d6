// What the bench times: Matryoshka's engine layer (compiled from src/ into bench/tmp/out) against
// the raw Engine API calls it makes and against the docker CLI run the way a user or a CLI-driven
// tool would run it. Every function here measures one thing once; bench.mjs repeats and interleaves.
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export const ROOT_ENDPOINT = { name: 'default', host: 'unix:///var/run/docker.sock', origin: 'default', current: true };
/** The extension's own settings (src/views/refreshController.ts): debounce 150 ms, deadline 10 s. */
export const EXTENSION_OPTIONS = { sysboxRuntimes: ['sysbox-runc'], deadlineMs: 10_000, debounceMs: 150, reconnect: { initialMs: 500, maxMs: 4000, stableMs: 10_000 }, maxDepth: 8 };

export function newGraph(lib, log = () => undefined) {
  const graph = new lib.EngineGraph({ ...EXTENSION_OPTIONS, log });
  graph.setEndpoints([ROOT_ENDPOINT]);
  return graph;
}

/** Every engine of a snapshot, depth first, with the container names and ids that lead to it. */
export function enginesOf(snapshot) {
  const out = [];
  const walk = (engine, names, ids) => {
    out.push({ key: engine.key, depth: engine.depth, status: engine.status.kind, containers: engine.containers.length, names, ids, engine });
    for (const c of engine.containers) if (c.inner) walk(c.inner, [...names, c.name], [...ids, c.id]);
  };
  for (const root of snapshot) walk(root, [], []);
  return out;
}

/** How complete a picture is: engines that answered and containers listed, at every depth. */
export function pictureSize(snapshot) {
  const engines = enginesOf(snapshot);
  return { engines: engines.filter((e) => e.status === 'connected').length, containers: engines.reduce((n, e) => n + e.containers, 0) };
}

async function timed(work) {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/**
 * Full picture, cold: a new graph (new transports, no inspect cache), listed and classified. The
 * graph then lives on untimed for `settleMs`, as in the extension, so that work it does after the
 * picture (event streams) neither spills into the next measurement nor is cut short by dispose.
 */
export async function fullCold(lib, settleMs = 1500) {
  const graph = newGraph(lib);
  try {
    const { ms, value } = await timed(async () => {
      await graph.refreshAll();
      return graph.snapshot();
    });
    return { ms, size: pictureSize(value) };
  } finally {
    await new Promise((r) => setTimeout(r, settleMs));
    graph.dispose();
  }
}

/** Full picture, warm: the same graph listed again (transports open, inspections cached). */
export async function fullWarm(graph) {
  const { ms, value } = await timed(async () => {
    await graph.refreshAll();
    return graph.snapshot();
  });
  return { ms, size: pictureSize(value) };
}

/** Lower bound, warm: one list call per engine, all at once, on the graph's open transports. */
export async function lowerWarm(graph, keys) {
  const apis = keys.map((key) => graph.apiFor(key)).filter(Boolean);
  // An engine of another fixture on the host may go away meanwhile: it then lists nothing.
  const { ms, value } = await timed(() => Promise.all(apis.map((api) => api.listContainers().catch(() => undefined))));
  const answered = value.filter(Boolean);
  return { ms, size: { engines: answered.length, containers: answered.reduce((n, list) => n + list.length, 0) } };
}

/** The engines to reach, as a tree of container ids: what a correct client must open and list. */
export function engineTree(snapshot) {
  const node = (engine) => ({ key: engine.key, children: engine.containers.filter((c) => c.inner?.status.kind === 'connected').map((c) => ({ id: c.id, name: c.name, ...node(c.inner) })) });
  return node(snapshot[0]);
}

export async function openRoot(lib) {
  const transport = lib.transportForEndpoint(ROOT_ENDPOINT, () => undefined);
  const api = new lib.EngineApi(transport.docker, { label: 'engine "default"', deadlineMs: EXTENSION_OPTIONS.deadlineMs });
  await api.negotiate();
  return { api, transport };
}

/**
 * Lower bound, cold: open each transport (root socket; one relay exec per inner engine, negotiated)
 * and list once. A child can only be reached once its parent is open and listed, as in the graph.
 */
export async function lowerCold(lib, tree) {
  const transports = [];
  let engines = 0;
  let containers = 0;
  const openAndList = async (open, node) => {
    const { api, transport } = await open();
    transports.push(transport);
    const list = await api.listContainers();
    engines++;
    containers += list.length;
    // An engine of another fixture on the host may go away meanwhile: it is then not counted.
    await Promise.all(node.children.map((child) => openAndList(() => lib.connectInnerEngine(api, child.id, child.name, EXTENSION_OPTIONS.deadlineMs), child).catch(() => undefined)));
  };
  try {
    const { ms } = await timed(() => openAndList(() => openRoot(lib), tree));
    return { ms, size: { engines, containers } };
  } finally {
    for (const transport of transports) transport.dispose();
  }
}

function run(args) {
  return new Promise((resolve, reject) => {
    execFile('docker', args, { maxBuffer: 16 << 20 }, (error, stdout, stderr) => (error ? reject(new Error(`docker ${args.join(' ')}: ${stderr.trim() || error.message}`)) : resolve(stdout)));
  });
}

/** What a user (or a CLI-driven tool) does: `docker ps`, then `docker exec <c> docker ps` per engine. */
export async function byHand(paths, parallel) {
  const commands = [['ps'], ...paths.map((names) => [...names.flatMap((n, i) => [...(i ? ['docker'] : []), 'exec', n]), 'docker', 'ps'])];
  const { ms, value } = await timed(async () => {
    // A failing command (an engine of another fixture going away) still costs its time; it lists nothing.
    const attempt = (args) => run(args).catch(() => '');
    if (parallel) return Promise.all(commands.map(attempt));
    const outputs = [];
    for (const args of commands) outputs.push(await attempt(args));
    return outputs;
  });
  const containers = value.reduce((n, out) => n + Math.max(0, out.trim().split('\n').length - 1), 0);
  return { ms, size: { engines: value.filter(Boolean).length, containers } };
}

/**
 * Change latency: a container is created and started in the engine at `engineKey` through an API
 * of our own (a separate relay, like `docker run -d` in that engine), and we wait for the graph's
 * model to show it running. Returns ms from `docker run` returning (start answered) and from its
 * beginning (create sent).
 */
export async function changeOnce(graph, api, engineKey, timeoutMs = 15_000) {
  const findState = (id) => enginesOf(graph.snapshot()).find((e) => e.key === engineKey)?.engine.containers.find((c) => c.id === id)?.summary.State;
  let seenAt;
  let id;
  const seen = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the model did not show the new container within ${timeoutMs} ms`)), timeoutMs);
    const stop = graph.onDidChange(() => {
      if (id && findState(id) === 'running') {
        seenAt = performance.now();
        clearTimeout(timer);
        stop();
        resolve();
      }
    });
  });
  const issued = performance.now();
  const created = await api.call({
    path: '/containers/create?',
    method: 'POST',
    options: { _query: {}, _body: { Image: 'busybox:latest', Cmd: ['sleep', '600'], Labels: { 'dev.matryoshka.bench': '1' } } },
    statusCodes: { 201: true },
  });
  id = created.Id;
  await api.containerAction(id, 'start');
  const returned = performance.now();
  await seen;
  // Remove it and let the model settle, so the next trial starts from rest.
  const gone = new Promise((resolve) => {
    const stop = graph.onDidChange(() => {
      if (!findState(id)) (stop(), resolve());
    });
  });
  await api.containerAction(id, 'remove');
  await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
  await new Promise((r) => setTimeout(r, 400));
  return { fromReturn: seenAt - returned, fromIssue: seenAt - issued };
}

/** Heap and RSS after a full GC (gc is exposed by bench.mjs). */
export function memory() {
  globalThis.gc?.();
  globalThis.gc?.();
  const { heapUsed, rss, external } = process.memoryUsage();
  return { heapUsed, rss, external };
}
