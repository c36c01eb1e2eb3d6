import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import { TunnelSocket } from '../../src/engine/tunnelSocket';

function tunnel(): { socket: TunnelSocket; stdout: PassThrough } {
  const stdout = new PassThrough();
  return { socket: new TunnelSocket(new PassThrough(), stdout, undefined, 'test relay'), stdout };
}

describe('TunnelSocket', () => {
  it('passes the engine\'s answer through unchanged, even when "HTTP/" arrives split across chunks', async () => {
    const { socket, stdout } = tunnel();
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    for (const part of ['H', 'TT', 'P/1.1 200 OK\r\n', 'Content-Length: 0\r\n\r\n']) stdout.write(part);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(Buffer.concat(received).toString(), 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    socket.destroy();
  });

  it('fails with what the relay wrote when it is not the engine answering (an exec started in a paused container)', async () => {
    const { socket, stdout } = tunnel();
    const failed = new Promise<Error>((resolve) => socket.once('error', resolve));
    // What dockerd 20.10 writes into a hijacked exec stream when the exec cannot start.
    stdout.write('Container 3f2c1b0a9e8d is paused, unpause the container before exec\r\n');
    const error = await failed;
    assert.equal(error.message, 'the relay did not reach the engine: Container 3f2c1b0a9e8d is paused, unpause the container before exec');
  });
});
