import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { apiWithFixture } from './matryoshkaApi';

async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Settings apply without a reload', () => {
  it('matryoshka.requestTimeoutSeconds reaches the open connections, inner ones included, at once', async () => {
    const matryoshka = await apiWithFixture();
    const root = matryoshka.engineService.snapshot().find((e) => e.current);
    assert.ok(root, 'the current engine is listed');
    const inner = root.containers.find((c) => c.inner?.status.kind === 'connected')?.inner;
    assert.ok(inner, 'an inner engine is connected');
    const apis = [matryoshka.engineService.apiFor(root.key), matryoshka.engineService.apiFor(inner.key)];
    assert.ok(apis[0] && apis[1]);
    const config = vscode.workspace.getConfiguration('matryoshka');
    const previous = config.inspect<number>('requestTimeoutSeconds')?.globalValue;
    try {
      await config.update('requestTimeoutSeconds', 7, vscode.ConfigurationTarget.Global);
      await until('the new deadline', () => apis.every((api) => api?.deadlineMs === 7000));
      assert.equal(matryoshka.engineService.requestDeadlineMs, 7000, 'launches and the compare view read it too');
      assert.equal(matryoshka.engineService.apiFor(root.key), apis[0], 'the same connection, not a new one');
    } finally {
      await config.update('requestTimeoutSeconds', previous, vscode.ConfigurationTarget.Global);
    }
  });
});
