import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { bridgeContextName, listBridgeContexts, removeBridgeContext, writeBridgeContext } from '../../src/engine/dockerContexts';
import { bridgeSocketPath, MAX_SOCKET_PATH_BYTES } from '../../src/engine/engineBridge';
import { resolveEndpoints } from '../../src/engine/endpoints';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function emptyConfig(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-contexts-'));
  dirs.push(dir);
  return dir;
}

/** The Docker CLI itself reads the store (it needs no engine for this). */
function cli(configDir: string, args: string[]): string {
  return execFileSync('docker', args, { env: { ...process.env, DOCKER_CONFIG: configDir, DOCKER_HOST: '', DOCKER_CONTEXT: '' }, encoding: 'utf8' });
}

describe('bridge contexts in the Docker CLI\'s store', () => {
  it('names a context after the engine\'s path, in the characters the CLI accepts', () => {
    assert.equal(bridgeContextName('default', ['ci-runner', 'build-42']), 'matryoshka-ci-runner-build-42');
    assert.equal(bridgeContextName('prod', ['ci-runner']), 'matryoshka-prod-ci-runner');
    assert.equal(bridgeContextName('default', []), 'matryoshka-default');
    const odd = bridgeContextName('default', ['a b', 'ü/x']);
    assert.match(odd, /^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$/);
    assert.notEqual(odd, bridgeContextName('default', ['a-b', 'ü/x']), 'paths that clean to the same text keep apart');
    const long = bridgeContextName('default', ['x'.repeat(100), 'y'.repeat(100)]);
    assert.ok(long.length <= 80, long);
    assert.notEqual(long, bridgeContextName('default', ['x'.repeat(100), 'y'.repeat(99)]));
  });

  it('writes what `docker context inspect` and `docker context ls` read, and the engine list skips it', () => {
    const configDir = emptyConfig();
    const name = bridgeContextName('default', ['ci-runner', 'build-42']);
    writeBridgeContext(configDir, { name, dockerHost: 'unix:///run/user/1000/matryoshka/x.sock', engineKey: 'default/abc/def', label: 'default › ci-runner › build-42' });
    const [inspected] = JSON.parse(cli(configDir, ['context', 'inspect', name])) as Array<{ Name: string; Endpoints: { docker: { Host: string } }; Metadata: Record<string, unknown> }>;
    assert.equal(inspected.Name, name);
    assert.equal(inspected.Endpoints.docker.Host, 'unix:///run/user/1000/matryoshka/x.sock');
    assert.equal(inspected.Metadata.Description, 'Matryoshka bridge to default › ci-runner › build-42');
    assert.ok(cli(configDir, ['context', 'ls', '--format', '{{.Name}}']).split('\n').includes(name));
    assert.deepEqual(listBridgeContexts(configDir), [{ name, engineKey: 'default/abc/def', dockerHost: 'unix:///run/user/1000/matryoshka/x.sock', label: 'default › ci-runner › build-42' }]);
    const { endpoints } = resolveEndpoints({ env: {}, configDir });
    assert.deepEqual(endpoints.map((e) => e.name), ['default'], 'a bridge is not an engine of its own');
    assert.equal(removeBridgeContext(configDir, name), true);
    assert.ok(!cli(configDir, ['context', 'ls', '--format', '{{.Name}}']).split('\n').includes(name));
  });

  it('never replaces or removes a context it did not make', () => {
    const configDir = emptyConfig();
    const name = bridgeContextName('default', ['mine']);
    cli(configDir, ['context', 'create', name, '--docker', 'host=unix:///var/run/other.sock']);
    assert.throws(() => writeBridgeContext(configDir, { name, dockerHost: 'unix:///tmp/x.sock', engineKey: 'k', label: 'default › mine' }), /already exists and was not made by Matryoshka/);
    assert.equal(removeBridgeContext(configDir, name), false);
    assert.match(cli(configDir, ['context', 'inspect', '--format', '{{.Endpoints.docker.Host}}', name]), /other\.sock/);
  });

  it('fits the socket path in the Unix limit, cutting the name only where it must', () => {
    assert.equal(bridgeSocketPath(['/run/user/1000/matryoshka'], 'matryoshka-ci-runner'), '/run/user/1000/matryoshka/matryoshka-ci-runner.sock');
    const deep = '/home/someone/' + 'long-folder-name/'.repeat(3);
    const cut = bridgeSocketPath([deep], 'matryoshka-' + 'z'.repeat(80));
    assert.ok(Buffer.byteLength(cut) <= MAX_SOCKET_PATH_BYTES && cut.startsWith(deep), cut);
    assert.equal(bridgeSocketPath(['/x'.repeat(60), '/tmp/m'], 'n'), '/tmp/m/n.sock', 'the next folder when one is too long');
    assert.throws(() => bridgeSocketPath(['/x'.repeat(60)], 'n'), /short enough/);
  });
});
