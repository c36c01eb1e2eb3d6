// Engine text that makes a backtracking pattern retry at every position (a megabyte of "/" before
// an "x", of spaces between two letters, of "docker:" with no "dind") through every function that
// used such a pattern: each call must end within 50 ms, where the quadratic patterns took minutes.
// Each replacement must also answer what the pattern it replaced answered, on short mixed text.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { samePath } from '../../src/model/classify';
import { checkEngineWarnings } from '../../src/model/healthChecks';
import { checkDataRoot } from '../../src/model/healthStorage';
import type { HealthInput } from '../../src/model/healthTypes';
import { findLaunchTarget } from '../../src/model/launchTargets';
import { followsInLine, splitTrimmed, trimTrailing } from '../../src/model/linearText';
import { escapeMarkdown, keepEdgeSpace } from '../../src/model/markdown';
import { tarFiles } from '../../src/model/tarEntries';
import { validateFolder } from '../../src/model/workspaceSpec';
import { hostileContainer, RUNS, SEED } from '../support/hostile';
import { RECORDED } from '../support/recorded';
import { gatherContainerHealth } from '../../src/engine/healthGather';
import { resolveTarget } from '../../src/model/targets';
import { startRecordedHealthEngines, type RecordedHealthEngines } from '../support/recordedHealthEngine';

/** What the extension's own health gather reads for recorded containers, asked once of the recorded engines. */
const gathered = new Map<string, HealthInput>();
let engines: RecordedHealthEngines;
before(async () => {
  engines = await startRecordedHealthEngines();
  for (const name of ['it8-fx-hostroot', 'it8-fx-healthy']) {
    gathered.set(name, await gatherContainerHealth(engines.graph, resolveTarget(engines.graph.snapshot(), { path: [name] })));
  }
});
after(() => engines.close());

function recordedHealthInput(name: string, overrides: Partial<HealthInput> = {}): HealthInput {
  const input = gathered.get(name);
  assert.ok(input, `${name} was gathered`);
  return { ...structuredClone(input), ...overrides };
}

const MB = 1 << 20;
const BOUND_MS = 50;
const params = { seed: SEED, numRuns: RUNS };
/** Each case is a megabyte: a few dozen of them per function cover the patterns. */
const bigParams = { seed: SEED, numRuns: 24 };

/**
 * The processor time of the fastest of three runs: the machine is shared with other test runs, which
 * stretch wall-clock time (and can stall any one run), while a quadratic pattern on a megabyte takes
 * minutes of processor time every time.
 */
function fastestMs(work: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = process.cpuUsage();
    work();
    const used = process.cpuUsage(started);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

function assertLinear(what: string, text: string, work: (text: string) => unknown): void {
  const ms = fastestMs(() => work(text));
  assert.ok(ms < BOUND_MS, `${what} took ${ms.toFixed(1)} ms on ${text.length} characters starting ${JSON.stringify(text.slice(0, 24))} (bound ${BOUND_MS} ms)`);
}

/** A megabyte of one repeated unit, with something that stops the pattern at the end (or not); small, so that fast-check can print it. */
interface Adversary {
  head: string;
  unit: string;
  end: string;
}

function adversarial(units: string[], ends: string[]): fc.Arbitrary<Adversary> {
  return fc.record({ head: fc.constantFrom('', 'x', '/', ' '), unit: fc.constantFrom(...units), end: fc.constantFrom(...ends) });
}

function megabyte({ head, unit, end }: Adversary): string {
  return head + unit.repeat(Math.ceil(MB / unit.length)) + end;
}

const SLASHES = adversarial(['/', '//x', '/var/run/', '/ '], ['x', '', '/', '\n']);
// Runs that something other than space ends: the pattern retried them; a run at the very end is
// matched at once (and its megabytes of character references are output, not search).
const SPACES = adversarial([' ', '\u00a0', '\ufeff', ' \u3000'], ['x', '>', '\n']);
const WHITE_SPACE = adversarial([' ', '\t', ' \n', '\u00a0\u2028'], ['x', '', ' ', '>', '\n']);
const LINES = adversarial(['docker:', 'docker:d', 'DOCKER:DIN', 'docker:\r', 'iptables', 'IPTABLES faile', 'iptables\u2028failed', 'd'], ['x', '', 'dind', 'failed', '\n']);
const NULS = adversarial(['\0', '\0\0x'], ['x', '', '\0']);

/** Short text from the characters the replaced patterns care about, to compare old and new answers. */
function mixed(tokens: string[]): fc.Arbitrary<string> {
  return fc.array(fc.oneof(fc.constantFrom(...tokens), fc.string({ maxLength: 3 })), { maxLength: 12 }).map((parts) => parts.join(''));
}

/** The recorded container whose engine's data root is bind-mounted from the outer engine's (so both paths are compared). */
function dataRootInput(source: string, destination: string): HealthInput {
  const input = recordedHealthInput('it8-fx-hostroot', { inner: undefined });
  const container = input.container;
  assert.ok(container);
  const root = '/var/lib/docker';
  container.inspect = { ...container.inspect, Mounts: [{ Type: 'bind', Source: source, Destination: destination, RW: true }, { Type: 'bind', Source: '/srv', Destination: root, RW: true }] };
  return input;
}

/** A GNU long-name entry (type L), as an engine that lies could put before the recorded archive's files: a deliberately crafted archive. */
function withLongName(name: string): Buffer {
  const data = Buffer.from(name, 'utf8');
  const header = Buffer.alloc(512);
  header.write('././@LongLink', 0, 'utf8');
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  header.write('L', 156, 'ascii');
  const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512);
  data.copy(padded);
  return Buffer.concat([header, padded, fs.readFileSync(path.join(RECORDED, 'archive', 'client-dir.tar'))]);
}

describe('engine text through the former quadratic patterns: each call within 50 ms on a megabyte', () => {
  it('trailing slashes: samePath, the data-root check, validateFolder', () => {
    fc.assert(
      fc.property(SLASHES, (adversary) => {
        const text = megabyte(adversary);
        assertLinear('samePath', text, (t) => samePath(t, '/var/run/docker.sock'));
        assertLinear('checkDataRoot (mount source)', text, (t) => checkDataRoot(dataRootInput(t, '/elsewhere')));
        assertLinear('checkDataRoot (mount destination)', text, (t) => checkDataRoot(dataRootInput('/srv', t)));
        assertLinear('validateFolder', `/${text}`, (t) => validateFolder(t));
      }),
      bigParams,
    );
  });

  it('a container whose image or mounts carry such text is classified in time', () => {
    fc.assert(
      fc.property(fc.oneof(SLASHES, LINES), (adversary) => {
        const text = megabyte(adversary);
        const fields = { name: 'n', image: 'busybox', command: 'sh', state: 'running', status: 'Up', label: 'l', mountSource: '/s', mountDestination: '/d' };
        assertLinear('classify (image)', text, (t) => hostileContainer(0, { ...fields, image: t }));
        assertLinear('classify (mount destination)', text, (t) => hostileContainer(0, { ...fields, mountDestination: t }));
      }),
      bigParams,
    );
  });

  it('spaces: escapeMarkdown keeps the edge runs, findLaunchTarget splits an engine path', () => {
    fc.assert(
      fc.property(SPACES, WHITE_SPACE, (spaces, whiteSpace) => {
        assertLinear('escapeMarkdown', `x${megabyte(spaces)}`, (t) => escapeMarkdown(t));
        assertLinear('findLaunchTarget', megabyte(whiteSpace), (t) => findLaunchTarget([], t));
      }),
      bigParams,
    );
  });

  it('log lines: the iptables check reads a daemon log of such lines', () => {
    const base = recordedHealthInput('it8-fx-healthy');
    fc.assert(
      fc.property(LINES, (adversary) => {
        const text = megabyte(adversary);
        assertLinear('checkEngineWarnings', text, (t) => checkEngineWarnings({ ...base, container: base.container && { ...base.container, daemonLog: t } }));
      }),
      bigParams,
    );
  });

  it('NUL padding: a long tar name is read in time', () => {
    fc.assert(
      fc.property(NULS, (adversary) => {
        const text = megabyte(adversary);
        const archive = withLongName(text);
        assertLinear('tarFiles', text, () => tarFiles(archive));
      }),
      { ...bigParams, numRuns: 6 },
    );
  });
});

describe('the linear replacements answer what the patterns answered', () => {
  it('trimTrailing is replace(/c+$/, "")', () => {
    fc.assert(
      fc.property(mixed(['/', '//', '\0', 'a/']), fc.constantFrom('/', '\0'), (text, char) => {
        const pattern = char === '/' ? /\/+$/ : /\0+$/;
        assert.equal(trimTrailing(text, char), text.replace(pattern, ''));
      }),
      params,
    );
  });

  it('followsInLine is /first.*(then|…)/i', () => {
    fc.assert(
      fc.property(mixed(['docker:', 'DOCKER:', 'dind', 'DinD', '\n', '\r', '\u2028', 'K', '\u212a', 'd\u0130nd', 'iptables', 'failed']), (text) => {
        assert.equal(followsInLine(text, 'docker:', ['dind']), /docker:.*dind/i.test(text), JSON.stringify(text));
        assert.equal(followsInLine(text, 'iptables', ['failed', 'not found']), /iptables.*(failed|not found)/i.test(text), JSON.stringify(text));
      }),
      params,
    );
  });

  it('splitTrimmed is split(/\\s*(?:›|>|\\/)\\s*/)', () => {
    fc.assert(
      fc.property(mixed([' ', '\u00a0', '\n', '›', '>', '/', ' > ', 'a b', '\ufeff']), (text) => {
        assert.deepEqual(splitTrimmed(text, /[›>/]/), text.split(/\s*(?:›|>|\/)\s*/), JSON.stringify(text));
      }),
      params,
    );
  });

  it('keepEdgeSpace is the edge pattern replaced by character references', () => {
    const edge = /^[\p{Zs}\ufeff]+|[\p{Zs}\ufeff]+$/gu;
    const references = (run: string) => [...run].map((c) => `&#x${(c.codePointAt(0) ?? 32).toString(16)};`).join('');
    fc.assert(
      fc.property(mixed([' ', '\u00a0', '\u3000', '\ufeff', 'a', '\n', '\u200b', '\ud83d\ude00']), (text) => {
        assert.equal(keepEdgeSpace(text), text.replace(edge, references), JSON.stringify(text));
      }),
      params,
    );
    for (let code = 0; code <= 0xffff; code++) {
      const text = `a${String.fromCharCode(code)}`;
      assert.equal(keepEdgeSpace(text), text.replace(edge, references), `U+${code.toString(16)}`);
    }
  });
});
