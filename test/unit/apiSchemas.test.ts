// The reply schemas on what real engines sent (test/fixtures/recorded), and on copies of those
// recordings with one field deliberately broken the way a hostile engine would break it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  checkShape,
  containerInspectSchema,
  containerListSchema,
  eventSchema,
  infoSchema,
  publishedPortsSchema,
  ShapeError,
  versionSchema,
  type Schema,
} from '../../src/model/apiSchemas';
import { RECORDED, readJson } from '../support/recorded';

const ENGINES = ['host', 'fx-dind', 'fx-dind-inner', 'fx-sysbox'];

function inspections(engine: string): Array<[string, Record<string, unknown>]> {
  return fs.readdirSync(path.join(RECORDED, engine, 'inspect')).map((file) => [`${engine}/inspect/${file}`, readJson(engine, 'inspect', file)]);
}

/** The ShapeError's message for `value`, or a failure when the value passes. */
function shapeError(schema: Schema<unknown>, value: unknown): string {
  try {
    checkShape(schema, value);
  } catch (error) {
    assert.ok(error instanceof ShapeError, String(error));
    return error.message;
  }
  assert.fail('the malformed reply passed the schema');
}

describe('reply schemas on recorded engines', () => {
  for (const engine of ENGINES) {
    it(`${engine}: the listing, every inspect, the version and info pass, and come back unchanged`, () => {
      const listing = readJson<unknown[]>(engine, 'containers.json');
      assert.ok(listing.length > 0);
      assert.equal(checkShape(containerListSchema, listing), listing);
      for (const [name, inspect] of inspections(engine)) {
        assert.equal(checkShape(containerInspectSchema, inspect), inspect, name);
        assert.equal(checkShape(publishedPortsSchema, inspect), inspect, name);
      }
      const version = readJson(engine, 'version.json');
      assert.equal(checkShape(versionSchema, version), version);
      checkShape(infoSchema, readJson(engine, 'info.json'));
    });
  }

  it('every recorded event line passes', () => {
    const lines = fs.readFileSync(path.join(RECORDED, 'host', 'events.jsonl'), 'utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, 4);
    for (const line of lines) checkShape(eventSchema, JSON.parse(line));
  });
});

describe('reply schemas on malformed copies of the recordings', () => {
  // Each case is a deliberately malformed copy of a real reply (what a hostile engine sends).
  const listing = () => structuredClone(readJson<Array<Record<string, unknown>>>('host', 'containers.json'));
  const inspect = () => structuredClone(readJson<Record<string, Record<string, unknown>>>('host', 'inspect', 'fx-plain.json'));

  it('names the path and both types: Mounts an object', () => {
    const broken = listing();
    broken[0].Mounts = {};
    assert.equal(shapeError(containerListSchema, broken), '[0].Mounts: expected array, got object');
  });

  it('Labels a list, a number for a string, null for the id', () => {
    const broken = listing();
    broken[1].Labels = [];
    broken[2].Image = 42;
    broken[3].Id = null;
    assert.equal(shapeError(containerListSchema, broken), '[1].Labels: expected record, got array; [2].Image: expected string, got number; [3].Id: expected string, got null');
  });

  it('deep paths: a port, a mount field, a label value', () => {
    const broken = listing();
    (broken[0].Ports as Array<Record<string, unknown>>)[0] = { PrivatePort: '80' };
    (broken[0].Mounts as Array<Record<string, unknown>>)[0].RW = 'yes';
    (broken[0].Labels as Record<string, unknown>)['com.example.role'] = 7;
    assert.equal(
      shapeError(containerListSchema, broken),
      '[0].Ports[0].PrivatePort: expected number, got string; [0].Labels["com.example.role"]: expected string, got number; [0].Mounts[0].RW: expected boolean, got string',
    );
  });

  it('null everywhere: the first three fields and how many more', () => {
    const broken = listing().map((c) => Object.fromEntries(Object.keys(c).map((k) => [k, null])));
    const message = shapeError(containerListSchema, broken);
    assert.match(message, /^\[0\]\.Id: expected string, got null; \[0\]\.Names: expected array, got null; \[0\]\.Image: expected string, got null \(and \d+ more\)$/);
  });

  it('a listing that is not a list at all', () => {
    assert.equal(shapeError(containerListSchema, { message: 'hi' }), 'the reply: expected array, got object');
  });

  it('inspect: a command that is neither a list, a string nor null', () => {
    const broken = inspect();
    broken.Config.Cmd = 5;
    assert.equal(shapeError(containerInspectSchema, broken), 'Config.Cmd: expected array or string or null, got number');
  });

  it('inspect: HostConfig.Privileged as a string, State as a list', () => {
    const broken = inspect();
    broken.HostConfig.Privileged = 'true';
    (broken as Record<string, unknown>).State = [];
    assert.equal(shapeError(containerInspectSchema, broken), 'State: expected object, got array; HostConfig.Privileged: expected boolean, got string');
  });

  it('version: ApiVersion as a number', () => {
    const broken = readJson<Record<string, unknown>>('host', 'version.json');
    broken.ApiVersion = 1.41;
    assert.equal(shapeError(versionSchema, broken), 'ApiVersion: expected string, got number');
  });
});
