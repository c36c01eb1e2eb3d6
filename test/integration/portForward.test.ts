import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EngineGraph } from '../../src/engine/engineGraph';
import { runExec } from '../../src/engine/containerExec';
import type { EngineApi } from '../../src/engine/engineApi';
import { PortForward, type ConnectionEnd } from '../../src/engine/portForward';
import { resolveTarget } from '../../src/model/targets';
import { docker, dockerIn, loadImageInto, waitFor } from '../support/docker';
import { LABEL, NAMES, ensureNestedFixture } from '../support/nestedFixture';
import { LOCAL_ENGINE, newTestGraph } from '../support/testGraph';

const SUFFIX = `-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const WEB = `pf-web${SUFFIX}`;
const BARE = `pf-bare${SUFFIX}`;
const BARE_IMAGE = `matryoshka-test/bare-httpd${SUFFIX}`;
const DEPTH1 = [NAMES.dind];
const DEPTH2 = [NAMES.dind, NAMES.dindInner];
const BIG_MB = 100;

/**
 * busybox httpd on 8080 (a page naming its depth, and a 100 MB file at depth 2) and an nc echo
 * server on 9000 that ends its answer only when the client half-closes (cat until EOF).
 */
function webScript(depth: number): string {
  const big = depth === 2 ? `head -c ${BIG_MB * 1024 * 1024} /dev/urandom > /www/big && sha256sum /www/big > /www/big.sha256 && ` : '';
  return `mkdir -p /www && echo "page at depth ${depth}" > /www/index.html && ${big}httpd -p 8080 -h /www && exec nc -ll -p 9000 -e cat`;
}

function get(port: number, file = '/'): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: file, agent: false }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
        response.once('error', reject);
      })
      .once('error', reject);
  });
}

/** Writes `payload`, half-closes, and reads until the far side ends (or the connection fails). */
function echoHalfClosed(port: number, payload: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('end', () => resolve(Buffer.concat(chunks)));
    socket.once('error', reject);
    socket.once('connect', () => socket.end(payload));
  });
}

function nextEnd(forward: PortForward): Promise<ConnectionEnd> {
  return new Promise((resolve) => {
    const off = forward.onConnectionEnded((end) => {
      off();
      resolve(end);
    });
  });
}

async function relayCount(pathTo: string[], pattern: RegExp): Promise<number> {
  const top = await dockerIn(pathTo.slice(0, -1), ['top', pathTo[pathTo.length - 1], '-eo', 'pid,args']);
  return top.split('\n').filter((line) => pattern.test(line)).length;
}

describe('port forwarding from containers at depth 1 and 2 (real engine)', { timeout: 600_000 }, () => {
  let graph: EngineGraph;
  const forwards: PortForward[] = [];
  const logged: string[] = [];
  const start = async (pathTo: string[], port: number, localPort?: number) => {
    const forward = await PortForward.start(graph, { engine: 'default', path: pathTo }, port, { localPort, log: (m) => logged.push(m) });
    forwards.push(forward);
    return forward;
  };

  before(async () => {
    await ensureNestedFixture();
    const context = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-bare-'));
    // No shell and no tool at all: busybox under the name httpd runs only the httpd applet.
    fs.writeFileSync(path.join(context, 'index.html'), 'bare page\n');
    fs.writeFileSync(
      path.join(context, 'Dockerfile'),
      ['FROM scratch', 'COPY --from=busybox:latest /bin/busybox /httpd', 'COPY index.html /www/index.html', 'ENTRYPOINT ["/httpd", "-f", "-p", "8080", "-h", "/www"]', ''].join('\n'),
    );
    await docker(['build', '-q', '-t', BARE_IMAGE, context]);
    fs.rmSync(context, { recursive: true, force: true });
    await loadImageInto(BARE_IMAGE, DEPTH1);
    await loadImageInto(BARE_IMAGE, DEPTH2);
    await Promise.all([
      dockerIn(DEPTH1, ['run', '-d', '--name', WEB, '--label', LABEL, 'busybox:latest', 'sh', '-c', webScript(1)]),
      dockerIn(DEPTH2, ['run', '-d', '--name', WEB, '--label', LABEL, 'busybox:latest', 'sh', '-c', webScript(2)]),
      dockerIn(DEPTH2, ['run', '-d', '--name', BARE, '--label', LABEL, BARE_IMAGE]),
    ]);
    await waitFor('the 100 MB file at depth 2', 120_000, async () => (await dockerIn(DEPTH2, ['exec', WEB, 'cat', '/www/big.sha256']).catch(() => '')) || undefined, 500);
    // Every connection is an exec two engines down: on a machine this busy, the default 10 s
    // deadline of a test graph is sometimes not enough for one (the extension's setting applies there).
    graph = newTestGraph([LOCAL_ENGINE], 30_000);
    await graph.refreshAll();
    await graph.whenFollowing();
  });

  after(async () => {
    await Promise.all(forwards.map((f) => f.dispose()));
    graph?.dispose();
    await dockerIn(DEPTH2, ['rm', '-f', WEB, BARE]).catch(() => undefined);
    await dockerIn(DEPTH1, ['rm', '-f', WEB]).catch(() => undefined);
    await dockerIn(DEPTH2, ['rmi', BARE_IMAGE]).catch(() => undefined);
    await dockerIn(DEPTH1, ['rmi', BARE_IMAGE]).catch(() => undefined);
    await docker(['rmi', BARE_IMAGE]).catch(() => undefined);
  });

  it('a GET through the forward returns the page, from depth 1 and depth 2, listening on 127.0.0.1 only', async () => {
    for (const [depth, pathTo] of [[1, [...DEPTH1, WEB]], [2, [...DEPTH2, WEB]]] as const) {
      const forward = await start([...pathTo], 8080);
      assert.equal(forward.state.kind, 'forwarding');
      assert.match(forward.state.kind === 'forwarding' ? forward.state.route ?? '' : '', new RegExp(`^nc in ${WEB}$`), 'a tool in the container itself comes first');
      const answer = await get(forward.localPort);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.toString(), `page at depth ${depth}\n`);
      // Nothing but the loopback address answers.
      const external = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
      if (external) {
        await assert.rejects(
          new Promise((resolve, reject) => net.connect({ host: external.address, port: forward.localPort }).once('connect', resolve).once('error', reject)),
          /ECONNREFUSED/,
        );
      }
    }
  });

  it('reaches a container with no shell and no tools through a relay in the DinD container that runs its engine', async () => {
    const bare = resolveTarget(graph.snapshot(), { engine: 'default', path: [...DEPTH2, BARE] }).container;
    for (const tool of ['sh', 'nc', 'socat', 'perl']) {
      const tried = await runExec(graph.apiFor(bare.engineKey) as EngineApi, bare.id, [tool]);
      assert.ok(tried.exitCode === 126 || tried.exitCode === 127, `the image really has no ${tool} (exit ${tried.exitCode})`);
    }
    const forward = await start([...DEPTH2, BARE], 8080);
    const route = forward.state.kind === 'forwarding' ? forward.state.route ?? '' : '';
    assert.match(route, new RegExp(`in ${NAMES.dindInner} to its address \\d+\\.\\d+\\.\\d+\\.\\d+`), route);
    const answer = await get(forward.localPort);
    assert.equal(answer.body.toString(), 'bare page\n');
  });

  it('keeps half-close: an echo server answers after the client ended its writes', async () => {
    const forward = await start([...DEPTH2, WEB], 9000);
    const payload = Buffer.from(`half-closed ${SUFFIX}\n`.repeat(2000));
    const back = await echoHalfClosed(forward.localPort, payload);
    assert.equal(back.length, payload.length);
    assert.ok(back.equals(payload), 'the echo arrives whole after the write side closed');
  });

  it('carries 100 concurrent requests at depth 2, all answered', async () => {
    const forward = await start([...DEPTH2, WEB], 8080);
    const answers = await Promise.allSettled(Array.from({ length: 100 }, () => get(forward.localPort)));
    const said = answers.map((a) => (a.status === 'fulfilled' ? `${a.value.status} ${a.value.body.toString().trim()}` : String(a.reason)));
    assert.deepEqual(said, said.map(() => '200 page at depth 2'), `the log: ${logged.slice(-5).join(' | ')}`);
  });

  it(`carries a ${BIG_MB} MB file from depth 2 with the same sha256`, async () => {
    const forward = await start([...DEPTH2, WEB], 8080);
    const expected = (await dockerIn(DEPTH2, ['exec', WEB, 'cat', '/www/big.sha256'])).split(/\s+/)[0];
    const answer = await get(forward.localPort, '/big');
    assert.equal(answer.body.length, BIG_MB * 1024 * 1024);
    assert.equal(createHash('sha256').update(answer.body).digest('hex'), expected);
  });

  it('resets a connection to a port nothing listens on, says why, and stays up', async () => {
    const forward = await start([...DEPTH2, WEB], 9999);
    const ended = nextEnd(forward);
    await assert.rejects(get(forward.localPort), /ECONNRESET|socket hang up/);
    const end = await ended;
    assert.match(end.reason ?? '', new RegExp(`nothing answered on port 9999 of ${WEB}: nc exited with 1: .*can't connect`));
    assert.ok(logged.some((line) => line.includes('nothing answered on port 9999')), 'the log says it too');
    assert.equal(forward.state.kind, 'forwarding');
    const again = nextEnd(forward);
    await assert.rejects(get(forward.localPort), /ECONNRESET|socket hang up/);
    assert.match((await again).reason ?? '', /nothing answered/);
  });

  it('refuses a local port that is taken, by name', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      await assert.rejects(start([...DEPTH2, WEB], 8080, port), new RegExp(`127\\.0\\.0\\.1:${port} is already in use on this machine`));
    } finally {
      taken.close();
    }
  });

  it('ends connections with a reason when the container stops, and works again once it runs', async () => {
    const forward = await start([...DEPTH2, WEB], 9000);
    const socket = net.connect({ host: '127.0.0.1', port: forward.localPort });
    socket.on('error', () => undefined);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const ended = nextEnd(forward);
    socket.write('ping\n');
    await new Promise((resolve) => socket.once('data', resolve));
    await dockerIn(DEPTH2, ['stop', '-t', '1', WEB]);
    await closed;
    assert.match((await ended).reason ?? '', new RegExp(`${WEB} (stopped|is not running)`));
    await waitFor('the forward to wait for the container', 30_000, async () => forward.state.kind === 'waiting');
    await assert.rejects(echoHalfClosed(forward.localPort, Buffer.from('x')), /ECONNRESET/, 'a connection while it is stopped is refused');
    await dockerIn(DEPTH2, ['start', WEB]);
    await waitFor('the forward to resume', 30_000, async () => forward.state.kind === 'forwarding');
    const back = await waitFor('an echo after the restart', 30_000, async () => (await echoHalfClosed(forward.localPort, Buffer.from('again\n'))).toString() || undefined);
    assert.equal(back, 'again\n');
  });

  it('Stop Forwarding refuses new connections, and the relay processes return to baseline', async () => {
    const nc = /\bnc 127\.0\.0\.1 8080\b/;
    const relays = /docker system dial-stdio/;
    const forward = await start([...DEPTH2, WEB], 8080);
    const before = { nc: await relayCount([...DEPTH2, WEB], nc), inner: await relayCount(DEPTH2, relays), outer: await relayCount(DEPTH1, relays) };
    const answers = await Promise.allSettled(Array.from({ length: 20 }, () => get(forward.localPort)));
    assert.deepEqual(answers.map((a) => a.status), answers.map(() => 'fulfilled'), `the log: ${logged.slice(-5).join(' | ')}`);
    const port = forward.localPort;
    await forward.dispose();
    await assert.rejects(get(port), /ECONNREFUSED/);
    await waitFor('relays back to baseline', 30_000, async () => {
      const now = { nc: await relayCount([...DEPTH2, WEB], nc), inner: await relayCount(DEPTH2, relays), outer: await relayCount(DEPTH1, relays) };
      return now.nc <= before.nc && now.inner <= before.inner && now.outer <= before.outer;
    });
  });
});
