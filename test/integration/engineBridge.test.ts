import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bridgeContextName, writeBridgeContext } from '../../src/engine/dockerContexts';
import { EngineBridge } from '../../src/engine/engineBridge';
import type { EngineGraph } from '../../src/engine/engineGraph';
import type { EngineSnapshot } from '../../src/model/snapshot';
import { docker, dockerIn, waitFor } from '../support/docker';
import { NAMES, ensureNestedFixture, relayProcesses } from '../support/nestedFixture';
import { newTestGraph } from '../support/testGraph';

const SUFFIX = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real Docker CLI, its config folder our own (contexts), no shell. */
function cli(configDir: string, args: string[], options: { input?: Buffer | string; host?: string; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_CONFIG: configDir, DOCKER_BUILDKIT: '0' };
    delete env.DOCKER_HOST;
    delete env.DOCKER_CONTEXT;
    if (options.host) env.DOCKER_HOST = options.host;
    const child = execFile('docker', args, { env, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024, timeout: options.timeoutMs ?? 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8') });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

function ok(run: Run, what: string): string {
  assert.equal(run.code, 0, `${what} failed: ${run.stderr.trim()}`);
  return run.stdout;
}

function engineIn(graph: EngineGraph, names: string[]): EngineSnapshot {
  let engine = graph.snapshot()[0];
  for (const name of names) engine = engine.containers.find((c) => c.name === name)?.inner ?? assert.fail(`the engine inside ${name}`);
  return engine;
}

describe('a bridge: any engine as a local socket for the Docker CLI (real engine)', { timeout: 600_000 }, () => {
  let graph: EngineGraph;
  let folder: string;
  let configDir: string;
  const bridges: EngineBridge[] = [];
  const hosts: { depth1: string; depth2: string } = { depth1: '', depth2: '' };
  const context = bridgeContextName('default', [NAMES.dind, NAMES.dindInner, SUFFIX]);
  const logs: string[] = [];

  const open = async (names: string[]): Promise<EngineBridge> => {
    const engine = engineIn(graph, names);
    const bridge = await EngineBridge.listen({
      graph,
      engineKey: engine.key,
      label: ['default', ...names].join(' › '),
      socketPath: path.join(folder, `${names.length}.sock`),
      log: (message) => logs.push(message),
    });
    bridges.push(bridge);
    return bridge;
  };

  before(async () => {
    await ensureNestedFixture();
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mbr-'));
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mbr-config-'));
    graph = newTestGraph();
    await graph.refreshAll();
    hosts.depth1 = `unix://${(await open([NAMES.dind])).socketPath}`;
    hosts.depth2 = `unix://${(await open([NAMES.dind, NAMES.dindInner])).socketPath}`;
    writeBridgeContext(configDir, { name: context, dockerHost: hosts.depth2, engineKey: engineIn(graph, [NAMES.dind, NAMES.dindInner]).key, label: 'depth 2' });
  });

  after(async () => {
    for (const bridge of bridges) await bridge.close();
    graph?.dispose();
    await dockerIn([NAMES.dind, NAMES.dindInner], ['rm', '-f', `bridge-run-${SUFFIX}`, `bridge-cp-${SUFFIX}`]).catch(() => undefined);
    await dockerIn([NAMES.dind, NAMES.dindInner], ['rmi', '-f', `bridge-build-${SUFFIX}`]).catch(() => undefined);
    await dockerIn([NAMES.dind], ['rmi', '-f', `bridge-build-${SUFFIX}`]).catch(() => undefined);
    fs.rmSync(folder, { recursive: true, force: true });
    fs.rmSync(configDir, { recursive: true, force: true });
  });

  it('makes the socket the user\'s alone: 0600 in a 0700 folder', () => {
    for (const bridge of bridges) assert.equal(fs.statSync(bridge.socketPath).mode & 0o777, 0o600, bridge.socketPath);
    assert.equal(fs.statSync(folder).mode & 0o777, 0o700);
  });

  it('docker ps lists what the engine at depth 1 and at depth 2 lists, and nothing of the host', async () => {
    const one = ok(await cli(configDir, ['ps', '--format', '{{.Names}}'], { host: hosts.depth1 }), 'ps at depth 1').split('\n');
    assert.ok(one.includes(NAMES.child) && one.includes(NAMES.dindInner), `depth 1 lists its own: ${one.join(', ')}`);
    assert.ok(!one.includes(NAMES.dind), 'not the host\'s containers');
    const two = ok(await cli(configDir, ['ps', '--format', '{{.Names}}'], { host: hosts.depth2 }), 'ps at depth 2').split('\n');
    assert.deepEqual(two.filter(Boolean).sort(), (await dockerIn([NAMES.dind, NAMES.dindInner], ['ps', '--format', '{{.Names}}'])).split('\n').filter(Boolean).sort());
  });

  it('docker --context <ours> works, and docker context ls shows it', async () => {
    const names = ok(await cli(configDir, ['--context', context, 'ps', '--format', '{{.Names}}']), 'ps through the context');
    assert.ok(names.split('\n').includes(NAMES.grandchild), names);
    const listed = ok(await cli(configDir, ['context', 'ls', '--format', '{{.Name}}\t{{.DockerEndpoint}}']), 'context ls');
    assert.ok(listed.split('\n').includes(`${context}\t${hosts.depth2}`), listed);
  });

  it('docker run --rm attaches, half-closes and prints what the container wrote (depth 2)', async () => {
    const out = ok(await cli(configDir, ['run', '--rm', '--name', `bridge-run-${SUFFIX}`, 'busybox', 'echo', 'bridged'], { host: hosts.depth2 }), 'run');
    assert.equal(out.trim(), 'bridged');
    const piped = ok(await cli(configDir, ['run', '--rm', '-i', '--name', `bridge-run-${SUFFIX}`, 'busybox', 'wc', '-c'], { host: hosts.depth2, input: Buffer.alloc(300_000, 7) }), 'run -i');
    assert.equal(piped.trim(), '300000', 'stdin went through whole, then the answer came back after the CLI closed its side');
  });

  it('docker exec with a TTY runs on a terminal two levels down', async () => {
    const out = ok(await cli(configDir, ['exec', '-t', NAMES.grandchild, 'sh', '-c', 'tty; stty size'], { host: hosts.depth2 }), 'exec -t');
    assert.match(out, /^\/dev\/pts\/\d+\r?\n/, out);
    // `script` gives the CLI a terminal of its own: -it as a person types it.
    const scripted = await new Promise<string>((resolve) => {
      const child = spawn('script', ['-qec', `docker -H ${hosts.depth2} exec -it ${NAMES.grandchild} sh -c 'echo in-$((6*7)); exit 3'`, '/dev/null'], { env: { ...process.env, DOCKER_CONFIG: configDir } });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.once('exit', (code) => resolve(`${text}|exit ${code}`));
    });
    assert.match(scripted, /in-42/);
    assert.match(scripted, /\|exit 3$/, 'the exit code came back through the bridge');
  });

  it('docker events streams between --since and --until', async () => {
    const since = Math.floor(Date.now() / 1000) - 1;
    ok(await cli(configDir, ['run', '--rm', '--name', `bridge-run-${SUFFIX}`, 'busybox', 'true'], { host: hosts.depth2 }), 'run');
    const until = Math.floor(Date.now() / 1000) + 1;
    const events = ok(await cli(configDir, ['events', '--since', String(since), '--until', String(until), '--filter', `container=bridge-run-${SUFFIX}`, '--format', '{{.Action}}'], { host: hosts.depth2 }), 'events');
    for (const action of ['create', 'start', 'die', 'destroy']) assert.ok(events.split('\n').includes(action), `${action} in ${events}`);
  });

  it('docker build uploads its context; docker save | docker load moves 50 MB between bridged engines with the same id', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mbr-build-'));
    try {
      fs.writeFileSync(path.join(dir, 'hello.txt'), `hello ${SUFFIX}\n`);
      fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM busybox\nCOPY hello.txt /hello.txt\nRUN head -c 52428800 /dev/urandom > /blob\n');
      ok(await cli(configDir, ['build', '-q', '-t', `bridge-build-${SUFFIX}`, dir], { host: hosts.depth2, timeoutMs: 300_000 }), 'build');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const said = ok(await cli(configDir, ['run', '--rm', '--name', `bridge-run-${SUFFIX}`, `bridge-build-${SUFFIX}`, 'cat', '/hello.txt'], { host: hosts.depth2 }), 'run the built image');
    assert.equal(said.trim(), `hello ${SUFFIX}`);
    const saved = await new Promise<Buffer>((resolve, reject) => {
      execFile('docker', ['save', `bridge-build-${SUFFIX}`], { env: { ...process.env, DOCKER_HOST: hosts.depth2 }, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
    });
    assert.ok(saved.length > 50 * 1024 * 1024, `the archive holds the 50 MB layer (${saved.length} bytes)`);
    ok(await cli(configDir, ['load', '-q'], { host: hosts.depth1, input: saved, timeoutMs: 300_000 }), 'load');
    const idOf = async (host: string) => ok(await cli(configDir, ['image', 'inspect', '--format', '{{.Id}}', `bridge-build-${SUFFIX}`], { host }), 'inspect').trim();
    assert.equal(await idOf(hosts.depth1), await idOf(hosts.depth2));
  });

  it('docker cp copies into and out of a container two levels down', async () => {
    ok(await cli(configDir, ['run', '-d', '--name', `bridge-cp-${SUFFIX}`, 'busybox', 'sleep', '600'], { host: hosts.depth2 }), 'run -d');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mbr-cp-'));
    try {
      const payload = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 31) & 0xff));
      fs.writeFileSync(path.join(dir, 'in.bin'), payload);
      ok(await cli(configDir, ['cp', path.join(dir, 'in.bin'), `bridge-cp-${SUFFIX}:/tmp/in.bin`], { host: hosts.depth2 }), 'cp in');
      const sum = ok(await cli(configDir, ['exec', `bridge-cp-${SUFFIX}`, 'md5sum', '/tmp/in.bin'], { host: hosts.depth2 }), 'md5sum');
      ok(await cli(configDir, ['cp', `bridge-cp-${SUFFIX}:/tmp/in.bin`, path.join(dir, 'out.bin')], { host: hosts.depth2 }), 'cp out');
      assert.ok(fs.readFileSync(path.join(dir, 'out.bin')).equals(payload), 'the same bytes came back');
      assert.match(sum, /^[0-9a-f]{32} /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await cli(configDir, ['rm', '-f', `bridge-cp-${SUFFIX}`], { host: hosts.depth2 });
    }
  });

  it('docker-compose (Debian\'s) does up -d, ps and down with two services through DOCKER_HOST', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mbr-compose-'));
    const project = `mbr${SUFFIX}`;
    const compose = (args: string[]) =>
      new Promise<Run>((resolve) => {
        execFile('docker-compose', ['-p', project, '-f', path.join(dir, 'docker-compose.yml'), ...args], { env: { ...process.env, DOCKER_HOST: hosts.depth2, DOCKER_CONFIG: configDir }, timeout: 120_000 }, (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
        );
      });
    try {
      fs.writeFileSync(path.join(dir, 'docker-compose.yml'), 'version: "3"\nservices:\n  web:\n    image: busybox\n    command: sleep 600\n  worker:\n    image: busybox\n    command: sleep 600\n');
      ok(await compose(['up', '-d']), 'compose up');
      const running = ok(await compose(['ps', '--services', '--filter', 'status=running']), 'compose ps').split('\n').filter(Boolean).sort();
      assert.deepEqual(running, ['web', 'worker']);
      const inner = (await dockerIn([NAMES.dind, NAMES.dindInner], ['ps', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Names}}'])).split('\n').filter(Boolean);
      assert.equal(inner.length, 2, `the engine two levels down runs them: ${inner.join(', ')}`);
      ok(await compose(['down', '-t', '1']), 'compose down');
      assert.equal(await dockerIn([NAMES.dind, NAMES.dindInner], ['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Names}}']), '');
    } finally {
      await compose(['down', '-t', '1']);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('50 docker ps at once all succeed, and relays return to the resting count', async () => {
    // Other suites may use the shared fixture meanwhile: compare with what ran just before.
    const before = await relayProcesses([NAMES.dind, NAMES.dindInner]);
    const runs = await Promise.all(Array.from({ length: 50 }, () => cli(configDir, ['ps', '-q'], { host: hosts.depth2 })));
    const failed = runs.filter((run) => run.code !== 0);
    assert.equal(failed.length, 0, failed.map((run) => run.stderr).join('\n'));
    await waitFor('every bridged connection to close', 10_000, async () => bridges.every((bridge) => bridge.connections === 0));
    // At rest a bridge keeps its one warm relay (it may have been replaced meanwhile: +1).
    const after = await waitFor('relays in the depth-2 container to settle', 30_000, async () => {
      const count = await relayProcesses([NAMES.dind, NAMES.dindInner]);
      return count <= before + 1 ? count : undefined;
    });
    assert.ok(after <= before + 1, `${after} relays rest in ${NAMES.dindInner} (${before} before)`);
  });
});

describe('a bridge whose engine goes away, and its socket file (real engine)', { timeout: 300_000 }, () => {
  const dind = `mbr-dind-${SUFFIX}`;
  let graph: EngineGraph;
  let folder: string;
  let configDir: string;

  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mbr-'));
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mbr-config-'));
    await docker(['run', '-d', '--init', '--privileged', '--name', dind, '--entrypoint', 'sh', 'docker:dind', '-c', 'dockerd --host=unix:///var/run/docker.sock >/dev/null 2>&1']);
    graph = newTestGraph();
    await waitFor(`the engine inside ${dind}`, 120_000, async () => {
      await graph.refreshAll();
      const container = graph.snapshot()[0].containers.find((c) => c.name === dind);
      return container?.inner?.status.kind === 'connected' ? true : undefined;
    }, 1000);
  });

  after(async () => {
    graph?.dispose();
    await docker(['rm', '-f', dind]).catch(() => undefined);
    fs.rmSync(folder, { recursive: true, force: true });
    fs.rmSync(configDir, { recursive: true, force: true });
  });

  it('ends connections and answers with the reason while the engine is away; says when it is gone for good', async () => {
    const engineKey = engineIn(graph, [dind]).key;
    let gone: string | undefined;
    const bridge = await EngineBridge.listen({ graph, engineKey, label: `default › ${dind}`, socketPath: path.join(folder, 'gone.sock'), log: () => undefined, onGone: (reason) => (gone = reason) });
    try {
      const host = `unix://${bridge.socketPath}`;
      ok(await cli(configDir, ['ps'], { host }), 'ps while the engine is there');
      const events = spawn('docker', ['events'], { env: { ...process.env, DOCKER_HOST: host, DOCKER_CONFIG: configDir } });
      const eventsEnded = new Promise<number | null>((resolve) => events.once('exit', resolve));
      await waitFor('the event stream to be carried', 10_000, async () => bridge.connections > 0);
      await docker(['stop', '-t', '1', dind]);
      const code = await Promise.race([eventsEnded, new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 30_000))]);
      events.kill();
      assert.notEqual(code, 'still running', 'the client\'s stream ended with its engine');
      const refused = await cli(configDir, ['ps'], { host });
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, new RegExp(`Matryoshka bridge: default › ${dind} cannot be reached: .*(is not running|is exited)`), refused.stderr);
      assert.equal(gone, undefined, 'a stopped container is not gone');
      await docker(['rm', '-f', dind]);
      await waitFor('the bridge to learn its engine is gone', 30_000, async () => gone);
      assert.match(gone ?? '', /was removed/);
    } finally {
      await bridge.close();
    }
    assert.ok(!fs.existsSync(path.join(folder, 'gone.sock')), 'closing removes the socket file');
  });

  it('replaces a stale socket file, refuses one another process serves, and leaves other files alone', async () => {
    const socketPath = path.join(folder, 'stale.sock');
    // A process killed while it listened leaves its socket file behind.
    const holder = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socketPath)}, () => console.log('up'))`]);
    await new Promise((resolve) => holder.stdout.once('data', resolve));
    const options = { graph, engineKey: 'default', label: 'default', socketPath, log: () => undefined };
    await assert.rejects(EngineBridge.listen(options), /already served by another process/);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    assert.ok(fs.existsSync(socketPath), 'the stale socket file is there');
    const bridge = await EngineBridge.listen(options);
    try {
      ok(await cli(configDir, ['version', '--format', '{{.Server.Version}}'], { host: `unix://${socketPath}` }), 'version through the reclaimed socket');
    } finally {
      await bridge.close();
    }
    const plain = path.join(folder, 'plain.sock');
    fs.writeFileSync(plain, 'not a socket');
    await assert.rejects(EngineBridge.listen({ ...options, socketPath: plain }), /is not a socket/);
    assert.equal(fs.readFileSync(plain, 'utf8'), 'not a socket');
    await assert.rejects(EngineBridge.listen({ ...options, socketPath: path.join(folder, 'x'.repeat(120)) }), /more than Unix sockets allow/);
  });
});
