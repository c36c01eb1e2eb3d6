import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EngineApi } from '../../src/engine/engineApi';
import type { EngineGraph } from '../../src/engine/engineGraph';
import { followLogs } from '../../src/engine/logFollower';
import { dockerIn, waitFor } from '../support/docker';
import { LABEL, NAMES } from '../support/nestedFixture';
import { graphAtDepth2 } from '../support/testGraph';
import { ownName } from '../support/runId';

const DEPTH2 = [NAMES.dind, NAMES.dindInner];
const TTY = ownName('it5-tty');

describe('logs of a TTY container two engines deep', { timeout: 300_000 }, () => {
  let graph: EngineGraph;
  let api: EngineApi;

  before(async () => {
    ({ graph, api } = await graphAtDepth2());
  });

  after(() => graph?.dispose());

  it('come as one raw stream with a timestamp on each line, and end when the container stops', async () => {
    await dockerIn(DEPTH2, ['run', '-d', '-t', '--name', TTY, '--label', LABEL, 'busybox:latest', 'sh', '-c', 'echo line-1; echo line-2 >&2; sleep 2; echo line-3']);
    try {
      let text = '';
      let ended = '';
      const stop = await followLogs(api, TTY, true, 100, { onText: (kind, chunk) => (text += `${kind}:${chunk}`), onEnd: (reason) => (ended = reason) });
      await waitFor('the container to stop and the stream to end', 20_000, async () => ended !== '');
      stop();
      assert.equal(ended, 'the container stopped');
      // One stream (a TTY has no stderr of its own), CRLF as the TTY wrote it, never a frame header.
      assert.doesNotMatch(text, /stderr:/);
      assert.doesNotMatch(text, /[\x00-\x02]\x00\x00\x00/);
      const lines = text.replace(/stdout:/g, '').split('\r\n').filter(Boolean);
      assert.deepEqual(lines.map((l) => l.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, '')), ['line-1', 'line-2', 'line-3']);
      for (const line of lines) assert.match(line, /^\d{4}-\d\d-\d\dT[\d:.]+Z /);
    } finally {
      await dockerIn(DEPTH2, ['rm', '-f', TTY]);
    }
  });
});
