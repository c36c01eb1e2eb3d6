// The rooms' benchmarks (bridge, ports, files, tree): each is a module in bench/rooms/ that exports
// `title` and `run(context)`, measures one capability on the nested test fixture
// (test/support/nestedFixture.ts, built here when absent and removed again unless --keep) and returns
// markdown, which goes into bench/RESULTS.md under the room's own markers.
//   npm run bench -- --room=ports,files   only those rooms (the main benchmark is skipped)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeResults } from './report.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOMS = path.join(REPO, 'bench', 'rooms');

export function roomNames() {
  return fs.existsSync(ROOMS) ? fs.readdirSync(ROOMS).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -4)).sort() : [];
}

/** Compiles the engine layer and the test support into out/ (what the rooms load), once. */
function compile() {
  const r = spawnSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.test.json'], { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('tsc -p tsconfig.test.json failed');
}

export async function runRooms(names, { say, keep }) {
  const unknown = names.filter((n) => !roomNames().includes(n));
  if (unknown.length) throw new Error(`no such bench room: ${unknown.join(', ')} (rooms: ${roomNames().join(', ') || 'none'})`);
  if (!names.length) return;
  compile();
  const require = createRequire(import.meta.url);
  const out = (file) => require(path.join(REPO, 'out', file));
  const fixture = out('test/support/nestedFixture.js');
  say('nested fixture (test/support/nestedFixture.ts)');
  const { created } = await fixture.ensureNestedFixture();
  try {
    for (const name of names) {
      const room = await import(pathToFileURL(path.join(ROOMS, `${name}.mjs`)).href);
      say(`room ${name}: ${room.title}`);
      const markdown = await room.run({ repo: REPO, out, say: (text) => say(`${name}: ${text}`) });
      const section = `## ${room.title} (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)\n\n${markdown.trim()}`;
      console.log(`\n${section}\n`);
      writeResults(path.join(REPO, 'bench', 'RESULTS.md'), section, name);
    }
  } finally {
    if (created && !keep) {
      say('removing the nested fixture');
      await fixture.removeNestedFixture();
    }
  }
}
