// A recording of a busy nested picture for the tree benchmark (bench/rooms/tree.mjs), made only from
// what real engines answered (test/fixtures/recorded/grouping): the recorded containers are copied
// with new names, ids, Compose project names and pod names, every other field as recorded. The
// result has the layout of test/fixtures/recorded (<engine>/containers.json, inspect/, version.json,
// info.json), so that the extension's own EngineGraph lists it through test/support/recordedEngines.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The recorded groups a picture is made of, as real engines hold them: a Compose project of four
 * (one exited), the three pods of the cri-dockerd-labelled fixture (sandbox included), a second
 * project (as recorded inside a DinD), and single busybox containers.
 */
const GROUPS = {
  project: { engine: 'host', members: ['fxshop_web_1', 'fxshop_web_2', 'fxshop_worker_1', 'fxshop_migrate_1'] },
  coredns: { engine: 'host', members: ['k8s_POD_coredns-5d78c9869d-x7k2p_kube-system_5b1f8c2e-6a0d-4c4e-9f3e-2d7f1c0a9b11_0', 'k8s_coredns_coredns-5d78c9869d-x7k2p_kube-system_5b1f8c2e-6a0d-4c4e-9f3e-2d7f1c0a9b11_0'] },
  etcd: { engine: 'host', members: ['k8s_POD_etcd-minikube_kube-system_0e6c2d4a-1b7f-4f8e-a3c5-9d2e8b7a6f40_0', 'k8s_etcd_etcd-minikube_kube-system_0e6c2d4a-1b7f-4f8e-a3c5-9d2e8b7a6f40_0'] },
  webPod: {
    engine: 'host',
    members: ['k8s_POD_web-0_shop_a3d9e7f1-2c4b-4d6a-8e0f-1b3c5d7e9f21_0', 'k8s_nginx_web-0_shop_a3d9e7f1-2c4b-4d6a-8e0f-1b3c5d7e9f21_0', 'k8s_log-sidecar_web-0_shop_a3d9e7f1-2c4b-4d6a-8e0f-1b3c5d7e9f21_0'],
  },
  inner: { engine: 'fxshop_ci_1', members: ['fxinner_db_1', 'fxinner_app_1'] },
  build: { engine: 'host', members: ['fx-build-10'] },
  dind: { engine: 'host', members: ['fxshop_ci_1'] },
};

/** What each group's copy number `n` renames, besides every container's name and id. */
function renames(group, n) {
  const hex = hash(`${group}/${n}`);
  const uid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  switch (group) {
    case 'project':
      return [['fxshop', `shop${n}`]];
    case 'inner':
      return [['fxinner', `svc${n}`]];
    case 'dind':
      return [['fxshop', `ci${n}`]];
    case 'build':
      return [['fx-build-10', `build-${n}`]];
    case 'coredns':
      return [['5b1f8c2e-6a0d-4c4e-9f3e-2d7f1c0a9b11', uid], ['x7k2p', hex.slice(40, 45).replace(/[0-9]/g, (d) => 'bcdfghjklm'[d])]];
    case 'etcd':
      return [['0e6c2d4a-1b7f-4f8e-a3c5-9d2e8b7a6f40', uid], ['etcd-minikube', `etcd-minikube-m${String(n).padStart(2, '0')}`]];
    case 'webPod':
      return [['a3d9e7f1-2c4b-4d6a-8e0f-1b3c5d7e9f21', uid], ['web-0', `web-${n}`]];
    default:
      throw new Error(`no group ${group}`);
  }
}

const hash = (text) => crypto.createHash('sha256').update(text).digest('hex');
const read = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const replaceAll = (text, pairs) => pairs.reduce((t, [from, to]) => t.split(from).join(to), text);

/** Which groups fill an engine, in turn; what does not fit at the end is filled with single containers. */
const ROTATION = ['project', 'build', 'coredns', 'build', 'webPod', 'build', 'inner', 'etcd', 'build', 'webPod'];

/**
 * Writes the recording into `dir`: `engines` engines (the root and DinDs in it, some two deep) with
 * `containers` containers in all, the DinDs that run the inner engines counted. Returns a summary.
 */
export function writeTreeRecording(recorded, dir, { engines = 10, containers = 500 } = {}) {
  const source = path.join(recorded, 'grouping');
  const summaries = new Map();
  for (const engine of ['host', 'fxshop_ci_1']) for (const c of read(path.join(source, engine, 'containers.json'))) summaries.set(c.Names[0].slice(1), { engine, summary: c });
  const inspectOf = (engine, name) => read(path.join(source, engine, 'inspect', `${name}.json`));

  // Inner engine i (1-based) runs in a DinD on engine parentOf(i): six on the root, the rest one deeper.
  const parentOf = (i) => (i <= 6 ? 0 : i - 6);
  const folders = ['host'];
  const byEngine = Array.from({ length: engines }, () => []);
  const counters = new Map();
  const copy = (group, engineIndex) => {
    const n = (counters.get(group) ?? 0) + 1;
    counters.set(group, n);
    const pairs = renames(group, n);
    const members = GROUPS[group].members.map((old) => {
      const { summary, engine } = summaries.get(old);
      const name = replaceAll(old, pairs);
      const id = hash(`${engineIndex}/${name}`);
      return { old, name, id, summary, inspect: inspectOf(engine, old) };
    });
    // Ids first (a sandbox id is in its containers' labels), then their short forms (host names), then names.
    const all = [...members.flatMap((m) => [[m.summary.Id, m.id]]), ...members.map((m) => [m.summary.Id.slice(0, 12), m.id.slice(0, 12)]), ...pairs];
    return members.map((m) => ({ name: m.name, id: m.id, oldId: m.summary.Id, summary: JSON.parse(replaceAll(JSON.stringify(m.summary), all)), inspect: JSON.parse(replaceAll(JSON.stringify(m.inspect), all)) }));
  };

  for (let i = 1; i < engines; i++) {
    const [dind] = copy('dind', parentOf(i));
    byEngine[parentOf(i)].push(dind);
    folders[i] = dind.name;
    // The engine inside answers as the recorded inner engine did, under its own ID and host name.
    const info = read(path.join(source, 'fxshop_ci_1', 'info.json'));
    const fields = [[info.ID, hash(`engine/${i}`).slice(0, 48).toUpperCase().match(/.{4}/g).join(':')], [dind.oldId.slice(0, 12), dind.id.slice(0, 12)]];
    fs.mkdirSync(path.join(dir, dind.name, 'inspect'), { recursive: true });
    fs.writeFileSync(path.join(dir, dind.name, 'info.json'), replaceAll(JSON.stringify(info), fields));
    fs.copyFileSync(path.join(source, 'fxshop_ci_1', 'version.json'), path.join(dir, dind.name, 'version.json'));
  }
  fs.mkdirSync(path.join(dir, 'host', 'inspect'), { recursive: true });
  for (const file of ['info.json', 'version.json']) fs.copyFileSync(path.join(source, 'host', file), path.join(dir, 'host', file));

  const quota = (i) => Math.floor(containers / engines) + (i < containers % engines ? 1 : 0);
  for (let i = 0; i < engines; i++) {
    let turn = i;
    while (byEngine[i].length < quota(i)) {
      const group = ROTATION[turn++ % ROTATION.length];
      const fits = GROUPS[group].members.length <= quota(i) - byEngine[i].length;
      byEngine[i].push(...copy(fits ? group : 'build', i));
    }
    // Listed in an order natural order has to fix (a shuffle, the same on every run).
    const listed = [...byEngine[i]].sort((a, b) => a.id.localeCompare(b.id));
    fs.writeFileSync(path.join(dir, folders[i], 'containers.json'), JSON.stringify(listed.map((c) => c.summary)));
    for (const c of listed) fs.writeFileSync(path.join(dir, folders[i], 'inspect', `${c.name}.json`), JSON.stringify(c.inspect));
  }
  return { engines: folders.length, containers: byEngine.reduce((sum, list) => sum + list.length, 0), perGroup: Object.fromEntries(counters) };
}
