import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { findLaunchTarget, launchTargets } from '../../src/model/launchTargets';
import type { EngineSnapshot } from '../../src/model/snapshot';
import { tarFiles } from '../../src/model/tarEntries';
import { dockerHostLines, shellExportLines, planWorkspace, splitReference, validateFolder, validateImage, validateName, type WorkspaceRequest } from '../../src/model/workspaceSpec';
import { RECORDED } from '../support/recorded';
import { recordedGraphSnapshots } from '../support/recordedEngines';

const base: WorkspaceRequest = { mode: 'dind', name: 'ws', image: 'docker:dind', folder: null, publish: false, version: '1.2.3' };

describe('workspace names and image references', () => {
  it('accepts what Docker accepts', () => {
    for (const name of ['ws', 'ci-runner_2', 'a.b', '9lives']) assert.equal(validateName(name), undefined, name);
    for (const image of ['docker:dind', 'busybox', 'registry.example.com:5000/team/image:tag', 'localhost/x', 'ghcr.io/Org-Name/image'.toLowerCase(), 'docker@sha256:' + 'a'.repeat(64), 'Registry.Example.com/lower/case:V1']) {
      assert.equal(validateImage(image), undefined, image);
    }
  });

  it('refuses flags, spaces, uppercase repositories and bad names with what is allowed', () => {
    assert.match(validateName('') ?? '', /Give the workspace a name/);
    assert.match(validateName('-rm') ?? '', /not a valid container name: use letters, digits/);
    assert.match(validateName('a b') ?? '', /not a valid container name/);
    assert.match(validateName('x'.repeat(64)) ?? '', /at most 63/);
    assert.match(validateImage('--privileged') ?? '', /looks like a flag/);
    assert.match(validateImage('docker:dind --privileged') ?? '', /contains spaces/);
    assert.match(validateImage('UPPER/case') ?? '', /not a valid image reference/);
    assert.match(validateImage('image:') ?? '', /not a valid image reference/);
    assert.match(validateImage('') ?? '', /Name an image/);
  });

  it('refuses a folder that is relative, the root, or more than one path', () => {
    assert.equal(validateFolder(null), undefined);
    assert.equal(validateFolder('/home/me/project'), undefined);
    assert.match(validateFolder('project') ?? '', /absolute path/);
    assert.match(validateFolder('/') ?? '', /whole file system/);
    assert.match(validateFolder('//') ?? '', /whole file system/);
    assert.match(validateFolder('/a:/host') ?? '', /not one path/);
  });

  it('splits a reference for POST /images/create', () => {
    assert.deepEqual(splitReference('docker:dind'), { fromImage: 'docker', tag: 'dind' });
    assert.deepEqual(splitReference('busybox'), { fromImage: 'busybox', tag: 'latest' });
    assert.deepEqual(splitReference('localhost:5000/x'), { fromImage: 'localhost:5000/x', tag: 'latest' });
    assert.deepEqual(splitReference('localhost:5000/x:1'), { fromImage: 'localhost:5000/x', tag: '1' });
    assert.deepEqual(splitReference('x@sha256:abc'), { fromImage: 'x', tag: 'sha256:abc' });
  });
});

describe('what each mode creates', () => {
  it('DinD: privileged after consent, its own named volumes, TLS certs dir, labels everywhere, nothing published', () => {
    const plan = planWorkspace(base);
    const host = plan.container.HostConfig as Record<string, unknown>;
    assert.equal(host.Privileged, true);
    assert.deepEqual(host.Binds, ['ws-var-lib-docker:/var/lib/docker', 'ws-certs:/certs']);
    assert.equal(host.PortBindings, undefined);
    assert.ok((plan.container.Env as string[]).includes('DOCKER_TLS_CERTDIR=/certs'));
    const labels = { 'dev.matryoshka.workspace': 'ws', 'dev.matryoshka.mode': 'dind', 'dev.matryoshka.version': '1.2.3' };
    assert.deepEqual(plan.container.Labels, labels);
    assert.deepEqual(plan.volumes, [{ Name: 'ws-var-lib-docker', Labels: labels }, { Name: 'ws-certs', Labels: labels }]);
    assert.deepEqual(plan.risks.map((r) => r.flag), ['--privileged']);
    assert.equal(plan.innerEngine, true);
  });

  it('a published engine: 2376 with TLS on 127.0.0.1 only, never 2375', () => {
    const host = planWorkspace({ ...base, publish: true }).container.HostConfig as Record<string, Record<string, unknown>>;
    assert.deepEqual(host.PortBindings, { '2376/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
    assert.ok(!JSON.stringify(host).includes('2375'));
    assert.deepEqual(dockerHostLines(49153, '/c'), ['DOCKER_HOST=tcp://127.0.0.1:49153', 'DOCKER_TLS_VERIFY=1', 'DOCKER_CERT_PATH=/c']);
  });

  it('Sysbox: the runtime, no privileged flag, no consent needed', () => {
    const plan = planWorkspace({ ...base, mode: 'sysbox', runtime: 'sysbox-runc' });
    const host = plan.container.HostConfig as Record<string, unknown>;
    assert.equal(host.Runtime, 'sysbox-runc');
    assert.equal(host.Privileged, undefined);
    assert.equal(host.NetworkMode, undefined);
    assert.equal(host.PidMode, undefined);
    assert.deepEqual(plan.risks, []);
  });

  it('DooD: the socket, the socket\'s group, the folder at the same path as working directory and LOCAL_WORKSPACE_FOLDER', () => {
    const plan = planWorkspace({ ...base, mode: 'dood', image: 'docker:cli', socketPath: '/var/run/docker.sock', socketGroup: 105, folder: '/home/me/project' });
    const host = plan.container.HostConfig as Record<string, unknown>;
    assert.deepEqual(host.Binds, ['/home/me/project:/home/me/project', '/var/run/docker.sock:/var/run/docker.sock']);
    assert.deepEqual(host.GroupAdd, ['105']);
    assert.equal(host.Privileged, undefined);
    assert.equal(plan.container.WorkingDir, '/home/me/project');
    assert.ok((plan.container.Env as string[]).includes('LOCAL_WORKSPACE_FOLDER=/home/me/project'));
    assert.deepEqual(plan.volumes, []);
    assert.deepEqual(plan.risks.map((r) => r.flag), ['-v /var/run/docker.sock:/var/run/docker.sock']);
    assert.equal(plan.innerEngine, false);
  });
});

describe('engines a workspace can be launched on', () => {
  let roots: EngineSnapshot[];
  let targets: ReturnType<typeof launchTargets>;
  before(async () => {
    roots = await recordedGraphSnapshots();
    targets = launchTargets(roots);
  });

  it('lists the host and every inner engine at any depth, with DooD sockets where they are', () => {
    // In the engine's own order, each inner engine right after the engine that runs its container.
    assert.deepEqual(targets.map((t) => t.label), ['default', 'default › fx-sysbox', 'default › fx-dind', 'default › fx-dind › fx-dind-inner']);
    assert.deepEqual(targets.map((t) => t.socketPath), ['/var/run/docker.sock', '/var/run/docker.sock', '/var/run/docker.sock', '/var/run/docker.sock']);
    assert.deepEqual(targets.map((t) => t.local), [true, false, false, false]);
    assert.equal(targets[3].host?.container.name, 'fx-dind-inner');
    assert.equal(targets[3].host?.engine.name, 'fx-dind');
  });

  it('finds an engine by path, the current one by default, and says which exist otherwise', () => {
    assert.equal((findLaunchTarget(roots, 'default > fx-dind > fx-dind-inner') as { label: string }).label, 'default › fx-dind › fx-dind-inner');
    assert.equal((findLaunchTarget(roots, undefined) as { label: string }).label, 'default');
    assert.match(findLaunchTarget(roots, 'default › nope') as string, /No connected engine "default › nope"\. Engines: default, default › fx-sysbox, default › fx-dind, default › fx-dind › fx-dind-inner\.$/);
  });
});

describe('client certificates out of a container archive', () => {
  it('reads the regular files of an archive the engine sent, long names included', () => {
    const files = tarFiles(fs.readFileSync(path.join(RECORDED, 'archive', 'client-dir.tar')));
    const byName = new Map(files.map((f) => [f.name, f.data.toString('utf8')]));
    assert.equal(byName.get('client/ca.pem'), 'ca\n');
    assert.equal(byName.get('client/cert.pem'), 'cert\n');
    assert.equal(byName.get('client/key.pem'), 'key\n');
    assert.equal(byName.get(`client/${'0'.repeat(119)}7.txt`), 'long\n');
    assert.equal(files.length, 4, 'directories are not files');
  });
});

describe('the copied DOCKER_HOST lines', () => {
  it('stay one word each in a POSIX shell, whatever the certificate path holds', () => {
    for (const certPath of ['/plain/certs', '/with space/certs', "/it's/quoted", '/"double"/$HOME/`x`/\\n']) {
      const text = shellExportLines(dockerHostLines(49153, certPath));
      const printed = execFileSync('sh', ['-c', `${text}\nprintf '%s|%s|%s' "$DOCKER_HOST" "$DOCKER_TLS_VERIFY" "$DOCKER_CERT_PATH"`], { encoding: 'utf8' });
      assert.equal(printed, `tcp://127.0.0.1:49153|1|${certPath}`, certPath);
    }
  });
});
