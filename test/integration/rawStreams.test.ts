import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { EngineGraph } from '../../src/engine/engineGraph';
import { openExecStream } from '../../src/engine/innerEngine';
import type { ContainerSnapshot, EngineSnapshot } from '../../src/model/snapshot';
import { NAMES, ensureNestedFixture } from '../support/nestedFixture';
import { newTestGraph } from '../support/testGraph';

function listed(engine: EngineSnapshot | undefined, name: string): ContainerSnapshot {
  const found = engine?.containers.find((c) => c.name === name);
  assert.ok(found, `${name} is listed on ${engine?.name ?? '(no engine)'}`);
  return found;
}

/** Everything the stream carries until its far side ends it. */
function readAll(stream: Duplex): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

/**
 * What the Docker CLI does for `docker run`: send the request, close its write side at once, then
 * read. A pipe that stops reading when its near side closes loses the answer.
 */
async function pingHalfClosed(stream: Duplex): Promise<string> {
  const answer = readAll(stream);
  stream.end('GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n');
  return (await answer).toString('latin1');
}

describe('raw byte streams to engines and into containers (real engine)', { timeout: 300_000 }, () => {
  let graph: EngineGraph;

  before(async () => {
    await ensureNestedFixture();
    graph = newTestGraph();
    await graph.refreshAll();
  });

  after(() => graph?.dispose());

  it('carries a half-closed request to the root engine and to an engine two levels down', async () => {
    const dind = listed(graph.snapshot()[0], NAMES.dind);
    const inner = listed(dind.inner, NAMES.dindInner);
    assert.ok(inner.inner, `${NAMES.dindInner} runs an engine`);
    for (const key of ['default', inner.inner.key]) {
      const answer = await pingHalfClosed(await graph.openEngineStream(key));
      assert.match(answer, /^HTTP\/1\.1 200 OK\r\n/, `${key}: ${answer.slice(0, 80)}`);
      assert.ok(answer.endsWith('\r\n\r\nOK'), `${key}: the body arrives after the write side closed`);
    }
  });

  it('carries bytes into a process two levels down and back, byte for byte, until it ends', async () => {
    const dind = listed(graph.snapshot()[0], NAMES.dind);
    const inner = listed(dind.inner, NAMES.dindInner);
    const grandchild = listed(inner.inner, NAMES.grandchild);
    const api = graph.apiFor(grandchild.engineKey);
    assert.ok(api, 'the engine two levels down is connected');
    const payload = randomBytes(1024 * 1024);
    const { socket } = await openExecStream(api, grandchild.id, ['cat'], `cat in ${NAMES.grandchild}`, false);
    const echoed = readAll(socket);
    socket.end(payload);
    const back = await echoed;
    assert.equal(back.length, payload.length);
    assert.ok(back.equals(payload), 'the same bytes came back');
  });

  it('says which engine is not connected instead of opening anything', async () => {
    await assert.rejects(graph.openEngineStream('default/not-a-container'), /no engine default\/not-a-container is listed/);
  });
});
