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
  it('port order does not depend on the order the engine listed them in', () => {
    // The engine keeps a container's ports in a map: the same container lists them in any order.
    const ports = [...(byName(host, 'fx-dind').Ports ?? []), ...(byName(host, 'fx-plain').Ports ?? [])];
    assert.ok(ports.length >= 3, 'the recording has ports to shuffle');
    const expected = '127.0.0.1:18080->80/tcp, 2375/tcp, 2376/tcp';
    for (const order of permutations(ports)) assert.equal(formatPorts(order), expected, JSON.stringify(order));
    // The same binding on both address families, as an engine with IPv6 enabled lists it.
    const published = (byName(host, 'fx-plain').Ports ?? [])[0];
    const dual = [{ ...published, IP: '::' }, published, ...(byName(host, 'fx-dind').Ports ?? [])];
    for (const order of permutations(dual)) assert.equal(formatPorts(order), '127.0.0.1:18080->80/tcp, :::18080->80/tcp, 2375/tcp, 2376/tcp');
  });

  it('keeps the whole command and the creation time for the hover text', () => {
    const dind = byName(host, 'fx-dind');
    const row = compareLists(input('fx-plain', 'plain', false, [])).outer.find((r) => r.names === 'fx-dind');
    assert.equal(row?.commandFull, `"${dind.Command}"`);
    assert.ok((dind.Command ?? '').length > 20 && row?.command.endsWith('…"') && row.command.length === 22, `cut like docker ps: ${row?.command}`);
    assert.equal(row?.createdAt, new Date((dind.Created ?? 0) * 1000).toISOString().replace(/\.000Z$/, 'Z'));
    assert.equal(compareLists({ ...input('fx-plain', 'plain', false, []), outer: [{ ...dind, Created: undefined }] }).outer[0].createdAt, '');
  });

  it('counts the containers of engines inside listed containers', () => {
    const inner = running(readJson<ContainerSummary[]>('fx-dind', 'containers.json'));
    const nestedHost = inner.find((c) => c.Names?.[0] === '/fx-dind-inner') as ContainerSummary;
    assert.ok(nestedHost, 'fx-dind runs fx-dind-inner in the recording');
    const dind = byName(host, 'fx-dind');
    const result = compareLists({ ...input('fx-dind', 'dind', false, inner), nestedEngines: new Map([[nestedHost.Id, 1], [dind.Id, inner.length]]) });
    assert.equal(result.inner.find((r) => r.names === 'fx-dind-inner')?.engineInside, 1);
    assert.equal(result.outer.find((r) => r.names === 'fx-dind')?.engineInside, inner.length);
    assert.ok(result.inner.filter((r) => r.names !== 'fx-dind-inner').every((r) => r.engineInside === undefined));
  });

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
      commandFull: '"sleep 3600"',
      createdAt: new Date((byName(host, 'fx-plain').Created ?? 0) * 1000).toISOString().replace(/\.000Z$/, 'Z'),
    });
    assert.equal(formatPorts(byName(host, 'fx-dind').Ports), '2375/tcp, 2376/tcp');
    assert.equal(relativeTime(100, 100_000 + 5 * 60_000), '5 minutes ago');
    assert.equal(relativeTime(100, 100_000 + 3600_000), 'An hour ago');
  });
});

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}
