// Entry point of the extension-host tests: VS Code loads this module (extensionTestsPath) inside
// the extension host and awaits run(). Same contract under @vscode/test-electron and under
// code-server (scripts/vscodeTests.mjs). Because code-server's extension host runs in a server
// process whose stdout nobody reads, the results also go to a JSON file when
// MATRYOSHKA_TEST_RESULTS names one.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface TestResults {
  passed: number;
  failed: number;
  pending: number;
  tests: TestResult[];
}

/** Every compiled *.test.js below this folder, sorted so runs are reproducible. */
function findTestFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTestFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.test.js')) found.push(full);
  }
  return found.sort();
}

function describeError(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

/** Writes atomically (temp file, then rename) so a reader polling for the file never sees half of it. */
function writeResults(file: string, results: TestResults): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(results, null, 2));
  fs.renameSync(tmp, file);
}

export async function run(): Promise<void> {
  const resultsFile = process.env.MATRYOSHKA_TEST_RESULTS;
  const results: TestResults = { passed: 0, failed: 0, pending: 0, tests: [] };
  const finish = (): void => {
    if (resultsFile) writeResults(resultsFile, results);
  };

  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false });
  // MATRYOSHKA_TEST_GREP runs a subset, like mocha's --grep.
  if (process.env.MATRYOSHKA_TEST_GREP) mocha.grep(process.env.MATRYOSHKA_TEST_GREP);
  for (const file of findTestFiles(__dirname)) mocha.addFile(file);

  let failures: number;
  try {
    failures = await new Promise<number>((resolve) => {
      // run() requires the test files synchronously: a file that throws on load throws here.
      const runner = mocha.run(resolve);
      runner.on('pass', (test) => {
        results.passed++;
        results.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
      });
      // Also fires for failing hooks (before/after), which are not counted as tests by mocha.
      runner.on('fail', (test, err) => {
        results.failed++;
        results.tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration, error: describeError(err) });
      });
      runner.on('pending', (test) => {
        results.pending++;
        results.tests.push({ title: test.fullTitle(), state: 'pending' });
      });
    });
  } catch (err) {
    results.failed++;
    results.tests.push({ title: 'loading the test files', state: 'failed', error: describeError(err) });
    finish();
    throw err;
  }
  if (results.passed + results.failed === 0) {
    results.failed++;
    results.tests.push({ title: 'finding tests', state: 'failed', error: `no *.test.js ran under ${__dirname}` });
    failures = 1;
  }
  finish();
  if (failures > 0) throw new Error(`${failures} test(s) failed`);
}
