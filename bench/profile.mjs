// Where the time goes: every Engine API call the engine layer makes is recorded (EngineApi.call is
// wrapped at run time; src/ is not changed), then grouped per engine and per kind of call.
import { performance } from 'node:perf_hooks';

const KINDS = [
  [/^\/version$/, 'GET /version (negotiate)'],
  [/^\/events/, 'GET /events (stream open)'],
  [/^\/containers\/json/, 'GET /containers/json (list)'],
  [/^\/containers\/[^/]+\/json$/, 'GET /containers/{id}/json (inspect)'],
  [/^\/containers\/[^/]+\/exec$/, 'POST /containers/{id}/exec (relay exec create)'],
  [/^\/exec\/[^/]+\/start$/, 'POST /exec/{id}/start (relay exec start)'],
];

function kindOf(path) {
  const bare = path.replace(/^\/v[\d.]+/, '').replace(/\?.*$/, '');
  return KINDS.find(([re]) => re.test(bare))?.[1] ?? bare;
}

/** Records calls while `recording` is on; `calls` holds { label, kind, start, end } relative to t0. */
export function instrument(lib) {
  const state = { recording: false, t0: 0, calls: [] };
  const original = lib.EngineApi.prototype.call;
  lib.EngineApi.prototype.call = function (dial, versioned) {
    if (!state.recording) return original.call(this, dial, versioned);
    const entry = { label: this.label, kind: kindOf(dial.path), start: performance.now() - state.t0, end: NaN };
    state.calls.push(entry);
    const done = () => (entry.end = performance.now() - state.t0);
    const result = original.call(this, dial, versioned);
    result.then(done, done);
    return result;
  };
  return {
    async record(work) {
      state.calls = [];
      state.t0 = performance.now();
      state.recording = true;
      try {
        const value = await work();
        return { value, total: performance.now() - state.t0, calls: state.calls };
      } finally {
        state.recording = false;
      }
    },
    restore() {
      lib.EngineApi.prototype.call = original;
    },
  };
}

/** Groups calls per engine label and kind: count, first start, last end (ms from the run's start). */
export function summarize(calls, keepLabel = () => true) {
  const groups = new Map();
  for (const c of calls) {
    if (!keepLabel(c.label)) continue;
    const key = `${c.label}\u0000${c.kind}`;
    const g = groups.get(key) ?? { label: c.label, kind: c.kind, count: 0, from: Infinity, to: 0, busy: 0 };
    g.count++;
    g.from = Math.min(g.from, c.start);
    g.to = Number.isNaN(c.end) || Number.isNaN(g.to) ? NaN : Math.max(g.to, c.end);
    g.busy += c.end - c.start;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => a.from - b.from);
}

/** Relay execs opened in a recorded run (each exec create on a parent engine is one relay process). */
export function relaysOpened(calls) {
  return calls.filter((c) => c.kind.startsWith('POST /containers/{id}/exec')).length;
}

export function profileTable(rows) {
  const lines = ['| engine | call | calls | from (ms) | to (ms) |', '|---|---|--:|--:|--:|'];
  for (const r of rows) lines.push(`| ${r.label} | ${r.kind} | ${r.count} | ${r.from.toFixed(0)} | ${Number.isFinite(r.to) ? r.to.toFixed(0) : '(still open)'} |`);
  return lines.join('\n');
}

/** Samples the CPU while `work` runs `times` times; returns Node CPU per run and the top self-time functions. */
export async function cpuProfile(work, times, top = 8) {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (let i = 0; i < times; i++) await work();
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - wall0;
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    const where = url ? `${url.replace(/^.*node_modules\//, '').replace(/^.*\/bench\/tmp\/out\//, '').replace(/^node:/, 'node:')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'}${where ? ` (${where})` : ''}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const busy = [...self].filter(([k]) => k !== '(idle)');
  const total = busy.reduce((n, [, t]) => n + t, 0);
  return {
    cpuPerRun: (cpu.user + cpu.system) / 1000 / times,
    wallPerRun: wall / times,
    top: busy.sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, t]) => ({ name, share: t / total })),
  };
}
