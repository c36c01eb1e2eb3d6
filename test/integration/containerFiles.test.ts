import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ContainerFileError, ContainerFiles } from '../../src/engine/containerFiles';
import type { EngineApi } from '../../src/engine/engineApi';
import type { EngineGraph } from '../../src/engine/engineGraph';
import { countingApi } from '../support/countingApi';
import { dockerIn, execChain } from '../support/docker';
import { NAMES, ensureNestedFixture } from '../support/nestedFixture';
import { newTestGraph } from '../support/testGraph';

/**
 * The files of containers one and two engines deep, through the archive endpoints of the engine
 * that runs them, checked against what `docker exec` in that container says. The containers are
 * this run's own busybox containers (a per-run suffix), removed at the end.
 */
const SUFFIX = `-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const LIMIT = 16 * 1024 * 1024;
const HOSTILE = ['new\nline', '<img src=x onerror=alert(1)>', 'rtl\u202Eexe.txt'];

/** `docker exec` in the innermost container of `path`, its output as bytes (no trimming). */
function execIn(path: string[], cmd: string[], input?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile('docker', [...execChain(path, input ? ['-i'] : []), ...cmd], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`docker exec ${path.join(' › ')} ${cmd.join(' ')}: ${stderr.toString().trim() || error.message}`));
      else resolve(stdout);
    });
    if (input) child.stdin?.end(input);
  });
}

async function expectFileError(work: Promise<unknown>, reason: string, ...mentions: string[]): Promise<ContainerFileError> {
  const error = await work.then(
    () => assert.fail(`expected a ${reason} error`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ContainerFileError, `a ContainerFileError, got ${String(error)}`);
  assert.equal(error.reason, reason, error.message);
  for (const mention of mentions) assert.ok(error.message.includes(mention), `${JSON.stringify(error.message)} names ${JSON.stringify(mention)}`);
  return error;
}

for (const engines of [[NAMES.dind], [NAMES.dind, NAMES.dindInner]]) {
  describe(`container files ${engines.length} engine(s) deep`, { timeout: 600_000 }, () => {
    const names = { rw: `fs-rw${SUFFIX}`, ro: `fs-ro${SUFFIX}`, stopped: `fs-stopped${SUFFIX}`, locked: `fs-locked${SUFFIX}`, doomed: `fs-doomed${SUFFIX}` };
    let graph: EngineGraph;
    let api: EngineApi;
    const files: Record<string, ContainerFiles> = {};
    const at = (name: string) => [...engines, name];
    const label = (name: string) => ['default', ...engines, name].join(' › ');

    before(async () => {
      await ensureNestedFixture();
      const sleeper = ['busybox:latest', 'sleep', '86400'];
      await Promise.all([
        dockerIn(engines, ['run', '-d', '--name', names.rw, ...sleeper]),
        dockerIn(engines, ['run', '-d', '--read-only', '--name', names.ro, ...sleeper]),
        dockerIn(engines, ['run', '-d', '--name', names.stopped, ...sleeper]),
        // Root without CAP_DAC_OVERRIDE cannot write into a directory another user owns read-only.
        dockerIn(engines, ['run', '-d', '--cap-drop', 'DAC_OVERRIDE', '--name', names.locked, ...sleeper]),
        dockerIn(engines, ['run', '-d', '--name', names.doomed, ...sleeper]),
      ]);
      await execIn(at(names.locked), ['sh', '-c', 'mkdir /locked && echo keep > /locked/f && chown -R 1000:1000 /locked && chmod 555 /locked']);
      await execIn(at(names.stopped), ['sh', '-c', 'echo still here > /tmp/kept']);
      await dockerIn(engines, ['stop', '-t', '0', names.stopped]);
      // The machine these run on is shared: a 30 s request deadline, so that a loaded engine is not a failure.
      graph = newTestGraph(undefined, 30_000);
      await graph.refreshAll();
      let engine = graph.snapshot()[0];
      for (const name of engines) engine = engine.containers.find((c) => c.name === name)?.inner ?? assert.fail(`the engine inside ${name}`);
      api = graph.apiFor(engine.key) as EngineApi;
      for (const [key, name] of Object.entries(names)) {
        const id = await dockerIn(engines, ['inspect', '-f', '{{.Id}}', name]);
        files[key] = new ContainerFiles({ api, id, label: label(name) }, { maxFileBytes: () => LIMIT, maxFileSetting: 'matryoshka.files.maxFileSizeMB' });
      }
    });

    after(async () => {
      graph?.dispose();
      await dockerIn(engines, ['rm', '-f', ...Object.values(names)]).catch(() => undefined);
    });

    it('stat: a file, a directory, a symlink as a link with its target kind', async () => {
      const hostname = await execIn(at(names.rw), ['cat', '/etc/hostname']);
      const file = await files.rw.stat('/etc/hostname');
      assert.equal(file.kind, 'file');
      assert.equal(file.size, hostname.length);
      assert.equal((await files.rw.stat('/etc')).kind, 'directory');
      const link = await files.rw.stat('/bin/sh');
      assert.equal(link.kind, 'symlink');
      assert.equal(link.targetKind, 'file');
    });

    it('readFile of /etc/hostname equals what docker exec cat prints', async () => {
      const expected = await execIn(at(names.rw), ['cat', '/etc/hostname']);
      assert.deepEqual(Buffer.from(await files.rw.readFile('/etc/hostname')), expected);
    });

    it('readDirectory lists exactly the direct children, links as links', async () => {
      const expected = (await execIn(at(names.rw), ['ls', '-A', '/etc'])).toString().split('\n').filter(Boolean).sort();
      const listed = await files.rw.readDirectory('/etc');
      assert.deepEqual(listed.map((e) => e.name).sort(), expected);
      const bin = await files.rw.readDirectory('/bin');
      const sh = bin.find((e) => e.name === 'sh');
      assert.equal(sh?.kind, 'symlink');
      assert.equal(sh?.targetKind, 'file');
      assert.equal(bin.find((e) => e.name === 'busybox')?.kind, 'file');
    });

    it('a directory of 1,000 files lists completely, and the exec fallback past the archive budget lists the same', async () => {
      await execIn(at(names.rw), ['sh', '-c', 'mkdir -p /many && cd /many && i=0; while [ $i -lt 1000 ]; do echo $i > f$i; i=$((i+1)); done']);
      const listed = await files.rw.readDirectory('/many');
      assert.equal(listed.length, 1000);
      assert.deepEqual(new Set(listed.map((e) => e.name)), new Set(Array.from({ length: 1000 }, (_, i) => `f${i}`)));
      const small = new ContainerFiles(files.rw.container, { maxFileBytes: () => LIMIT, maxFileSetting: 'x', listingBudgetBytes: 4096 });
      const byExec = await small.readDirectory('/many');
      assert.deepEqual(byExec.map((e) => `${e.name} ${e.kind} ${e.size}`).sort(), listed.map((e) => `${e.name} ${e.kind} ${e.size}`).sort());
    });

    it('hostile file names come back as the exact text, through the archive and through the exec fallback', async () => {
      await execIn(at(names.rw), ['mkdir', '-p', '/hostile']);
      for (const name of HOSTILE) await execIn(at(names.rw), ['touch', `/hostile/${name}`]);
      const listed = (await files.rw.readDirectory('/hostile')).map((e) => e.name).sort();
      assert.deepEqual(listed, [...HOSTILE].sort());
      const small = new ContainerFiles(files.rw.container, { maxFileBytes: () => LIMIT, maxFileSetting: 'x', listingBudgetBytes: 512 });
      assert.deepEqual((await small.readDirectory('/hostile')).map((e) => e.name).sort(), [...HOSTILE].sort());
    });

    it('writeFile keeps mode and owner, reads back identically through docker exec, and leaves no temporary file', async () => {
      await execIn(at(names.rw), ['sh', '-c', 'mkdir /work && echo old > /work/script.sh && chown 1234:2345 /work/script.sh && chmod 4750 /work/script.sh']);
      const content = Buffer.from('#!/bin/sh\necho new \u00e9\n');
      await files.rw.writeFile('/work/script.sh', content, { create: false, overwrite: true });
      assert.deepEqual(await execIn(at(names.rw), ['cat', '/work/script.sh']), content);
      assert.equal((await execIn(at(names.rw), ['stat', '-c', '%a %u %g', '/work/script.sh'])).toString().trim(), '4750 1234 2345');
      assert.equal((await execIn(at(names.rw), ['ls', '-A', '/work'])).toString().trim(), 'script.sh');
    });

    it('a save of an existing file makes five engine calls once the container is known, and reports the stat the engine then gives', async () => {
      await execIn(at(names.rw), ['sh', '-c', 'mkdir -p /count && echo old > /count/f.txt && chown 1234:2345 /count/f.txt && chmod 640 /count/f.txt']);
      const counter = countingApi(api);
      const counted = new ContainerFiles({ ...files.rw.container, api: counter.api }, { maxFileBytes: () => LIMIT, maxFileSetting: 'x' });
      // The first save in a container also asks whether it has mv.
      await counted.writeFile('/count/f.txt', Buffer.from('first'), { create: false, overwrite: true });
      counter.calls.length = 0;
      const result = await counted.writeFile('/count/f.txt', Buffer.from('second save'), { create: false, overwrite: true });
      assert.deepEqual(counter.calls, ['GET /containers/<id>/archive', 'POST /containers/<id>/exec', 'PUT /containers/<id>/archive', 'POST /exec/<id>/start', 'GET /exec/<id>/json']);
      assert.equal(result.created, false);
      assert.deepEqual(result.stat, await files.rw.stat('/count/f.txt'));
      assert.equal((await execIn(at(names.rw), ['cat', '/count/f.txt'])).toString(), 'second save');
      assert.equal((await execIn(at(names.rw), ['stat', '-c', '%a %u %g', '/count/f.txt'])).toString().trim(), '640 1234 2345');
    });

    it('a transfer cut short leaves the old file whole and no temporary file', async () => {
      await execIn(at(names.rw), ['sh', '-c', 'mkdir -p /cut && echo old > /cut/f.txt']);
      // The archive loses its end on the way: the engine gets a file entry with part of its data.
      const cut = countingApi(api, (dial) => (dial.method === 'PUT' && Buffer.isBuffer(dial.file) ? { ...dial, file: dial.file.subarray(0, 512 + 20_000) } : dial));
      const cutFiles = new ContainerFiles({ ...files.rw.container, api: cut.api }, { maxFileBytes: () => LIMIT, maxFileSetting: 'x' });
      await assert.rejects(cutFiles.writeFile('/cut/f.txt', randomBytes(64 * 1024), { create: false, overwrite: true }), ContainerFileError);
      assert.equal((await execIn(at(names.rw), ['cat', '/cut/f.txt'])).toString(), 'old\n');
      assert.equal((await execIn(at(names.rw), ['ls', '-A', '/cut'])).toString().trim(), 'f.txt');
    });

    it('writeFile creates a new file (0644, the directory\'s owner) and refuses what the flags forbid', async () => {
      await execIn(at(names.rw), ['sh', '-c', 'mkdir /owned && chown 1000:1001 /owned']);
      await files.rw.writeFile('/owned/new.txt', Buffer.from('hello'), { create: true, overwrite: false });
      assert.equal((await execIn(at(names.rw), ['stat', '-c', '%a %u %g %s', '/owned/new.txt'])).toString().trim(), '644 1000 1001 5');
      await expectFileError(files.rw.writeFile('/owned/new.txt', Buffer.from('x'), { create: true, overwrite: false }), 'exists', '/owned/new.txt', label(names.rw));
      await expectFileError(files.rw.writeFile('/owned/absent.txt', Buffer.from('x'), { create: false, overwrite: true }), 'not-found', '/owned/absent.txt', label(names.rw));
    });

    it('a 10 MB binary round-trips with the same sha256', async () => {
      const data = randomBytes(10 * 1024 * 1024);
      await files.rw.writeFile('/tmp/blob.bin', data, { create: true, overwrite: true });
      const inside = (await execIn(at(names.rw), ['sha256sum', '/tmp/blob.bin'])).toString().split(' ')[0];
      assert.equal(inside, createHash('sha256').update(data).digest('hex'));
      const back = await files.rw.readFile('/tmp/blob.bin');
      assert.equal(createHash('sha256').update(back).digest('hex'), inside);
    });

    it('createDirectory, rename and delete (the last two through an exec)', async () => {
      await files.rw.createDirectory('/made');
      assert.equal((await execIn(at(names.rw), ['stat', '-c', '%F %a', '/made'])).toString().trim(), 'directory 755');
      await expectFileError(files.rw.createDirectory('/made'), 'exists', '/made');
      await files.rw.writeFile('/made/a.txt', Buffer.from('a'), { create: true, overwrite: false });
      await files.rw.writeFile('/made/b.txt', Buffer.from('b'), { create: true, overwrite: false });
      await expectFileError(files.rw.rename('/made/a.txt', '/made/b.txt', { overwrite: false }), 'exists', '/made/b.txt');
      await files.rw.rename('/made/a.txt', '/made/c.txt', { overwrite: false });
      assert.equal((await execIn(at(names.rw), ['ls', '-A', '/made'])).toString().split('\n').filter(Boolean).sort().join(' '), 'b.txt c.txt');
      await files.rw.rename('/made/c.txt', '/made/b.txt', { overwrite: true });
      assert.equal((await execIn(at(names.rw), ['cat', '/made/b.txt'])).toString(), 'a');
      await expectFileError(files.rw.delete('/made', { recursive: false }), 'engine', '/made');
      await files.rw.delete('/made/b.txt', { recursive: false });
      await files.rw.delete('/made', { recursive: false });
      await files.rw.createDirectory('/made');
      await files.rw.writeFile('/made/x', Buffer.from('x'), { create: true, overwrite: false });
      await files.rw.delete('/made', { recursive: true });
      await expectFileError(files.rw.stat('/made'), 'not-found', '/made', label(names.rw));
    });

    it('a stopped container can still be read and written; delete says it needs the container running', async () => {
      assert.equal(Buffer.from(await files.stopped.readFile('/tmp/kept')).toString(), 'still here\n');
      assert.ok((await files.stopped.readDirectory('/tmp')).some((e) => e.name === 'kept'));
      await files.stopped.writeFile('/tmp/kept', Buffer.from('changed'), { create: false, overwrite: true });
      assert.equal(Buffer.from(await files.stopped.readFile('/tmp/kept')).toString(), 'changed');
      await expectFileError(files.stopped.delete('/tmp/kept', { recursive: false }), 'container-stopped', '/tmp/kept', label(names.stopped), 'running');
    });

    it('errors name the container and the path: read-only, no such file, over the limit, permission denied, removed', async () => {
      const ro = await expectFileError(files.ro.writeFile('/etc/motd', Buffer.from('x'), { create: true, overwrite: true }), 'read-only', '/etc/motd', label(names.ro));
      assert.equal(ro.code, 'NoPermissions');
      await expectFileError(files.rw.readFile('/no/such/file'), 'not-found', '/no/such/file', label(names.rw));
      const small = new ContainerFiles(files.rw.container, { maxFileBytes: () => 4, maxFileSetting: 'matryoshka.files.maxFileSizeMB' });
      await expectFileError(small.readFile('/etc/passwd'), 'too-large', '/etc/passwd', label(names.rw), 'matryoshka.files.maxFileSizeMB');
      await expectFileError(files.locked.delete('/locked/f', { recursive: false }), 'permission-denied', '/locked/f', label(names.locked));
      await expectFileError(files.locked.rename('/locked/f', '/locked/g', { overwrite: false }), 'permission-denied', '/locked/f', label(names.locked));
      assert.equal((await execIn(at(names.locked), ['cat', '/locked/f'])).toString(), 'keep\n');
      await dockerIn(engines, ['rm', '-f', names.doomed]);
      await expectFileError(files.doomed.readFile('/etc/hostname'), 'container-gone', '/etc/hostname', label(names.doomed), 'removed');
      await expectFileError(files.doomed.writeFile('/tmp/x', Buffer.from('x'), { create: true, overwrite: true }), 'container-gone', '/tmp/x', label(names.doomed));
    });
  });
}
