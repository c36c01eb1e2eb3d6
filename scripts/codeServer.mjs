// code-server (the real VS Code workbench served to a browser) for local runs and tests.
// No desktop VS Code can run on this machine and @vscode/test-electron cannot download one,
// so extension-host tests and UI tests run against code-server from the npm registry.
// See ../../shared/env/README.md ("VS Code") for the facts this file relies on.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3'; // newest that installs under Node 20 (VS Code 1.100.3)
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const INSTALL_DIR = path.join(REPO_ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
const MARKER = path.join(INSTALL_DIR, '.install-complete');
const BIN = path.join(INSTALL_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
// @vscode/ripgrep (a dependency of VS Code) downloads rg from GitHub unless this cached tarball exists.
const RG_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RG_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

const defaultLog = (msg) => console.log(`[code-server] ${msg}`);

/** Installs code-server on demand (idempotent) and returns the absolute path of its binary. */
export async function ensureCodeServer({ log = defaultLog } = {}) {
  if (fs.existsSync(MARKER) && fs.existsSync(BIN)) return BIN;
  checkPrerequisites();
  const freeGb = fs.statfsSync(REPO_ROOT).bavail * fs.statfsSync(REPO_ROOT).bsize / 1e9;
  log(`installing code-server@${CODE_SERVER_VERSION} into ${path.relative(REPO_ROOT, INSTALL_DIR)} ` +
    `(about 500 MB, 1-3 minutes; ${freeGb.toFixed(1)} GB free)`);
  if (freeGb < 1) throw new Error(`code-server needs about 500 MB of disk; only ${freeGb.toFixed(2)} GB free`);
  fs.rmSync(INSTALL_DIR, { recursive: true, force: true }); // a half-finished install is not trusted
  fs.mkdirSync(INSTALL_DIR, { recursive: true });

  // A private TMPDIR that holds the ripgrep "download" cache built from Debian's rg.
  const tmpDir = path.join(INSTALL_DIR, 'tmp');
  const cacheDir = path.join(tmpDir, RG_CACHE);
  fs.mkdirSync(cacheDir, { recursive: true });
  const stage = fs.mkdtempSync(path.join(tmpDir, 'rg-'));
  fs.copyFileSync('/usr/bin/rg', path.join(stage, 'rg'));
  fs.chmodSync(path.join(stage, 'rg'), 0o755);
  execFileSync('tar', ['-C', stage, '-czf', path.join(cacheDir, RG_TARBALL), 'rg']);

  // A package.json in the prefix keeps npm from walking up into the repo's own package.json and
  // records which install scripts we approve (npm 11's allowScripts policy).
  fs.writeFileSync(path.join(INSTALL_DIR, 'package.json'), JSON.stringify({
    name: 'matryoshka-code-server', private: true,
    dependencies: { 'code-server': CODE_SERVER_VERSION },
    // Name-only: a pinned "pkg@version" never matches without a lockfile `resolved` URL.
    allowScripts: { 'code-server': true, argon2: true },
  }, null, 2));

  const env = {
    ...process.env,
    TMPDIR: tmpDir,
    npm_config_unsafe_perm: 'true', // code-server's postinstall refuses root without it
    npm_config_yes: 'true', // node-pty's postinstall runs `npx node-gyp`, which would otherwise ask and cancel
    // code-server's postinstall runs a nested `npm install` in lib/vscode (node-pty, kerberos,
    // @vscode/ripgrep, ...) whose package.json we cannot give an allowScripts list; only this
    // setting reaches those nested installs if npm starts blocking unreviewed scripts.
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false',
  };
  const started = Date.now();
  const ticker = setInterval(() => log(`  still installing... ${Math.round((Date.now() - started) / 1000)} s`), 30_000);
  const logFile = path.join(INSTALL_DIR, 'install.log');
  try {
    await run('npm', ['install', '--prefix', INSTALL_DIR, '--no-save', '--foreground-scripts'], { cwd: INSTALL_DIR, env, logFile });
  } finally {
    clearInterval(ticker);
  }
  // If npm skipped the install scripts, the server would start and then fail in odd ways later.
  const pty = path.join(INSTALL_DIR, 'node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node');
  if (!fs.existsSync(pty)) {
    throw new Error(`code-server installed but its install scripts did not run (no ${pty}). See ${logFile}`);
  }
  const version = execFileSync(process.execPath, [BIN, '--version', '--config', path.join(tmpDir, 'config.yaml')],
    { encoding: 'utf8', env: { ...process.env, TMPDIR: tmpDir } }).trim();
  if (!version.includes(CODE_SERVER_VERSION)) throw new Error(`unexpected code-server --version output: ${version}`);
  fs.rmSync(tmpDir, { recursive: true, force: true }); // the rg cache and npm's scratch files
  fs.writeFileSync(MARKER, `${new Date().toISOString()} ${version}\n`);
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s: ${version.split('\n').pop()}`);
  return BIN;
}

function checkPrerequisites() {
  const [major] = process.versions.node.split('.').map(Number);
  if (major !== 20) throw new Error(`code-server ${CODE_SERVER_VERSION} needs Node 20 (found ${process.version})`);
  if (!fs.existsSync('/usr/bin/rg')) {
    throw new Error('ripgrep is missing (/usr/bin/rg): run `apt-get install -y ripgrep` (code-server cannot download it)');
  }
  if (!fs.existsSync('/usr/include/gssapi/gssapi.h') && !fs.existsSync('/usr/include/gssapi.h')) {
    throw new Error('Kerberos headers are missing (gssapi.h): run `apt-get install -y libkrb5-dev` (code-server builds the kerberos module)');
  }
}

/** Runs a command, teeing its output to logFile; rejects with the output's tail on failure. */
function run(cmd, args, { cwd, env, logFile }) {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'w');
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out] });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      fs.closeSync(out);
      if (code === 0) return resolve();
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
      reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}); full log: ${logFile}\n${tail}`));
    });
  });
}

/** Settings that keep welcome pages, tips and prompts out of the way of tests and demos. */
export function quietSettings({ workspaceTrust = false } = {}) {
  return {
    'workbench.startupEditor': 'none',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden', // the chat side bar in 1.100
    'chat.commandCenter.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.ignoreRecommendations': true,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'git.openRepositoryInParentFolders': 'never',
    'security.workspace.trust.enabled': workspaceTrust,
  };
}

/** A free TCP port on 127.0.0.1 (released again at once; good enough for a local run). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

/**
 * Starts code-server and resolves once it answers HTTP.
 * @returns {{ url: string, process: import('node:child_process').ChildProcess, output: () => string, stop: () => Promise<void> }}
 */
export async function startCodeServer({
  port, folder, extensionsDir, userDataDir, env = {}, settings = {}, workspaceTrust = false,
  log = defaultLog, bin, startTimeoutMs = 60_000,
} = {}) {
  bin ??= await ensureCodeServer({ log });
  port ??= await freePort();
  const ownsUserDataDir = !userDataDir; // a temp dir we made is removed again by stop()
  userDataDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-cs-data-'));
  extensionsDir ??= path.join(userDataDir, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...quietSettings({ workspaceTrust }), ...settings }, null, 2));

  const args = [
    bin, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    // Our own config file, so code-server does not write one with a password into ~/.config.
    '--config', path.join(userDataDir, 'config.yaml'),
    '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir,
    ...(folder ? [folder] : []),
  ];
  // detached: its own process group, so stop() also ends the extension host and other children.
  const child = spawn(process.execPath, args, {
    // No extension gallery: there is no internet, and its failing queries only add noise.
    env: { EXTENSIONS_GALLERY: '{}', ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk) => { output = (output + chunk).slice(-64_000); };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = null;
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => { exited = signal ?? code; resolve(); }));
  const tail = () => output.trimEnd().split('\n').slice(-30).join('\n');

  // code-server runs in its own process group, so it would outlive us if we exited without
  // stop(); this last-chance kill covers process.exit() (CLIs turn Ctrl-C into one).
  const killOnExit = () => killGroup(child.pid, 'SIGKILL');
  process.on('exit', killOnExit);

  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    process.off('exit', killOnExit);
    if (exited === null) {
      killGroup(child.pid, 'SIGTERM');
      const killed = await Promise.race([exitPromise.then(() => true), sleep(5000).then(() => false)]);
      if (!killed) killGroup(child.pid, 'SIGKILL');
    }
    // Wait for the rest of the group (extension host, pty host) too.
    for (let i = 0; i < 50 && groupAlive(child.pid); i++) {
      if (i === 25) killGroup(child.pid, 'SIGKILL');
      await sleep(100);
    }
    if (ownsUserDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + startTimeoutMs;
  while (true) {
    if (exited !== null) throw new Error(`code-server exited (${exited}) before answering on ${url}:\n${tail()}`);
    if (await answers(`${url}healthz`)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within ${startTimeoutMs / 1000} s:\n${tail()}`);
    }
    await sleep(250);
  }
  return { url, port, process: child, userDataDir, extensionsDir, output: () => output, stop };
}

function answers(url) {
  return fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
}

function killGroup(pid, signal) {
  try { process.kill(-pid, signal); } catch { /* already gone */ }
}

function groupAlive(pid) {
  try { process.kill(-pid, 0); return true; } catch { return false; }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Debian's Chromium driven by playwright-core (never `npx playwright install`: no downloads here). */
export async function launchBrowser({ headless = true } = {}) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic', '--no-first-run',
    ],
  });
}

/**
 * The workbench URL that makes code-server run an extension in development mode and, when
 * extensionTestsPath is given, run that tests module in the remote extension host.
 */
export function payloadUrl({ base, folder, extensionDevelopmentPath, extensionTestsPath }) {
  const u = new URL(base);
  const remote = (p) => `vscode-remote://${u.host}${path.resolve(p)}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  const query = [];
  // Slashes stay readable in the folder path; code-server accepts them either way.
  if (folder) query.push(`folder=${encodeURIComponent(path.resolve(folder)).replace(/%2F/g, '/')}`);
  if (payload.length) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${u.origin}/${query.length ? `?${query.join('&')}` : ''}`;
}

/**
 * Installs the repo into extensionsDir as code-server would install a .vsix, but through a
 * symlink (<dir>/<publisher>.<name>-<version> -> repo), so a rebuild is picked up on reload.
 * @returns {string} the extension id
 */
export function linkExtension(extensionsDir, repo = REPO_ROOT) {
  fs.rmSync(extensionsDir, { recursive: true, force: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  fs.symlinkSync(repo, path.join(extensionsDir, `${id}-${manifest.version}`), 'dir');
  return id;
}
