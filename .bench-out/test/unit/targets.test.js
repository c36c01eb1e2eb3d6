"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const targets_1 = require("../../src/model/targets");
const recorded_1 = require("../support/recorded");
function recordedId(engine, name) {
    const summary = (0, recorded_1.readJson)(engine, 'containers.json').find((c) => c.Names?.[0] === `/${name}`);
    strict_1.default.ok(summary, `${name} is in the ${engine} recording`);
    return summary.Id;
}
const DIND = recordedId('host', 'fx-dind');
const INNER = recordedId('fx-dind', 'fx-dind-inner');
const GRANDCHILD = recordedId('fx-dind-inner', 'fx-grandchild');
const DEEP = ['fx-dind', 'fx-dind-inner', 'fx-grandchild'];
/** The recorded host as the current engine, and the same recording as a second, non-current engine "remote". */
function roots() {
    return [{ ...(0, recorded_1.recordedSnapshot)('host', 'remote', 'remote'), current: false }, (0, recorded_1.recordedSnapshot)()];
}
function child(engine, name) {
    const found = engine.containers.find((c) => c.name === name);
    strict_1.default.ok(found, `${name} is on ${engine.name}`);
    return found;
}
function throwsTarget(target, message, engines = roots()) {
    strict_1.default.throws(() => (0, targets_1.resolveTarget)(engines, target), (error) => {
        strict_1.default.ok(error instanceof targets_1.TargetError, `a TargetError, got ${String(error)}`);
        if (typeof message === 'string')
            strict_1.default.equal(error.message, message);
        else
            strict_1.default.match(error.message, message);
        return true;
    });
}
(0, node_test_1.describe)('resolveTarget on the recorded engines', () => {
    (0, node_test_1.it)('walks names down to the grandchild on the current engine', () => {
        const resolved = (0, targets_1.resolveTarget)(roots(), { path: DEEP });
        strict_1.default.equal(resolved.container.name, 'fx-grandchild');
        strict_1.default.equal(resolved.container.id, GRANDCHILD);
        strict_1.default.equal(resolved.container.engineKey, `default/${DIND}/${INNER}`);
        strict_1.default.deepEqual(resolved.engines.map((e) => e.name), ['default', 'fx-dind', 'fx-dind-inner']);
        strict_1.default.deepEqual(resolved.engines.map((e) => e.key), ['default', `default/${DIND}`, `default/${DIND}/${INNER}`]);
        strict_1.default.deepEqual(resolved.path, { rootEngine: 'default', containers: DEEP });
    });
    (0, node_test_1.it)('without a current engine uses the first one', () => {
        const engines = roots().map((e) => ({ ...e, current: false }));
        strict_1.default.equal((0, targets_1.resolveTarget)(engines, { path: ['fx-plain'] }).engines[0].name, 'remote');
    });
    (0, node_test_1.it)('takes an engine by name', () => {
        const onDefault = (0, targets_1.resolveTarget)(roots(), { engine: 'default', path: DEEP });
        strict_1.default.equal(onDefault.engines[0].key, 'default');
        const onRemote = (0, targets_1.resolveTarget)(roots(), { engine: 'remote', path: DEEP });
        strict_1.default.equal(onRemote.container.id, GRANDCHILD);
        strict_1.default.equal(onRemote.container.engineKey, `remote/${DIND}/${INNER}`);
        strict_1.default.deepEqual(onRemote.path, { rootEngine: 'remote', containers: DEEP });
    });
    (0, node_test_1.it)('takes ids: a prefix of at least 4 characters or the full id, and reports names', () => {
        const byPrefix = (0, targets_1.resolveTarget)(roots(), { path: [DIND.slice(0, 4), INNER.slice(0, 12), GRANDCHILD] });
        strict_1.default.equal(byPrefix.container.id, GRANDCHILD);
        strict_1.default.deepEqual(byPrefix.path.containers, DEEP, 'the path is in names whatever the target used');
        strict_1.default.equal((0, targets_1.resolveTarget)(roots(), { path: [DIND] }).container.name, 'fx-dind');
        throwsTarget({ path: [DIND.slice(0, 3)] }, new RegExp(`^No container "${DIND.slice(0, 3)}" on default `));
    });
    (0, node_test_1.it)('an id prefix that fits two containers is ambiguous', () => {
        const host = (0, recorded_1.recordedSnapshot)();
        const plain = child(host, 'fx-plain');
        const stopped = child(host, 'fx-stopped');
        // The same engine answer with fx-stopped's id sharing fx-plain's first 6 characters.
        stopped.id = plain.id.slice(0, 6) + stopped.id.slice(6);
        throwsTarget({ path: [plain.id.slice(0, 6)] }, /^Several containers match "0735b8" on default \(containers: /, [host]);
        strict_1.default.equal((0, targets_1.resolveTarget)([host], { path: [plain.id.slice(0, 7)] }).container.name, 'fx-plain');
    });
});
(0, node_test_1.describe)('resolveTarget errors say where it stopped', () => {
    (0, node_test_1.it)('an unknown engine lists the engines', () => {
        throwsTarget({ engine: 'build-box', path: ['fx-plain'] }, 'No engine named "build-box". Engines: remote, default.');
        throwsTarget({ path: ['fx-plain'] }, 'No engine named "(current)". Engines: none.', []);
    });
    (0, node_test_1.it)('an unknown container names the engine it looked on and lists its containers', () => {
        throwsTarget({ path: ['fx-dind', 'ghost'] }, 'No container "ghost" on default › fx-dind (containers: fx-dind-inner, fx-child).');
        throwsTarget({ engine: 'remote', path: ['ghost'] }, 'No container "ghost" on remote (containers: fx-dind-dood, fx-sysbox, fx-dind, fx-stopped, fx-dood-env, fx-dood, fx-plain).');
    });
    (0, node_test_1.it)('a path through a container without an engine stops there', () => {
        throwsTarget({ path: ['fx-plain', 'x'] }, 'default › fx-plain runs no engine Matryoshka can reach, so it has no containers inside.');
        throwsTarget({ path: ['fx-dood', 'fx-plain'] }, /^default › fx-dood runs no engine/, roots());
    });
    (0, node_test_1.it)('a path through a disconnected inner engine gives its reason', () => {
        const host = (0, recorded_1.recordedSnapshot)();
        const dind = child(host, 'fx-dind');
        const inner = dind.inner;
        dind.inner = { ...inner, status: { kind: 'disconnected', reason: 'docker system dial-stdio: exit status 1', permanent: false } };
        throwsTarget({ path: ['fx-dind', 'fx-child'] }, 'Cannot reach default › fx-dind: docker system dial-stdio: exit status 1.', [host]);
        strict_1.default.equal((0, targets_1.resolveTarget)([host], { path: ['fx-dind'] }).container.name, 'fx-dind', 'the hosting container itself still resolves');
        const connecting = { ...(0, recorded_1.recordedSnapshot)(), status: { kind: 'connecting' } };
        throwsTarget({ path: ['fx-plain'] }, 'Cannot reach default: still connecting.', [connecting]);
    });
});
(0, node_test_1.describe)('isContainerTarget', () => {
    (0, node_test_1.it)('accepts an optional engine name and a non-empty path of strings', () => {
        strict_1.default.equal((0, targets_1.isContainerTarget)({ path: ['fx-plain'] }), true);
        strict_1.default.equal((0, targets_1.isContainerTarget)({ engine: 'default', path: DEEP }), true);
        strict_1.default.equal((0, targets_1.isContainerTarget)({ engine: undefined, path: ['a'], extra: 1 }), true);
    });
    (0, node_test_1.it)('rejects everything else', () => {
        for (const value of [
            undefined,
            null,
            'fx-plain',
            ['fx-plain'],
            {},
            { path: [] },
            { path: 'fx-plain' },
            { path: ['fx-dind', 3] },
            { engine: 3, path: ['fx-plain'] },
            { engine: null, path: ['fx-plain'] },
            { engine: 'default' },
        ]) {
            strict_1.default.equal((0, targets_1.isContainerTarget)(value), false, JSON.stringify(value));
        }
    });
});
//# sourceMappingURL=targets.test.js.map