import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerInspect, ContainerSummary } from '../../src/model/apiTypes';
import { classify, isEngineCandidate, isListedEngineCandidate, modeLabel, securityMeaning, type ClassifyInput, type ProbeResult } from '../../src/model/classify';
import { readJson } from '../support/recorded';

function input(engine: string, name: string, probe?: ProbeResult, sysboxRuntimes = ['sysbox-runc']): ClassifyInput {
  const summary = readJson<ContainerSummary[]>(engine, 'containers.json').find((c) => c.Names?.[0] === `/${name}`);
  assert.ok(summary, `${name} is in the ${engine} recording`);
  return {
    summary,
    inspect: readJson<ContainerInspect>(engine, 'inspect', `${name}.json`),
    engineSocketPaths: ['/var/run/docker.sock'],
    sysboxRuntimes,
    probe,
  };
}

describe('classification from recorded inspect JSON', () => {
  it('a plain busybox container is plain, not a candidate, and says why', () => {
    const c = classify(input('host', 'fx-plain'));
    assert.equal(c.mode, 'plain');
    assert.equal(c.dood, false);
    assert.equal(c.privileged, false);
    assert.equal(isEngineCandidate(input('host', 'fx-plain')), false);
    assert.match(c.evidence.join(' '), /no engine socket/);
  });

  it('a socket mount is DooD, with the mount as evidence', () => {
    const c = classify(input('host', 'fx-dood'));
    assert.equal(c.mode, 'dood');
    assert.equal(c.dood, true);
    assert.match(c.evidence.join(' '), /mounts the engine socket \/var\/run\/docker\.sock at \/var\/run\/docker\.sock/);
    assert.equal(isEngineCandidate(input('host', 'fx-dood')), false, 'DooD containers are never probed');
  });

  it('DOCKER_HOST pointing outside the container is DooD without a socket mount', () => {
    const c = classify(input('host', 'fx-dood-env'));
    assert.equal(c.mode, 'dood');
    assert.match(c.evidence.join(' '), /DOCKER_HOST=tcp:\/\/host\.docker\.internal:2375/);
  });

  it('a privileged docker:dind whose engine answered is DinD and names --privileged', () => {
    const c = classify(input('host', 'fx-dind', { answered: true }));
    assert.equal(c.mode, 'dind');
    assert.equal(c.privileged, true);
    assert.equal(c.hostsEngine, true);
    assert.match(c.evidence.join(' '), /--privileged/);
    assert.match(c.evidence.join(' '), /an engine answers inside/);
    assert.equal(isEngineCandidate(input('host', 'fx-dind')), true);
  });

  it('a DinD inside a DinD is classified the same way by its own engine', () => {
    const c = classify(input('fx-dind', 'fx-dind-inner', { answered: true }));
    assert.equal(c.mode, 'dind');
    assert.equal(c.privileged, true);
  });

  it('the Sysbox runtime makes it sysbox, not privileged', () => {
    const c = classify(input('host', 'fx-sysbox', { answered: true }));
    assert.equal(c.mode, 'sysbox');
    assert.equal(c.privileged, false);
    assert.match(c.evidence.join(' '), /runtime sysbox-runc/);
    assert.match(c.evidence.join(' '), /not privileged/);
  });

  it('the Sysbox runtime names come from the setting', () => {
    const c = classify(input('host', 'fx-sysbox', { answered: true }, ['kata']));
    assert.equal(c.mode, 'dind', 'with another runtime list the same container is an unprivileged DinD');
    assert.equal(c.privileged, false);
    // Its engine answers inside: never "No Docker access".
    assert.deepEqual(securityMeaning(c).map((l) => l.split(':')[0]), ['Its own engine, without --privileged']);
    assert.match(securityMeaning(c)[0], /matryoshka\.sysbox\.runtimes/);
  });

  it('DinD that also mounts the socket is both, and says so', () => {
    const c = classify(input('host', 'fx-dind-dood'));
    assert.equal(c.mode, 'dind', 'privileged docker:dind counts as DinD even while stopped');
    assert.equal(c.dood, true);
    assert.equal(modeLabel(c), 'dind + dood');
    assert.match(c.evidence.join(' '), /not running/);
    assert.equal(isEngineCandidate(input('host', 'fx-dind-dood')), false, 'not running: nothing to probe');
  });

  it('a privileged container with no engine inside is plain and flags the privilege', () => {
    const base = input('host', 'fx-plain');
    const inspect = { ...base.inspect!, HostConfig: { ...base.inspect!.HostConfig, Privileged: true } };
    const candidate = { ...base, inspect };
    assert.equal(isEngineCandidate(candidate), true, 'privileged alone nominates a probe');
    const c = classify({ ...candidate, probe: { answered: false, reason: 'docker system dial-stdio: not installed' } });
    assert.equal(c.mode, 'plain');
    assert.equal(c.privileged, true);
    assert.match(c.evidence.join(' '), /--privileged \(root on the host\), but no engine answers inside/);
  });

  it('a stopped plain container is plain', () => {
    assert.equal(classify(input('host', 'fx-stopped')).mode, 'plain');
  });

  it('children of inner engines are plain', () => {
    assert.equal(classify(input('fx-dind', 'fx-child')).mode, 'plain');
    assert.equal(classify(input('fx-dind-inner', 'fx-grandchild')).mode, 'plain');
    assert.equal(classify(input('fx-sysbox', 'fx-sysbox-child')).mode, 'plain');
  });
});

describe('engine candidates from the container list alone (relays open before the inspects answer)', () => {
  const listedOnly = (engine: string, name: string): ClassifyInput => ({ ...input(engine, name), inspect: undefined });
  const everyRecorded: Array<[string, string]> = [
    ['host', 'fx-plain'], ['host', 'fx-dood'], ['host', 'fx-dood-env'], ['host', 'fx-dind'], ['host', 'fx-sysbox'],
    ['host', 'fx-dind-dood'], ['host', 'fx-stopped'], ['fx-dind', 'fx-child'], ['fx-dind', 'fx-dind-inner'],
  ];

  it('running docker:dind containers are candidates from their listing; plain, DooD and exited ones are not', () => {
    const early = everyRecorded.filter(([engine, name]) => isListedEngineCandidate(listedOnly(engine, name))).map(([, name]) => name);
    assert.deepEqual(early, ['fx-dind', 'fx-sysbox', 'fx-dind-inner']);
  });

  it('never nominates a container that its inspect rules out, and agrees with isEngineCandidate once inspected', () => {
    for (const [engine, name] of everyRecorded) {
      if (isListedEngineCandidate(listedOnly(engine, name))) assert.equal(isEngineCandidate(input(engine, name)), true, name);
      assert.equal(isListedEngineCandidate(input(engine, name)), isEngineCandidate(input(engine, name)), name);
    }
  });
});
