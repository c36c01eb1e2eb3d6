import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HostKeyChecker, type UnknownHostKey } from '../../src/engine/hostKeys';
import { checkHostKey, entryMatchesHost, keyTypeOf, knownHostLine, parseKnownHosts, sha256Fingerprint } from '../../src/model/knownHosts';

/** Keys and known_hosts files made by the real ssh-keygen, so the format is OpenSSH's, not ours. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-known-hosts-'));
const TYPES = { ed25519: 'ssh-ed25519', ecdsa: 'ecdsa-sha2-nistp256', rsa: 'ssh-rsa' } as const;
type Kind = keyof typeof TYPES;

function keygen(name: string, type: Kind): { blob: Buffer; pub: string; file: string } {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', '', '-f', file]);
  const pub = fs.readFileSync(`${file}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  return { blob: Buffer.from(pub.split(' ')[1], 'base64'), pub, file: `${file}.pub` };
}

/** What `ssh-keygen -F name -f file` finds: OpenSSH's own lookup, the oracle for ours. */
function sshKeygenFinds(file: string, name: string): boolean {
  try {
    execFileSync('ssh-keygen', ['-F', name, '-f', file], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

describe('known_hosts as OpenSSH writes and reads it', () => {
  const keys = {} as Record<Kind | 'other', ReturnType<typeof keygen>>;
  let plain = '';
  let hashed = '';
  let markers = '';
  const hostsFile = path.join(dir, 'known_hosts');
  const hashedFile = path.join(dir, 'known_hosts.hashed');

  before(() => {
    keys.ed25519 = keygen('ed', 'ed25519');
    keys.ecdsa = keygen('ec', 'ecdsa');
    keys.rsa = keygen('rsa', 'rsa');
    keys.other = keygen('other', 'ed25519');
    plain = [
      '# a comment, then a blank line',
      '',
      `build-box ${keys.ed25519.pub}`,
      `[build-box]:2222 ${keys.ecdsa.pub}`,
      `*.example.org,!bad.example.org,10.0.0.? ${keys.rsa.pub}`,
    ].join('\n') + '\n';
    fs.writeFileSync(hostsFile, plain);
    fs.writeFileSync(hashedFile, plain);
    // ssh-keygen -H hashes every plain host name (patterns stay as they are).
    execFileSync('ssh-keygen', ['-H', '-f', hashedFile], { stdio: 'pipe' });
    // Marker lines (which ssh-keygen -F reports for every name a pattern covers, so they stay out of
    // the files it looks in) and a line OpenSSH calls invalid (ssh-keygen -H refuses files with one).
    markers = `@cert-authority *.corp ${keys.other.pub}\n@revoked * ${keys.other.pub}\nnot a valid line\n`;
    hashed = fs.readFileSync(hashedFile, 'utf8');
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('parses every key type, markers and hashed names, skipping comments and broken lines', () => {
    const entries = parseKnownHosts(hashed + markers);
    assert.deepEqual(entries.map((e) => [e.marker, e.keyType]), [
      [undefined, 'ssh-ed25519'],
      [undefined, 'ecdsa-sha2-nistp256'],
      [undefined, 'ssh-rsa'],
      ['cert-authority', 'ssh-ed25519'],
      ['revoked', 'ssh-ed25519'],
    ]);
    assert.match(entries[0].hosts, /^\|1\|[^|]+\|[^|]+$/, 'ssh-keygen -H hashed the name');
    assert.equal(entries[2].line, 5);
  });

  it('matches hosts exactly as `ssh-keygen -F` does, plain and hashed, [host]:port, patterns and negation', () => {
    const lookups: [string, number][] = [
      ['build-box', 22], ['BUILD-BOX', 22], ['build-box', 2222], ['build-box', 2223], ['other-box', 22],
      ['good.example.org', 22], ['bad.example.org', 22], ['example.org', 22], ['10.0.0.7', 22], ['10.0.0.17', 22],
    ];
    for (const [file, text] of [[hostsFile, plain], [hashedFile, hashed]] as const) {
      const entries = parseKnownHosts(text).filter((e) => e.marker === undefined);
      for (const [host, port] of lookups) {
        const name = port === 22 ? host.toLowerCase() : `[${host.toLowerCase()}]:${port}`;
        const ours = entries.some((e) => entryMatchesHost(e, host, port));
        assert.equal(ours, sshKeygenFinds(file, name), `${name} in ${path.basename(file)}`);
      }
    }
  });

  it('tells known, changed, revoked and unknown keys apart', () => {
    const entries = parseKnownHosts(hashed + markers);
    assert.equal(checkHostKey(entries, 'build-box', 22, keys.ed25519.blob).kind, 'known');
    assert.equal(checkHostKey(entries, 'build-box', 2222, keys.ecdsa.blob).kind, 'known');
    assert.equal(checkHostKey(entries, 'good.example.org', 22, keys.rsa.blob).kind, 'known');
    // The ecdsa key is on record for port 2222 only: on 22 it is not build-box's key.
    assert.equal(checkHostKey(entries, 'build-box', 22, keys.ecdsa.blob).kind, 'changed');
    // A key of a type not on record is refused as a change too, never asked about.
    assert.equal(checkHostKey(entries, 'build-box', 2222, keys.rsa.blob).kind, 'changed');
    assert.equal(checkHostKey(entries, 'build-box', 22, keys.other.blob).kind, 'revoked');
    assert.equal(checkHostKey(entries, 'new-box', 22, keys.ed25519.blob).kind, 'unknown');
    assert.equal(checkHostKey(entries, 'bad.example.org', 22, keys.rsa.blob).kind, 'unknown');
  });

  it('prints fingerprints as `ssh-keygen -lf` does and names the key type from the blob', () => {
    for (const kind of ['ed25519', 'ecdsa', 'rsa'] as const) {
      const printed = execFileSync('ssh-keygen', ['-lf', keys[kind].file], { encoding: 'utf8' }).split(' ')[1];
      assert.equal(sha256Fingerprint(keys[kind].blob), printed, kind);
      assert.equal(keyTypeOf(keys[kind].blob), TYPES[kind]);
    }
  });

  it('writes lines that ssh-keygen finds again', () => {
    const file = path.join(dir, 'written');
    fs.writeFileSync(file, `${knownHostLine('Box.Example', 2200, keys.ecdsa.blob)}\n`);
    assert.ok(sshKeygenFinds(file, '[box.example]:2200'));
    assert.ok(!sshKeygenFinds(file, 'box.example'));
  });
});

describe('the host key checker', () => {
  before(() => fs.mkdirSync(dir, { recursive: true }));
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'matryoshka-checker-'));
  const file = path.join(home, 'fresh', '.ssh', 'known_hosts');
  let key: Buffer;
  let other: Buffer;

  before(() => {
    key = keygen('checker', 'ed25519').blob;
    other = keygen('checker-other', 'ed25519').blob;
  });
  after(() => fs.rmSync(home, { recursive: true, force: true }));

  it('asks once for many logins at once, and "Trust" appends the key to a new 0600 file in a 0700 folder', async () => {
    const asked: UnknownHostKey[] = [];
    let answer: (yes: boolean) => void = () => undefined;
    const checker = new HostKeyChecker({
      knownHostsFiles: [file],
      confirmUnknownHost: (question) => {
        asked.push(question);
        return new Promise((resolve) => (answer = resolve));
      },
    });
    const logins = Array.from({ length: 5 }, () => checker.verify('build-box', 2222, key));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(asked.length, 1, 'one question for five logins');
    assert.deepEqual(asked[0], { host: 'build-box', port: 2222, keyType: 'ssh-ed25519', fingerprint: sha256Fingerprint(key) });
    answer(true);
    await Promise.all(logins);
    assert.equal(fs.readFileSync(file, 'utf8'), `${knownHostLine('build-box', 2222, key)}\n`);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
    // Now on record: no question, and a different key is a change, refused without asking.
    await checker.verify('build-box', 2222, key);
    await assert.rejects(checker.verify('build-box', 2222, other), /host key of \[build-box\]:2222 changed.*ssh-keygen -R/s);
    assert.equal(asked.length, 1);
  });

  it('a declined host is refused and not asked about again this session', async () => {
    let asked = 0;
    const checker = new HostKeyChecker({ knownHostsFiles: [path.join(home, 'declined')], confirmUnknownHost: async () => (asked++, false) });
    await assert.rejects(checker.verify('box', 22, key), /was not trusted; nothing was sent/);
    await assert.rejects(checker.verify('box', 22, key), /was not trusted/);
    assert.equal(asked, 1);
    assert.ok(!fs.existsSync(path.join(home, 'declined')));
  });

  it('in Restricted Mode an unknown host is refused before any connection, and nobody is asked', async () => {
    let asked = 0;
    const checker = new HostKeyChecker({ knownHostsFiles: [file], confirmUnknownHost: async () => (asked++, true), mayAsk: () => false });
    assert.throws(() => checker.beforeConnect('unknown-box', 22), /does not contact unknown ssh hosts in Restricted Mode/);
    // A host on record may be contacted: its key is checked as usual.
    checker.beforeConnect('build-box', 2222);
    await checker.verify('build-box', 2222, key);
    await assert.rejects(checker.verify('unknown-box', 22, key), /Restricted Mode/);
    assert.equal(asked, 0);
  });
});
