import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerInspect, ContainerSummary } from '../../src/model/apiTypes';
import { classify } from '../../src/model/classify';
import { escapeMarkdown, plainText, screenText, SCREEN_TEXT_MAX } from '../../src/model/markdown';
import { containerName, type ContainerSnapshot, type EngineSnapshot } from '../../src/model/snapshot';
import { containerTooltipMarkdown, engineTooltipMarkdown } from '../../src/model/treeModel';
import { readJson } from '../support/recorded';
import { recordedGraphSnapshot } from '../support/recordedEngines';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '"><script>alert(1)</script>';
const FENCE = '```\n[x](command:workbench.action.quit)';
const IMAGE_LINK = '![i](http://x/y.png)';
const STATE_LINE = '- State: \\!\\[i\\]\\(http\\:\\/\\/x\\/y\\.png\\)';
const BIDI_NUL = 'gpj.\u202eexe\u0000';
const NEWLINES = 'Up 3 days\n- fake item\r\n# heading\rend';
const BIG = '[x](command:workbench.action.quit)<b>`!'.repeat(300).slice(0, 10240);

/** The inverse of escapeMarkdown: backslash before ASCII punctuation, \uXXXX for controls, ⏎ for line breaks. */
function unescapeMarkdown(markdown: string): string {
  // Edge spaces are written as character references (Markdown would drop them); decoded first.
  return markdown.replace(/&#x([0-9a-f]+);/g, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16))).replace(/\\([!-/:-@[-`{-~])|\\u([0-9a-f]{4})| ⏎ /g, (_m, punct: string | undefined, hex: string | undefined) =>
    punct ?? (hex ? String.fromCharCode(parseInt(hex, 16)) : '\n'),
  );
}

/** Characters that open Markdown constructs, found in `markdown` without a backslash before them. */
function rawSpecials(markdown: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < markdown.length; i++) {
    const c = markdown[i];
    if (c === '\\' && /[!-/:-@[-`{-~]/.test(markdown[i + 1] ?? '')) {
      i++;
      continue;
    }
    if ('<>[]()`!'.includes(c)) counts[c] = (counts[c] ?? 0) + 1;
  }
  return counts;
}

const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069\r]/;

/** Deterministic pseudo-random strings over punctuation, controls, bidi marks, escapes and line breaks. */
function* fuzzStrings(count: number): Generator<string> {
  const alphabet = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), '\n', '\t', '\u0000', '\u0001', '\u001b', '\u007f', '\u200e', '\u202e', '\u2066', '\u2069', 'é', '漢', '\\u', '\\u202e'];
  let seed = 0x2545f491;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let n = 0; n < count; n++) {
    const length = Math.floor(next() * 40);
    yield Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  }
}

describe('escapeMarkdown', () => {
  it('escapes link, image, HTML and code syntax', () => {
    assert.equal(escapeMarkdown('[x](command:workbench.action.quit)'), '\\[x\\]\\(command\\:workbench\\.action\\.quit\\)');
    assert.equal(escapeMarkdown(IMAGE_LINK), '\\!\\[i\\]\\(http\\:\\/\\/x\\/y\\.png\\)');
    assert.equal(escapeMarkdown('<b>`x`</b>'), '\\<b\\>\\`x\\`\\<\\/b\\>');
    assert.equal(escapeMarkdown('a\\b'), 'a\\\\b');
    assert.equal(escapeMarkdown('plain words 123 é'), 'plain words 123 é');
  });

  it('shows line breaks, bidi controls and NUL as visible escapes', () => {
    assert.equal(escapeMarkdown('a\r\nb\rc\nd'), 'a ⏎ b ⏎ c ⏎ d');
    assert.equal(escapeMarkdown(BIDI_NUL), 'gpj\\.\\u202eexe\\u0000');
    assert.equal(escapeMarkdown('\u001b[31m'), '\\u001b\\[31m');
  });

  it('leaves no unescaped punctuation, control or line break, and unescapes back to the input', () => {
    let checked = 0;
    for (const input of fuzzStrings(400)) {
      const escaped = escapeMarkdown(input);
      const stripped = escaped.replace(/\\[!-/:-@[-`{-~]|\\u[0-9a-f]{4}|^(&#x[0-9a-f]+;)+|(&#x[0-9a-f]+;)+$/g, '');
      assert.doesNotMatch(stripped, /[!-/:-@[-`{-~]/, JSON.stringify(input));
      assert.doesNotMatch(escaped, CONTROLS, JSON.stringify(input));
      assert.ok(!escaped.includes('\n'), JSON.stringify(input));
      assert.equal(unescapeMarkdown(escaped), screenText(input), JSON.stringify(input));
      checked += input.length;
    }
    assert.ok(checked > 5000, 'the fuzz strings are not trivially short');
    for (const input of [IMG, SCRIPT, FENCE, IMAGE_LINK, BIDI_NUL]) assert.equal(unescapeMarkdown(escapeMarkdown(input)), input);
    // Longer text is cut where it reaches the screen: the first SCREEN_TEXT_MAX characters and an ellipsis.
    assert.equal(unescapeMarkdown(escapeMarkdown(BIG)), `${BIG.slice(0, SCREEN_TEXT_MAX)}…`);
  });
});

describe('plainText', () => {
  it('leaves markup alone but no C0 control, DEL or bidi control', () => {
    const all = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + '\u007f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';
    const out = plainText(`x${all}y`);
    assert.doesNotMatch(out, /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
    assert.ok(out.startsWith('x\\u0000\\u0001') && out.endsWith('\\u2069y'), out);
    assert.equal(plainText('a\nb'), 'a b');
    assert.equal(plainText('a\r\nb'), 'a b', 'a Windows line break is one space');
    assert.equal(plainText(BIDI_NUL), 'gpj.\\u202eexe\\u0000');
    assert.equal(plainText(`${IMG} ${IMAGE_LINK}`), `${IMG} ${IMAGE_LINK}`, 'labels are not Markdown');
  });

  it('leaves no C1 control or LRM/RLM mark either', () => {
    assert.doesNotMatch(plainText('a\u0085b\u009bc\u200ed\u200fe'), /[\p{Cc}\u200e\u200f]/u);
  });
});

describe('hostile engine text in tooltips', () => {
  /** fx-dind-dood as recorded, with every string an inner engine controls replaced by hostile text. */
  function hostileContainer(): { container: ContainerSnapshot; original: ContainerSnapshot } {
    const summary = structuredClone(readJson<ContainerSummary[]>('host', 'containers.json').find((c) => c.Names?.[0] === '/fx-dind-dood'));
    const inspect = readJson<ContainerInspect>('host', 'inspect', 'fx-dind-dood.json');
    assert.ok(summary && inspect.Mounts?.length === 2 && inspect.Config);
    const snapshot = (s: ContainerSummary, i: ContainerInspect): ContainerSnapshot => ({
      engineKey: 'default',
      id: s.Id,
      name: containerName(s),
      summary: s,
      inspect: i,
      classification: classify({ summary: s, inspect: i, engineSocketPaths: ['/var/run/docker.sock'], sysboxRuntimes: ['sysbox-runc'] }),
    });
    const original = snapshot(structuredClone(summary), structuredClone(inspect));
    summary.Names = [`/fx${IMG}${BIDI_NUL}`];
    summary.Image = inspect.Config.Image = `evil/dind:${SCRIPT}`;
    summary.State = IMAGE_LINK;
    // The listing's Status ("Up 3 days") is not shown (the tooltip works out the uptime itself):
    // the fence and line breaks go into a mount's name, which is shown, too.
    summary.Status = `${FENCE}${NEWLINES}`;
    summary.Labels = { [IMG]: IMAGE_LINK, 'dev.matryoshka.mode': SCRIPT };
    inspect.Mounts[0].Source = BIG;
    inspect.Mounts[1].Name = `${IMAGE_LINK}\n${IMG}${FENCE}${NEWLINES}`;
    return { container: snapshot(summary, inspect), original };
  }

  const { container, original } = hostileContainer();
  const path = { engine: 'default', path: ['fx-dind', container.name] };
  const md = containerTooltipMarkdown(container, path);

  it('the hostile strings reach the tooltip (as evidence, name, state and mounts)', () => {
    assert.equal(container.classification.mode, 'dind');
    assert.equal(container.classification.dood, true);
    assert.ok(container.classification.evidence.some((e) => e.includes(SCRIPT)), 'image evidence');
    assert.ok(container.classification.evidence.some((e) => e.includes(BIG)), 'socket mount evidence');
    const shown = unescapeMarkdown(md);
    for (const text of [`fx${IMG}${BIDI_NUL}`, `evil/dind:${SCRIPT}`, IMAGE_LINK, `${FENCE}${NEWLINES.replace(/\r\n|\r/g, '\n')}`, screenText(BIG), `${IMAGE_LINK}\n${IMG}`]) {
      assert.ok(shown.includes(text), `the tooltip shows ${JSON.stringify(text.slice(0, 60))}`);
    }
  });

  it('every Markdown-opening character from the engine is escaped', () => {
    assert.deepEqual(rawSpecials(md), {}, 'no Markdown-opening character is left unescaped');
    assert.deepEqual(rawSpecials(containerTooltipMarkdown(original, path)), {});
    assert.doesNotMatch(md, /(?<!\\)(<img|<script|<b>|```|\]\(|!\[)/);
    assert.ok(md.includes('\\<img src\\=x onerror\\=alert\\(1\\)\\>') && md.includes('\\`\\`\\`'));
  });

  it('no line break, bidi control or NUL from the engine survives', () => {
    assert.doesNotMatch(md, CONTROLS);
    assert.ok(md.includes('\\u202e') && md.includes('\\u0000'));
    const lines = md.split('\n');
    assert.equal(lines.length, containerTooltipMarkdown(original, path).split('\n').length, 'same lines as the recorded container');
    for (const line of lines) assert.ok(line === '' || line.startsWith('- ') || /^\*\*[^*]+\*\*/.test(line), line.slice(0, 80));
    assert.ok(lines.some((line) => line.startsWith('- ') && line.includes(' ⏎ \\- fake item ⏎ \\# heading ⏎ end')));
    assert.ok(lines.includes(STATE_LINE), lines.find((l) => l.startsWith("- State")));
  });

  it('hostile engine names, versions and disconnect reasons are escaped too', async () => {
    const host = await recordedGraphSnapshot();
    const engine: EngineSnapshot = {
      ...host,
      name: `${IMG}\n# x`,
      endpoint: `ssh://${IMAGE_LINK}`,
      current: false,
      version: { ...host.version, Version: SCRIPT, Os: FENCE, Arch: BIDI_NUL },
      status: { kind: 'disconnected', reason: `${BIG}\n${IMG}`, permanent: false },
    };
    const tooltip = engineTooltipMarkdown(engine);
    assert.deepEqual(rawSpecials(tooltip), {});
    assert.doesNotMatch(tooltip, CONTROLS);
    assert.equal(tooltip.split('\n').length, 6);
    assert.ok(unescapeMarkdown(tooltip).includes(`- **Disconnected**: ${screenText(`${BIG}\n${IMG}`)}`));
  });
});
