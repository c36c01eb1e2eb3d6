// What every extension-host suite starts from (not a test file: index.ts loads *.test.js only).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MatryoshkaApi, MatryoshkaPublicApi } from '../../src/extension';
import { ensureNestedFixture } from '../support/nestedFixture';

export const EXTENSION_ID = 'matryoshka-dev.matryoshka';

/**
 * The extension's internals, activating it if needed. The extension hands them out only in test
 * mode (as this host runs it); any other extension gets the public API alone.
 */
export async function api(): Promise<MatryoshkaApi> {
  const extension = vscode.extensions.getExtension<MatryoshkaPublicApi | MatryoshkaApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  const exported = await extension.activate();
  assert.ok('engineService' in exported, `${EXTENSION_ID} runs in test mode and hands its internals to its tests`);
  return exported;
}

/** The nested fixture on the engine, the extension active, and every engine listed once. */
export async function apiWithFixture(): Promise<MatryoshkaApi> {
  await ensureNestedFixture();
  const matryoshka = await api();
  await vscode.commands.executeCommand('matryoshka.refresh');
  return matryoshka;
}

/** Replaces one `vscode.window` function while `work` runs. */
export async function withWindowStub<K extends keyof typeof vscode.window, T>(key: K, stub: (typeof vscode.window)[K], work: () => Promise<T>): Promise<T> {
  const original = vscode.window[key];
  (vscode.window as Record<string, unknown>)[key] = stub;
  try {
    return await work();
  } finally {
    (vscode.window as Record<string, unknown>)[key] = original;
  }
}

/**
 * Runs a command as a menu or the palette would, and returns what it resolved to and the error
 * notifications it showed: such calls must not reject, or VS Code shows the error a second time.
 */
export async function runFromMenu(id: string, ...args: unknown[]): Promise<{ result: unknown; errors: string[] }> {
  const errors: string[] = [];
  const result = await withWindowStub('showErrorMessage', (async (message: string) => {
    errors.push(message);
    return undefined;
  }) as never, async () => vscode.commands.executeCommand(id, ...args));
  return { result, errors };
}
