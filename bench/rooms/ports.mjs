// Ports at any depth: what a forward costs against doing it by hand, two engines down (it-dind ›
// it-dind-inner in the nested fixture). A busybox httpd container (per-run name) serves a small page
// and a 100 MB file; it is removed again at the end.
//   latency:    small GETs one after another through a warm forward (its spare relays back, waited
//               for), against `docker exec … wget -qO- …` by hand at the same depth, alternating
//               (target: the forward at most 1/10 of the by-hand time)
//   throughput: a 100 MB download through the forward, against `docker exec … cat` at the same depth
//               (target: at least 0.5x)
//   burst:      20 new connections at once through a warm forward, until all are answered (a figure:
//               past the spare relays each connection starts a relay at every level, at most
//               MAX_CONNECTIONS_PER_FORWARD at once)
import http from 'node:http';
import os from 'node:os';
import { median, ms, targetTable, timingTable } from '../report.mjs';
import { byHand, loadAverage, timed } from '../roomTools.mjs';

export const title = 'Ports at any depth: a forward two engines deep against docker exec by hand';

const REQUESTS = 30;
const DOWNLOADS = 3;
const BURST = 20;
const BURSTS = 5;
const MB = 100;

/** One GET with a fresh connection (no keep-alive: each request is a new connection through the forward). */
function get(port, file) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: file, agent: false }, (response) => {
      let bytes = 0;
      response.on('data', (chunk) => (bytes += chunk.length));
      response.once('end', () => (response.statusCode === 200 ? resolve(bytes) : reject(new Error(`HTTP ${response.statusCode} for ${file}`))));
      response.once('error', reject);
    }).once('error', reject);
  });
}

export async function run({ out, say }) {
  const { NAMES } = out('test/support/nestedFixture.js');
  const { OWN_ID } = out('test/support/runId.js');
  const { dockerIn, execChain, waitFor } = out('test/support/docker.js');
  const { newTestGraph } = out('test/support/testGraph.js');
  const { PortForward, SPARE_RELAYS_PER_FORWARD, MAX_CONNECTIONS_PER_FORWARD } = out('src/engine/portForward.js');
  const engines = [NAMES.dind, NAMES.dindInner];
  const web = `pf-bench-${OWN_ID}${Date.now().toString(36).slice(-4)}`;
  const container = [...engines, web];

  say(`busybox httpd with a ${MB} MB file in ${container.join(' › ')}`);
  const script = `mkdir -p /www && echo hi > /www/index.html && head -c ${MB * 1024 * 1024} /dev/urandom > /www/big && touch /www/ready && exec httpd -f -p 8080 -h /www`;
  await dockerIn(engines, ['run', '-d', '--name', web, 'busybox:latest', 'sh', '-c', script]);
  const graph = newTestGraph(undefined, 30_000);
  let forward;
  // What the forward logs while it is being stopped at the end (its connections and spares ending) is no news.
  let measuring = true;
  try {
    await waitFor('the 100 MB file to be written', 120_000, () => byHand(execChain, container, ['test', '-e', '/www/ready']).then(() => true, () => false), 500);
    await graph.refreshAll();
    forward = await PortForward.start(graph, { engine: 'default', path: container }, 8080, { log: (m) => measuring && say(`forward log: ${m}`) });
    // A forward is warm once its spare relays are started and waiting: each measurement starts there.
    const warm = () => waitFor('the forward\'s spare relays', 60_000, async () => forward.spareRelays >= SPARE_RELAYS_PER_FORWARD, 20);
    await get(forward.localPort, '/');

    say(`latency: ${REQUESTS} small GETs through the forward and by hand, alternating`);
    const viaForward = [];
    const viaHand = [];
    for (let i = 0; i < REQUESTS; i++) {
      await warm();
      viaForward.push((await timed(() => get(forward.localPort, '/'))).ms);
      viaHand.push((await timed(() => byHand(execChain, container, ['wget', '-qO-', 'http://127.0.0.1:8080/']))).ms);
    }

    say(`throughput: ${DOWNLOADS} downloads of ${MB} MB each way`);
    const downloads = [];
    const cats = [];
    for (let i = 0; i < DOWNLOADS; i++) {
      await warm();
      const down = await timed(() => get(forward.localPort, '/big'));
      const cat = await timed(() => byHand(execChain, container, ['cat', '/www/big']));
      if (down.value !== MB * 2 ** 20 || cat.value !== MB * 2 ** 20) throw new Error(`a download was cut short: ${down.value} bytes through the forward, ${cat.value} by hand`);
      downloads.push(down.ms);
      cats.push(cat.ms);
    }

    say(`burst: ${BURST} connections at once, ${BURSTS} times`);
    const bursts = [];
    for (let i = 0; i < BURSTS; i++) {
      await warm();
      bursts.push((await timed(() => Promise.all(Array.from({ length: BURST }, () => get(forward.localPort, '/'))))).ms);
    }

    const rate = (msec) => MB / (msec / 1000);
    const latency = median(viaForward) / median(viaHand);
    const throughput = rate(median(downloads)) / rate(median(cats));
    return [
      `Depth 2 (${container.slice(0, -1).join(' › ')} › a busybox httpd container), one warm forward (${SPARE_RELAYS_PER_FORWARD} spare relays, at most ${MAX_CONNECTIONS_PER_FORWARD} connections at once). Load average at the end: ${loadAverage()} on ${os.cpus().length} cores.`,
      '',
      timingTable([
        { name: 'small GET through the forward (new connection, warm)', samples: viaForward },
        { name: 'the same by hand: `docker exec` ×3 … `wget -qO-`', samples: viaHand },
        { name: `${MB} MB GET through the forward`, samples: downloads, size: `${rate(median(downloads)).toFixed(1)} MB/s` },
        { name: `${MB} MB by hand: \`docker exec\` ×3 … \`cat\``, samples: cats, size: `${rate(median(cats)).toFixed(1)} MB/s` },
        { name: `${BURST} new connections at once, until all answered`, samples: bursts, size: `${ms(median(bursts) / BURST)} per connection` },
      ]),
      '',
      targetTable([
        { name: 'small GET: forward ÷ by hand (medians)', value: latency.toFixed(3), goal: '≤ 0.10', pass: latency <= 0.1 },
        { name: `${MB} MB: forward ÷ by hand (MB/s, medians)`, value: throughput.toFixed(2), goal: '≥ 0.5', pass: throughput >= 0.5 },
      ]),
      '',
      `The burst has no target: beyond the ${SPARE_RELAYS_PER_FORWARD} spare relays, each new connection waits for a relay started for it at every level of the chain.`,
    ].join('\n');
  } finally {
    measuring = false;
    await forward?.dispose();
    graph.dispose();
    await dockerIn(engines, ['rm', '-f', web]).catch((error) => say(`could not remove ${web}: ${error.message}`));
  }
}
