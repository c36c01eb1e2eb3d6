// What an engine sends is bounded: size caps, deadlines on bodies, event lines, backpressure, and
// one engine's bad replies failing that engine alone. The engines here are a local HTTP server of
// the test's own on a unix socket (test/support/hostileEngine.ts).
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { EngineApi, MalformedReplyError } from '../../src/engine/engineApi';
import { LIMITS } from '../../src/engine/boundedRead';
import { getArchive, logTail } from '../../src/engine/engineObjects';
import { demuxStream } from '../../src/engine/streamDemux';
import { startHostileEngine, type HostileEngine, type HostileMode } from '../support/hostileEngine';
import { newTestGraph } from '../support/testGraph';

const DEADLINE_MS = 1500;
const engines: HostileEngine[] = [];

async function hostileApi(mode: HostileMode): Promise<{ api: EngineApi; engine: HostileEngine }> {
  const engine = await startHostileEngine(mode);
  engines.push(engine);
  const api = new EngineApi(new Dockerode({ socketPath: engine.socketPath }), { label: `engine "${mode}"`, deadlineMs: DEADLINE_MS });
  return { api, engine };
}

/** How long `work` took to fail, and its error. */
async function failure(work: () => Promise<unknown>): Promise<{ error: Error; ms: number }> {
  const started = Date.now();
  try {
    await work();
  } catch (error) {
    return { error: error as Error, ms: Date.now() - started };
  }
  assert.fail('expected a failure');
}

after(async () => {
  await Promise.all(engines.map((e) => e.close()));
});

describe('replies from a hostile engine', () => {
  it('a listing of the wrong shape is an error naming the engine, the request and the field', async () => {
    const { api } = await hostileApi('shapes');
    await api.negotiate();
    const { error } = await failure(() => api.listContainers());
    assert.ok(error instanceof MalformedReplyError, String(error));
    assert.match(error.message, /^engine "shapes": GET \/containers\/json: \[0\]\.Mounts: expected array, got object; \[1\]\.Labels: expected record, got array; \[2\]\.Names: expected array, got number \(and \d+ more\)$/);
  });

  it('a 50 MB listing fails at the cap, without waiting for the rest', async () => {
    const { api } = await hostileApi('huge');
    const heapBefore = process.memoryUsage().heapUsed;
    const { error } = await failure(() => api.listContainers());
    assert.ok(error instanceof MalformedReplyError, String(error));
    assert.match(error.message, /^engine "huge": GET \/containers\/json: the reply is larger than 16 MiB; stopped reading/);
    // The body is held as Buffers (outside the JS heap) and never turned into one string.
    assert.ok(process.memoryUsage().heapUsed - heapBefore < 50 * 1024 * 1024);
  });

  it('a body that drips 1 byte a second fails at the deadline, though its headers came at once', async () => {
    const { api } = await hostileApi('drip');
    const { error, ms } = await failure(() => api.listContainers());
    assert.equal(error.name, 'DeadlineError');
    assert.match(error.message, /^engine "drip": GET \/containers\/json did not answer within 1\.5 s$/);
    assert.ok(ms < DEADLINE_MS + 1000, `${ms} ms`);
  });

  it('a log tail and an archive that drip fail at the deadline too (their bodies are streams)', async () => {
    const { api } = await hostileApi('drip');
    for (const read of [() => logTail(api, 'c0ffee', 30, true), () => getArchive(api, 'c0ffee', '/certs/client')]) {
      const { error, ms } = await failure(read);
      assert.equal(error.name, 'DeadlineError', String(error));
      assert.ok(ms < DEADLINE_MS + 1000, `${ms} ms`);
    }
  });

  it('a connection that never answers fails at the deadline', async () => {
    const { api } = await hostileApi('silent');
    const { error, ms } = await failure(() => api.negotiate());
    assert.equal(error.name, 'DeadlineError');
    assert.ok(ms < DEADLINE_MS + 1000, `${ms} ms`);
  });

  it('an answer that is not HTTP is an error naming the engine', async () => {
    const { api } = await hostileApi('invalidHttp');
    const { error } = await failure(() => api.negotiate());
    assert.match(error.message, /^engine "invalidHttp": GET \/version failed: HPE_/);
  });

  it('an event line over the cap, without a newline, breaks the stream with the reason', async () => {
    const { api } = await hostileApi('eventLine');
    await api.negotiate();
    const events: unknown[] = [];
    const stream = await api.streamEvents((e) => events.push(e));
    const error = await new Promise<Error>((resolve) => stream.once('error', resolve));
    assert.equal(error.message, 'engine "eventLine": an event line is longer than 64 KiB; reconnecting');
    assert.deepEqual(events, []);
    assert.equal(stream.destroyed, true);
  });

  it('an error status with a huge body is read no further than the error cap', async () => {
    const { api } = await hostileApi('huge');
    // `huge` answers the listing with 200; any other status is an error for this call, so the
    // 50 MB body is read as an error reply.
    const { error } = await failure(() =>
      api.call({ path: '/containers/json', method: 'GET', statusCodes: { 404: true } }),
    );
    assert.match(error.message, /^engine "huge": GET \/containers\/json failed \(HTTP 200\)/);
    assert.ok(error.message.length < LIMITS.errorBytes + 200);
  });

  it('the error reply to a hijacked exec start is read no further than the error cap', async () => {
    const { api } = await hostileApi('huge');
    await api.negotiate();
    const heapBefore = process.memoryUsage().heapUsed;
    const { error } = await failure(() => api.startExecHijacked('0123abcd', false));
    assert.match(error.message, /^engine "huge": POST \/exec\/0123abcd\/start failed \(HTTP 404\)/);
    assert.ok(error.message.length < LIMITS.errorBytes + 200, `${error.message.length} characters`);
    assert.ok(process.memoryUsage().heapUsed - heapBefore < 20 * 1024 * 1024);
  });
});

describe('one hostile engine among good ones', () => {
  for (const mode of ['mountsObject', 'shapes'] as const) {
    it(`${mode}: fails only its own row, with the reason, and refreshAll resolves with the good engine listed`, async () => {
      const good = await startHostileEngine('recorded');
      const bad = await startHostileEngine(mode);
      engines.push(good, bad);
      const graph = newTestGraph(
        [
          { name: 'good', host: good.host, origin: 'setting', current: true },
          { name: 'hostile', host: bad.host, origin: 'setting', current: false },
        ],
        DEADLINE_MS,
      );
      try {
        await graph.refreshAll();
        const [goodRow, badRow] = graph.snapshot();
        assert.equal(goodRow.status.kind, 'connected');
        assert.equal(goodRow.containers.length, 7);
        assert.equal(badRow.status.kind, 'disconnected');
        assert.match(badRow.status.kind === 'disconnected' ? badRow.status.reason : '', /^engine "hostile": GET \/containers\/json: \[0\]\.Mounts: expected array, got object/);
      } finally {
        graph.dispose();
      }
    });
  }
});

describe('demultiplexing with backpressure', () => {
  /** One stdout frame of `size` bytes. */
  const frame = (size: number) => {
    const header = Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]);
    header.writeUInt32BE(size, 4);
    return Buffer.concat([header, Buffer.alloc(size, 'o')]);
  };

  it('pauses the source while a reader holds its output full, and loses nothing once it reads', async () => {
    const source = new PassThrough();
    const { stdout, stderr } = demuxStream(source, 16 * 1024);
    stderr.resume();
    const total = 4 * 1024 * 1024;
    for (let sent = 0; sent < total; sent += 64 * 1024) source.write(frame(64 * 1024));
    source.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Nobody reads stdout: the demuxer stopped taking from the source instead of buffering it all.
    assert.equal(source.isPaused(), true);
    assert.ok(stdout.readableLength <= 16 * 1024 + 64 * 1024, `${stdout.readableLength} bytes buffered`);
    let received = 0;
    for await (const chunk of stdout) received += (chunk as Buffer).length;
    assert.equal(received, total);
  });
});
