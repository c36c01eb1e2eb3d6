import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { EngineApi } from '../../src/engine/engineApi';
import type { EngineEndpoint } from '../../src/engine/endpoints';
import { HostKeyChecker, type UnknownHostKey } from '../../src/engine/hostKeys';
import { transportForEndpoint } from '../../src/engine/transports';
import { waitFor } from '../support/docker';
import { newTestGraph } from '../support/testGraph';
import { startSshServer, type SshServer } from '../support/sshServer';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-impersonation-'));

/** Connects through the extension's own transport and asks the engine its version. */
async function versionOver(endpoint: EngineEndpoint, hostKeys?: HostKeyChecker): Promise<string | undefined> {
  const transport = transportForEndpoint(endpoint, () => undefined, hostKeys);
  try {
    const api = new EngineApi(transport.docker, { label: `engine "${endpoint.name}"`, deadlineMs: 15_000 });
    return (await api.negotiate()).Version;
  } finally {
    transport.dispose();
  }
}

async function disconnectedReason(endpoint: EngineEndpoint, hostKeys?: HostKeyChecker): Promise<string> {
  const graph = newTestGraph([endpoint], 15_000, { hostKeys });
  try {
    await graph.refreshAll();
    const [engine] = graph.snapshot();
    assert.equal(engine.status.kind, 'disconnected', JSON.stringify(engine.status));
    return engine.status.kind === 'disconnected' ? engine.status.reason : '';
  } finally {
    graph.dispose();
  }
}

/** What the client sent past the key exchange: sshd (LogLevel DEBUG1) logs each login attempt and session. */
const SENT_AFTER_KEX = /userauth-request|Accepted publickey|session_new|server_input_channel_open/;

describe('ssh engines and host keys, against the real OpenSSH server', { timeout: 180_000 }, () => {
  let ssh: SshServer;
  let endpoint: EngineEndpoint;
  let fingerprint = '';
  const knownHosts = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  before(async () => {
    ssh = await startSshServer({ logLevel: 'DEBUG1' });
    endpoint = { name: 'build-box', host: `ssh://${ssh.user}@127.0.0.1:${ssh.port}`, identityFile: ssh.identityFile, origin: 'setting', current: true };
    // As OpenSSH prints it for the server's own key.
    fingerprint = execFileSync('ssh-keygen', ['-lf', '-'], { input: ssh.knownHostsLine, encoding: 'utf8' }).split(' ')[1];
  });

  after(async () => {
    await ssh?.stop();
  });

  it('a key on record (hashed by ssh-keygen -H) connects without asking', async () => {
    const file = knownHosts('hashed', `${ssh.knownHostsLine}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'pipe' });
    assert.match(fs.readFileSync(file, 'utf8'), /^\|1\|/);
    const asked: UnknownHostKey[] = [];
    const checker = new HostKeyChecker({ knownHostsFiles: [file], confirmUnknownHost: async (q) => (asked.push(q), false) });
    const logBefore = ssh.log().length;
    assert.match((await versionOver(endpoint, checker)) ?? '', /^\d+\.\d+/);
    assert.deepEqual(asked, []);
    // The log shows a login and a session when there is one: its absence below means something.
    assert.match(ssh.log().slice(logBefore), SENT_AFTER_KEX);
  });

  it('an unknown key asks with its SHA256 fingerprint; declined, nothing is sent; trusted, it is recorded and connects', async () => {
    const file = knownHosts('empty', '');
    const asked: UnknownHostKey[] = [];
    const declining = new HostKeyChecker({ knownHostsFiles: [file], confirmUnknownHost: async (q) => (asked.push(q), false) });
    const logBefore = ssh.log().length;
    await assert.rejects(versionOver(endpoint, declining), /ssh .*127\.0\.0\.1.*was not trusted; nothing was sent/);
    assert.deepEqual(asked, [{ host: '127.0.0.1', port: ssh.port, keyType: 'ssh-ed25519', fingerprint }]);
    const seen = ssh.log().slice(logBefore);
    assert.match(seen, /Connection from 127\.0\.0\.1/, 'the server was reached (for its key)');
    assert.doesNotMatch(seen, SENT_AFTER_KEX, 'no login attempt, no session, no command');
    assert.equal(fs.readFileSync(file, 'utf8'), '', 'a declined key is not recorded');

    const trusting = new HostKeyChecker({ knownHostsFiles: [file], confirmUnknownHost: async (q) => (asked.push(q), true) });
    assert.match((await versionOver(endpoint, trusting)) ?? '', /^\d+\.\d+/);
    assert.equal(asked.length, 2);
    // The line trusting wrote is one OpenSSH itself finds for this host and port.
    const found = execFileSync('ssh-keygen', ['-F', `[127.0.0.1]:${ssh.port}`, '-f', file], { encoding: 'utf8' });
    assert.ok(found.includes(ssh.knownHostsLine.split(' ').slice(1).join(' ')), found);
  });

  it('while a person takes their time the login says it is waiting; after "Trust" the next attempt connects', async () => {
    const file = knownHosts('slow', '');
    let asked = 0;
    let answer: (yes: boolean) => void = () => undefined;
    const checker = new HostKeyChecker({ knownHostsFiles: [file], confirmUnknownHost: () => (asked++, new Promise((resolve) => (answer = resolve))) });
    const waiting = new RegExp(`waiting for your answer about the host key of \\[127\\.0\\.0\\.1\\]:${ssh.port} \\(${fingerprint.replace(/[+/]/g, '\\$&')}\\)`);
    await assert.rejects(versionOver(endpoint, checker), waiting);
    await assert.rejects(versionOver(endpoint, checker), waiting, 'a retry while the dialog is open');
    assert.equal(asked, 1, 'one dialog for both attempts');
    answer(true);
    await waitFor('the key to be recorded', 5000, async () => fs.readFileSync(file, 'utf8').includes(ssh.knownHostsLine.split(' ')[2]) || undefined, 20);
    assert.match((await versionOver(endpoint, checker)) ?? '', /^\d+\.\d+/);
    assert.equal(asked, 1);
  });

  it('a changed key is refused, with both keys and what to do, without asking and without sending anything', async () => {
    const other = path.join(dir, 'other_host_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', other]);
    const recorded = fs.readFileSync(`${other}.pub`, 'utf8').trim();
    const file = knownHosts('changed', `[127.0.0.1]:${ssh.port} ${recorded}\n`);
    let asked = 0;
    const checker = new HostKeyChecker({ knownHostsFiles: [file], confirmUnknownHost: async () => (asked++, true) });
    const logBefore = ssh.log().length;
    const reason = await disconnectedReason(endpoint, checker);
    assert.match(reason, new RegExp(`host key of \\[127\\.0\\.0\\.1\\]:${ssh.port} changed`));
    assert.ok(reason.includes(fingerprint), 'names the key presented');
    assert.ok(reason.includes(execFileSync('ssh-keygen', ['-lf', `${other}.pub`], { encoding: 'utf8' }).split(' ')[1]), 'names the key on record');
    assert.match(reason, /ssh-keygen -R/);
    assert.equal(asked, 0, 'a changed key is never asked about');
    assert.doesNotMatch(ssh.log().slice(logBefore), SENT_AFTER_KEX);
    assert.equal(fs.readFileSync(file, 'utf8'), `[127.0.0.1]:${ssh.port} ${recorded}\n`, 'known_hosts is left alone');
  });

  it('ssh-agent identities come before key files, and a key that needs a passphrase does not block the agent', async () => {
    const file = knownHosts('agent', `${ssh.knownHostsLine}\n`);
    const key = (name: string, passphrase: string) => {
      const at = path.join(dir, name);
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', at]);
      ssh.authorize(fs.readFileSync(`${at}.pub`, 'utf8'));
      return { file: at, fingerprint: execFileSync('ssh-keygen', ['-lf', `${at}.pub`], { encoding: 'utf8' }).split(' ')[1] };
    };
    const inAgent = key('in-agent', '');
    const onDisk = key('on-disk', '');
    const locked = key('locked', 'a passphrase');
    const socket = path.join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    const saved = process.env.SSH_AUTH_SOCK;
    try {
      await waitFor('ssh-agent', 10_000, async () => fs.existsSync(socket) || undefined);
      execFileSync('ssh-add', [inAgent.file], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'pipe' });
      fs.rmSync(inAgent.file); // only the agent holds it now
      process.env.SSH_AUTH_SOCK = socket;
      const checker = new HostKeyChecker({ knownHostsFiles: [file] });
      const login = async (identityFile: string) => {
        const before = ssh.log().length;
        const logs: string[] = [];
        const transport = transportForEndpoint({ ...endpoint, identityFile }, (m) => logs.push(m), checker);
        const error = await new EngineApi(transport.docker, { label: 'engine "build-box"', deadlineMs: 15_000 }).negotiate().then(
          () => undefined,
          (e: Error) => e.message,
        );
        transport.dispose();
        const sshd = ssh.log().slice(before).split('\n').filter((l) => l.includes('Accepted publickey')).join('\n');
        return { sshd, logs: logs.join('\n'), error };
      };
      // Both would be let in: the agent's key is the one used.
      const first = await login(onDisk.file);
      assert.equal(first.error, undefined);
      assert.ok(first.sshd.includes(inAgent.fingerprint) && !first.sshd.includes(onDisk.fingerprint), first.sshd);
      // A key file that needs a passphrase does not stand in the agent's way.
      const second = await login(locked.file);
      assert.equal(second.error, undefined);
      assert.ok(second.sshd.includes(inAgent.fingerprint), second.sshd);
      // Without the agent it is skipped with the reason, and nothing else is left to try.
      delete process.env.SSH_AUTH_SOCK;
      const third = await login(locked.file);
      assert.match(third.logs, /skipping .*locked: it needs a passphrase/);
      assert.match(third.error ?? '', /authentication methods failed/i);
      assert.equal(third.sshd, '');
    } finally {
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
      agent.kill();
    }
  });

  it('in Restricted Mode an unknown host is not contacted at all', async () => {
    const file = knownHosts('restricted', '');
    let asked = 0;
    const checker = new HostKeyChecker({ knownHostsFiles: [file], confirmUnknownHost: async () => (asked++, true), mayAsk: () => false });
    const logBefore = ssh.log().length;
    const reason = await disconnectedReason(endpoint, checker);
    assert.match(reason, /Restricted Mode/);
    assert.match(reason, /trust this workspace/);
    assert.equal(asked, 0);
    assert.doesNotMatch(ssh.log().slice(logBefore), /Connection from/);
  });
});

/** A recording TCP proxy to the real engine: the engine as plain TCP on 127.0.0.1, every byte counted. */
async function plaintextEngine(): Promise<{ port: number; connections: () => number; bytes: () => number; close: () => Promise<void> }> {
  let connections = 0;
  let bytes = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    connections++;
    const engine = net.connect('/var/run/docker.sock');
    sockets.add(client).add(engine);
    client.on('data', (chunk) => (bytes += chunk.length));
    client.pipe(engine).pipe(client);
    client.on('error', () => engine.destroy());
    engine.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    bytes: () => bytes,
    close: () => new Promise((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))),
  };
}

describe('TLS engines', { timeout: 120_000 }, () => {
  let plain: Awaited<ReturnType<typeof plaintextEngine>>;
  before(async () => {
    plain = await plaintextEngine();
  });
  after(async () => {
    await plain?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a tls folder that does not exist is an error naming it, and the engine gets no plaintext request', async () => {
    const host = `tcp://127.0.0.1:${plain.port}`;
    // The same engine without TLS answers through the proxy: the proxy does see plaintext.
    assert.match((await versionOver({ name: 'plain', host, origin: 'setting', current: true })) ?? '', /^\d+\.\d+/);
    const seenBefore = { connections: plain.connections(), bytes: plain.bytes() };
    assert.ok(seenBefore.bytes > 0);
    const missing = path.join(dir, 'no such certs');
    const reason = await disconnectedReason({ name: 'needs-tls', host, tls: { certPath: missing }, origin: 'setting', current: true });
    assert.ok(reason.includes(`the certificate folder ${missing} does not exist`), reason);
    assert.match(reason, /engine "needs-tls"/);
    // `~` is expanded as a shell would.
    const home = await disconnectedReason({ name: 'home', host, tls: { certPath: '~/matryoshka-no-such-certs' }, origin: 'setting', current: true });
    assert.ok(home.includes(path.join(os.homedir(), 'matryoshka-no-such-certs')), home);
    // One named file missing in a folder that exists.
    fs.mkdirSync(path.join(dir, 'certs-without-ca'));
    const noCa = await disconnectedReason({ name: 'no-ca', host, tls: { certPath: path.join(dir, 'certs-without-ca') }, origin: 'environment', current: true });
    assert.ok(noCa.includes(`the file ${path.join(dir, 'certs-without-ca', 'ca.pem')} does not exist`), noCa);
    assert.deepEqual({ connections: plain.connections(), bytes: plain.bytes() }, seenBefore, 'no connection, no byte');
  });

  it('a TLS engine whose certificate comes from another CA is refused, naming the engine', async () => {
    const pki = path.join(dir, 'pki');
    fs.mkdirSync(pki);
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: pki, stdio: 'pipe' });
    for (const ca of ['trusted', 'other']) {
      openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${ca}-ca.key`, '-out', `${ca}-ca.pem`, '-days', '1', '-subj', `/CN=${ca} CA`);
    }
    fs.writeFileSync(path.join(pki, 'san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    openssl('x509', '-req', '-in', 'server.csr', '-CA', 'other-ca.pem', '-CAkey', 'other-ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'san.cnf');
    // The real engine behind TLS made with the other CA's certificate; counts what arrives decrypted.
    let decrypted = 0;
    const server = tls.createServer({ cert: fs.readFileSync(path.join(pki, 'server.pem')), key: fs.readFileSync(path.join(pki, 'server.key')) }, (client) => {
      const engine = net.connect('/var/run/docker.sock');
      client.on('data', (chunk) => (decrypted += chunk.length));
      client.pipe(engine).pipe(client);
      client.on('error', () => engine.destroy());
      engine.on('error', () => client.destroy());
    });
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const host = `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    try {
      // Trusting the CA that signed it, the same engine answers: the refusal below is about the CA.
      const signer = await versionOver({ name: 'right-ca', host, tls: { ca: path.join(pki, 'other-ca.pem') }, origin: 'setting', current: true });
      assert.match(signer ?? '', /^\d+\.\d+/);
      decrypted = 0;
      const reason = await disconnectedReason({ name: 'impostor', host, tls: { ca: path.join(pki, 'trusted-ca.pem') }, origin: 'setting', current: true });
      assert.match(reason, /engine "impostor"/);
      assert.match(reason, /not signed by the CA/);
      assert.equal(decrypted, 0, 'no request reached the impostor');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
