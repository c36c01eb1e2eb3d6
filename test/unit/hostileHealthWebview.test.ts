// The health report webview's own script (src/webview/health.ts, bundled) in a DOM (happy-dom), fed
// reports built by the real model from check results whose every string is hostile: each lands as
// text, the problems come first, and the page can name an action only by its place in the report.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { build } from 'esbuild';
import fc from 'fast-check';
import { Window } from 'happy-dom';
import type { HealthResult } from '../../src/model/health';
import { healthReportModel, reportAction } from '../../src/model/healthReport';
import { parseFromHealthWebview, type ToHealthWebview } from '../../src/model/healthProtocol';
import { hostile, SEED } from '../support/hostile';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const RUNS = Math.max(200, Math.floor(Number(process.env.FC_RUNS ?? 2000) / 4));
const TAGS = new Set(['HEADER', 'H1', 'H2', 'H3', 'P', 'SPAN', 'STRONG', 'DIV', 'SECTION', 'DETAILS', 'SUMMARY', 'ARTICLE', 'VSCODE-BUTTON']);
const ATTRIBUTES = new Set(['class', 'role', 'aria-label', 'secondary']);

const result = fc.record({
  check: hostile,
  status: fc.constantFrom<HealthResult['status']>('ok', 'warn', 'error'),
  detail: hostile,
  fix: fc.option(hostile, { nil: undefined }),
});

describe(`health report webview with hostile engine strings (seed ${SEED}, ${RUNS} cases)`, () => {
  let window: Window;
  const sent: unknown[] = [];
  before(async () => {
    const bundle = (await build({
      entryPoints: [path.join(ROOT, 'src', 'webview', 'health.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      plugins: [{ name: 'no-elements', setup: (b) => b.onLoad({ filter: /@vscode-elements/ }, () => ({ contents: '' })) }],
    })).outputFiles[0].text;
    window = new Window();
    window.document.body.innerHTML = '<main id="root"></main>';
    new Function('window', 'document', 'acquireVsCodeApi', bundle)(window, window.document, () => ({ postMessage: (m: unknown) => sent.push(m) }));
    assert.deepEqual(sent, [{ type: 'ready' }]);
  });

  function show(message: ToHealthWebview): Element {
    window.dispatchEvent(new window.MessageEvent('message', { data: message }));
    return window.document.getElementById('root') as unknown as Element;
  }

  it('every string is text, problems come first, and each action names only its place', () => {
    fc.assert(
      fc.property(fc.array(result, { minLength: 1, maxLength: 6 }), hostile, (results, subject) => {
        const report = healthReportModel(subject, results, 'now');
        const root = show({ type: 'report', report });
        for (const element of Array.from(root.querySelectorAll('*'))) {
          assert.ok(TAGS.has(element.tagName), `unexpected <${element.tagName}>`);
          for (const attribute of Array.from(element.attributes)) assert.ok(ATTRIBUTES.has(attribute.name), `unexpected attribute ${attribute.name}`);
        }
        assert.equal(root.querySelector('h1')?.textContent, `Health of ${subject}`);
        const items = Array.from(root.querySelectorAll('article.item'));
        const expected = ['error', 'warn', 'ok'].flatMap((status) => results.filter((r) => r.status === status));
        assert.deepEqual(items.map((a) => a.querySelector('h3 span:last-child')?.textContent), expected.map((r) => r.check));
        assert.deepEqual(items.map((a) => a.querySelector('.detail')?.textContent), expected.map((r) => r.detail));
        // Clicking each button sends its place; the extension finds the same action there.
        sent.length = 0;
        items.forEach((article) => article.querySelectorAll('vscode-button').forEach((b) => (b as unknown as HTMLElement).dispatchEvent(new window.Event('click') as unknown as Event)));
        for (const message of sent) {
          const parsed = parseFromHealthWebview(message);
          assert.ok(parsed?.type === 'action' && reportAction(report, parsed.item, parsed.action), JSON.stringify(message));
        }
        assert.equal(sent.length, report.groups.flatMap((g) => g.items).reduce((n, i) => n + i.actions.length, 0));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('accepts exactly the messages the page may send', () => {
    assert.deepEqual(parseFromHealthWebview({ type: 'runAgain', extra: 'x' }), { type: 'runAgain' });
    for (const bad of [null, {}, { type: 'action', item: -1, action: 0 }, { type: 'action', item: 1.5, action: 0 }, { type: 'action', item: '0', action: 0 }, { type: 'copy', text: 'rm -rf /' }, { type: 'openSetting', setting: 'x' }]) {
      assert.equal(parseFromHealthWebview(bad), undefined, JSON.stringify(bad));
    }
  });
});
