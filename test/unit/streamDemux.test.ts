import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { DemuxError, FrameDemuxer, demuxStream } from '../../src/engine/streamDemux';
import { RECORDED, readJson } from '../support/recorded';

const body = fs.readFileSync(path.join(RECORDED, 'streams', 'logs-multiplexed.bin'));
const expected = readJson<{ stdout: string; stderr: string }>('streams', 'logs-multiplexed.expected.json');

function collect(chunks: Buffer[]): { stdout: string; stderr: string; truncated: boolean } {
  const out: Record<string, Buffer[]> = { stdout: [], stderr: [] };
  const demuxer = new FrameDemuxer((kind, payload) => out[kind === 'stderr' ? 'stderr' : 'stdout'].push(Buffer.from(payload)));
  for (const chunk of chunks) demuxer.push(chunk);
  return { stdout: Buffer.concat(out.stdout).toString(), stderr: Buffer.concat(out.stderr).toString(), truncated: demuxer.truncated };
}

async function readAll(stream: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString();
}

describe('demultiplexing a recorded logs stream', () => {
  it('whole body in one chunk', () => {
    const result = collect([body]);
    assert.equal(result.stdout, expected.stdout);
    assert.equal(result.stderr, expected.stderr);
    assert.equal(result.truncated, false);
  });

  it('split into two chunks at every possible position (inside headers and payloads)', () => {
    for (let cut = 1; cut < body.length; cut++) {
      const result = collect([body.subarray(0, cut), body.subarray(cut)]);
      assert.equal(result.stdout, expected.stdout, `cut at ${cut}`);
      assert.equal(result.stderr, expected.stderr, `cut at ${cut}`);
    }
  });

  it('one byte at a time', () => {
    const result = collect([...body].map((b) => Buffer.from([b])));
    assert.equal(result.stdout, expected.stdout);
    assert.equal(result.stderr, expected.stderr);
  });

  it('says when the stream was cut in the middle of a frame', () => {
    assert.equal(collect([body.subarray(0, body.length - 3)]).truncated, true);
    assert.equal(collect([body.subarray(0, 4)]).truncated, true);
  });

  it('rejects a stream that is not multiplexed (a TTY stream) instead of printing garbage', () => {
    assert.throws(() => collect([Buffer.from('hello from a tty\r\n')]), DemuxError);
  });

  it('demuxStream ends both outputs when the source ends', async () => {
    const source = new PassThrough();
    const { stdout, stderr } = demuxStream(source);
    const reading = Promise.all([readAll(stdout), readAll(stderr)]);
    for (let i = 0; i < body.length; i += 7) source.write(body.subarray(i, i + 7));
    source.end();
    const [out, err] = await reading;
    assert.equal(out, expected.stdout);
    assert.equal(err, expected.stderr);
  });

  it('demuxStream fails stdout and ends stderr when the source is not multiplexed', async () => {
    const source = new PassThrough();
    const { stdout, stderr } = demuxStream(source);
    source.end(Buffer.from('plain text'));
    await assert.rejects(readAll(stdout), /not a multiplexed Docker stream/);
    assert.equal(await readAll(stderr), '');
  });
});
