// `npm test`: the linter, then every suite, in order, against a real Docker Engine and a real VS Code (code-server).
//   unit         plain Node, recorded engine JSON           (node --test out/test/unit)
//   integration  the engine layer on the real engine        (node --test out/test/integration)
//   vscode       extension-host suite inside code-server    (test/suite, mocha)
//   ui           Playwright + Chromium against code-server  (test/ui/*.ui.test.mjs)
// `npm test -- unit vscode` runs some. Ends with the line `N passed, N failed`.
// The nested fixture (see test/support/nestedFixture.ts) is built once and removed at the end;
// MATRYOSHKA_KEEP_FIXTURE=1 keeps it for the next run. Every suite of one run gets the run's id in
// MATRYOSHKA_RUN_ID (see test/support/runId.ts): all share its fixture, and another run's is not theirs.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT } from './codeServer.mjs';
import { printResults, runExtensionHostTests } from './vscodeTests.mjs';

const ALL = ['unit', 'integration', 'vscode', 'ui'];
const wanted = process.argv.slice(2).filter((a) => ALL.includes(a));
const suites = wanted.length ? wanted : ALL;
const needsEngine = suites.some((s) => s !== 'unit');
const keepFixture = process.env.MATRYOSHKA_KEEP_FIXTURE === '1';
const totals = { passed: 0, failed: 0 };

function step(title) {
  console.log(`\n=== ${title}`);
}

function runSync(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${result.signal ?? `exit ${result.status}`})`);
}

/** node --test with the spec reporter; its summary lines give the counts. Skips count as failures. */
function nodeTest(files, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('exit', (code) => {
      const count = (name) => Number(output.match(new RegExp(`^\\S+ ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
      const passed = count('pass');
      const failed = count('fail') + count('cancelled') + count('skipped') + count('todo');
      // A crash before the summary still counts as a failure.
      resolve({ passed, failed: failed || (code !== 0 || passed === 0 ? Math.max(1, failed) : 0) });
    });
  });
}

function add(result) {
  totals.passed += result.passed;
  totals.failed += result.failed;
}

function filesIn(dir, suffix) {
  const full = path.join(REPO_ROOT, dir);
  return fs.existsSync(full) ? fs.readdirSync(full).filter((f) => f.endsWith(suffix)).map((f) => path.join(dir, f)) : [];
}

async function main() {
  step('lint');
  runSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), 'src', 'test']);
  step('build');
  runSync(process.execPath, ['scripts/build.mjs']);
  fs.rmSync(path.join(REPO_ROOT, 'out'), { recursive: true, force: true });
  runSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.test.json']);

  const require = createRequire(import.meta.url);
  // runId.js records the run's id in process.env, which every suite started below inherits.
  console.log(`run id: ${require(path.join(REPO_ROOT, 'out', 'test', 'support', 'runId.js')).RUN_ID}`);
  const fixture = needsEngine ? require(path.join(REPO_ROOT, 'out', 'test', 'support', 'nestedFixture.js')) : undefined;
  let created = false;
  try {
    if (fixture) {
      step('fixture: nested containers on the Docker Engine');
      const started = Date.now();
      created = (await fixture.ensureNestedFixture()).created;
      console.log(`${created ? 'built' : 'reused'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    const figures = path.join(REPO_ROOT, 'test-results', 'figures.json');
    fs.mkdirSync(path.dirname(figures), { recursive: true });
    const env = { MATRYOSHKA_KEEP_FIXTURE: '1', MATRYOSHKA_FIGURES: figures };
    for (const suite of suites) {
      step(suite);
      if (suite === 'unit') add(await nodeTest(filesIn('out/test/unit', '.test.js')));
      if (suite === 'integration') add(await nodeTest(filesIn('out/test/integration', '.test.js'), env));
      if (suite === 'ui') {
        // One production build and .vsix for every UI file (each installs it into its own code-server).
        const uiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-vsix-'));
        try {
          const { packageExtension } = await import('../test/ui/uiSession.mjs');
          add(await nodeTest(filesIn('test/ui', '.ui.test.mjs'), { ...env, MATRYOSHKA_UI_VSIX: packageExtension(uiDir) }));
        } finally {
          fs.rmSync(uiDir, { recursive: true, force: true });
        }
      }
      if (suite === 'vscode') {
        const results = await runExtensionHostTests({
          extensionDevelopmentPath: REPO_ROOT,
          extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'suite', 'index.js'),
          resultsFile: path.join(REPO_ROOT, 'test-results', 'vscode-tests.json'),
          env,
        });
        printResults(results);
        if (fs.existsSync(figures)) {
          const measured = JSON.parse(fs.readFileSync(figures, 'utf8'));
          if (typeof measured.activationMs === 'number') console.log(`activation: ${measured.activationMs.toFixed(1)} ms`);
          // Written by test/suite/load.test.ts and leaks.test.ts.
          for (const key of ['load', 'leaks']) if (measured[key]) console.log(`${key}: ${JSON.stringify(measured[key])}`);
        }
        add({ passed: results.passed, failed: results.failed + (results.pending ?? 0) });
      }
    }
  } finally {
    if (fixture && !keepFixture) {
      step('removing the fixture');
      await fixture.removeNestedFixture();
    }
  }
}

main()
  .catch((error) => {
    console.error(`\nnpm test stopped: ${error.stack ?? error}`);
    totals.failed = Math.max(1, totals.failed);
  })
  .finally(() => {
    console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
    process.exitCode = totals.failed > 0 || totals.passed === 0 ? 1 : 0;
  });
