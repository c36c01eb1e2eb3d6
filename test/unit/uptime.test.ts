import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerInspect, ContainerSummary } from '../../src/model/apiTypes';
import { runStateChanged, uptimeText } from '../../src/model/uptime';
import { readJson } from '../support/recorded';

const summaryOf = (name: string) => readJson<ContainerSummary[]>('host', 'containers.json').find((c) => c.Names?.[0] === `/${name}`);

describe('uptime', () => {
  it('counts in whole minutes, hours, then days, so a row re-rendered each minute is never stale', () => {
    const t = Date.parse('2026-11-23T12:12:38Z');
    assert.equal(uptimeText(t, t + 59_999), 'up <1 min');
    assert.equal(uptimeText(t, t + 60_000), 'up 1 min');
    assert.equal(uptimeText(t, t + 59 * 60_000 + 59_000), 'up 59 min');
    assert.equal(uptimeText(t, t + 3_600_000), 'up 1 h');
    assert.equal(uptimeText(t, t + 47 * 3_600_000), 'up 47 h');
    assert.equal(uptimeText(t, t + 48 * 3_600_000), 'up 2 days');
    // A clock behind the engine's is not a negative uptime.
    assert.equal(uptimeText(t, t - 5_000), 'up <1 min');
  });

  it('an inspect is read again when the listing shows the container started or ended since', () => {
    const running = summaryOf('fx-plain');
    const exited = summaryOf('fx-dind-dood');
    assert.ok(running && exited);
    const runningInspect = readJson<ContainerInspect>('host', 'inspect', 'fx-plain.json');
    const exitedInspect = readJson<ContainerInspect>('host', 'inspect', 'fx-dind-dood.json');
    assert.equal(runStateChanged(running, runningInspect), false);
    assert.equal(runStateChanged(exited, exitedInspect), false);
    assert.equal(runStateChanged(running, exitedInspect), true, 'listed running, inspected exited');
    assert.equal(runStateChanged(exited, runningInspect), true, 'listed exited, inspected running');
  });
});
