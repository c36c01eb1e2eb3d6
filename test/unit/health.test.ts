import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { badgeMarkdown, badgeTooltip, healthBadge, runHealthChecks } from '../../src/model/health';
import { actionsFor, healthDecoration, healthReportModel, reportAction } from '../../src/model/healthReport';
import { parseMtus } from '../../src/model/healthChecks';
import { parseSocketReport } from '../../src/model/healthDood';
import { logMessage, overlayFailures } from '../../src/model/healthStorage';
import type { HealthInput, HealthResult } from '../../src/model/healthTypes';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RECORDED, readJson } from '../support/recorded';
import { checkContainerHealth, gatherContainerHealth, HEALTH_EXECS } from '../../src/engine/healthGather';
import { resolveTarget } from '../../src/model/targets';
import { startRecordedHealthEngines, type RecordedHealthEngines } from '../support/recordedHealthEngine';
import type { EngineInfo } from '../../src/model/healthTypes';
import type { VersionInfo } from '../../src/model/apiTypes';

function check(results: HealthResult[], name: string): HealthResult {
  const found = results.find((r) => r.check === name);
  assert.ok(found, `a "${name}" result among ${results.map((r) => r.check).join(', ')}`);
  return found;
}

let engines: RecordedHealthEngines;
before(async () => {
  engines = await startRecordedHealthEngines();
});
after(() => engines.close());

const target = (name: string) => resolveTarget(engines.graph.snapshot(), { path: [name] });
/** The extension's own health check of a container of the recorded host, asked of the recorded engines. */
const run = async (name: string): Promise<HealthResult[]> => (await checkContainerHealth(engines.graph, target(name))).results;
/** What that check reads, for tests that change one answer. */
const gather = (name: string): Promise<HealthInput> => gatherContainerHealth(engines.graph, target(name));

describe('health checks from recorded engine answers', () => {
  it('healthy DinD with a named volume: overlay2, named data root, MTU equal, probe ran; only --privileged warns', async () => {
    const results = await run('it8-fx-healthy');
    assert.equal(check(results, 'engine').status, 'ok');
    assert.equal(check(results, 'storage driver').status, 'ok');
    assert.match(check(results, 'storage driver').detail, /overlay2 storage driver on extfs/);
    assert.equal(check(results, 'data root').status, 'ok');
    assert.match(check(results, 'data root').detail, /named volume it8-fx-data/);
    assert.equal(check(results, 'mtu').status, 'ok');
    assert.match(check(results, 'mtu').detail, /eth0 has MTU 1500; the inner engine's bridge docker0 has MTU 1500/);
    assert.equal(check(results, 'probe container').status, 'ok');
    assert.equal(check(results, 'cgroups').status, 'ok');
    assert.match(check(results, 'cgroups').detail, /cgroup v1 with the cgroupfs driver/);
    assert.equal(check(results, 'api version').status, 'ok');
    assert.equal(check(results, 'networking').status, 'ok');
    assert.equal(check(results, 'privileges').status, 'warn');
    assert.match(check(results, 'privileges').detail, /--privileged \(runtime runc-bounded\)/);
    assert.deepEqual(healthBadge(results).problems.map((p) => p.check), ['privileges']);
  });

  it('--storage-driver vfs: warns naming vfs; the anonymous volume warns; no image for the probe warns with "load an image"', async () => {
    const results = await run('it8-fx-vfs');
    const storage = check(results, 'storage driver');
    assert.equal(storage.status, 'warn');
    assert.match(storage.detail, /uses the vfs storage driver/);
    assert.match(storage.fix ?? '', /without --storage-driver vfs/);
    const root = check(results, 'data root');
    assert.equal(root.status, 'warn');
    assert.match(root.detail, /anonymous volume [0-9a-f]{12}/);
    const probe = check(results, 'probe container');
    assert.equal(probe.status, 'warn');
    assert.match(probe.fix ?? '', /Copy an image into it/);
  });

  it('data root on the container layer: vfs after "failed to mount overlay" is an error quoting the log', async () => {
    const storage = check(await run('it8-fx-ovl'), 'storage driver');
    assert.equal(storage.status, 'error');
    assert.match(storage.detail, /vfs storage driver .*\(data root \/ovl-data\) because overlay failed: its log says "failed to mount overlay: invalid argument \(storage-driver=overlay2\)/);
    assert.equal(check(await run('it8-fx-ovl'), 'data root').status, 'warn');
    assert.match(check(await run('it8-fx-ovl'), 'data root').detail, /\/ovl-data\) on the container's own writable layer/);
  });

  it('overlay2 forced on overlay: the daemon never answered, and the storage check says why from the log', async () => {
    const results = await run('it8-fx-ovlfail');
    assert.equal(check(results, 'engine').status, 'error');
    assert.match(check(results, 'engine').detail, /error initializing graphdriver: driver not supported/);
    const storage = check(results, 'storage driver');
    assert.equal(storage.status, 'error');
    assert.match(storage.detail, /did not start: its log says "failed to mount overlay: invalid argument/);
    assert.equal(healthBadge(results).worst, 'error');
  });

  it('no iptables in the image: the daemon exited, and networking is an error quoting its log', async () => {
    const results = await run('it8-fx-noiptables');
    assert.equal(check(results, 'engine').status, 'error');
    const networking = check(results, 'networking');
    assert.equal(networking.status, 'error');
    assert.match(networking.detail, /could not set up iptables: its log says "failed to find iptables"/);
    assert.match(networking.detail, /failed to create NAT chain DOCKER: Iptables not found/);
    assert.equal(check(await run('it8-fx-healthy'), 'networking').status, 'ok');
  });

  it('network with MTU 1400: the inner bridge (1500) is larger than eth0 (1400)', async () => {
    const mtu = check(await run('it8-fx-mtu'), 'mtu');
    assert.equal(mtu.status, 'warn');
    assert.match(mtu.detail, /eth0 has MTU 1400; the inner engine's bridge docker0 has MTU 1500/);
    assert.match(mtu.fix ?? '', /--mtu=1400/);
  });

  it('a bind mount shared with another running engine is an error naming the other container', async () => {
    const root = check(await run('it8-fx-shared-a'), 'data root');
    assert.equal(root.status, 'error');
    assert.match(root.detail, /from \/tmp\/it8-fx-shared, which running it8-fx-shared-b also mounts at \/var\/lib\/docker/);
  });

  it("the host's own /var/lib/docker bind-mounted is an error", async () => {
    const root = check(await run('it8-fx-hostroot'), 'data root');
    assert.equal(root.status, 'error');
    assert.match(root.detail, /bind-mounted from \/var\/lib\/docker, which is engine "default"'s own data root \(\/var\/lib\/docker\)/);
  });

  it('Sysbox runtime: not privileged is ok; an identity uid_map under a Sysbox runtime warns', async () => {
    const results = await run('it8-fx-sysbox');
    assert.equal(check(results, 'privileges').status, 'ok');
    assert.match(check(results, 'privileges').detail, /runtime sysbox-runc, not privileged/);
    const userns = check(results, 'user namespace');
    assert.equal(userns.status, 'warn');
    assert.match(userns.detail, /uid_map is "0 0 4294967295"/);
    assert.equal(check(await run('it8-fx-healthy'), 'user namespace').status, 'ok');
  });

  it('DooD user not in the socket group: error naming uid, owner, group and mode, fix --group-add', async () => {
    const results = await run('it8-fx-dood-denied');
    const socket = check(results, 'dood socket');
    assert.equal(socket.status, 'error');
    assert.match(socket.detail, /uid 1000 \(groups 1000\) cannot use \/var\/run\/docker\.sock: it is owned by 0:105 with mode 660/);
    assert.match(socket.fix ?? '', /--group-add 105/);
    assert.equal(check(results, 'dood workdir').status, 'warn');
    assert.equal(results.some((r) => r.check === 'storage driver' || r.check === 'mtu'), false);
  });

  it('DooD workdir at the same path is ok; at another path it warns naming the host path', async () => {
    const same = check(await run('it8-fx-dood-same'), 'dood workdir');
    assert.equal(same.status, 'ok');
    assert.equal(check(await run('it8-fx-dood-same'), 'dood socket').status, 'ok');
    const moved = check(await run('it8-fx-dood-moved'), 'dood workdir');
    assert.equal(moved.status, 'warn');
    assert.match(moved.detail, /working directory \/src is \/tmp\/it8-fx-work on engine "default"'s host/);
    assert.match(moved.fix ?? '', /-v \/tmp\/it8-fx-work:\/tmp\/it8-fx-work -w \/tmp\/it8-fx-work/);
  });

  it('api version: an inner engine older than the outer one warns', async () => {
    const input = await gather('it8-fx-healthy');
    assert.ok(input.outer?.info, 'the host answered');
    const outer = { ...input.outer, version: { ...readJson<VersionInfo>('health', 'host', 'version.json'), ApiVersion: '1.43', Version: '24.0.7' } };
    const api = check(runHealthChecks({ ...input, outer }), 'api version');
    assert.equal(api.status, 'warn');
    assert.match(api.detail, /speaks API 1\.41 .*speaks API 1\.43/);
  });

  it('a root engine: storage, cgroups, user namespace, warnings; no container checks', async () => {
    const host = (await gather('it8-fx-healthy')).outer;
    assert.ok(host?.info);
    const results = runHealthChecks({ subject: 'engine "default"', inner: host, probe: { kind: 'ran', image: 'busybox:latest', exitCode: 0 } });
    assert.deepEqual(results.map((r) => r.check), ['engine', 'storage driver', 'cgroups', 'probe container', 'user namespace', 'networking']);
    assert.ok(results.every((r) => r.status === 'ok'));
    const info = readJson<EngineInfo>('health', 'host', 'info.json');
    const warned = runHealthChecks({ subject: 'x', inner: { ...host, info: { ...info, Warnings: ['WARNING: bridge-nf-call-iptables is disabled'] } } });
    assert.match(check(warned, 'networking').detail, /bridge-nf-call-iptables is disabled/);
  });

  it('parsers read the recorded exec outputs', async () => {
    assert.deepEqual([...parseMtus(readText('it8-fx-mtu', 'net-mtu.txt'))], [['docker0', 1500], ['eth0', 1400], ['lo', 65536]]);
    assert.deepEqual(parseSocketReport(readText('it8-fx-dood-denied', 'socket.txt')), {
      uid: '1000',
      groups: ['1000'],
      sockets: [{ path: '/var/run/docker.sock', owner: '0', group: '105', mode: '660', access: 'denied' }],
    });
    assert.equal(overlayFailures(readText('it8-fx-healthy', 'daemon-log.txt')).length, 0);
    assert.equal(logMessage('time="x" level=error msg="a \\"quoted\\" b" storage-driver=vfs'), 'a "quoted" b (storage-driver=vfs)');
  });

  it('the recordings answer every call gathering makes, except those the recording script does not make', async () => {
    engines.unanswered.length = 0;
    for (const container of engines.graph.snapshot()[0].containers) await run(container.name);
    assert.deepEqual([...new Set(engines.unanswered)].sort(), [
      // The host's bridge (the checks read only inner bridges), the daemon log file (docker:dind logs to
      // stdout, which daemon-log.txt has), and uid_map in the DooD containers (recorded for engines only).
      'host: GET /networks/bridge',
      'host: exec ["cat","/proc/self/uid_map"]',
      `host: exec ${JSON.stringify(HEALTH_EXECS.daemonLogFile)}`,
    ]);
  });

  it('the tooltip lists each problem, worst first, as plain text', async () => {
    const results = await run('it8-fx-vfs');
    const badge = healthBadge(results);
    assert.equal(badge.worst, 'warn');
    const tooltip = badgeTooltip(badge);
    assert.match(tooltip, new RegExp(`^Health: ${badge.problems.length} problems\\n`));
    assert.match(tooltip, /warning, storage driver: /);
  });

  it('the report: problems first (errors, then warnings), passed checks last, each group in the checks\' order', async () => {
    const results = await run('it8-fx-ovl');
    const report = healthReportModel('default › it8-fx-ovl', results, 'now');
    assert.deepEqual(report.groups.map((g) => g.status), ['error', 'warn', 'ok']);
    for (const group of report.groups) {
      assert.deepEqual(group.items.map((i) => i.check), results.filter((r) => r.status === group.status).map((r) => r.check), `${group.title} keep the order the checks ran in`);
    }
    assert.equal(report.groups[0].items[0].check, 'storage driver');
    const errors = results.filter((r) => r.status === 'error').length;
    const warnings = results.filter((r) => r.status === 'warn').length;
    assert.equal(report.summary, `${errors + warnings} problems: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}; ${results.length - errors - warnings} checks passed.`);
    // Every problem with advice offers to copy it; a passed check offers nothing.
    for (const entry of report.groups.flatMap((g) => g.items)) {
      assert.deepEqual(entry.actions.map((a) => a.kind), entry.status === 'ok' || !entry.fix ? [] : ['copy'], entry.check);
    }
    assert.deepEqual(reportAction(report, 0, 0), { kind: 'copy', label: 'Copy what to do', text: report.groups[0].items[0].fix });
    assert.equal(reportAction(report, 0, 5), undefined, 'no action the report did not list');
    assert.equal(reportAction(report, 999, 0), undefined);
    assert.equal(healthReportModel('x', (await run('it8-fx-healthy')).filter((r) => r.status === 'ok'), 'now').summary.startsWith('No problems: '), true);
  });

  it('a root engine that does not answer offers to open matryoshka.engines', () => {
    const results = runHealthChecks({ subject: 'engine "remote"', inner: { label: 'engine "remote"', error: 'connect ECONNREFUSED 10.0.0.5:2376' } });
    const engine = check(results, 'engine');
    assert.equal(engine.status, 'error');
    assert.deepEqual(actionsFor(engine).map((a) => (a.kind === 'openSetting' ? a.setting : a.kind)), ['copy', 'matryoshka.engines']);
    assert.deepEqual(actionsFor({ check: 'x', status: 'warn', detail: 'd', fix: 'See matryoshka.enginesX or matryoshka.engines.extra' }).map((a) => a.kind), ['copy'], 'only whole setting keys');
  });

  it('the tree decoration: a count in the theme\'s colour of the worst problem, none when healthy', async () => {
    assert.deepEqual(healthDecoration(healthBadge(await run('it8-fx-vfs'))), {
      badge: String(healthBadge(await run('it8-fx-vfs')).problems.length),
      color: 'problemsWarningIcon.foreground',
      tooltip: `Health: ${healthBadge(await run('it8-fx-vfs')).problems.length} problems at the last check`,
    });
    assert.equal(healthDecoration(healthBadge(await run('it8-fx-ovl')))?.color, 'problemsErrorIcon.foreground');
    assert.equal(healthDecoration(healthBadge([])), undefined);
    assert.equal(healthDecoration(undefined), undefined);
  });

  it('the tooltip\'s health part comes first and ends in a rule, engine text escaped', async () => {
    const markdown = badgeMarkdown(healthBadge(await run('it8-fx-vfs')));
    assert.match(markdown, /^\*\*Health\*\*: \d+ problems at the last check/);
    assert.match(markdown, /\n- ⚠ \*\*Warning\*\*, storage driver: /);
    assert.match(markdown, /\n---\n\n$/);
    assert.equal(badgeMarkdown(undefined), '');
  });
});

function readText(name: string, file: string): string {
  return fs.readFileSync(path.join(RECORDED, 'health', name, file), 'utf8');
}
