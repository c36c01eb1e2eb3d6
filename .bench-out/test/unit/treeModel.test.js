"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const treeModel_1 = require("../../src/model/treeModel");
const recorded_1 = require("../support/recorded");
const ROOT = { rootEngine: 'default', containers: [] };
/** The recorded id of a container, straight from the engine's containers.json. */
function recordedId(engine, name) {
    const summary = (0, recorded_1.readJson)(engine, 'containers.json').find((c) => c.Names?.[0] === `/${name}`);
    strict_1.default.ok(summary, `${name} is in the ${engine} recording`);
    return summary.Id;
}
function names(children) {
    return children.map((c) => (c.kind === 'container' ? c.container.name : `note:${c.note.kind}`));
}
/** The child model reached by following names from the root engine down. */
function childAt(engine, ...path) {
    let children = (0, treeModel_1.engineChildren)(engine, ROOT);
    let found;
    for (const name of path) {
        found = children.find((c) => c.kind === 'container' && c.container.name === name);
        strict_1.default.ok(found, `${name} is a child (children: ${names(children).join(', ')})`);
        children = (0, treeModel_1.containerChildren)(found.container, found.path, 'engine');
    }
    strict_1.default.ok(found);
    return found;
}
/** Reads escaped tooltip Markdown back as the text a user sees. */
function visible(markdown) {
    return markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}
function withStatus(engine, status, containers = engine.containers) {
    return { ...engine, status, containers };
}
(0, node_test_1.describe)('tree children of the recorded engines', () => {
    const host = (0, recorded_1.recordedSnapshot)();
    (0, node_test_1.it)('lists the host: running containers by name, then the exited ones', () => {
        strict_1.default.deepEqual(names((0, treeModel_1.engineChildren)(host, ROOT)), [
            'fx-dind',
            'fx-dood',
            'fx-dood-env',
            'fx-plain',
            'fx-sysbox',
            'fx-dind-dood',
            'fx-stopped',
        ]);
    });
    (0, node_test_1.it)('gives each container its path from the root engine', () => {
        for (const child of (0, treeModel_1.engineChildren)(host, ROOT)) {
            strict_1.default.ok(child.kind === 'container');
            strict_1.default.deepEqual(child.path, { rootEngine: 'default', containers: [child.container.name] });
        }
        strict_1.default.deepEqual(childAt(host, 'fx-dind', 'fx-dind-inner', 'fx-grandchild').path, {
            rootEngine: 'default',
            containers: ['fx-dind', 'fx-dind-inner', 'fx-grandchild'],
        });
    });
    (0, node_test_1.it)('nests the DinD engines to depth 2 and the Sysbox engine', () => {
        const dind = childAt(host, 'fx-dind');
        strict_1.default.deepEqual(names((0, treeModel_1.containerChildren)(dind.container, dind.path, 'engine default')), ['fx-child', 'fx-dind-inner']);
        const inner = childAt(host, 'fx-dind', 'fx-dind-inner');
        strict_1.default.deepEqual(names((0, treeModel_1.containerChildren)(inner.container, inner.path, 'x')), ['fx-grandchild']);
        strict_1.default.equal(inner.container.inner?.depth, 2);
        strict_1.default.deepEqual(childAt(host, 'fx-dind', 'fx-child').path.containers, ['fx-dind', 'fx-child']);
        const sysbox = childAt(host, 'fx-sysbox');
        strict_1.default.deepEqual(names((0, treeModel_1.containerChildren)(sysbox.container, sysbox.path, 'x')), ['fx-sysbox-child']);
        strict_1.default.equal((0, treeModel_1.hasChildren)(sysbox.container), true);
    });
    (0, node_test_1.it)('puts one note about siblings under a DooD container', () => {
        const dood = childAt(host, 'fx-dood');
        strict_1.default.equal((0, treeModel_1.hasChildren)(dood.container), true);
        const children = (0, treeModel_1.containerChildren)(dood.container, dood.path, 'engine default');
        strict_1.default.equal(children.length, 1);
        const [note] = children;
        strict_1.default.ok(note.kind === 'note');
        strict_1.default.equal(note.note.kind, 'dood');
        strict_1.default.equal(note.note.text, 'Shares engine default: what it starts are siblings, listed beside it');
        strict_1.default.match(note.note.detail ?? '', /^fx-dood talks to the engine that runs it/);
        strict_1.default.equal(note.note.id, `${(0, treeModel_1.containerNodeId)(dood.container)}:dood`);
        const both = childAt(host, 'fx-dind-dood');
        strict_1.default.deepEqual(names((0, treeModel_1.containerChildren)(both.container, both.path, 'x')), ['note:dood'], 'stopped dind + dood: no inner engine, the note');
    });
    (0, node_test_1.it)('a plain container has no children', () => {
        const plain = childAt(host, 'fx-plain');
        strict_1.default.equal((0, treeModel_1.hasChildren)(plain.container), false);
        strict_1.default.deepEqual((0, treeModel_1.containerChildren)(plain.container, plain.path, 'x'), []);
        strict_1.default.equal((0, treeModel_1.hasChildren)(childAt(host, 'fx-stopped').container), false);
    });
});
(0, node_test_1.describe)('engine status notes', () => {
    const host = (0, recorded_1.recordedSnapshot)();
    (0, node_test_1.it)('a disconnected engine shows one note with the reason, not its old containers', () => {
        const reason = 'connect ENOENT /var/run/docker.sock';
        const children = (0, treeModel_1.engineChildren)(withStatus(host, { kind: 'disconnected', reason, permanent: false }), ROOT);
        strict_1.default.deepEqual(children, [{ kind: 'note', note: { kind: 'disconnected', id: 'engine:default:disconnected', text: 'Disconnected', detail: reason } }]);
    });
    (0, node_test_1.it)('a connecting engine shows one connecting note', () => {
        const children = (0, treeModel_1.engineChildren)(withStatus(host, { kind: 'connecting' }), ROOT);
        strict_1.default.deepEqual(names(children), ['note:connecting']);
        strict_1.default.ok(children[0].kind === 'note');
        strict_1.default.equal(children[0].note.id, 'engine:default:connecting');
    });
    (0, node_test_1.it)('a connected engine without containers says so', () => {
        strict_1.default.deepEqual(names((0, treeModel_1.engineChildren)(withStatus(host, { kind: 'connected' }, []), ROOT)), ['note:empty']);
    });
    (0, node_test_1.it)('a disconnected inner engine shows its note under the hosting container', () => {
        const dind = host.containers.find((c) => c.name === 'fx-dind');
        const broken = { ...dind, inner: withStatus(dind.inner, { kind: 'disconnected', reason: 'dial-stdio: EOF', permanent: true }) };
        const [note] = (0, treeModel_1.containerChildren)(broken, { rootEngine: 'default', containers: ['fx-dind'] }, 'x');
        strict_1.default.ok(note.kind === 'note');
        strict_1.default.equal(note.note.detail, 'dial-stdio: EOF');
        strict_1.default.equal(note.note.id, `engine:default/${recordedId('host', 'fx-dind')}:disconnected`);
    });
});
(0, node_test_1.describe)('node ids', () => {
    /** Every node id the tree would create for these root engines, in tree order. */
    function allIds(roots) {
        const ids = [];
        const visit = (models) => {
            for (const model of models) {
                if (model.kind === 'note') {
                    ids.push(model.note.id);
                    continue;
                }
                ids.push((0, treeModel_1.containerNodeId)(model.container));
                visit((0, treeModel_1.containerChildren)(model.container, model.path, 'x'));
            }
        };
        for (const engine of roots) {
            ids.push((0, treeModel_1.engineNodeId)(engine));
            visit((0, treeModel_1.engineChildren)(engine, { rootEngine: engine.name, containers: [] }));
        }
        return ids;
    }
    (0, node_test_1.it)('are the same for two separately built snapshots', () => {
        strict_1.default.deepEqual(allIds([(0, recorded_1.recordedSnapshot)()]), allIds([(0, recorded_1.recordedSnapshot)()]));
        const grandchild = (0, recorded_1.recordedSnapshot)().containers.find((c) => c.name === 'fx-dind')?.inner?.containers
            .find((c) => c.name === 'fx-dind-inner')?.inner?.containers[0];
        strict_1.default.equal((0, treeModel_1.containerNodeId)(grandchild), `container:default/${recordedId('host', 'fx-dind')}/${recordedId('fx-dind', 'fx-dind-inner')}/${recordedId('fx-dind-inner', 'fx-grandchild')}`);
        strict_1.default.equal((0, treeModel_1.engineNodeId)((0, recorded_1.recordedSnapshot)()), 'engine:default');
    });
    (0, node_test_1.it)('are unique across the whole graph, also when two engines hold the same container ids', () => {
        const ids = allIds([(0, recorded_1.recordedSnapshot)(), (0, recorded_1.recordedSnapshot)('host', 'remote', 'remote')]);
        // Per root: 1 engine, 7 + 2 + 1 + 1 containers, 3 DooD notes.
        strict_1.default.equal(ids.length, 30);
        strict_1.default.equal(new Set(ids).size, ids.length);
        const a = (0, recorded_1.recordedSnapshot)().containers[0];
        const b = (0, recorded_1.recordedSnapshot)('host', 'remote', 'remote').containers[0];
        strict_1.default.equal(a.id, b.id);
        strict_1.default.notEqual((0, treeModel_1.containerNodeId)(a), (0, treeModel_1.containerNodeId)(b));
    });
});
(0, node_test_1.describe)('descriptions and tooltips', () => {
    const host = (0, recorded_1.recordedSnapshot)();
    const container = (name) => childAt(host, name);
    (0, node_test_1.it)('describes a container by image, state and mode', () => {
        strict_1.default.equal((0, treeModel_1.containerDescription)(container('fx-dind-dood').container), 'docker:dind · exited · dind + dood');
        strict_1.default.equal((0, treeModel_1.containerDescription)(container('fx-plain').container), 'busybox:latest · running · plain');
        strict_1.default.equal((0, treeModel_1.containerDescription)(container('fx-sysbox').container), 'docker:dind · running · sysbox');
    });
    (0, node_test_1.it)('the plain container tooltip has id, image, state, mode, evidence, meaning, ports and mounts', () => {
        const { container: c, path } = container('fx-plain');
        const md = (0, treeModel_1.containerTooltipMarkdown)(c, path);
        const text = visible(md);
        strict_1.default.equal(text.split('\n')[0], '**fx-plain** — plain');
        strict_1.default.match(text, /^- Where: default › fx-plain$/m);
        strict_1.default.match(text, new RegExp(`^- Id: ${recordedId('host', 'fx-plain').slice(0, 12)}$`, 'm'));
        strict_1.default.match(text, /^- Image: busybox:latest$/m);
        strict_1.default.match(text, /^- State: running \(Up 26 seconds\)$/m);
        strict_1.default.match(text, /^- no engine socket, no inner engine, not privileged$/m);
        strict_1.default.match(text, /^- No Docker access: an ordinary container\.$/m);
        strict_1.default.ok(md.includes('**Ports**\n\n- 127\\.0\\.0\\.1\\:18080 → 80\\/tcp'), md);
        strict_1.default.match(text, /\*\*Mounts\*\*\n\n- volume fx-plain-data → \/data$/m);
        strict_1.default.doesNotMatch(text, /read-only/);
    });
    (0, node_test_1.it)('the DinD + DooD tooltip explains privilege and the socket', () => {
        const { container: c, path } = container('fx-dind-dood');
        const text = visible((0, treeModel_1.containerTooltipMarkdown)(c, path));
        strict_1.default.equal(text.split('\n')[0], '**fx-dind-dood** — dind + dood');
        strict_1.default.match(text, /^- State: exited \(Exited \(1\) 19 seconds ago\)$/m);
        strict_1.default.match(text, /^- --privileged \(root on the host\)$/m);
        strict_1.default.match(text, /^- not running: the inner engine was not probed$/m);
        strict_1.default.match(text, /^- mounts the engine socket \/var\/run\/docker\.sock at \/var\/run\/docker\.sock$/m);
        strict_1.default.match(text, /^- Privileged: root on the host\./m);
        strict_1.default.match(text, /^- Socket mount: control of every container on this engine/m);
        strict_1.default.match(text, /^- bind \/var\/run\/docker\.sock → \/var\/run\/docker\.sock$/m);
        strict_1.default.match(text, /^- volume 585b1dd50d65a0d2e8baf74b26d4d93e54313ccb5abdf0b1991b1f7992d25b5a → \/var\/lib\/docker$/m);
        strict_1.default.doesNotMatch(text, /\*\*Ports\*\*/);
    });
    (0, node_test_1.it)('the Sysbox tooltip explains user namespaces and is not privileged', () => {
        const { container: c, path } = container('fx-sysbox');
        const text = visible((0, treeModel_1.containerTooltipMarkdown)(c, path));
        strict_1.default.match(text, /^- Sysbox: isolated by user namespaces; root inside is not root on the host\.$/m);
        strict_1.default.match(text, /^- runtime sysbox-runc \(Sysbox\)$/m);
        strict_1.default.doesNotMatch(text, /Privileged: root on the host/);
        strict_1.default.match(text, /\*\*Ports\*\*\n\n- 2375\/tcp\n- 2376\/tcp/);
    });
    (0, node_test_1.it)('the engine tooltip and description, connected and disconnected', () => {
        strict_1.default.equal(visible((0, treeModel_1.engineTooltipMarkdown)(host)), [
            '**Engine default** (current context)',
            '',
            '- Endpoint: unix:///var/run/docker.sock',
            '- Docker 20.10.24+dfsg1, API 1.41, linux/amd64',
            '- 7 containers, 5 running',
        ].join('\n'));
        strict_1.default.equal((0, treeModel_1.engineDescription)(host), 'Docker 20.10.24+dfsg1 · unix:///var/run/docker.sock');
        const down = { ...withStatus(host, { kind: 'disconnected', reason: 'connect ECONNREFUSED 10.0.0.5:2376', permanent: false }), current: false };
        const text = visible((0, treeModel_1.engineTooltipMarkdown)(down));
        strict_1.default.equal(text.split('\n')[0], '**Engine default**');
        strict_1.default.match(text, /^- \*\*Disconnected\*\*: connect ECONNREFUSED 10\.0\.0\.5:2376$/m);
        strict_1.default.match(text, /^- Reconnecting by itself; use Retry to try now\.$/m);
        strict_1.default.doesNotMatch(text, /containers, /);
        strict_1.default.equal((0, treeModel_1.engineDescription)(down), 'disconnected · unix:///var/run/docker.sock');
        const permanent = withStatus(host, { kind: 'disconnected', reason: 'gone', permanent: true });
        strict_1.default.match((0, treeModel_1.engineTooltipMarkdown)(permanent), /^- Retrying will not help until the container changes\.$/m);
    });
});
//# sourceMappingURL=treeModel.test.js.map