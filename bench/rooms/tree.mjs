// The tree at scale: how long the model side of a render takes when a new filter text is typed, on a
// listing of 500 containers over 10 engines made from recorded engine JSON (bench/treeRecording.mjs),
// listed by the extension's own EngineGraph. No engine is asked; the nested fixture is not used.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeTreeRecording } from '../treeRecording.mjs';
import { keyValueTable, ms, stats, targetTable } from '../report.mjs';

export const title = 'Tree: a new filter text over 500 containers on 10 engines';

const TARGET_MS = 100;
const ROUNDS = 5;

/**
 * Every row of the whole tree, every row expanded, as the views build them (EngineNode, ContainerNode
 * and the group nodes call the same model functions): id, label and description of each, through the
 * same plain-text guard. Tooltips are left out (VS Code asks for them on hover only).
 */
function treeRows(m, roots, options) {
  const rows = [];
  const containerRow = (model, parentId) => {
    const c = model.container;
    rows.push({ id: m.treeModel.containerNodeId(c), parentId, label: m.markdown.plainText(model.label ?? c.name), description: m.markdown.plainText(m.treeModel.containerDescription(c)) });
    if (!m.treeModel.hasChildren(c)) return;
    const models = m.treeModel.containerChildren(c, model.at, `the engine inside ${c.name}`);
    const key = m.snapshot.innerEngineKey(c.engineKey, c.id);
    grouped(m.grouping.groupChildren(models, key, model.at, m.treeModel.containerNodeId(c), options), m.treeModel.containerNodeId(c));
  };
  const grouped = (models, parentId) => {
    for (const row of models) {
      if (row.kind === 'container') containerRow(row, parentId);
      else if (row.kind === 'note') rows.push({ id: row.note.id, parentId, label: row.note.text });
      else if (row.kind === 'project') {
        rows.push({ id: row.id, parentId, label: m.markdown.plainText(row.name), description: m.markdown.plainText(m.grouping.projectDescription(row)) });
        grouped(row.shown, row.id);
      } else {
        rows.push({ id: row.id, parentId, label: m.markdown.plainText(row.name), description: `namespace · ${row.pods.length} pods` });
        for (const pod of row.pods) {
          rows.push({ id: pod.id, parentId: row.id, label: m.markdown.plainText(pod.name), description: m.markdown.plainText(m.grouping.podDescription(pod)) });
          grouped(pod.shown, pod.id);
        }
      }
    }
  };
  for (const engine of roots) {
    const at = { engine: engine.name, path: [] };
    rows.push({ id: m.treeModel.engineNodeId(engine), label: m.markdown.plainText(engine.name), description: m.markdown.plainText(m.treeModel.engineDescription(engine)) });
    grouped(m.grouping.groupChildren(m.treeModel.engineChildren(engine, at), engine.key, at, m.treeModel.engineNodeId(engine), options), m.treeModel.engineNodeId(engine));
  }
  return rows;
}

/** What one render of the provider computes for a filter text: the filter over every engine, then the rows. */
function render(m, roots, text) {
  const filter = m.treeFilter.parseFilter(text);
  const options = { showInfrastructure: false, filter: filter && new m.treeFilter.FilterResult(filter, roots, m.grouping.isInfrastructure) };
  return { options, rows: treeRows(m, roots, options) };
}

/** The listing as a relist hands it over: new summary objects (so nothing a previous filter cached about them is reused). */
function relisted(engine, list = (e) => e.containers) {
  return { ...engine, containers: list(engine).map((c) => ({ ...c, summary: { ...c.summary }, inner: c.inner && relisted(c.inner, list) })) };
}

/** How many rows are below the rows `ids` (what VS Code fetches again when those rows refresh). */
function rowsBelow(rows, ids) {
  const parent = new Map(rows.map((r) => [r.id, r.parentId]));
  const below = (id) => {
    for (let p = parent.get(id); p !== undefined; p = parent.get(p)) if (ids.has(p)) return true;
    return false;
  };
  return rows.filter((r) => below(r.id)).length;
}

function allContainers(engine, depth = 0, out = []) {
  for (const c of engine.containers) {
    out.push({ c, depth });
    if (c.inner) allContainers(c.inner, depth + 1, out);
  }
  return out;
}

/** Filter texts as people type them: every prefix of a few names, whole names at every depth, labels, images, misses. */
function filterTexts(containers) {
  const names = containers.map(({ c }) => c.name);
  const typed = ['shop12_web', 'coredns', 'build-17', 'etcd-minikube-m04', 'svc3_db', 'kube-system'].flatMap((word) => [...word].map((_, i) => word.slice(0, i + 1)));
  const whole = names.filter((_, i) => i % 7 === 0);
  const labels = ['com.docker.compose.service=web', 'io.kubernetes.container.name=nginx', 'io.kubernetes.docker.type=container', 'docker:dind', 'busybox', 'shop', 'web-', '_1'];
  const misses = ['no-such-container', 'zzzz', 'k8s_POD_nothing', 'ci99_'];
  return [...typed, ...whole, ...labels, ...misses];
}

export async function run({ repo, out, say }) {
  const { RECORDED } = out('test/support/recorded.js');
  const { recordedGraphSnapshots } = out('test/support/recordedEngines.js');
  const { LOCAL_ENGINE } = out('test/support/testGraph.js');
  const m = {
    treeFilter: out('src/model/treeFilter.js'),
    grouping: out('src/model/grouping.js'),
    treeModel: out('src/model/treeModel.js'),
    markdown: out('src/model/markdown.js'),
    snapshot: out('src/model/snapshot.js'),
  };
  const dir = path.join(repo, 'bench', 'tmp', 'tree-recording');
  fs.rmSync(dir, { recursive: true, force: true });
  const made = writeTreeRecording(RECORDED, dir);
  say(`recording: ${made.containers} containers over ${made.engines} engines in ${path.relative(repo, dir)}`);
  const [host] = await recordedGraphSnapshots([LOCAL_ENGINE], path.relative(RECORDED, dir));
  const containers = allContainers(host);
  const engines = 1 + containers.filter(({ c }) => c.inner?.status.kind === 'connected').length;
  if (containers.length !== made.containers || engines !== made.engines) {
    throw new Error(`the graph listed ${containers.length} containers over ${engines} engines, the recording has ${made.containers} over ${made.engines}`);
  }
  const texts = filterTexts(containers);

  // Warm-up: the JIT, and the per-listing text the filter searches (kept while the listing is).
  for (const text of texts) render(m, [host], text);
  const samples = { none: [], warm: [], cold: [] };
  const shownRows = [];
  for (let round = 0; round < ROUNDS; round++) {
    let t = performance.now();
    render(m, [host], '');
    samples.none.push(performance.now() - t);
    for (const text of texts) {
      t = performance.now();
      const { rows } = render(m, [host], text);
      samples.warm.push(performance.now() - t);
      if (round === 0) shownRows.push(rows.length);
    }
  }
  for (const text of texts.slice(0, 60)) {
    const fresh = relisted(host);
    const t = performance.now();
    render(m, [fresh], text);
    samples.cold.push(performance.now() - t);
  }
  say(`${texts.length} filter texts × ${ROUNDS} rounds`);

  // A change on the deepest engine while a filter is on (a container there goes, one the filter shows
  // when there is one): the provider works out the rows of every expanded row again either way; what
  // differs is what VS Code must fetch again, the whole tree or the rows of the engines touched.
  const deepest = containers.filter(({ c }) => c.inner).sort((a, b) => b.depth - a.depth)[0].c;
  const change = { render: [], diff: [], wholeRows: [], partialRows: [] };
  for (const text of ['web', 'svc', 'coredns', 'build-1', 'shop3_', 'nginx', 'etcd']) {
    const previous = render(m, [host], text).options.filter;
    const gone = deepest.inner.containers.find((c) => previous.shows(c)) ?? deepest.inner.containers[0];
    for (let i = 0; i < 10; i++) {
      const fresh = relisted(host, (engine) => (engine.key === deepest.inner.key ? engine.containers.filter((c) => c.id !== gone.id) : engine.containers));
      let t = performance.now();
      const { options, rows } = render(m, [fresh], text);
      change.render.push(performance.now() - t);
      t = performance.now();
      const touched = new Set([deepest.inner.key, ...options.filter.changedEngines(previous)]);
      change.diff.push(performance.now() - t);
      change.wholeRows.push(rows.length);
      change.partialRows.push(rowsBelow(rows, new Set([...touched].flatMap((key) => m.treeModel.engineRowIds(key)))));
    }
  }

  const warm = stats(samples.warm);
  const cold = stats(samples.cold);
  return [
    `A listing of **${containers.length} containers over ${engines} engines** (the root engine, six DinDs on it, three DinDs inside those), copied from the recorded grouping engines (test/fixtures/recorded/grouping: Compose projects, cri-dockerd-labelled pods with their sandboxes, plain busybox containers, a DinD in a project) with new names, ids, project and pod names and every other field as recorded; listed by the extension's EngineGraph over test/support/recordedEngines. Load average while measuring: ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} on ${os.cpus().length} cores (spikes in p95 and max are mostly other processes and garbage collection).`,
    '',
    targetTable([
      { name: 'a new filter text: filter + grouping + natural order + every row of the whole tree (p95)', value: ms(warm.p95), goal: `≤ ${TARGET_MS} ms`, pass: warm.p95 <= TARGET_MS },
      { name: 'the same, first filter after a relist (p95)', value: ms(cold.p95), goal: `≤ ${TARGET_MS} ms`, pass: cold.p95 <= TARGET_MS },
    ]),
    '',
    keyValueTable(
      ['measurement', 'median · p95 · max (runs)'],
      [
        ['no filter, whole tree', `${ms(stats(samples.none).median)} · ${ms(stats(samples.none).p95)} · ${ms(stats(samples.none).max)} (${samples.none.length})`],
        [`new filter text (${texts.length} texts × ${ROUNDS})`, `${ms(warm.median)} · ${ms(warm.p95)} · ${ms(warm.max)} (${warm.n})`],
        ['first filter after a relist (new summary objects)', `${ms(cold.median)} · ${ms(cold.p95)} · ${ms(cold.max)} (${cold.n})`],
        [`a change on the deepest engine under a filter (${change.render.length} changes): filter + every row again`, `${ms(stats(change.render).median)} · ${ms(stats(change.render).p95)} · ${ms(stats(change.render).max)}`],
        ['the same: which engines\' rows to refresh (FilterResult.changedEngines)', `${ms(stats(change.diff).median)} · ${ms(stats(change.diff).p95)} · ${ms(stats(change.diff).max)}`],
        ['the same: rows VS Code fetches again, whole-tree refresh → rows of the touched engines', `${stats(change.wholeRows).median} → ${stats(change.partialRows).median} (median; max ${stats(change.partialRows).max})`],
        ['rows of the whole tree per filter text', `${Math.min(...shownRows)} – ${Math.max(...shownRows)} (no filter: ${render(m, [host], '').rows.length})`],
      ],
    ),
    '',
    '**Measured**: in Node, what the provider computes when VS Code asks for rows after a filter text is set: `parseFilter`, `FilterResult` over every engine (name, image and labels of each container, ancestors kept), `engineChildren`/`containerChildren` (natural order), `groupChildren` (Compose projects, namespace › pod, sandboxes hidden) and the id, label and description of every row of the whole tree, every row expanded (the most VS Code can ask for; it asks for expanded rows only).',
    '',
    '**Not measured**: VS Code itself (TreeItem objects, the extension host → renderer messages, layout and painting), tooltips (built on hover), the memento write of the filter text, and the engines (the listing is given). For a change under a filter the provider still works out the rows of every expanded row (as without a filter); refreshing only the rows of the touched engines saves VS Code fetching and drawing the rest, which is counted in rows here, not timed.',
  ].join('\n');
}
