import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerSummary } from '../../src/model/apiTypes';
import { compareLists } from '../../src/model/compare';
import { comparisonAsText, parseFromWebview, rowIn } from '../../src/model/compareProtocol';
import { readJson } from '../support/recorded';

const host = readJson<ContainerSummary[]>('host', 'containers.json').filter((c) => c.State === 'running');
const inner = readJson<ContainerSummary[]>('fx-dind', 'containers.json').filter((c) => c.State === 'running');
const dind = host.find((c) => c.Names?.[0] === '/fx-dind') as ContainerSummary;
const comparison = compareLists({ container: { id: dind.Id, name: 'fx-dind', mode: 'dind', dood: false }, outerEngine: 'default', outer: host, inner, now: Date.now() });

describe('compare webview protocol', () => {
  it('accepts exactly the messages the webview may send', () => {
    assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFromWebview({ type: 'copy', extra: '<script>' }), { type: 'copy' });
    assert.deepEqual(parseFromWebview({ type: 'inspect', side: 'inner', id: inner[0].Id.slice(0, 12) }), { type: 'inspect', side: 'inner', id: inner[0].Id.slice(0, 12) });
    for (const bad of [null, 'ready', {}, { type: 'exec', cmd: 'rm -rf /' }, { type: 'inspect', side: 'host', id: 'abcdefabcdef' }, { type: 'inspect', side: 'inner', id: '../../etc' }, { type: 'inspect', side: 'inner', id: 42 }]) {
      assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad));
    }
  });

  it('acts only on a container shown on that side', () => {
    const child = comparison.inner[0];
    assert.equal(rowIn(comparison, 'inner', child.id), child);
    assert.equal(rowIn(comparison, 'outer', child.id), undefined, 'a child is not on the outer list');
    assert.equal(rowIn(undefined, 'inner', child.id), undefined, 'nothing before the first listing');
  });

  it('copies both lists and the verdict as aligned text', () => {
    const text = comparisonAsText('default › fx-dind', 'outside', 'inside', comparison);
    const lines = text.split('\n');
    assert.equal(lines[0], 'default › fx-dind');
    assert.equal(lines[2], comparison.verdict);
    assert.match(text, /^ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES\s+RELATION$/m);
    for (const row of [...comparison.outer, ...comparison.inner]) assert.match(text, new RegExp(`^${row.id}\\s+${row.image.replace(/[.:]/g, '\\$&')}`, 'm'));
    assert.match(text, /child \(invisible outside\)/);
    assert.match(text, /the container itself/);
  });
});
