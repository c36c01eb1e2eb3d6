// One code-server workbench per UI test file, with the packaged .vsix installed the way a user
// installs it (this proves the package too), in Chromium. Not a test file itself.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { ensureCodeServer, launchBrowser, startCodeServer, REPO_ROOT } from '../../scripts/codeServer.mjs';

const require = createRequire(import.meta.url);
const workbench = require('../../out/test/ui/workbench.js');

/** Builds the production bundle and packages this extension as the .vsix a user installs; returns its path. */
export function packageExtension(dir) {
  const vsix = path.join(dir, 'matryoshka.vsix');
  execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: REPO_ROOT, stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '-o', vsix], { cwd: REPO_ROOT, stdio: 'inherit' });
  return vsix;
}

/** Packages an extension folder (e.g. a test-only probe) as a .vsix into dir; returns its path. */
function packageVsix(folder, dir) {
  const staged = fs.mkdtempSync(path.join(dir, 'vsix-'));
  fs.cpSync(folder, staged, { recursive: true });
  const out = path.join(dir, `${path.basename(folder)}.vsix`);
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out], { cwd: staged, stdio: 'ignore' });
  return out;
}

/**
 * @param {{ settings?: object, workspaceTrust?: boolean, env?: object, extraExtensions?: string[],
 *   prepareFolder?: (folder: string) => void }} [options] user settings, workspace trust on (the
 *   folder then opens in Restricted Mode unless trusted), code-server's environment, folders of more
 *   extensions to install, and what to put in the folder before the window opens it.
 * @returns {Promise<{ page: import('playwright-core').Page, server: object, folder: string, close(): Promise<void> }>}
 */
export async function openUiSession({ settings: extraSettings = {}, workspaceTrust = false, env = {}, extraExtensions = [], prepareFolder } = {}) {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-ui-'));
  let server;
  let browser;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    fs.rmSync(runDir, { recursive: true, force: true });
  };
  try {
    // `npm test` packages once for all UI files (MATRYOSHKA_UI_VSIX); a file run alone packages its own.
    const vsix = process.env.MATRYOSHKA_UI_VSIX || packageExtension(runDir);
    const extensionsDir = path.join(runDir, 'extensions');
    execFileSync(process.execPath, [await ensureCodeServer(), '--extensions-dir', extensionsDir, '--install-extension', vsix], { stdio: 'inherit' });
    assert.ok(fs.readdirSync(extensionsDir).some((d) => d.startsWith('matryoshka-dev.matryoshka-')), 'the .vsix installed');
    for (const extra of extraExtensions) {
      execFileSync(process.execPath, [await ensureCodeServer(), '--extensions-dir', extensionsDir, '--install-extension', packageVsix(extra, runDir)], { stdio: 'ignore' });
    }
    const folder = path.join(runDir, 'workspace');
    fs.mkdirSync(folder);
    prepareFolder?.(folder);
    // The DOM renderer keeps the terminal's text in the page, where the test can read it.
    const settings = { 'terminal.integrated.gpuAcceleration': 'off', ...extraSettings };
    server = await startCodeServer({ folder, extensionsDir, userDataDir: path.join(runDir, 'user-data'), settings, workspaceTrust, env });
    browser = await launchBrowser();
    const page = await workbench.openWorkbench(browser, `${server.url}?folder=${encodeURIComponent(folder)}`);
    return { page, server, folder, close };
  } catch (error) {
    await close();
    throw error;
  }
}
