import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerSummary } from '../../src/model/apiTypes';
import { compareLists, type CompareInput } from '../../src/model/compare';
import { containerCount, diagramOf, DIAGRAM_VISIBLE, visibleItems } from '../../src/model/compareDiagram';
import { copyNotice, refreshNotice } from '../../src/model/compareProtocol';
import { readJson } from '../support/recorded';

const recorded = readJson<ContainerSummary[]>('host', 'containers.json');
const host = recorded.filter((c) => c.State === 'running');
const dindInner = readJson<ContainerSummary[]>('fx-dind', 'containers.json').filter((c) => c.State === 'running');
const byName = (name: string) => recorded.find((c) => c.Names?.[0] === `/${name}`) as ContainerSummary;

function compared(name: string, mode: CompareInput['container']['mode'], inner: ContainerSummary[] | undefined, nested = new Map<string, number>()) {
  const c = byName(name);
  return compareLists({ container: { id: c.Id, name, mode, dood: mode === 'dood' }, outerEngine: 'default', outer: host, inner, now: Date.now(), nestedEngines: nested });
}

describe('compare diagram', () => {
  it('DooD: the container inside the shared engine, first, beside its siblings', () => {
    const diagram = diagramOf(compared('fx-dood', 'dood', host), 'default', 'fx-dood');
    assert.equal(diagram.kind, 'shared');
    if (diagram.kind !== 'shared') return;
    assert.deepEqual(diagram.members[0], { id: byName('fx-dood').Id.slice(0, 12), name: 'fx-dood', relation: 'self' });
    assert.deepEqual(diagram.members.slice(1).map((m) => m.name), host.map((c) => c.Names?.[0]?.slice(1)).filter((n) => n !== 'fx-dood'));
    assert.ok(diagram.members.slice(1).every((m) => m.relation === 'sibling'));
  });

  it('DinD: the children inside the container, with the count of each nested engine', () => {
    const nestedHost = dindInner.find((c) => c.Names?.[0] === '/fx-dind-inner') as ContainerSummary;
    const diagram = diagramOf(compared('fx-dind', 'dind', dindInner, new Map([[nestedHost.Id, 1], [byName('fx-dind').Id, dindInner.length]])), 'default', 'fx-dind');
    assert.equal(diagram.kind, 'own');
    if (diagram.kind !== 'own') return;
    assert.deepEqual(diagram.children.map((c) => [c.name, c.relation, c.engineInside]), dindInner.map((c) => {
      const name = c.Names?.[0]?.slice(1);
      return [name, 'child', name === 'fx-dind-inner' ? 1 : undefined];
    }));
    assert.equal(diagram.engineInside, dindInner.length);
    assert.equal(diagram.others, host.length - 1, 'the host\'s other containers are counted beside the box');
  });

  it('a DinD whose client talks to the outer engine draws as shared; an unread list draws no inside', () => {
    assert.equal(diagramOf(compared('fx-dind-dood', 'dind', host), 'default', 'fx-dind-dood').kind, 'shared');
    assert.equal(diagramOf(compared('fx-dind', 'dind', undefined), 'default', 'fx-dind').kind, 'unseen');
    const empty = diagramOf(compared('fx-sysbox', 'sysbox', []), 'default', 'fx-sysbox');
    assert.ok(empty.kind === 'own' && empty.children.length === 0);
  });

  it('"+ N more" hides the rest until expanded', () => {
    const diagram = diagramOf(compared('fx-dood', 'dood', host), 'default', 'fx-dood');
    assert.ok(diagram.kind === 'shared');
    const many = [...diagram.members, ...diagram.members, ...diagram.members];
    assert.ok(many.length > DIAGRAM_VISIBLE, 'more members than shown');
    assert.deepEqual(visibleItems(many, false), { shown: many.slice(0, DIAGRAM_VISIBLE), hidden: many.length - DIAGRAM_VISIBLE });
    assert.deepEqual(visibleItems(many, true), { shown: many, hidden: 0 });
    assert.deepEqual(visibleItems(many.slice(0, DIAGRAM_VISIBLE), false).hidden, 0);
    assert.equal(containerCount(1), '1 container');
    assert.equal(containerCount(0), '0 containers');
  });

  it('Copy and Refresh say what they did', () => {
    const comparison = compared('fx-dind', 'dind', dindInner);
    assert.equal(refreshNotice(comparison, '17:01:02'), `Refreshed at 17:01:02: ${host.length} rows outside, ${dindInner.length} rows inside.`);
    assert.equal(copyNotice(comparison), `Copied the verdict and both lists (${host.length + dindInner.length} rows) to the clipboard as text.`);
  });
});
