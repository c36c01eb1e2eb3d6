import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { ContainerSummary } from '../../src/model/apiTypes';
import type { ContainerSnapshot, EngineSnapshot } from '../../src/model/snapshot';
import { containerChildren, containerDescription, containerNodeId, containerTooltipMarkdown, engineChildren, engineDescription, engineNodeId, engineTooltipMarkdown, hasChildren, type ChildModel } from '../../src/model/treeModel';
import { type NodePath } from '../../src/model/targets';
import { readJson } from '../support/recorded';
import { recordedGraphSnapshot, recordedGraphSnapshots, REMOTE_ENGINE } from '../support/recordedEngines';
import { LOCAL_ENGINE } from '../support/testGraph';

const ROOT: NodePath = { engine: 'default', path: [] };

/** The recorded id of a container, straight from the engine's containers.json. */
function recordedId(engine: string, name: string): string {
  const summary = readJson<ContainerSummary[]>(engine, 'containers.json').find((c) => c.Names?.[0] === `/${name}`);
  assert.ok(summary, `${name} is in the ${engine} recording`);
  return summary.Id;
}

function names(children: ChildModel[]): string[] {
  return children.map((c) => (c.kind === 'container' ? c.container.name : `note:${c.note.kind}`));
}

/** The child model reached by following names from the root engine down. */
function childAt(engine: EngineSnapshot, ...path: string[]): Extract<ChildModel, { kind: 'container' }> {
  let children = engineChildren(engine, ROOT);
  let found: Extract<ChildModel, { kind: 'container' }> | undefined;
  for (const name of path) {
    found = children.find((c): c is Extract<ChildModel, { kind: 'container' }> => c.kind === 'container' && c.container.name === name);
    assert.ok(found, `${name} is a child (children: ${names(children).join(', ')})`);
    children = containerChildren(found.container, found.at, 'engine');
  }
  assert.ok(found);
  return found;
}

/** Reads escaped tooltip Markdown back as the text a user sees. */
function visible(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

function withStatus(engine: EngineSnapshot, status: EngineSnapshot['status'], containers = engine.containers): EngineSnapshot {
  return { ...engine, status, containers };
}

describe('tree children of the recorded engines', () => {
  let host: EngineSnapshot;
  before(async () => {
    host = await recordedGraphSnapshot();
  });

  it('lists the host: running containers by name, then the exited ones', () => {
    assert.deepEqual(names(engineChildren(host, ROOT)), [
      'fx-dind',
      'fx-dood',
      'fx-dood-env',
      'fx-plain',
      'fx-sysbox',
      'fx-dind-dood',
      'fx-stopped',
    ]);
  });

  it('gives each container its path from the root engine', () => {
    for (const child of engineChildren(host, ROOT)) {
      assert.ok(child.kind === 'container');
      assert.deepEqual(child.at, { engine: 'default', path: [child.container.name] });
    }
    assert.deepEqual(childAt(host, 'fx-dind', 'fx-dind-inner', 'fx-grandchild').at, {
      engine: 'default',
      path: ['fx-dind', 'fx-dind-inner', 'fx-grandchild'],
    });
  });

  it('nests the DinD engines to depth 2 and the Sysbox engine', () => {
    const dind = childAt(host, 'fx-dind');
    assert.deepEqual(names(containerChildren(dind.container, dind.at, 'engine default')), ['fx-child', 'fx-dind-inner']);
    const inner = childAt(host, 'fx-dind', 'fx-dind-inner');
    assert.deepEqual(names(containerChildren(inner.container, inner.at, 'x')), ['fx-grandchild']);
    assert.equal(inner.container.inner?.depth, 2);
    assert.deepEqual(childAt(host, 'fx-dind', 'fx-child').at.path, ['fx-dind', 'fx-child']);
    const sysbox = childAt(host, 'fx-sysbox');
    assert.deepEqual(names(containerChildren(sysbox.container, sysbox.at, 'x')), ['fx-sysbox-child']);
    assert.equal(hasChildren(sysbox.container), true);
  });

  it('puts one note about siblings under a DooD container', () => {
    const dood = childAt(host, 'fx-dood');
    assert.equal(hasChildren(dood.container), true);
    const children = containerChildren(dood.container, dood.at, 'engine default');
    assert.equal(children.length, 1);
    const [note] = children;
    assert.ok(note.kind === 'note');
    assert.equal(note.note.kind, 'dood');
    assert.equal(note.note.text, 'Shares engine default: what it starts are siblings, listed beside it');
    assert.match(note.note.detail ?? '', /^fx-dood talks to the engine that runs it/);
    // Shown as a plain-string tooltip: no Markdown backticks.
    assert.doesNotMatch(note.note.detail ?? "", /`/);
    assert.equal(note.note.id, `${containerNodeId(dood.container)}:dood`);
    const both = childAt(host, 'fx-dind-dood');
    assert.deepEqual(names(containerChildren(both.container, both.at, 'x')), ['note:dood'], 'stopped dind + dood: no inner engine, the note');
  });

  it('a plain container has no children', () => {
    const plain = childAt(host, 'fx-plain');
    assert.equal(hasChildren(plain.container), false);
    assert.deepEqual(containerChildren(plain.container, plain.at, 'x'), []);
    assert.equal(hasChildren(childAt(host, 'fx-stopped').container), false);
  });
});

describe('engine status notes', () => {
  let host: EngineSnapshot;
  before(async () => {
    host = await recordedGraphSnapshot();
  });

  it('a disconnected engine shows one note with the reason, not its old containers', () => {
    const reason = 'connect ENOENT /var/run/docker.sock';
    const children = engineChildren(withStatus(host, { kind: 'disconnected', reason, permanent: false }), ROOT);
    assert.deepEqual(children, [{ kind: 'note', note: { kind: 'disconnected', id: 'engine:default:disconnected', text: 'Disconnected', detail: reason } }]);
  });

  it('a connecting engine shows one connecting note', () => {
    const children = engineChildren(withStatus(host, { kind: 'connecting' }), ROOT);
    assert.deepEqual(names(children), ['note:connecting']);
    assert.ok(children[0].kind === 'note');
    assert.equal(children[0].note.id, 'engine:default:connecting');
  });

  it('a connected engine without containers says so', () => {
    assert.deepEqual(names(engineChildren(withStatus(host, { kind: 'connected' }, []), ROOT)), ['note:empty']);
  });

  it('a disconnected inner engine shows its note under the hosting container', () => {
    const dind = host.containers.find((c) => c.name === 'fx-dind') as ContainerSnapshot;
    const broken = { ...dind, inner: withStatus(dind.inner as EngineSnapshot, { kind: 'disconnected', reason: 'dial-stdio: EOF', permanent: true }) };
    const [note] = containerChildren(broken, { engine: 'default', path: ['fx-dind'] }, 'x');
    assert.ok(note.kind === 'note');
    assert.equal(note.note.detail, 'dial-stdio: EOF');
    assert.equal(note.note.id, `engine:default/${recordedId('host', 'fx-dind')}:disconnected`);
  });
});

describe('node ids', () => {
  /** Every node id the tree would create for these root engines, in tree order. */
  function allIds(roots: EngineSnapshot[]): string[] {
    const ids: string[] = [];
    const visit = (models: ChildModel[]) => {
      for (const model of models) {
        if (model.kind === 'note') {
          ids.push(model.note.id);
          continue;
        }
        ids.push(containerNodeId(model.container));
        visit(containerChildren(model.container, model.at, 'x'));
      }
    };
    for (const engine of roots) {
      ids.push(engineNodeId(engine));
      visit(engineChildren(engine, { engine: engine.name, path: [] }));
    }
    return ids;
  }

  it('are the same for two separately built snapshots', async () => {
    const [first, second] = [await recordedGraphSnapshot(), await recordedGraphSnapshot()];
    assert.deepEqual(allIds([first]), allIds([second]));
    const grandchild = first.containers.find((c) => c.name === 'fx-dind')?.inner?.containers
      .find((c) => c.name === 'fx-dind-inner')?.inner?.containers[0] as ContainerSnapshot;
    assert.equal(
      containerNodeId(grandchild),
      `container:default/${recordedId('host', 'fx-dind')}/${recordedId('fx-dind', 'fx-dind-inner')}/${recordedId('fx-dind-inner', 'fx-grandchild')}`,
    );
    assert.equal(engineNodeId(second), 'engine:default');
  });

  it('are unique across the whole graph, also when two engines hold the same container ids', async () => {
    const [host, remote] = await recordedGraphSnapshots([LOCAL_ENGINE, REMOTE_ENGINE]);
    const ids = allIds([host, remote]);
    // Per root: 1 engine, 7 + 2 + 1 + 1 containers, 3 DooD notes.
    assert.equal(ids.length, 30);
    assert.equal(new Set(ids).size, ids.length);
    const a = host.containers[0];
    const b = remote.containers[0];
    assert.equal(a.id, b.id);
    assert.notEqual(containerNodeId(a), containerNodeId(b));
  });
});

describe('descriptions and tooltips', () => {
  let host: EngineSnapshot;
  before(async () => {
    host = await recordedGraphSnapshot();
  });
  const container = (name: string) => childAt(host, name);

  it('describes a container by mode first (none for plain), then uptime or state, then image', () => {
    const plain = container('fx-plain').container;
    const started = Date.parse(plain.inspect?.State?.StartedAt ?? '');
    assert.equal(containerDescription(container('fx-dind-dood').container, started), 'dind + dood · exited (1) · docker:dind');
    assert.equal(containerDescription(plain, started + 5 * 60_000 + 30_000), 'up 5 min · busybox:latest');
    const sysbox = container('fx-sysbox').container;
    assert.equal(containerDescription(sysbox, Date.parse(sysbox.inspect?.State?.StartedAt ?? '') + 20_000), 'sysbox · up <1 min · docker:dind');
  });

  it('says "running" rather than a wrong uptime when the inspect is of an earlier run', () => {
    const plain = container('fx-plain').container;
    const earlierRun = { ...plain, inspect: plain.inspect && { ...plain.inspect, State: { ...plain.inspect.State, Running: false } } };
    assert.equal(containerDescription(earlierRun, Date.now()), 'running · busybox:latest');
  });

  it('the tooltip states the uptime at hover time, not the listing\'s "Up …"', () => {
    const { container: c, at } = container('fx-plain');
    const started = Date.parse(c.inspect?.State?.StartedAt ?? '');
    assert.match(visible(containerTooltipMarkdown(c, at, started + 3 * 3_600_000)), /- State: up 3 h, started /);
    assert.doesNotMatch(visible(containerTooltipMarkdown(c, at, started + 3 * 3_600_000)), new RegExp(c.summary.Status ?? 'no status'));
  });

  it('the plain container tooltip has id, image, state, mode, evidence, meaning, ports and mounts', () => {
    const { container: c, at } = container('fx-plain');
    const md = containerTooltipMarkdown(c, at);
    const text = visible(md);
    assert.equal(text.split('\n')[0], '**fx-plain** — plain');
    assert.match(text, /^- Where: default › fx-plain$/m);
    assert.match(text, new RegExp(`^- Id: ${recordedId('host', 'fx-plain').slice(0, 12)}$`, 'm'));
    assert.match(text, /^- Image: busybox:latest$/m);
    assert.match(text, /^- State: up \d+ (min|h|days), started .+$/m);
    assert.match(text, /^- no engine socket, no inner engine, not privileged$/m);
    assert.match(text, /^- No Docker access: an ordinary container\.$/m);
    assert.ok(md.includes('**Ports**\n\n- 127\\.0\\.0\\.1\\:18080 → 80\\/tcp'), md);
    assert.match(text, /\*\*Mounts\*\*\n\n- volume fx-plain-data → \/data$/m);
    assert.doesNotMatch(text, /read-only/);
  });

  it('the DinD + DooD tooltip explains privilege and the socket', () => {
    const { container: c, at } = container('fx-dind-dood');
    const text = visible(containerTooltipMarkdown(c, at));
    assert.equal(text.split('\n')[0], '**fx-dind-dood** — dind + dood');
    assert.match(text, /^- State: exited \(1\)$/m);
    assert.match(text, /^- --privileged \(root on the host\)$/m);
    assert.match(text, /^- not running: the inner engine was not probed$/m);
    assert.match(text, /^- mounts the engine socket \/var\/run\/docker\.sock at \/var\/run\/docker\.sock$/m);
    assert.match(text, /^- Privileged: root on the host\./m);
    assert.match(text, /^- Socket mount: control of every container on this engine/m);
    assert.match(text, /^- bind \/var\/run\/docker\.sock → \/var\/run\/docker\.sock$/m);
    assert.match(text, /^- volume 585b1dd50d65a0d2e8baf74b26d4d93e54313ccb5abdf0b1991b1f7992d25b5a → \/var\/lib\/docker$/m);
    assert.doesNotMatch(text, /\*\*Ports\*\*/);
  });

  it('the Sysbox tooltip explains user namespaces and is not privileged', () => {
    const { container: c, at } = container('fx-sysbox');
    const text = visible(containerTooltipMarkdown(c, at));
    assert.match(text, /^- Sysbox: isolated by user namespaces; root inside is not root on the host\.$/m);
    assert.match(text, /^- runtime sysbox-runc \(Sysbox\)$/m);
    assert.doesNotMatch(text, /Privileged: root on the host/);
    assert.match(text, /\*\*Ports\*\*\n\n- 2375\/tcp\n- 2376\/tcp/);
  });

  it('the engine tooltip and description, connected and disconnected', () => {
    assert.equal(
      visible(engineTooltipMarkdown(host)),
      [
        '**Engine default** (current context)',
        '',
        '- Endpoint: unix:///var/run/docker.sock',
        '- Docker 20.10.24+dfsg1, API 1.41, linux/amd64',
        '- 7 containers, 5 running',
      ].join('\n'),
    );
    assert.equal(engineDescription(host), 'Docker 20.10.24+dfsg1 · unix:///var/run/docker.sock');
    const down = { ...withStatus(host, { kind: 'disconnected', reason: 'connect ECONNREFUSED 10.0.0.5:2376', permanent: false }), current: false };
    const text = visible(engineTooltipMarkdown(down));
    assert.equal(text.split('\n')[0], '**Engine default**');
    assert.match(text, /^- \*\*Disconnected\*\*: connect ECONNREFUSED 10\.0\.0\.5:2376$/m);
    assert.match(text, /^- Reconnecting by itself; use Retry to try now\.$/m);
    assert.doesNotMatch(text, /containers, /);
    assert.equal(engineDescription(down), 'disconnected · unix:///var/run/docker.sock');
    const permanent = withStatus(host, { kind: 'disconnected', reason: 'gone', permanent: true });
    assert.match(engineTooltipMarkdown(permanent), /^- Retrying will not help until the container changes\.$/m);
  });
});
