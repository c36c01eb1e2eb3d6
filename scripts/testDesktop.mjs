// `npm run test:desktop`: the same extension-host suite under @vscode/test-electron, on a machine
// that can download desktop VS Code (not this one: it has no internet).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT } from './codeServer.mjs';

for (const args of [['scripts/build.mjs'], [path.join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.test.json']]) {
  const result = spawnSync(process.execPath, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
try {
  await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'suite', 'index.js'),
    launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  });
} catch (error) {
  console.error(`desktop VS Code tests failed: ${error.message ?? error}`);
  process.exit(1);
}
