// Files at any depth: what opening, listing and saving a container's files costs two engines down
// (it-dind › it-dind-inner in the nested fixture), through ContainerFiles (the archive endpoints of
// the engine that runs the container). A busybox container (per-run name) holds a 10 MB file, a
// directory of 1,000 files and a small file; it is removed again at the end.
//   read:   a 10 MB file, against `docker exec … cat` by hand at the same depth, alternating
//           (target: at most 1.2x the by-hand time)
//   list:   a directory of 1,000 entries, warm (the connection open) (target: under 300 ms)
//   save:   a small file, warm (a figure), with the engine calls one save makes
import os from 'node:os';
import { median, ms, targetTable, timingTable } from '../report.mjs';
import { byHand, loadAverage, timed } from '../roomTools.mjs';

export const title = 'Files at any depth: read, list and save two engines deep';

const READS = 5;
const LISTS = 10;
const SAVES = 8;
const MB = 10;

export async function run({ out, say }) {
  const { NAMES } = out('test/support/nestedFixture.js');
  const { OWN_ID } = out('test/support/runId.js');
  const { dockerIn, execChain, waitFor } = out('test/support/docker.js');
  const { newTestGraph } = out('test/support/testGraph.js');
  const { countingApi } = out('test/support/countingApi.js');
  const { ContainerFiles } = out('src/engine/containerFiles.js');
  const engines = [NAMES.dind, NAMES.dindInner];
  const name = `fs-bench-${OWN_ID}${Date.now().toString(36).slice(-4)}`;
  const container = [...engines, name];

  say(`busybox with a ${MB} MB file and 1,000 files in ${container.join(' › ')}`);
  const script = `mkdir -p /bench/many && head -c ${MB * 1024 * 1024} /dev/urandom > /bench/big.bin && cd /bench/many && i=0; while [ $i -lt 1000 ]; do echo $i > f$i; i=$((i+1)); done; echo small > /bench/small.txt; touch /bench/ready; exec sleep 86400`;
  await dockerIn(engines, ['run', '-d', '--name', name, 'busybox:latest', 'sh', '-c', script]);
  // The machine is shared: a 30 s request deadline, as the integration tests use.
  const graph = newTestGraph(undefined, 30_000);
  try {
    await waitFor('the files to be written', 120_000, () => byHand(execChain, container, ['test', '-e', '/bench/ready']).then(() => true, () => false), 500);
    await graph.refreshAll();
    let engine = graph.snapshot()[0];
    for (const hop of engines) engine = engine.containers.find((c) => c.name === hop)?.inner;
    const target = engine?.containers.find((c) => c.name === name);
    if (!engine || !target) throw new Error(`${container.join(' › ')} is not in the listing`);
    const counter = countingApi(graph.apiFor(engine.key));
    const files = new ContainerFiles({ api: counter.api, id: target.id, label: ['default', ...container].join(' › ') }, { maxFileBytes: () => 64 * 1024 * 1024, maxFileSetting: 'matryoshka.files.maxFileSizeMB' });

    say(`read: ${READS} reads of ${MB} MB each way, alternating`);
    await files.readFile('/bench/big.bin');
    const reads = [];
    const cats = [];
    for (let i = 0; i < READS; i++) {
      const read = await timed(() => files.readFile('/bench/big.bin'));
      const cat = await timed(() => byHand(execChain, container, ['cat', '/bench/big.bin']));
      if (read.value.length !== MB * 2 ** 20 || cat.value !== MB * 2 ** 20) throw new Error(`a read was cut short: ${read.value.length} bytes through Matryoshka, ${cat.value} by hand`);
      reads.push(read.ms);
      cats.push(cat.ms);
    }

    say(`list: ${LISTS} listings of 1,000 entries, warm`);
    await files.readDirectory('/bench/many');
    const lists = [];
    for (let i = 0; i < LISTS; i++) {
      const listed = await timed(() => files.readDirectory('/bench/many'));
      if (listed.value.length !== 1000) throw new Error(`the listing held ${listed.value.length} entries, not 1,000`);
      lists.push(listed.ms);
    }

    say(`save: ${SAVES} saves of a small file, warm`);
    counter.calls.length = 0;
    await files.writeFile('/bench/small.txt', Buffer.from('first save\n'), { create: false, overwrite: true });
    const firstCalls = counter.calls.length;
    const saves = [];
    let warmCalls = 0;
    for (let i = 0; i < SAVES; i++) {
      counter.calls.length = 0;
      saves.push((await timed(() => files.writeFile('/bench/small.txt', Buffer.from(`save ${i}\n`), { create: false, overwrite: true }))).ms);
      warmCalls = counter.calls.length;
    }
    const saved = (await dockerIn(engines, ['exec', name, 'cat', '/bench/small.txt'])).trim();
    if (saved !== `save ${SAVES - 1}`) throw new Error(`the last save did not land: ${JSON.stringify(saved)}`);

    const rate = (msec) => MB / (msec / 1000);
    const readRatio = median(reads) / median(cats);
    return [
      `Depth 2 (${container.slice(0, -1).join(' › ')} › a busybox container), one engine graph with a 30 s request deadline. Load average at the end: ${loadAverage()} on ${os.cpus().length} cores.`,
      '',
      timingTable([
        { name: `${MB} MB readFile (one GET of the archive)`, samples: reads, size: `${rate(median(reads)).toFixed(1)} MB/s` },
        { name: `${MB} MB by hand: \`docker exec\` ×3 … \`cat\``, samples: cats, size: `${rate(median(cats)).toFixed(1)} MB/s` },
        { name: 'readDirectory of 1,000 entries (warm)', samples: lists },
        { name: 'writeFile of a small file (warm)', samples: saves, size: `${warmCalls} engine calls (the first save in the container: ${firstCalls})` },
      ]),
      '',
      targetTable([
        { name: `${MB} MB read: Matryoshka ÷ by hand (medians)`, value: readRatio.toFixed(2), goal: '≤ 1.2', pass: readRatio <= 1.2 },
        { name: 'listing 1,000 entries, warm (median)', value: ms(median(lists)), goal: '< 300 ms', pass: median(lists) < 300 },
      ]),
      '',
      'The save has no target: it is one GET (the old file\'s stat and owner), the `mv` exec\'s creation, the PUT under a temporary name, and the exec\'s start and exit code; the first save in a container also asks once whether it has `mv`.',
    ].join('\n');
  } finally {
    graph.dispose();
    await dockerIn(engines, ['rm', '-f', name]).catch((error) => say(`could not remove ${name}: ${error.message}`));
  }
}
