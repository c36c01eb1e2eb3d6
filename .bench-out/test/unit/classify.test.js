"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const classify_1 = require("../../src/model/classify");
const recorded_1 = require("../support/recorded");
function input(engine, name, probe, sysboxRuntimes = ['sysbox-runc']) {
    const summary = (0, recorded_1.readJson)(engine, 'containers.json').find((c) => c.Names?.[0] === `/${name}`);
    strict_1.default.ok(summary, `${name} is in the ${engine} recording`);
    return {
        summary,
        inspect: (0, recorded_1.readJson)(engine, 'inspect', `${name}.json`),
        engineSocketPaths: ['/var/run/docker.sock'],
        sysboxRuntimes,
        probe,
    };
}
(0, node_test_1.describe)('classification from recorded inspect JSON', () => {
    (0, node_test_1.it)('a plain busybox container is plain, not a candidate, and says why', () => {
        const c = (0, classify_1.classify)(input('host', 'fx-plain'));
        strict_1.default.equal(c.mode, 'plain');
        strict_1.default.equal(c.dood, false);
        strict_1.default.equal(c.privileged, false);
        strict_1.default.equal((0, classify_1.isEngineCandidate)(input('host', 'fx-plain')), false);
        strict_1.default.match(c.evidence.join(' '), /no engine socket/);
    });
    (0, node_test_1.it)('a socket mount is DooD, with the mount as evidence', () => {
        const c = (0, classify_1.classify)(input('host', 'fx-dood'));
        strict_1.default.equal(c.mode, 'dood');
        strict_1.default.equal(c.dood, true);
        strict_1.default.match(c.evidence.join(' '), /mounts the engine socket \/var\/run\/docker\.sock at \/var\/run\/docker\.sock/);
        strict_1.default.equal((0, classify_1.isEngineCandidate)(input('host', 'fx-dood')), false, 'DooD containers are never probed');
    });
    (0, node_test_1.it)('DOCKER_HOST pointing outside the container is DooD without a socket mount', () => {
        const c = (0, classify_1.classify)(input('host', 'fx-dood-env'));
        strict_1.default.equal(c.mode, 'dood');
        strict_1.default.match(c.evidence.join(' '), /DOCKER_HOST=tcp:\/\/host\.docker\.internal:2375/);
    });
    (0, node_test_1.it)('a privileged docker:dind whose engine answered is DinD and names --privileged', () => {
        const c = (0, classify_1.classify)(input('host', 'fx-dind', { answered: true }));
        strict_1.default.equal(c.mode, 'dind');
        strict_1.default.equal(c.privileged, true);
        strict_1.default.equal(c.hostsEngine, true);
        strict_1.default.match(c.evidence.join(' '), /--privileged/);
        strict_1.default.match(c.evidence.join(' '), /an engine answers inside/);
        strict_1.default.equal((0, classify_1.isEngineCandidate)(input('host', 'fx-dind')), true);
    });
    (0, node_test_1.it)('a DinD inside a DinD is classified the same way by its own engine', () => {
        const c = (0, classify_1.classify)(input('fx-dind', 'fx-dind-inner', { answered: true }));
        strict_1.default.equal(c.mode, 'dind');
        strict_1.default.equal(c.privileged, true);
    });
    (0, node_test_1.it)('the Sysbox runtime makes it sysbox, not privileged', () => {
        const c = (0, classify_1.classify)(input('host', 'fx-sysbox', { answered: true }));
        strict_1.default.equal(c.mode, 'sysbox');
        strict_1.default.equal(c.privileged, false);
        strict_1.default.match(c.evidence.join(' '), /runtime sysbox-runc/);
        strict_1.default.match(c.evidence.join(' '), /not privileged/);
    });
    (0, node_test_1.it)('the Sysbox runtime names come from the setting', () => {
        const c = (0, classify_1.classify)(input('host', 'fx-sysbox', { answered: true }, ['kata']));
        strict_1.default.equal(c.mode, 'dind', 'with another runtime list the same container is an unprivileged DinD');
        strict_1.default.equal(c.privileged, false);
    });
    (0, node_test_1.it)('DinD that also mounts the socket is both, and says so', () => {
        const c = (0, classify_1.classify)(input('host', 'fx-dind-dood'));
        strict_1.default.equal(c.mode, 'dind', 'privileged docker:dind counts as DinD even while stopped');
        strict_1.default.equal(c.dood, true);
        strict_1.default.equal((0, classify_1.modeLabel)(c), 'dind + dood');
        strict_1.default.match(c.evidence.join(' '), /not running/);
        strict_1.default.equal((0, classify_1.isEngineCandidate)(input('host', 'fx-dind-dood')), false, 'not running: nothing to probe');
    });
    (0, node_test_1.it)('a privileged container with no engine inside is plain and flags the privilege', () => {
        const base = input('host', 'fx-plain');
        const inspect = { ...base.inspect, HostConfig: { ...base.inspect.HostConfig, Privileged: true } };
        const candidate = { ...base, inspect };
        strict_1.default.equal((0, classify_1.isEngineCandidate)(candidate), true, 'privileged alone nominates a probe');
        const c = (0, classify_1.classify)({ ...candidate, probe: { answered: false, reason: 'docker system dial-stdio: not installed' } });
        strict_1.default.equal(c.mode, 'plain');
        strict_1.default.equal(c.privileged, true);
        strict_1.default.match(c.evidence.join(' '), /--privileged \(root on the host\), but no engine answers inside/);
    });
    (0, node_test_1.it)('a stopped plain container is plain', () => {
        strict_1.default.equal((0, classify_1.classify)(input('host', 'fx-stopped')).mode, 'plain');
    });
    (0, node_test_1.it)('children of inner engines are plain', () => {
        strict_1.default.equal((0, classify_1.classify)(input('fx-dind', 'fx-child')).mode, 'plain');
        strict_1.default.equal((0, classify_1.classify)(input('fx-dind-inner', 'fx-grandchild')).mode, 'plain');
        strict_1.default.equal((0, classify_1.classify)(input('fx-sysbox', 'fx-sysbox-child')).mode, 'plain');
    });
});
//# sourceMappingURL=classify.test.js.map