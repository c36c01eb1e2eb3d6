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
    g.to = Math.max(g.to, c.end);
    g.busy += c.end - c.start;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => a.from - b.from);
}

/** Relay execs created per engine in one run: the exec create calls go to the parent, so count by target label. */
export function relaysOpened(calls) {
  return calls.filter((c) => c.kind.startsWith('POST /containers/{id}/exec')).length;
}

export function profileTable(rows) {
  const lines = ['| engine | call | calls | from (ms) | to (ms) |', '|---|---|--:|--:|--:|'];
  for (const r of rows) lines.push(`| ${r.label} | ${r.kind} | ${r.count} | ${r.from.toFixed(0)} | ${r.to.toFixed(0)} |`);
  return lines.join('\n');
}
