import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EngineGraph } from '../../src/engine/engineGraph';
import { checkContainerHealth, checkEngineHealth } from '../../src/engine/healthGather';
import { PROBE_LABEL } from '../../src/engine/healthApi';
import type { HealthResult } from '../../src/model/healthTypes';
import { resolveTarget } from '../../src/model/targets';
import { docker, dockerIn } from '../support/docker';
import { HEALTH, createHealthFixture, removeHealthFixture } from '../support/healthFixture';
import { treePath } from '../support/runId';
import { newTestGraph } from '../support/testGraph';

function find(results: HealthResult[], check: string): HealthResult {
  const found = results.find((r) => r.check === check);
  assert.ok(found, `a "${check}" result among ${results.map((r) => `${r.check}=${r.status}`).join(', ')}`);
  return found;
}

describe('health checks on the real engine, fixtures made to fail', { timeout: 600_000 }, () => {
  let graph: EngineGraph;
  const check = async (path: string[]) => (await checkContainerHealth(graph, resolveTarget(graph.snapshot(), { path }))).results;

  before(async () => {
    await createHealthFixture({ nested: true });
    graph = newTestGraph();
    await graph.refreshAll();
  });

  after(async () => {
    graph?.dispose();
    await removeHealthFixture();
  });

  it('DinD with --storage-driver vfs: storage warns naming vfs, anonymous data root warns, no image for the probe warns', async () => {
    const results = await check([HEALTH.vfs]);
    const storage = find(results, 'storage driver');
    assert.equal(storage.status, 'warn');
    assert.match(storage.detail, new RegExp(`^The engine inside ${treePath(HEALTH.vfs)} uses the vfs storage driver`));
    const volume = (await docker(['inspect', '-f', '{{range .Mounts}}{{.Name}}{{end}}', HEALTH.vfs])).slice(0, 12);
    assert.equal(find(results, 'data root').status, 'warn');
    assert.match(find(results, 'data root').detail, new RegExp(`anonymous volume ${volume}`));
    assert.equal(find(results, 'probe container').status, 'warn');
    assert.match(find(results, 'probe container').fix ?? '', /Copy an image into it/);
  });

  it('DinD on a network with MTU 1400: the inner bridge (1500) is larger, with the fix', async () => {
    const results = await check([HEALTH.mtu]);
    const mtu = find(results, 'mtu');
    assert.equal(mtu.status, 'warn');
    assert.match(mtu.detail, new RegExp(`${HEALTH.mtu}'s eth0 has MTU 1400; the inner engine's bridge docker0 has MTU 1500`));
    assert.match(mtu.fix ?? '', /--mtu=1400/);
    assert.equal(find(results, 'storage driver').status, 'ok');
  });

  it('DooD container whose user is not in the socket group: socket error naming uid and group; no engine checks', async () => {
    const results = await check([HEALTH.dood]);
    const socket = find(results, 'dood socket');
    const group = await docker(['run', '--rm', '-v', '/var/run/docker.sock:/s', 'busybox:latest', 'stat', '-c', '%g', '/s']);
    assert.equal(socket.status, 'error');
    assert.match(socket.detail, new RegExp(`uid 1000 \\(groups 1000\\) cannot use /var/run/docker.sock: it is owned by 0:${group} with mode 660`));
    assert.match(socket.fix ?? '', new RegExp(`--group-add ${group}`));
    assert.equal(find(results, 'dood workdir').status, 'warn');
    assert.equal(results.some((r) => r.check === 'storage driver'), false);
  });

  it('healthy DinD with a named volume: every check ok but --privileged; the probe ran and left nothing', async () => {
    const results = await check([HEALTH.healthy]);
    for (const name of ['engine', 'storage driver', 'data root', 'mtu', 'cgroups', 'probe container', 'user namespace', 'api version', 'networking']) {
      assert.equal(find(results, name).status, 'ok', `${name}: ${find(results, name).detail}`);
    }
    assert.match(find(results, 'data root').detail, new RegExp(`named volume ${HEALTH.volume}`));
    assert.match(find(results, 'probe container').detail, /from busybox:latest; it exited with 0/);
    assert.equal(find(results, 'privileges').status, 'warn');
    assert.equal(await dockerIn([HEALTH.healthy], ['ps', '-aq', '--filter', `label=${PROBE_LABEL}`]), '');
  });

  it('two engines deep: the DinD inside it8-healthy is checked through the chain (vfs, outer engine is the inner one)', async () => {
    const results = await check([HEALTH.healthy, HEALTH.nested]);
    assert.equal(find(results, 'storage driver').status, 'warn');
    assert.match(find(results, 'storage driver').detail, new RegExp(`engine inside ${treePath(HEALTH.healthy, HEALTH.nested)} uses the vfs`));
    assert.match(find(results, 'api version').detail, new RegExp(`the engine inside ${treePath(HEALTH.healthy)} speaks API`));
    assert.equal(find(results, 'mtu').status, 'ok');
  });

  it('DinD whose dockerd failed on overlay-on-overlay (exited): engine and storage errors quote its log', async () => {
    const results = await check([HEALTH.overlayFail]);
    const engine = find(results, 'engine');
    assert.equal(engine.status, 'error');
    assert.match(engine.detail, new RegExp(`${HEALTH.overlayFail} is not running.*error initializing graphdriver: driver not supported`));
    const storage = find(results, 'storage driver');
    assert.equal(storage.status, 'error');
    assert.match(storage.detail, /did not start: its log says "failed to mount overlay: invalid argument \(storage-driver=overlay2\)/);
    assert.match(storage.fix ?? '', /Put \/var\/lib\/docker on a volume/);
  });

  it('DinD whose image has no iptables (exited): networking is an error quoting the daemon', async () => {
    const results = await check([HEALTH.noIptables]);
    assert.equal(find(results, 'engine').status, 'error');
    const networking = find(results, 'networking');
    assert.equal(networking.status, 'error');
    assert.match(networking.detail, /could not set up iptables: its log says .*failed to create NAT chain DOCKER: Iptables not found/);
  });

  it('the root engine itself: storage driver and a probe container, removed after', async () => {
    const run = await checkEngineHealth(graph, graph.snapshot()[0]);
    assert.equal(run.subject, 'engine "default"');
    const driver = (await docker(['info', '--format', '{{.Driver}}'])).trim();
    assert.match(find(run.results, 'storage driver').detail, new RegExp(`uses the ${driver} storage driver`));
    assert.equal(find(run.results, 'probe container').status, 'ok');
    assert.equal(await docker(['ps', '-aq', '--filter', `label=${PROBE_LABEL}`]), '');
  });
});
