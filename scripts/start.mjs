// `npm start`: builds the extension and serves VS Code (code-server) with it installed, at
// http://127.0.0.1:8080/ (PORT overrides), opening the current folder or the one given.
//
//   npm start [-- <folder>]        PORT=9000 npm start
//
// The repo is installed into a private extensions dir through a symlink
// (<dir>/matryoshka-dev.matryoshka-<version> -> repo), which code-server follows: after
// `npm run build` (or with `npm run watch`), "Developer: Reload Window" in the browser loads the
// new dist/extension.js. Changes to package.json contributions need a restart of `npm start`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureCodeServer, linkExtension, startCodeServer, REPO_ROOT } from './codeServer.mjs';

const log = (msg) => console.log(`[start] ${msg}`);

async function main() {
  const folder = path.resolve(process.argv[2] ?? process.cwd());
  if (!fs.existsSync(folder)) throw new Error(`folder not found: ${folder}`);
  const port = Number(process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`PORT must be a TCP port, got "${process.env.PORT}"`);

  build();
  const bin = await ensureCodeServer({ log });

  // A fresh extensions dir each start: it holds only our symlink, and its new mtime makes
  // VS Code rescan instead of trusting a cached manifest from an earlier start.
  const base = path.join(REPO_ROOT, '.vscode-test', 'start');
  const extensionsDir = path.join(base, 'extensions');
  const id = linkExtension(extensionsDir);
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

  const server = await startCodeServer({
    bin, port, folder, extensionsDir, userDataDir: path.join(base, 'user-data'), log,
  });
  const url = `http://127.0.0.1:${port}/`;
  console.log(`\n  Matryoshka (${id} ${manifest.version}) is running in VS Code at:\n\n    ${url}\n\n` +
    `  folder: ${folder}\n  Ctrl-C to stop.\n`);

  let stopping = false;
  const shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping code-server...`);
    await server.stop();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  server.process.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`code-server exited on its own (${signal ?? `code ${code}`}):\n` +
      server.output().trimEnd().split('\n').slice(-30).join('\n'));
    process.exit(1);
  });
}

/** node scripts/build.mjs, skipped with a warning while that script does not exist yet. */
function build() {
  const script = path.join(REPO_ROOT, 'scripts', 'build.mjs');
  if (!fs.existsSync(script)) {
    log('scripts/build.mjs not found: skipping the build');
  } else {
    const result = spawnSync(process.execPath, [script], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`the build failed (${result.signal ?? `exit ${result.status}`})`);
  }
  const main = path.join(REPO_ROOT, JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).main);
  if (!fs.existsSync(main)) log(`warning: ${path.relative(REPO_ROOT, main)} is missing; the extension will not activate`);
}

main().catch((err) => {
  console.error(`npm start failed: ${err.message}`);
  process.exit(1);
});
