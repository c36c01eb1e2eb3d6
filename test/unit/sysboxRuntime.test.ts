import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSysboxRuntime, sysboxRuntimeNote } from '../../src/model/sysboxRuntime';
import { readJson } from '../support/recorded';

/** The runtimes the recorded engines list in `docker info`: the host has sysbox-runc, the DinD inside it does not. */
const runtimesOf = (engine: string) => Object.keys(readJson<{ Runtimes: Record<string, unknown> }>(engine, 'info.json').Runtimes);
const HOST = runtimesOf('host');
const DIND = runtimesOf('fx-dind');

describe('the Sysbox runtime of a launch', () => {
  it('takes the first runtime of the setting that the engine lists, or the one the caller named', () => {
    assert.deepEqual(checkSysboxRuntime('default', HOST, ['sysbox-runc']), { kind: 'ok', runtime: 'sysbox-runc' });
    assert.deepEqual(checkSysboxRuntime('default', HOST, ['sysbox-absent', 'sysbox-runc']), { kind: 'ok', runtime: 'sysbox-runc' });
    assert.deepEqual(checkSysboxRuntime('default', HOST, ['sysbox-absent'], 'runc-bounded'), { kind: 'ok', runtime: 'runc-bounded' });
  });

  it('an engine with sysbox-runc that the setting leaves out is a setting to change, not a missing Sysbox', () => {
    const check = checkSysboxRuntime('default', HOST, ['sysbox-absent']);
    assert.equal(check.kind, 'excluded-by-setting');
    assert.equal(check.kind === 'excluded-by-setting' && check.message, 'default has the Sysbox runtime sysbox-runc, but the setting matryoshka.sysbox.runtimes names only sysbox-absent.');
  });

  it('an engine without it, or a caller naming a runtime it lacks, says what the engine has and what to do', () => {
    const missing = checkSysboxRuntime('default › fx-dind', DIND, ['sysbox-runc']);
    assert.equal(missing.kind, 'missing');
    assert.match(missing.kind === 'missing' ? missing.message : '', /^Sysbox is not installed on default › fx-dind: its runtimes are io\.containerd\.runc\.v2, io\.containerd\.runtime\.v1\.linux, runc, runc-bounded, not sysbox-runc\. Install Sysbox \(https:\/\/github\.com\/nestybox\/sysbox.*\), or launch a DinD workspace instead\. Nothing was created\.$/);
    assert.equal(checkSysboxRuntime('default', HOST, ['sysbox-runc'], 'sysbox-absent').kind, 'missing', 'the caller\'s runtime is not replaced by another');
  });

  it('marks the engines of the pick', () => {
    assert.equal(sysboxRuntimeNote(HOST, ['sysbox-runc']), 'Sysbox: sysbox-runc');
    assert.equal(sysboxRuntimeNote(HOST, ['sysbox-absent']), 'Sysbox: sysbox-runc (not in matryoshka.sysbox.runtimes)');
    assert.equal(sysboxRuntimeNote(DIND, ['sysbox-runc']), 'no Sysbox runtime');
    assert.equal(sysboxRuntimeNote(undefined, ['sysbox-runc']), 'runtimes unknown');
  });
});
