import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { contextDigest, DEFAULT_SOCKET, endpointWarning, expandHome, resolveEndpoints, type EngineEndpoint } from '../../src/engine/endpoints';

interface ContextSpec {
  name: string;
  host: string;
  skipTlsVerify?: boolean;
  /** Write contexts/tls/<digest>/docker/{ca,cert,key}.pem as `docker context create --docker ...,ca=...` does. */
  tls?: boolean;
}

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const sha256 = (name: string) => createHash('sha256').update(name).digest('hex');

/** A DOCKER_CONFIG folder laid out as the Docker CLI writes it. */
function configDir(options: { currentContext?: string; contexts?: ContextSpec[]; configJson?: string } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-docker-config-'));
  tempDirs.push(dir);
  const config = options.configJson ?? JSON.stringify({ auths: {}, ...(options.currentContext ? { currentContext: options.currentContext } : {}) });
  fs.writeFileSync(path.join(dir, 'config.json'), config);
  for (const context of options.contexts ?? []) {
    const metaDir = path.join(dir, 'contexts', 'meta', sha256(context.name));
    fs.mkdirSync(metaDir, { recursive: true });
    const meta = { Name: context.name, Metadata: {}, Endpoints: { docker: { Host: context.host, SkipTLSVerify: context.skipTlsVerify ?? false } } };
    fs.writeFileSync(path.join(metaDir, 'meta.json'), JSON.stringify(meta));
    if (context.tls) {
      const tlsDir = path.join(dir, 'contexts', 'tls', sha256(context.name), 'docker');
      fs.mkdirSync(tlsDir, { recursive: true });
      for (const file of ['ca.pem', 'cert.pem', 'key.pem']) fs.writeFileSync(path.join(tlsDir, file), '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
    }
  }
  return dir;
}

const REMOTE: ContextSpec = { name: 'remote', host: 'ssh://me@example' };
const SECURE: ContextSpec = { name: 'secure', host: 'tcp://secure.example:2376', tls: true };
const INSECURE: ContextSpec = { name: 'insecure', host: 'tcp://insecure.example:2376', tls: true, skipTlsVerify: true };

function summary(endpoints: EngineEndpoint[]): string[] {
  return endpoints.map((e) => `${e.name} ${e.origin}${e.current ? ' current' : ''} ${e.host}`);
}

function find(endpoints: EngineEndpoint[], name: string): EngineEndpoint {
  const found = endpoints.find((e) => e.name === name);
  assert.ok(found, `${name} is listed`);
  return found;
}

describe('resolveEndpoints: which engine is current', () => {
  it('with nothing configured, the default socket', () => {
    const { endpoints, problems } = resolveEndpoints({ env: {}, configDir: configDir() });
    assert.deepEqual(endpoints, [{ name: 'default', host: DEFAULT_SOCKET, origin: 'default', current: true }]);
    assert.equal(DEFAULT_SOCKET, 'unix:///var/run/docker.sock');
    assert.deepEqual(problems, []);
  });

  it('config.json currentContext, sorted first; the other contexts follow, not current', () => {
    const dir = configDir({ currentContext: 'remote', contexts: [SECURE, REMOTE, INSECURE] });
    const { endpoints, problems } = resolveEndpoints({ env: {}, configDir: dir });
    assert.deepEqual(summary(endpoints), [
      'remote context current ssh://me@example',
      `default default ${DEFAULT_SOCKET}`,
      'insecure context tcp://insecure.example:2376',
      'secure context tcp://secure.example:2376',
    ]);
    assert.deepEqual(problems, []);
    assert.equal(find(endpoints, 'remote').tls, undefined);
    const tlsDir = path.join(dir, 'contexts', 'tls', sha256('secure'), 'docker');
    assert.deepEqual(find(endpoints, 'secure').tls, { certPath: tlsDir, verify: true });
    assert.ok(fs.existsSync(path.join(find(endpoints, 'secure').tls?.certPath ?? '', 'ca.pem')));
    assert.deepEqual(find(endpoints, 'insecure').tls, { certPath: path.join(dir, 'contexts', 'tls', sha256('insecure'), 'docker'), verify: false });
    assert.equal(contextDigest('secure'), sha256('secure'));
  });

  it('DOCKER_CONTEXT wins over config.json', () => {
    const dir = configDir({ currentContext: 'remote', contexts: [REMOTE, SECURE] });
    const { endpoints } = resolveEndpoints({ env: { DOCKER_CONTEXT: 'secure' }, configDir: dir });
    assert.deepEqual(summary(endpoints).slice(0, 2), ['secure context current tcp://secure.example:2376', `default default ${DEFAULT_SOCKET}`]);
    assert.equal(find(endpoints, 'remote').current, false);
    const explicitDefault = resolveEndpoints({ env: { DOCKER_CONTEXT: 'default' }, configDir: dir }).endpoints;
    assert.equal(explicitDefault[0].name, 'default');
    assert.equal(explicitDefault[0].current, true);
  });

  it('DOCKER_HOST wins over everything and is the engine "default"', () => {
    const dir = configDir({ currentContext: 'remote', contexts: [REMOTE] });
    const { endpoints, problems } = resolveEndpoints({ env: { DOCKER_HOST: 'tcp://10.0.0.5:2375', DOCKER_CONTEXT: 'remote' }, configDir: dir });
    assert.deepEqual(summary(endpoints), ['default environment current tcp://10.0.0.5:2375', 'remote context ssh://me@example']);
    assert.equal(endpoints[0].tls, undefined);
    assert.deepEqual(problems, []);
    const bare = resolveEndpoints({ env: { DOCKER_HOST: '10.0.0.5:2375' }, configDir: dir }).endpoints[0];
    assert.equal(bare.host, 'tcp://10.0.0.5:2375', 'a bare host:port is tcp, as for the CLI');
  });

  it('DOCKER_HOST with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH is TLS', () => {
    const env = { DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs/client' };
    const [endpoint] = resolveEndpoints({ env, configDir: configDir() }).endpoints;
    assert.deepEqual(endpoint, { name: 'default', host: 'tcp://10.0.0.5:2376', tls: { certPath: '/certs/client', verify: true }, origin: 'environment', current: true });
    const certOnly = resolveEndpoints({ env: { DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_CERT_PATH: '/certs/client' }, configDir: configDir() });
    assert.deepEqual(certOnly.endpoints[0].tls, { certPath: '/certs/client', verify: false });
  });

  it('reads DOCKER_CONFIG from the environment when no folder is given', () => {
    const dir = configDir({ currentContext: 'remote', contexts: [REMOTE] });
    assert.deepEqual(summary(resolveEndpoints({ env: { DOCKER_CONFIG: dir } }).endpoints)[0], 'remote context current ssh://me@example');
  });
});

describe('resolveEndpoints: problems do not hide engines', () => {
  it('a current context that does not exist: a problem, and the default engine is current', () => {
    const dir = configDir({ currentContext: 'gone', contexts: [REMOTE] });
    const { endpoints, problems } = resolveEndpoints({ env: {}, configDir: dir });
    assert.deepEqual(summary(endpoints), [`default default current ${DEFAULT_SOCKET}`, 'remote context ssh://me@example']);
    assert.deepEqual(problems, ['The current Docker context "gone" does not exist; using the default engine.']);
    const fromEnv = resolveEndpoints({ env: { DOCKER_CONTEXT: 'typo' }, configDir: dir });
    assert.deepEqual(fromEnv.problems, ['The current Docker context "typo" does not exist; using the default engine.']);
  });

  it('an unreadable meta.json is a problem; the other contexts are still listed', () => {
    const dir = configDir({ currentContext: 'secure', contexts: [REMOTE, SECURE] });
    const broken = path.join(dir, 'contexts', 'meta', sha256('broken'));
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'meta.json'), '{"Name": "broken", "Endpoints": {');
    const { endpoints, problems } = resolveEndpoints({ env: {}, configDir: dir });
    assert.deepEqual(endpoints.map((e) => e.name), ['secure', 'default', 'remote']);
    assert.equal(problems.length, 1);
    assert.ok(problems[0].startsWith(`Docker context ${path.join(broken, 'meta.json')} is unreadable: `), problems[0]);
  });

  it('an unreadable config.json is a problem and the default engine is current', () => {
    const dir = configDir({ configJson: '{"currentContext": ', contexts: [REMOTE] });
    const { endpoints, problems } = resolveEndpoints({ env: {}, configDir: dir });
    assert.deepEqual(summary(endpoints)[0], `default default current ${DEFAULT_SOCKET}`);
    assert.equal(problems.length, 1);
    assert.ok(problems[0].startsWith(`Could not read ${path.join(dir, 'config.json')}: `), problems[0]);
  });
});

describe('resolveEndpoints: engines from the matryoshka.engines setting', () => {
  it('appends valid ones with origin "setting", after the contexts', () => {
    const dir = configDir({ currentContext: 'remote', contexts: [REMOTE] });
    const configured = [
      { name: 'build-box', host: 'ssh://me@build-box:2222', identityFile: '/home/me/.ssh/build' },
      { name: '  spaced  ', host: 'unix:///tmp/docker.sock', tls: { certPath: '/certs', verify: false } },
    ];
    const { endpoints, problems } = resolveEndpoints({ env: {}, configDir: dir, configured });
    assert.deepEqual(problems, []);
    assert.deepEqual(summary(endpoints), [
      'remote context current ssh://me@example',
      `default default ${DEFAULT_SOCKET}`,
      'build-box setting ssh://me@build-box:2222',
      'spaced setting unix:///tmp/docker.sock',
    ]);
    assert.equal(find(endpoints, 'build-box').identityFile, '/home/me/.ssh/build');
    assert.deepEqual(find(endpoints, 'spaced').tls, { certPath: '/certs', verify: false });
  });

  it('reports invalid ones by index and keeps the rest', () => {
    const dir = configDir({ contexts: [REMOTE] });
    const configured = [
      { host: 'tcp://x:2375' },
      { name: 'bad', host: 'http://x:2375' },
      { name: 'remote', host: 'tcp://y:2375' },
      'ssh://me@box',
      { name: 'ok', host: 'tcp://ok:2375' },
      { name: '  ', host: 'tcp://z:2375' },
      { name: 'default', host: 'tcp://d:2375' },
      { name: 'ok', host: 'tcp://ok2:2375' },
    ];
    const { endpoints, problems } = resolveEndpoints({ env: {}, configDir: dir, configured });
    assert.deepEqual(endpoints.map((e) => e.name), ['default', 'remote', 'ok']);
    assert.equal(find(endpoints, 'remote').host, 'ssh://me@example', 'the context keeps its name');
    assert.equal(find(endpoints, 'ok').host, 'tcp://ok:2375', 'the first of two settings with one name wins');
    assert.equal(problems.length, 7);
    assert.equal(problems[0], 'matryoshka.engines[0] needs a "name".');
    assert.equal(problems[1], 'matryoshka.engines[1] ("bad"): "host" must start with unix://, tcp:// or ssh://.');
    assert.match(problems[2], /^matryoshka\.engines\[2\] \("remote"\): the name is already used by a Docker context/);
    assert.equal(problems[3], 'matryoshka.engines[3] must be an object with "name" and "host".');
    assert.equal(problems[4], 'matryoshka.engines[5] needs a "name".');
    assert.match(problems[5], /^matryoshka\.engines\[\d\] \("default"\): the name is already used by the default engine/);
    assert.equal(problems[6], 'matryoshka.engines[7] ("ok"): the name is already used by an earlier matryoshka.engines entry; rename it.');
  });

  it('names the index of a duplicate too', () => {
    const configured = [{ name: 'ok', host: 'tcp://ok:2375' }, { name: 'ok', host: 'tcp://ok2:2375' }];
    const { problems } = resolveEndpoints({ env: {}, configDir: configDir(), configured });
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^matryoshka\.engines\[1\] /);
    assert.doesNotMatch(problems[0], /Docker context/);
  });
});

describe('endpoints whose TLS is not verified', () => {
  it('a context with SkipTLSVerify is TLS without verification, with or without its own material, and carries a warning', () => {
    const bare: ContextSpec = { name: 'bare-insecure', host: 'tcp://bare.example:2376', skipTlsVerify: true };
    const { endpoints } = resolveEndpoints({ env: {}, configDir: configDir({ contexts: [SECURE, INSECURE, bare, REMOTE] }) });
    assert.equal(find(endpoints, 'insecure').tls?.verify, false);
    assert.deepEqual(find(endpoints, 'bare-insecure').tls, { verify: false });
    assert.match(endpointWarning(find(endpoints, 'insecure')) ?? '', /TLS verification is off/);
    assert.match(endpointWarning(find(endpoints, 'bare-insecure')) ?? '', /impersonate/);
    assert.equal(endpointWarning(find(endpoints, 'secure')), undefined);
    assert.equal(endpointWarning(find(endpoints, 'remote')), undefined);
  });

  it('a "verify": false setting carries the warning too; `~` in its paths is the home folder', () => {
    const configured = [{ name: 'lab', host: 'tcp://lab:2376', tls: { certPath: '~/certs', verify: false } }];
    const lab = find(resolveEndpoints({ env: {}, configDir: configDir(), configured }).endpoints, 'lab');
    assert.match(endpointWarning(lab) ?? '', /TLS verification is off/);
    assert.equal(expandHome('~/certs'), path.join(os.homedir(), 'certs'));
    assert.equal(expandHome('/abs/~/x'), '/abs/~/x');
  });
});
