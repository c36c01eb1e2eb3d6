import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containerUriPath, parseContainerUriPath } from '../../src/model/containerUri';

describe('container file URIs', () => {
  it('round-trip engine names of any text, container chains and paths', () => {
    const cases = [
      { engine: 'default', path: ['it-dind', 'it-dind-inner', 'grandchild'], file: '/etc/hostname' },
      { engine: 'Build Box/ä', path: ['c1'], file: '/' },
      { engine: '-', path: ['a.b_c-d'], file: '/tmp/-/x' },
      { engine: 'C:', path: ['x'], file: '/new\nline/<img src=x onerror=alert(1)>/rtl\u202eexe' },
    ];
    for (const address of cases) assert.deepEqual(parseContainerUriPath(containerUriPath(address)), address);
  });

  it('has the documented form', () => {
    assert.equal(containerUriPath({ engine: 'default', path: ['ci-runner', 'build-42'], file: '/etc/hostname' }), '/default/ci-runner/build-42/-/etc/hostname');
    assert.equal(containerUriPath({ engine: 'default', path: ['c'], file: '/' }), '/default/c/-/');
  });

  it('refuses what is not that form, saying what the form is', () => {
    assert.throws(() => parseContainerUriPath('/default/-/etc'), /the form is/);
    assert.throws(() => parseContainerUriPath('/default/c/etc'), /the form is/);
    assert.throws(() => parseContainerUriPath('/default/%E0%A4%A/-/x'), /malformed/);
    assert.throws(() => containerUriPath({ engine: 'default', path: [], file: '/x' }), /at least one container/);
  });
});
