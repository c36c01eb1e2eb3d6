import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerSummary } from '../../src/model/apiTypes';
import { compareLists, formatPorts, relativeTime, type CompareInput } from '../../src/model/compare';
import { readJson } from '../support/recorded';

const host = readJson<ContainerSummary[]>('host', 'containers.json');
const running = (list: ContainerSummary[]) => list.filter((c) => c.State === 'running');
const byName = (list: ContainerSummary[], name: string) => list.find((c) => c.Names?.[0] === `/${name}`) as ContainerSummary;
const NOW = (Math.max(...host.map((c) => c.Created ?? 0)) + 300) * 1000;

function input(name: string, mode: CompareInput['container']['mode'], dood: boolean, inner: ContainerSummary[] | undefined): CompareInput {
  const c = byName(host, name);
  return { container: { id: c.Id, name, mode, dood }, outerEngine: 'default', outer: running(host), inner, now: NOW };
}

describe('compare: docker ps outside and inside', () => {
  it('DooD: every inner row is a sibling, the container itself among them', () => {
    const result = compareLists(input('fx-dood', 'dood', true, running(host)));
    assert.equal(result.verdict, `fx-dood shares default's engine: its ${running(host).length} containers are siblings, itself among them.`);
    assert.ok(result.inner.every((r) => r.relation === 'sibling' || r.relation === 'self'));
    assert.deepEqual(result.inner.filter((r) => r.relation === 'self').map((r) => r.names), ['fx-dood']);
    assert.deepEqual(result.outer.map((r) => r.relation).filter((r) => r === 'outside-only'), []);
  });

  it('DinD: the inner rows are children the host cannot see', () => {
    const inner = running(readJson<ContainerSummary[]>('fx-dind', 'containers.json'));
    const result = compareLists(input('fx-dind', 'dind', false, inner));
    assert.equal(result.verdict, "fx-dind runs its own engine: 2 children that default cannot see.");
    assert.deepEqual(result.inner.map((r) => r.relation), ['child', 'child']);
    assert.equal(result.outer.find((r) => r.names === 'fx-dind')?.relation, 'self');
    assert.ok(result.outer.filter((r) => r.names !== 'fx-dind').every((r) => r.relation === 'outside-only'));
  });

  it('Sysbox: the same as DinD, children only', () => {
    const inner = running(readJson<ContainerSummary[]>('fx-sysbox', 'containers.json'));
    const result = compareLists(input('fx-sysbox', 'sysbox', false, inner));
    assert.equal(result.verdict, 'fx-sysbox runs its own engine: 1 child that default cannot see.');
  });

  it('an empty inner engine', () => {
    assert.equal(compareLists(input('fx-dind', 'dind', false, [])).verdict, 'fx-dind runs its own engine, with no containers running yet.');
  });

  it('a DinD that also mounts the socket: its client reaches the host, so it sees siblings', () => {
    const result = compareLists(input('fx-dind-dood', 'dind', true, running(host)));
    assert.match(result.verdict, /^fx-dind-dood runs an engine, but its Docker client talks to default's engine: its \d+ containers are siblings\.$/);
  });

  it('an inner list that could not be read says why', () => {
    const result = compareLists({ ...input('fx-dind', 'dind', false, undefined), innerError: 'no relay' });
    assert.equal(result.verdict, 'Cannot see inside fx-dind: no relay.');
    assert.deepEqual(result.inner, []);
  });

  it('rows are the columns of docker ps', () => {
    const row = compareLists(input('fx-dind', 'dind', false, [])).outer.find((r) => r.names === 'fx-plain');
    assert.deepEqual(row, {
      id: byName(host, 'fx-plain').Id.slice(0, 12),
      image: 'busybox:latest',
      command: '"sleep 3600"',
      created: relativeTime(byName(host, 'fx-plain').Created, NOW),
      status: byName(host, 'fx-plain').Status,
      ports: '127.0.0.1:18080->80/tcp',
      names: 'fx-plain',
      relation: 'outside-only',
    });
    assert.equal(formatPorts(byName(host, 'fx-dind').Ports), '2375/tcp, 2376/tcp');
    assert.equal(relativeTime(100, 100_000 + 5 * 60_000), '5 minutes ago');
    assert.equal(relativeTime(100, 100_000 + 3600_000), 'An hour ago');
  });
});
