// The compare webview's own script (src/webview/compare.ts, bundled as the extension bundles it) in a
// DOM (happy-dom), fed comparisons built by the real model from hostile engine JSON: every engine
// string lands as text, and no element or attribute appears that the script did not make.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { build } from 'esbuild';
import fc from 'fast-check';
import { Window } from 'happy-dom';
import { compareLists } from '../../src/model/compare';
import { comparisonAsText, relationText, relationWord, type ToWebview } from '../../src/model/compareProtocol';
import { hostile, hostileContainer, hostileFields, recordedCount, SEED } from '../support/hostile';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const RUNS = Math.max(200, Math.floor(Number(process.env.FC_RUNS ?? 2000) / 4));
const TAGS = new Set(['DIV', 'HEADER', 'H1', 'H2', 'P', 'SPAN', 'BUTTON', 'VSCODE-BUTTON', 'SECTION', 'TABLE', 'COLGROUP', 'COL', 'THEAD', 'TBODY', 'TR', 'TH', 'TD']);
// `title` carries engine text too: an attribute value is text, never parsed as markup.
const ATTRIBUTES = new Set(['id', 'class', 'role', 'aria-label', 'aria-expanded', 'secondary', 'type', 'title', 'data-side', 'data-id', 'data-group', 'tabindex']);

describe(`compare webview with hostile engine strings (seed ${SEED}, ${RUNS} cases)`, () => {
  let window: Window;
  before(async () => {
    // The webview's components (@vscode-elements) are custom elements: left out, the page's own code is what is tested.
    const bundle = (await build({
      entryPoints: [path.join(ROOT, 'src', 'webview', 'compare.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      plugins: [{ name: 'no-elements', setup: (b) => b.onLoad({ filter: /@vscode-elements/ }, () => ({ contents: '' })) }],
    })).outputFiles[0].text;
    window = new Window();
    window.document.body.innerHTML = '<div id="root"></div>';
    const sent: unknown[] = [];
    new Function('window', 'document', 'acquireVsCodeApi', bundle)(window, window.document, () => ({ postMessage: (m: unknown) => sent.push(m), setState() {}, getState() {} }));
    assert.deepEqual(sent, [{ type: 'ready' }]);
  });

  function show(message: ToWebview): Element {
    window.dispatchEvent(new window.MessageEvent('message', { data: message }));
    return window.document.getElementById('root') as unknown as Element;
  }

  function assertOnlyScriptElements(root: Element): void {
    for (const element of Array.from(root.querySelectorAll('*'))) {
      assert.ok(TAGS.has(element.tagName), `unexpected <${element.tagName}>`);
      for (const attribute of Array.from(element.attributes)) assert.ok(ATTRIBUTES.has(attribute.name), `unexpected attribute ${attribute.name} on <${element.tagName}>`);
    }
  }

  it('both lists, the verdict, the title and the diagram show the engine strings as text', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(recordedCount - 1), hostileFields), { minLength: 1, maxLength: 4 }), hostile, fc.boolean(), (specs, engineName, inner) => {
        const containers = specs.map(([index, f]) => hostileContainer(index, f));
        const self = containers[0];
        const comparison = compareLists({
          container: { id: self.id, name: self.name, mode: 'dind', dood: false },
          outerEngine: engineName,
          outer: containers.map((c) => c.summary),
          inner: inner ? containers.slice(1).map((c) => ({ ...c.summary, Id: `${c.id.slice(0, 60)}beef` })) : undefined,
          innerError: engineName,
          now: 1_800_000_000_000,
        });
        const title = `${self.name} on ${engineName}`;
        const root = show({ type: 'comparison', target: { engine: engineName, path: [self.name] }, title, engineName, containerName: self.name, outerLabel: `engine ${engineName}`, innerLabel: `inside ${self.name}`, comparison, updated: 'now' });
        assertOnlyScriptElements(root);
        assert.equal(root.querySelector('h1')?.textContent, title);
        assert.equal(root.querySelector('.verdict')?.textContent, comparison.verdict);
        for (const side of ['outer', 'inner'] as const) {
          const rows = Array.from(root.querySelectorAll(`table[data-side="${side}"] tbody tr`));
          assert.equal(rows.length, comparison[side].length);
          rows.forEach((tr, i) => {
            const row = comparison[side][i];
            const cells = Array.from(tr.querySelectorAll('td')).map((td) => td.textContent);
            assert.deepEqual(cells, [row.names, relationWord(row.relation), row.image, row.status, row.ports, row.created, row.command, row.id]);
            assert.equal(tr.querySelector('td.col-command')?.getAttribute('title'), row.commandFull);
            assert.equal(tr.querySelector('td.col-relation')?.getAttribute('title'), relationText(row.relation));
          });
        }
        for (const row of comparison.outer) assert.ok(row.names === self.name || containers.some((c) => c.name === row.names));
        const captions = Array.from(root.querySelectorAll('.diagram .caption')).map((t) => t.textContent ?? '');
        assert.ok(captions[0].startsWith(`engine ${engineName}`), captions[0]);
        const names = Array.from(root.querySelectorAll('.diagram .chip .name, .diagram .container > .caption')).map((t) => t.textContent);
        assert.ok(names.includes(self.name), 'the container is drawn by its name');
        // "Copy as text" carries the same strings.
        assert.ok(comparisonAsText(title, 'outer', 'inner', comparison).includes(comparison.outer[0].image));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('a problem message is text', () => {
    fc.assert(
      fc.property(hostile, (message) => {
        const root = show({ type: 'problem', message });
        assertOnlyScriptElements(root);
        assert.equal(root.querySelector('.problem')?.textContent, message);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('the webview script never parses markup: no innerHTML, outerHTML, insertAdjacentHTML, document.write or srcdoc', () => {
    for (const file of fs.readdirSync(path.join(ROOT, 'src', 'webview'))) {
      const source = fs.readFileSync(path.join(ROOT, 'src', 'webview', file), 'utf8');
      assert.doesNotMatch(source, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|srcdoc|DOMParser|createContextualFragment/, file);
    }
  });
});
