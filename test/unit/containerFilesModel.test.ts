import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { archivePrefix, decodePathStat, normalizePath, parentOf, relativeEntryName } from '../../src/model/containerPaths';
import { TarReader, type TarHeader } from '../../src/model/tarStream';
import { tarArchive } from '../../src/model/tarWriter';

const RECORDED = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'recorded', 'archive');
const archive = readFileSync(join(RECORDED, 'files-dir.tar'));
const stats = JSON.parse(readFileSync(join(RECORDED, 'path-stats.json'), 'utf8')) as Record<string, string>;

function readAll(bytes: Buffer, chunkSize: number): { headers: TarHeader[]; data: Map<string, Buffer> } {
  const headers: TarHeader[] = [];
  const data = new Map<string, Buffer>();
  let current = '';
  const reader = new TarReader({
    onEntry: (header) => {
      headers.push(header);
      current = header.name;
      data.set(current, Buffer.alloc(0));
      return 'data';
    },
    onData: (chunk) => data.set(current, Buffer.concat([data.get(current) as Buffer, chunk])),
  });
  for (let offset = 0; offset < bytes.length; offset += chunkSize) reader.push(bytes.subarray(offset, offset + chunkSize));
  reader.end();
  return { headers, data };
}

describe('the streaming tar reader on an archive recorded from an engine', () => {
  it('reads every entry with type, mode, owner and link, whatever the chunking', () => {
    for (const chunk of [1, 7, 511, 512, 513, 100_000]) {
      const { headers, data } = readAll(archive, chunk);
      const byName = new Map(headers.map((h) => [h.name, h]));
      assert.equal(headers.length, 11, `chunk ${chunk}`);
      assert.equal(byName.get('rec/')?.type, 'directory');
      const setuid = byName.get('rec/setuid.sh');
      assert.deepEqual([setuid?.type, setuid?.mode, setuid?.uid, setuid?.gid, setuid?.size], ['file', 0o4750, 1234, 2345, 8]);
      assert.equal(data.get('rec/setuid.sh')?.toString(), 'set uid\n');
      assert.deepEqual([byName.get('rec/inside-link')?.type, byName.get('rec/inside-link')?.linkName], ['symlink', 'sub/inner.txt']);
      assert.equal(byName.get('rec/outside-link')?.linkName, '/etc/hostname');
      assert.ok(byName.has(`rec/${'long-'.repeat(30)}name.txt`), 'the PAX long name');
      for (const hostile of ['new\nline', '<img src=x onerror=alert(1)>', 'rtl\u202eexe.txt']) assert.ok(byName.has(`rec/${hostile}`), JSON.stringify(hostile));
    }
  });

  it('an archive cut short is an error, not a shorter listing', () => {
    const reader = new TarReader({ onEntry: () => 'skip' });
    reader.push(archive.subarray(0, 512 * 3 + 100));
    assert.throws(() => reader.end(), /ended in the middle/);
  });

  it('a corrupted header is refused (engines are untrusted)', () => {
    // Deliberately damaged: one byte of the first header's name changed, so its checksum fails.
    const damaged = Buffer.from(archive);
    damaged[0] ^= 0x20;
    assert.throws(() => new TarReader({ onEntry: () => 'skip' }).push(damaged), /checksum/);
  });

  it('names entries relative to the listed directory (the engine prefixes them with its name)', () => {
    assert.equal(archivePrefix('rec/'), 'rec');
    assert.equal(relativeEntryName('rec/sub/inner.txt', 'rec'), 'sub/inner.txt');
    assert.equal(relativeEntryName('rec/', 'rec'), undefined);
    assert.equal(archivePrefix('/'), '');
    assert.equal(relativeEntryName('/bin/sh', ''), 'bin/sh');
    assert.equal(relativeEntryName('recent/x', 'rec'), undefined);
  });
});

describe('path stats recorded from HEAD /containers/{id}/archive', () => {
  it('decodes kind, size, permissions with setuid, and a link\'s resolved target', () => {
    assert.deepEqual({ ...decodePathStat(stats.file), mtimeMs: 0 }, { name: 'inner.txt', kind: 'file', size: 6, mode: 0o644, mtimeMs: 0, linkTarget: '' });
    assert.equal(decodePathStat(stats.directory).kind, 'directory');
    assert.equal(decodePathStat(stats.directory).mode, 0o755);
    const link = decodePathStat(stats.symlink);
    assert.deepEqual([link.kind, link.linkTarget], ['symlink', '/rec/sub/inner.txt']);
    assert.equal(decodePathStat(stats.setuid).mode, 0o4750);
    assert.ok(decodePathStat(stats.file).mtimeMs > Date.parse('2026-01-01'));
  });

  it('refuses a header that is not base64 JSON with a name, size and mode', () => {
    // Deliberately malformed values, as a hostile engine could send.
    assert.throws(() => decodePathStat('!!!'), /not base64 JSON/);
    assert.throws(() => decodePathStat(Buffer.from('{"name":"x"}').toString('base64')), /without name, size and mode/);
  });

  it('normalizes container paths and refuses relative ones', () => {
    assert.equal(normalizePath('/a//b/./c/../d/'), '/a/b/d');
    assert.equal(normalizePath('/../..'), '/');
    assert.equal(parentOf('/a/b'), '/a');
    assert.equal(parentOf('/a'), '/');
    assert.throws(() => normalizePath('etc/passwd'), /absolute/);
  });
});

describe('the tar writer', () => {
  const cases = [
    { name: 'plain.txt', type: 'file' as const, mode: 0o4750, uid: 1234, gid: 2345, data: Buffer.from('hello\n') },
    { name: `${'x'.repeat(150)}.txt`, type: 'file' as const, mode: 0o644, uid: 0, gid: 0, data: Buffer.alloc(1024, 7) },
    { name: 'rtl\u202eexe <img>.txt', type: 'file' as const, mode: 0o600, uid: 3_000_000, gid: 5, data: Buffer.alloc(0) },
    { name: 'made', type: 'directory' as const, mode: 0o755, uid: 1000, gid: 1001 },
  ];

  it('writes what the reader and GNU tar read back: name, type, mode, owner, content', () => {
    for (const entry of cases) {
      const bytes = tarArchive({ ...entry, mtimeMs: Date.parse('2026-12-01T00:00:00Z') });
      assert.equal(bytes.length % 512, 0);
      const { headers, data } = readAll(bytes, 100);
      assert.equal(headers.length, 1);
      const [header] = headers;
      assert.equal(header.name, entry.type === 'directory' ? `${entry.name}/` : entry.name);
      assert.deepEqual([header.type, header.mode, header.uid, header.gid], [entry.type, entry.mode, entry.uid, entry.gid]);
      if (entry.type === 'file') assert.deepEqual(data.get(header.name), entry.data);
      const dir = mkdtempSync(join(tmpdir(), 'tarw-'));
      writeFileSync(join(dir, 'a.tar'), bytes);
      const listed = execFileSync('tar', ['--numeric-owner', '-tvf', join(dir, 'a.tar')]).toString();
      assert.ok(listed.includes(`${entry.uid}/${entry.gid}`), listed);
      assert.ok(listed.includes(entry.name), listed);
    }
  });

  it('refuses names that would escape the extraction point', () => {
    assert.throws(() => tarArchive({ name: '/etc/passwd', type: 'file', mode: 0o644, uid: 0, gid: 0, mtimeMs: 0 }), /not a name/);
    assert.throws(() => tarArchive({ name: 'a/../../etc/passwd', type: 'file', mode: 0o644, uid: 0, gid: 0, mtimeMs: 0 }), /not a name/);
  });
});
