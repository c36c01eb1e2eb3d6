// Runs extension-host tests (the @vscode/test-electron contract: a module exporting run()) inside
// code-server, because no desktop VS Code can run here. The tests module (test/suite/index.ts)
// writes its results to the JSON file named by MATRYOSHKA_TEST_RESULTS: code-server passes its own
// environment on to the remote extension host (verified), and nobody reads that host's stdout.
//
// CLI: node scripts/vscodeTests.mjs <extensionDevelopmentPath> <testsIndexJs> [folder]
// Env: MATRYOSHKA_TEST_VERBOSE=1 echoes the workbench console (mocha's spec output included);
//      MATRYOSHKA_TEST_TIMEOUT_MS overrides the 10 minute limit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer, startCodeServer, launchBrowser, payloadUrl, sleep, REPO_ROOT } from './codeServer.mjs';

const HOST_EXIT = /Extension Host Process exited with code: (-?\d+|null), signal: (\w+)/;
const defaultLog = (msg) => console.log(msg);

/**
 * @returns {Promise<{ passed: number, failed: number, pending: number,
 *   failures: { title: string, error: string }[], tests: object[] }>}
 */
export async function runExtensionHostTests({
  extensionDevelopmentPath, extensionTestsPath, folder, resultsFile, env = {},
  // A guard against a hung extension host, not a performance bound: the suite takes about 8
  // minutes alone on the 2-core machine and grows with each suite added.
  timeoutMs = Number(process.env.MATRYOSHKA_TEST_TIMEOUT_MS) || 25 * 60_000, log = defaultLog,
  verbose = process.env.MATRYOSHKA_TEST_VERBOSE === '1',
}) {
  extensionDevelopmentPath = path.resolve(extensionDevelopmentPath);
  extensionTestsPath = path.resolve(extensionTestsPath);
  if (!fs.existsSync(extensionTestsPath)) return broken(`tests module not found: ${extensionTestsPath} (compiled?)`);
  if (!fs.existsSync(path.join(extensionDevelopmentPath, 'package.json'))) {
    return broken(`no package.json in extensionDevelopmentPath ${extensionDevelopmentPath}`);
  }

  const bin = await ensureCodeServer({ log });
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-vscode-tests-'));
  // MATRYOSHKA_KEEP_RUN_DIR=1 keeps code-server's user data (the extension's log is under user-data/logs).
  const removeRunDir = () => (process.env.MATRYOSHKA_KEEP_RUN_DIR === '1' ? log(`kept ${runDir}`) : fs.rmSync(runDir, { recursive: true, force: true }));
  process.on('exit', removeRunDir); // also when Ctrl-C turns into process.exit() mid-run
  if (!folder) {
    folder = path.join(runDir, 'workspace');
    fs.mkdirSync(folder);
  }
  resultsFile = path.resolve(resultsFile ?? path.join(runDir, 'results.json'));
  // Never read a previous run's results (or show its log).
  for (const stale of [resultsFile, `${resultsFile}.code-server.log`]) fs.rmSync(stale, { force: true });

  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  let server, browser;
  const consoleTail = [];
  try {
    server = await startCodeServer({
      bin, folder, userDataDir: path.join(runDir, 'user-data'), log,
      env: { ...env, MATRYOSHKA_TEST_RESULTS: resultsFile },
    });
    log(`code-server up at ${server.url} after ${elapsed()}`);
    browser = await launchBrowser();
    const page = await browser.newPage();
    let pageCrashed = false;
    page.on('crash', () => { pageCrashed = true; });
    page.on('console', async (msg) => {
      const line = await consoleText(msg);
      consoleTail.push(line);
      if (consoleTail.length > 200) consoleTail.shift();
      if (verbose) log(`  [workbench] ${line}`);
    });
    const url = payloadUrl({ base: server.url, folder, extensionDevelopmentPath, extensionTestsPath });
    await page.goto(url, { timeout: 60_000 });

    // Wait for the results file; stop early when the extension host ends without writing it
    // (e.g. the tests module failed to load: the host then exits, with code 0).
    const deadline = started + timeoutMs;
    let hostExitedAt = 0;
    let hostExit = '';
    while (!fs.existsSync(resultsFile)) {
      const exit = server.output().match(HOST_EXIT);
      if (exit && !hostExitedAt) { hostExitedAt = Date.now(); hostExit = `code ${exit[1]}, signal ${exit[2]}`; }
      // A short grace period: the results are renamed into place just before the host exits.
      if (hostExitedAt && Date.now() - hostExitedAt > 3000) {
        return broken(`the extension host exited (${hostExit}) without writing results; ` +
          `did the tests module load?\n${errorLines(consoleTail)}`, resultsFile, server);
      }
      if (pageCrashed) return broken('the browser page crashed', resultsFile, server);
      if (server.process.exitCode !== null) {
        return broken(`code-server exited (${server.process.exitCode}):\n${tail(server.output())}`, resultsFile, server);
      }
      if (Date.now() > deadline) {
        return broken(`timed out after ${timeoutMs / 1000} s waiting for ${resultsFile}\n` +
          `last workbench console lines:\n${consoleTail.slice(-15).join('\n')}`, resultsFile, server);
      }
      await sleep(250);
    }
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    log(`tests finished after ${elapsed()}`);
    return {
      passed: results.passed, failed: results.failed, pending: results.pending ?? 0, tests: results.tests,
      failures: results.tests.filter((t) => t.state === 'failed').map(({ title, error }) => ({ title, error })),
    };
  } catch (err) {
    return broken(`could not run the tests: ${err.stack ?? err}`, resultsFile, server);
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    process.off('exit', removeRunDir);
    removeRunDir();
  }
}

/** A result that says why no tests could be run (rather than hanging or throwing). */
function broken(reason, resultsFile, server) {
  if (server && resultsFile) {
    // Keep the server log beside the (missing) results for a post-mortem.
    fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
    fs.writeFileSync(`${resultsFile}.code-server.log`, server.output());
    reason += `\n(code-server log: ${resultsFile}.code-server.log)`;
  }
  const failure = { title: 'running the extension-host tests', error: reason };
  return { passed: 0, failed: 1, pending: 0, failures: [failure], tests: [{ ...failure, state: 'failed' }] };
}

/** The workbench logs as console.log('%c INFO', 'color: ...', format, ...args); undo that. */
async function consoleText(msg) {
  try {
    let values = await Promise.all(msg.args().map((a) => a.jsonValue()));
    if (typeof values[0] === 'string' && values[0].startsWith('%c')) {
      const level = values[0].slice(2).trim();
      values = values.slice(2);
      return `${level} ${util.format(...values)}`;
    }
    return util.format(...values);
  } catch {
    return msg.text(); // the page may be gone already
  }
}

/** The last few errors the workbench logged, each cut to its message and first stack frames. */
const errorLines = (lines) => lines.filter((l) => /^ERR|Error\b/.test(l) && !l.includes('Failed to load resource'))
  .slice(-6).map((l) => l.split('\n').slice(0, 4).join('\n')).join('\n');
const tail = (text, n = 30) => text.trimEnd().split('\n').slice(-n).join('\n');

/** Prints each test and the closing `N passed, N failed` line. */
export function printResults(results, log = defaultLog) {
  for (const t of results.tests) {
    const mark = t.state === 'passed' ? '✔' : t.state === 'pending' ? '-' : '✘';
    log(`  ${mark} ${t.title}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}`);
    if (t.error) log(t.error.split('\n').map((l) => `      ${l}`).join('\n'));
  }
  log(`${results.passed} passed, ${results.failed} failed${results.pending ? `, ${results.pending} skipped` : ''}`);
}

async function main() {
  // Exit (rather than die by the signal) so that codeServer.mjs's exit hook ends code-server.
  process.on('SIGINT', () => process.exit(130));
  process.on('SIGTERM', () => process.exit(143));
  const [devPath, testsPath, folder] = process.argv.slice(2);
  if (!devPath || !testsPath) {
    console.error('usage: node scripts/vscodeTests.mjs <extensionDevelopmentPath> <testsIndexJs> [folder]');
    process.exit(2);
  }
  const results = await runExtensionHostTests({
    extensionDevelopmentPath: devPath, extensionTestsPath: testsPath, folder,
    resultsFile: path.join(REPO_ROOT, 'test-results', 'vscode-tests.json'),
  });
  printResults(results);
  process.exit(results.failed > 0 ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  });
}
