// Property-based: engine JSON whose strings are hostile (recorded answers with their names, images,
// labels, commands, mounts, states and errors replaced) through every function that turns engine text
// into something VS Code shows. Seed and case count: test/support/hostile.ts (FC_SEED, FC_RUNS).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { Window } from 'happy-dom';
import { iconSafeText, notificationText, plainText, screenText, terminalTitle } from '../../src/model/markdown';
import { containerDescription, containerTooltipMarkdown, engineDescription, engineTooltipMarkdown } from '../../src/model/treeModel';
import { pathLabel } from '../../src/model/targets';
import { containerName, type EngineSnapshot } from '../../src/model/snapshot';
import { hostile, hostileContainer, hostileFields, NAMED_CASES, recordedCount, RUNS, SEED } from '../support/hostile';

const params = { seed: SEED, numRuns: RUNS };

/**
 * What the user must see for a piece of engine text: the text (its first SCREEN_TEXT_MAX characters),
 * line breaks and disguising characters made visible.
 */
const DISGUISING = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
function shown(text: string, lineBreak = ' ⏎ '): string {
  return screenText(text).replace(/\r\n|\r|\n/g, lineBreak).replace(DISGUISING, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Markdown rendered by a CommonMark renderer with raw HTML and bare-URL links switched ON (stricter than VS Code's untrusted tooltips). */
const markdown = new MarkdownIt({ html: true, linkify: true });
const window = new Window();
const document = window.document;

function renderMarkdown(text: string): HTMLElement {
  const root = document.createElement('div');
  root.innerHTML = markdown.render(text);
  return root as unknown as HTMLElement;
}

/** Every element in the rendered tooltip is one the template made, and none carries an attribute. */
function assertOnlyTemplateElements(root: HTMLElement): void {
  for (const element of Array.from(root.querySelectorAll('*'))) {
    assert.ok(['P', 'STRONG', 'UL', 'LI'].includes(element.tagName), `unexpected <${element.tagName.toLowerCase()}> in ${root.innerHTML.slice(0, 300)}`);
    assert.equal(element.attributes.length, 0, `attributes on <${element.tagName.toLowerCase()}>`);
  }
}

/** A list item as rendered: `prefix value suffix`; Markdown drops the space before an empty value at the end. */
function line(prefix: string, value: string, suffix = ''): string {
  const text = `${prefix}${shown(value)}${suffix}`;
  return value === '' ? text.trimEnd() : text;
}

function items(root: HTMLElement): string[] {
  return Array.from(root.querySelectorAll('li')).map((li) => li.textContent ?? '');
}

describe(`hostile engine strings (seed ${SEED}, ${RUNS} cases per property)`, () => {
  it('container tooltip: the Markdown shows each engine string as its text, and nothing else', () => {
    fc.assert(
      fc.property(fc.nat(recordedCount - 1), hostileFields, (index, f) => {
        const container = hostileContainer(index, f);
        const path = { engine: 'default', path: [container.name] };
        const root = renderMarkdown(containerTooltipMarkdown(container, path));
        assertOnlyTemplateElements(root);
        // A container the engine names "" or "/" shows its short id.
        const name = f.name || container.id.slice(0, 12);
        assert.equal(container.name, name);
        assert.equal(root.querySelector('strong')?.textContent, shown(name));
        const lines = items(root);
        // The path is one string on screen, so the cap applies to all of it.
        assert.ok(lines.includes(line('Where: ', `default › ${name}`)), 'Where line');
        assert.ok(lines.includes(line('Image: ', f.image)), `Image line in ${JSON.stringify(lines.slice(0, 4))}`);
        // The state word is the engine's (its "Up 3 days" status is not shown: the uptime is worked out).
        assert.ok(lines.some((l) => l.startsWith(`State: ${shown(f.state)}`)), 'State line');
        assert.ok(lines.includes(`bind ${shown(f.mountSource)} → ${shown(f.mountDestination)} (read-only)`), 'mount line');
      }),
      params,
    );
  });

  it('engine tooltip: name, endpoint, version and the reason it is disconnected are text', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, (name, endpoint, version, reason) => {
        const engine: EngineSnapshot = {
          key: 'k', name, endpoint, origin: 'inner', current: false, depth: 1,
          status: { kind: 'disconnected', reason, permanent: false },
          version: { Version: version, ApiVersion: version, Os: version, Arch: version },
          containers: [],
        };
        const root = renderMarkdown(engineTooltipMarkdown(engine));
        assertOnlyTemplateElements(root);
        assert.equal(root.querySelector('strong')?.textContent, `Engine ${shown(name)}`);
        const lines = items(root);
        assert.ok(lines.includes(line('Endpoint: ', endpoint)), 'Endpoint line');
        assert.ok(lines.includes(`Docker ${shown(version)}, API ${shown(version)}, ${shown(version)}/${shown(version)}`), 'version line');
        assert.ok(lines.includes(line('Disconnected: ', reason)), 'Disconnected line');
      }),
      params,
    );
  });

  it('tree labels and descriptions: plain text without control or bidi characters, every character accounted for', () => {
    const unescape = (text: string) => text.replace(/\\u([0-9a-f]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    fc.assert(
      fc.property(fc.nat(recordedCount - 1), hostileFields, hostile, (index, f, endpoint) => {
        const container = hostileContainer(index, f);
        const engine: EngineSnapshot = { key: 'k', name: f.name, endpoint, origin: 'inner', current: false, depth: 1, status: { kind: 'connected' }, containers: [container] };
        for (const [input, output] of [
          [container.name, plainText(container.name)],
          [containerDescription(container), plainText(containerDescription(container))],
          [engineDescription(engine), plainText(engineDescription(engine))],
          [f.status, plainText(f.status)],
        ]) {
          assert.doesNotMatch(output, DISGUISING);
          if (!input.includes('\\u')) assert.equal(unescape(output), screenText(input).replace(/\r\n|\r|\n/g, ' '));
        }
        // The image goes last: what a narrow side bar cuts first (the length cap is checked above).
        assert.ok(containerDescription(container).endsWith(f.image));
      }),
      params,
    );
  });

  // VS Code's notifications (linkedText.ts) make `[label](https://…|command:…|file:…)` a link and
  // `$(name)` an icon (iconLabels.ts); `\$(name)` shows `$(name)`. These are their grammars.
  const LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
  const ICON = /(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g;
  const renderIcons = (text: string) => text.replace(ICON, (whole, escaped: string | undefined, name: string) => (escaped ? `$(${name})` : `<icon ${name}>`));

  it('notifications: engine text in an error never becomes a link or an icon, and reads as typed', () => {
    fc.assert(
      fc.property(fc.nat(recordedCount - 1), hostileFields, hostile, (index, f, engineMessage) => {
        const container = hostileContainer(index, f);
        const where = pathLabel({ engine: f.label, path: [container.name] });
        // The shapes of the real messages: a failed action with the engine's words, several failures.
        const message = [`Could not start ${where}: engine "${f.label}" said: ${engineMessage}`, `${where} is ${f.state}: start it first.`].join('\n');
        const text = notificationText(message);
        assert.deepEqual([...text.matchAll(LINK)].map((m) => m[0]), [], 'no link');
        const rendered = renderIcons(text);
        assert.doesNotMatch(rendered, /<icon /, 'no icon');
        assert.equal(rendered, message.split(/\r\n|\r|\n/).map((line) => shown(line, ' ').replace(/\]\((?=https?:\/\/|command:|file:)/gi, ']\\(')).join('\n'));
      }),
      params,
    );
  });

  it('a container the engine names "/" or nothing shows its short id, not an empty label', () => {
    for (const names of [['/'], [''], [], undefined]) {
      const container = hostileContainer(0, { name: 'x', image: 'i', command: 'c', state: 's', status: 's', label: 'l', mountSource: 's', mountDestination: 'd' });
      container.summary.Names = names;
      assert.equal(containerName(container.summary), container.id.slice(0, 12), JSON.stringify(names));
    }
  });

  it('the named cases: links, fences and commands come out as text in a notification', () => {
    const text = notificationText('```\n[Run me](command:workbench.action.terminal.new) ![i](https://x/y.png) $(alert)');
    assert.equal(text, '```\n[Run me]\\(command:workbench.action.terminal.new) ![i]\\(https://x/y.png) \\$(alert)');
    assert.equal([...text.matchAll(LINK)].length, 0);
    for (const value of NAMED_CASES) assert.equal([...notificationText(value).matchAll(LINK)].length, 0, value);
  });

  it('terminal titles and quick picks: no icons, no control characters, the text as typed', () => {
    fc.assert(
      fc.property(hostile, (name) => {
        for (const title of [terminalTitle(`Logs: ${name}`), iconSafeText(name)]) {
          assert.doesNotMatch(title, DISGUISING);
          assert.equal(renderIcons(title), shown(`${title === iconSafeText(name) ? '' : 'Logs: '}${name}`, ' '));
        }
      }),
      params,
    );
  });
});
