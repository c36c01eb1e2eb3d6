import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { restrictedLaunchQuestion } from '../../src/model/restrictedLaunch';
import { planWorkspace, type WorkspaceRequest } from '../../src/model/workspaceSpec';

const dind: WorkspaceRequest = { mode: 'dind', name: 'ws', image: 'docker:dind', folder: null, publish: false, version: '1.2.3' };

describe('the Restricted Mode launch question', () => {
  it('names the flags, the image and where it came from, the folder, and every ignored folder setting', () => {
    const { risks } = planWorkspace(dind);
    const ignored = ['matryoshka.dind.image = "evil/root:latest"', 'matryoshka.engines = [{"name":"x","host":"tcp://10.0.0.1:2375"}]'];
    const { message, detail } = restrictedLaunchQuestion({ ...dind, engine: 'default', modeName: 'DinD', risks, ignored, imageFrom: 'your user settings or the default' });
    assert.equal(message, 'Restricted Mode: launch the DinD workspace ws on default with --privileged?');
    assert.match(detail, /^Image: docker:dind \(your user settings or the default\)\nFolder mounted: none\nInner engine: private/);
    assert.match(detail, /--privileged: The container gets every capability/);
    for (const line of ignored) assert.ok(detail.includes(`\n  ${line}`), line);
    assert.match(detail, /trust the folder \(Manage Workspace Trust\)/);
  });

  it('asks about a Sysbox launch too, which has no privileged flag to ask about otherwise', () => {
    const sysbox: WorkspaceRequest = { ...dind, mode: 'sysbox', runtime: 'sysbox-runc', folder: '/home/me/project' };
    const { risks } = planWorkspace(sysbox);
    assert.deepEqual(risks, []);
    const { message, detail } = restrictedLaunchQuestion({ ...sysbox, engine: 'default › ci', modeName: 'Sysbox', risks, ignored: [], imageFrom: 'typed by you' });
    assert.equal(message, 'Restricted Mode: launch the Sysbox workspace ws on default › ci?');
    assert.match(detail, /Runtime: sysbox-runc\nFolder mounted: \/home\/me\/project/);
    assert.match(detail, /its own Matryoshka settings \(if any\) are ignored/);
  });

  it('says what a DooD launch mounts', () => {
    const dood: WorkspaceRequest = { ...dind, mode: 'dood', socketPath: '/var/run/docker.sock' };
    const { message, detail } = restrictedLaunchQuestion({ ...dood, engine: 'default', modeName: 'DooD', risks: planWorkspace(dood).risks, ignored: [], imageFrom: 'typed by you' });
    assert.equal(message, 'Restricted Mode: launch the DooD workspace ws on default with -v /var/run/docker.sock:/var/run/docker.sock?');
    assert.doesNotMatch(detail, /Inner engine/);
  });
});
