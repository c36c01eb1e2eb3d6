import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type EngineApi } from '../../src/engine/engineApi';
import type { EngineGraph } from '../../src/engine/engineGraph';
import { copyImage } from '../../src/engine/imageTransfer';
import { LaunchError, WorkspaceLauncher, type LaunchEngine } from '../../src/engine/workspaceLauncher';
import { WORKSPACE_LABEL, type WorkspaceRequest } from '../../src/model/workspaceSpec';
import type { ContainerInspect } from '../../src/model/apiTypes';
import { docker, dockerIn, waitFor } from '../support/docker';
import { NAMES, ensureNestedFixture } from '../support/nestedFixture';
import { OWN_ID } from '../support/runId';
import { newTestGraph } from '../support/testGraph';

/** Every workspace these tests make is named it4-<own id>-…; the after hook removes whatever is left. */
const PREFIX = `it4-${OWN_ID}-`;

async function labelled(name: string): Promise<{ containers: string[]; volumes: string[] }> {
  const filter = `label=${WORKSPACE_LABEL}=${name}`;
  const containers = (await docker(['ps', '-aq', '--filter', filter])).split('\n').filter(Boolean);
  const volumes = (await docker(['volume', 'ls', '-q', '--filter', filter])).split('\n').filter(Boolean);
  return { containers, volumes };
}

async function removeAllOurs(): Promise<void> {
  const all = (await docker(['ps', '-a', '--format', '{{.Names}}'])).split('\n').filter((n) => n.startsWith(PREFIX));
  if (all.length) await docker(['rm', '-f', '-v', ...all]);
  const volumes = (await docker(['volume', 'ls', '-q'])).split('\n').filter((n) => n.startsWith(PREFIX));
  if (volumes.length) await docker(['volume', 'rm', '-f', ...volumes]);
}

async function inspect(name: string): Promise<ContainerInspect & { NetworkSettings?: { Ports?: Record<string, { HostPort?: string }[]> } }> {
  return JSON.parse(await docker(['inspect', name]))[0];
}

describe('launching workspaces on the real engine', { timeout: 600_000 }, () => {
  let graph: EngineGraph;
  let host: LaunchEngine;
  let launcher: WorkspaceLauncher;
  const certRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-certs-'));
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-dood-'));
  const version = '0.0.0-test';
  const request = (mode: WorkspaceRequest['mode'], name: string, more: Partial<WorkspaceRequest> = {}): WorkspaceRequest => ({
    mode,
    name,
    image: mode === 'dood' ? 'docker:cli' : 'docker:dind',
    folder: null,
    publish: false,
    runtime: mode === 'sysbox' ? 'sysbox-runc' : undefined,
    socketPath: mode === 'dood' ? '/var/run/docker.sock' : undefined,
    socketGroup: mode === 'dood' ? fs.statSync('/var/run/docker.sock').gid : undefined,
    version,
    ...more,
  });
  const progress: string[] = [];
  const hooks = { progress: (m: string) => progress.push(m) };

  before(async () => {
    await ensureNestedFixture();
    await removeAllOurs();
    graph = newTestGraph();
    await graph.refreshAll();
    const api = graph.apiFor(graph.snapshot()[0].key) as EngineApi;
    host = { api, label: 'default', local: true };
    launcher = new WorkspaceLauncher({ certRoot, innerEngineTimeoutMs: 120_000, deadlineMs: 10_000, log: () => undefined });
  });

  after(async () => {
    graph?.dispose();
    await removeAllOurs();
    fs.rmSync(certRoot, { recursive: true, force: true });
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('DinD: privileged, its own named volumes, labelled, TLS published on 127.0.0.1 and reachable with the copied certificates', async () => {
    const name = `${PREFIX}dind`;
    const result = await launcher.launch(host, request('dind', name, { publish: true }), hooks);
    const c = await inspect(name);
    assert.equal(c.Id, result.id);
    assert.equal(c.HostConfig?.Privileged, true);
    assert.ok(!(c.HostConfig?.Binds ?? []).some((b) => b.includes('docker.sock')), 'no socket mount in DinD');
    assert.deepEqual(c.Config?.Labels?.[WORKSPACE_LABEL], name);
    assert.equal(c.Config?.Labels?.['dev.matryoshka.mode'], 'dind');
    assert.equal(c.Config?.Labels?.['dev.matryoshka.version'], version);
    const varLib = c.Mounts?.find((m) => m.Destination === '/var/lib/docker');
    assert.equal(varLib?.Type, 'volume');
    assert.equal(varLib?.Name, `${name}-var-lib-docker`);
    const { volumes } = await labelled(name);
    assert.deepEqual(volumes.sort(), [`${name}-certs`, `${name}-var-lib-docker`]);
    // Published on loopback only, TLS only.
    const bindings = c.HostConfig && (c.HostConfig as { PortBindings?: Record<string, { HostIp: string }[]> }).PortBindings;
    assert.deepEqual(Object.keys(bindings ?? {}), ['2376/tcp']);
    assert.equal(bindings?.['2376/tcp'][0].HostIp, '127.0.0.1');
    assert.ok(result.published);
    for (const file of ['ca.pem', 'cert.pem', 'key.pem']) assert.ok(fs.existsSync(path.join(result.published.certPath, file)), file);
    const viaTls = await docker(['--tlsverify', '--tlscacert', path.join(result.published.certPath, 'ca.pem'), '--tlscert', path.join(result.published.certPath, 'cert.pem'),
      '--tlskey', path.join(result.published.certPath, 'key.pem'), '-H', `tcp://127.0.0.1:${result.published.port}`, 'version', '--format', '{{.Server.Version}}']);
    assert.match(viaTls, /^\d+\.\d+/);
  });

  it('loadImage streams an image of the host into the DinD, whose docker ps then lists only its own children', async () => {
    const name = `${PREFIX}dind`;
    await graph.refreshAll();
    const innerKey = graph.snapshot()[0].containers.find((c) => c.name === name)?.inner?.key;
    assert.ok(innerKey, 'the graph reaches the engine inside the new DinD');
    const seen: number[] = [];
    const result = await copyImage(host.api, graph.apiFor(innerKey) as EngineApi, 'busybox:latest', (n) => seen.push(n));
    assert.ok(result.bytes > 100_000 && seen.at(-1) === result.bytes, `progress in bytes: ${seen.at(-1)} of ${result.bytes}`);
    assert.match(await dockerIn([name], ['images', '--format', '{{.Repository}}:{{.Tag}}']), /busybox:latest/);
    await dockerIn([name], ['run', '-d', '--name', `${PREFIX}child`, 'busybox:latest', 'sleep', '600']);
    const inside = (await dockerIn([name], ['ps', '--format', '{{.Names}}'])).split('\n');
    assert.deepEqual(inside, [`${PREFIX}child`]);
    const outside = (await docker(['ps', '--format', '{{.Names}}'])).split('\n');
    assert.ok(!outside.includes(`${PREFIX}child`), 'a child is invisible to the host');
  });

  it('loadImage works two engines deep (host › it-dind › it-dind-inner)', async () => {
    const tag = `${PREFIX}probe:1`;
    await dockerIn([NAMES.dind], ['tag', 'busybox:latest', tag]);
    try {
      await graph.refreshAll();
      const dind = graph.snapshot()[0].containers.find((c) => c.name === NAMES.dind)?.inner;
      const inner = dind?.containers.find((c) => c.name === NAMES.dindInner)?.inner;
      assert.ok(dind && inner);
      await copyImage(graph.apiFor(dind.key) as EngineApi, graph.apiFor(inner.key) as EngineApi, tag, () => undefined);
      assert.match(await dockerIn([NAMES.dind, NAMES.dindInner], ['images', '--format', '{{.Repository}}:{{.Tag}}']), new RegExp(tag.replace('.', '\\.')));
    } finally {
      await dockerIn([NAMES.dind, NAMES.dindInner], ['rmi', tag]).catch(() => undefined);
      await dockerIn([NAMES.dind], ['rmi', tag]).catch(() => undefined);
    }
  });

  it('DooD: the socket mount only, the folder at the same path, and a sibling started inside reads the host folder', async () => {
    const name = `${PREFIX}dood`;
    fs.writeFileSync(path.join(folder, 'hello.txt'), 'written on the host\n');
    await launcher.launch(host, request('dood', name, { folder }), hooks);
    const c = await inspect(name);
    assert.equal(c.HostConfig?.Privileged, false);
    assert.ok((c.HostConfig?.Binds ?? []).includes('/var/run/docker.sock:/var/run/docker.sock'));
    assert.equal(c.Config?.WorkingDir, folder);
    assert.ok(c.Config?.Env?.includes(`LOCAL_WORKSPACE_FOLDER=${folder}`));
    assert.equal(c.Config?.Labels?.['dev.matryoshka.mode'], 'dood');
    // `docker ps` inside is the host's list.
    const inside = (await docker(['exec', name, 'docker', 'ps', '--format', '{{.Names}}'])).split('\n');
    assert.ok(inside.includes(name) && inside.includes(NAMES.dind), `the host's containers: ${inside.join(', ')}`);
    // The classic pitfall: $PWD typed inside must resolve on the host.
    const read = await docker(['exec', name, 'sh', '-c', 'docker run --rm -v "$PWD":/x busybox:latest cat /x/hello.txt']);
    assert.equal(read, 'written on the host');
    // A non-root user whose groups do not include the socket's group on the image still reaches it.
    const asUser = await docker(['exec', '-u', '1000:1000', name, 'docker', 'ps', '-q', '--filter', `name=${name}`]);
    assert.equal(asUser.length, 12);
  });

  it('Sysbox: the runtime, never privileged, no host namespaces, and an engine inside', async () => {
    const name = `${PREFIX}sysbox`;
    await launcher.launch(host, request('sysbox', name), hooks);
    const c = await inspect(name);
    assert.equal(c.HostConfig?.Runtime, 'sysbox-runc');
    assert.equal(c.HostConfig?.Privileged, false);
    assert.notEqual(c.HostConfig?.NetworkMode, 'host');
    assert.notEqual(c.HostConfig?.PidMode, 'host');
    assert.ok(!(c.HostConfig?.Binds ?? []).some((b) => b.includes('docker.sock')));
    assert.match(await dockerIn([name], ['version', '--format', '{{.Server.Version}}']), /^\d+\./);
  });

  async function expectFailure(name: string, work: Promise<unknown>, kind: LaunchError['kind'], text: RegExp): Promise<void> {
    await assert.rejects(work, (error: Error) => {
      assert.ok(error instanceof LaunchError, error.message);
      assert.equal(error.kind, kind, error.message);
      assert.match(error.message, text);
      return true;
    });
    assert.deepEqual(await labelled(name), { containers: [], volumes: [] }, `nothing labelled ${name} is left`);
  }

  it('a missing image on an offline engine: says which image and engine, leaves nothing', async () => {
    const name = `${PREFIX}noimage`;
    await expectFailure(name, launcher.launch(host, request('dind', name, { image: 'matryoshka-no-such/image:1' }), hooks), 'image',
      /The image matryoshka-no-such\/image:1 is not on default, and pulling it failed: .+load the image into that engine first\.$/);
  });

  it('a missing Sysbox runtime: names the engine and the runtime, links the install guide, leaves nothing', async () => {
    const name = `${PREFIX}nosysbox`;
    await expectFailure(name, launcher.launch(host, request('sysbox', name, { runtime: 'sysbox-not-installed' }), hooks), 'sysbox-missing',
      /Sysbox is not installed on default: its runtimes are .*sysbox-runc.*, not sysbox-not-installed\. Install Sysbox \(https:\/\/github\.com\/nestybox\/sysbox.+DinD/);
  });

  it('a duplicate name: refused before anything is made, the existing container untouched', async () => {
    const name = `${PREFIX}dood`;
    const before = (await inspect(name)).Id;
    await assert.rejects(launcher.launch(host, request('dind', name), hooks), new RegExp(`A container named ${name} already exists on default`));
    assert.equal((await inspect(name)).Id, before);
    assert.deepEqual((await labelled(name)).volumes, [], 'no DinD volume was made for the duplicate');
  });

  it('an invalid image reference or name: refused with what is allowed', async () => {
    for (const image of ['--privileged', 'docker:dind --privileged', 'UPPER/case', '']) {
      await expectFailure(`${PREFIX}badimage`, launcher.launch(host, request('dind', `${PREFIX}badimage`, { image }), hooks), 'invalid', /image/);
    }
    await expectFailure('-bad', launcher.launch(host, request('dind', '-bad'), hooks), 'invalid', /not a valid container name/);
  });

  it('a cancel during the inner-engine wait removes the container and its volumes', async () => {
    const name = `${PREFIX}cancel`;
    const controller = new AbortController();
    const work = launcher.launch(host, request('dind', name), {
      signal: controller.signal,
      progress: (message) => {
        if (message.startsWith('Waiting for the engine')) controller.abort();
      },
    });
    await expectFailure(name, work, 'cancelled', new RegExp(`Launch of ${name} on default cancelled\\. Nothing was left behind\\.`));
  });

  it('an image that never runs an engine: the error shows the log tail, and nothing is kept', async () => {
    const name = `${PREFIX}noengine`;
    await expectFailure(name, launcher.launch(host, request('dind', name, { image: 'busybox:latest' }), hooks), 'engine-timeout',
      new RegExp(`${name} stopped \\(exit code \\d+\\) before its engine answered\\. Its log ends with:`));
  });

  it('an engine that never answers: a bounded wait, the log tail in the error, and the container kept only when the user asks', async () => {
    // An image that keeps running but has no engine: busybox with a sleeping default command.
    const sleeper = `${PREFIX}sleeper:1`;
    const base = await docker(['create', 'busybox:latest']);
    await docker(['commit', '--change', 'CMD ["sh", "-c", "echo no engine here; exec sleep 3600"]', base, sleeper]);
    await docker(['rm', base]);
    const quick = new WorkspaceLauncher({ certRoot, innerEngineTimeoutMs: 3000, deadlineMs: 10_000, log: () => undefined });
    try {
      const dropped = `${PREFIX}timeout`;
      const tails: string[] = [];
      await expectFailure(dropped, quick.launch(host, request('dind', dropped, { image: sleeper }), { ...hooks, keepAfterTimeout: async (tail) => (tails.push(tail), false) }),
        'engine-timeout', new RegExp(`The engine inside ${dropped} did not answer within 3 s \\(.+\\)\\. Its log ends with:\nno engine here\\. Nothing was left behind\\.`, 's'));
      assert.match(tails[0], /no engine here/, 'the user is shown the log before deciding');
      const kept = `${PREFIX}kept`;
      await assert.rejects(quick.launch(host, request('dind', kept, { image: sleeper }), { ...hooks, keepAfterTimeout: async () => true }), (error: Error) => {
        assert.match(error.message, new RegExp(`The container ${kept} was kept for you to look at\\.$`));
        assert.equal((error as LaunchError).advice, 'remove-workspace', 'the VS Code side names the command that removes it');
        return true;
      });
      assert.equal((await labelled(kept)).containers.length, 1, 'kept as asked');
    } finally {
      await docker(['rm', '-f', '-v', `${PREFIX}kept`]).catch(() => undefined);
      await docker(['volume', 'rm', '-f', `${PREFIX}kept-var-lib-docker`, `${PREFIX}kept-certs`]).catch(() => undefined);
      await docker(['rmi', sleeper]).catch(() => undefined);
    }
  });

  it('the created workspaces show in the graph with their inner engines', async () => {
    await graph.refreshAll();
    const containers = graph.snapshot()[0].containers;
    await waitFor('the sysbox workspace\'s engine', 30_000, async () => {
      await graph.refreshAll();
      return graph.snapshot()[0].containers.find((c) => c.name === `${PREFIX}sysbox`)?.inner?.status.kind === 'connected';
    });
    assert.equal(containers.find((c) => c.name === `${PREFIX}dind`)?.classification.mode, 'dind');
    assert.equal(containers.find((c) => c.name === `${PREFIX}dood`)?.classification.mode, 'dood');
  });
});
