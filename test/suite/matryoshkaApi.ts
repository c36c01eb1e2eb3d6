// What every extension-host suite starts from (not a test file: index.ts loads *.test.js only).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MatryoshkaApi } from '../../src/extension';
import { ensureNestedFixture } from '../support/nestedFixture';

export const EXTENSION_ID = 'matryoshka-dev.matryoshka';

/** The extension's API, activating it if needed. */
export async function api(): Promise<MatryoshkaApi> {
  const extension = vscode.extensions.getExtension<MatryoshkaApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return extension.activate();
}

/** The nested fixture on the engine, the extension active, and every engine listed once. */
export async function apiWithFixture(): Promise<MatryoshkaApi> {
  await ensureNestedFixture();
  const matryoshka = await api();
  await vscode.commands.executeCommand('matryoshka.refresh');
  return matryoshka;
}
