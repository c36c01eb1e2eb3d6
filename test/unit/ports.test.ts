import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkShape } from '../../src/model/apiSchemas';
import { containerAddress, forwardLabel, inspectedPorts, isPort, listeningPorts, portFactsSchema, publishedPort, type PortFacts } from '../../src/model/ports';
import { RECORDED, readJson } from '../support/recorded';

const facts = (name: string): PortFacts => checkShape(portFactsSchema, readJson<unknown>('host', 'inspect', `${name}.json`));

describe('ports of a container (recorded inspects and /proc/net/tcp)', () => {
  it('proposes exposed and published ports from inspect', () => {
    assert.deepEqual(inspectedPorts(facts('fx-plain')), [{ port: 80, source: 'exposed, published on 18080' }]);
    assert.deepEqual(inspectedPorts(facts('fx-dind')).map((p) => p.port), [2375, 2376]);
  });

  it('finds where a port is published, and the container address on its network', () => {
    assert.deepEqual(publishedPort(facts('fx-plain'), 80), { host: '127.0.0.1', port: 18080 });
    assert.equal(publishedPort(facts('fx-plain'), 81), undefined);
    assert.equal(containerAddress(facts('fx-plain')), '172.17.0.2');
    // A stopped container has no address.
    assert.equal(containerAddress(facts('fx-stopped')), undefined);
  });

  it('never hands an engine-given address that is not an IP to a relay', () => {
    // Deliberately hostile values (not recorded): an engine is untrusted input.
    const hostile = { Id: 'x', NetworkSettings: { IPAddress: '-e sh', Networks: { n: { IPAddress: '$(reboot)' } }, Ports: { '80/tcp': [{ HostIp: '--exec', HostPort: '99999' }] } } };
    assert.equal(containerAddress(hostile), undefined);
    assert.equal(publishedPort(hostile, 80), undefined);
    assert.equal(containerAddress({ Id: 'x', HostConfig: { NetworkMode: 'host' } }), '127.0.0.1');
  });

  it('reads the listening ports from /proc/net/tcp and tcp6, not the established ones', () => {
    const text = ['proc-net-tcp.txt', 'proc-net-tcp6.txt'].map((f) => fs.readFileSync(path.join(RECORDED, 'ports', f), 'utf8')).join('\n');
    assert.deepEqual(listeningPorts(text), [7070, 8080, 9000]);
    assert.deepEqual(listeningPorts('garbage\n 0: zz:zz 00 0A\n'), []);
  });

  it('checks port numbers and words the tree row', () => {
    assert.ok(isPort(8080) && isPort(1) && isPort(65535));
    assert.ok(!isPort(0) && !isPort(65536) && !isPort(80.5) && !isPort('80'));
    assert.equal(forwardLabel(8080, 8081), '8080 → 127.0.0.1:8081');
  });
});
