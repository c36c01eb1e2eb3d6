import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { clampNumber, COMMAND_IDS, CONTEXT_KEYS, SETTING_KEYS, SETTING_LIMITS } from '../../src/model/contributions';

interface MenuItem {
  command: string;
  when?: string;
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: {
    commands: Array<{ command: string }>;
    menus: Record<string, MenuItem[]>;
    views: Record<string, Array<{ id: string }>>;
    configuration: { properties: Record<string, { default?: unknown; minimum?: number; maximum?: number }> };
    viewsWelcome: Array<{ view: string; when?: string }>;
  };
};

/** Keys VS Code itself sets for view menus, and the literals a `when` may use. */
const BUILT_IN = new Set(['view', 'viewItem', 'true', 'false']);

/** The context keys a `when` clause reads: identifiers outside regex and string literals. */
function contextKeys(when: string): string[] {
  const withoutLiterals = when.replace(/\/(?:\\.|[^/\\])*\/|'[^']*'/g, ' ');
  const keys: string[] = [];
  for (const part of withoutLiterals.split(/&&|\|\||!|==|!=|=~|\(|\)|\s+/)) if (part) keys.push(part);
  return keys;
}

describe('contributions in package.json', () => {
  const viewIds = new Set(Object.values(manifest.contributes.views).flat().map((v) => v.id));
  const values = (when: string) => [...when.matchAll(/\b(view)\s*==\s*([\w.-]+)/g)].map((m) => m[2]);

  it('contributes exactly the commands of the command table', () => {
    assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), [...COMMAND_IDS].sort());
  });

  it('names only contributed commands in menus', () => {
    for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
      for (const item of items) assert.ok((COMMAND_IDS as readonly string[]).includes(item.command), `${menu}: ${item.command}`);
    }
  });

  it('reads only context keys that exist in every when clause, and only views it contributes', () => {
    const known = new Set([...BUILT_IN, ...Object.values(CONTEXT_KEYS), ...viewIds]);
    const clauses = [
      ...Object.values(manifest.contributes.menus).flat().map((item) => item.when),
      ...manifest.contributes.viewsWelcome.map((w) => w.when),
    ].filter((w): w is string => w !== undefined);
    assert.ok(clauses.length > 20);
    for (const when of clauses) {
      for (const key of contextKeys(when)) assert.ok(known.has(key), `unknown context key "${key}" in: ${when}`);
      for (const view of values(when)) assert.ok(viewIds.has(view), `unknown view "${view}" in: ${when}`);
    }
    for (const welcome of manifest.contributes.viewsWelcome) assert.ok(viewIds.has(welcome.view));
  });

  it('finds a misspelt key (the check can fail)', () => {
    assert.deepEqual(contextKeys("view == matryoshka.engines && viewItem =~ /^a b/ && matryoshka.noEngineAnswer"), [
      'view',
      'matryoshka.engines',
      'viewItem',
      'matryoshka.noEngineAnswer',
    ]);
  });
});

describe('settings', () => {
  const properties = manifest.contributes.configuration.properties;

  it('says of every setting whether a change re-lists the engines or applies where it is read, and of nothing else', () => {
    const listed = [...SETTING_KEYS.relist, ...SETTING_KEYS.live].map((key) => `matryoshka.${key}`);
    assert.equal(new Set(listed).size, listed.length, 'no key in both lists');
    assert.deepEqual(listed.sort(), Object.keys(properties).sort());
  });

  it('clamps numbers to the limits package.json declares, with its defaults', () => {
    const declared = {
      requestTimeoutSeconds: properties['matryoshka.requestTimeoutSeconds'],
      maxDepth: properties['matryoshka.maxDepth'],
      engineTimeoutSeconds: properties['matryoshka.launch.engineTimeoutSeconds'],
      maxFileSizeMB: properties['matryoshka.files.maxFileSizeMB'],
    };
    for (const [key, limit] of Object.entries(SETTING_LIMITS)) {
      const property = declared[key as keyof typeof declared];
      assert.equal(property.default, limit.fallback, `${key} default`);
      assert.equal(property.minimum, limit.min, `${key} minimum`);
      assert.equal(property.maximum, limit.max, `${key} maximum`);
    }
    const timeout = SETTING_LIMITS.requestTimeoutSeconds;
    assert.equal(clampNumber(1e7, timeout), 300, 'a timer of 1e7 s would overflow and fire at once');
    assert.equal(clampNumber(0, timeout), 1);
    assert.equal(clampNumber(-5, timeout), 1);
    assert.equal(clampNumber(Number.NaN, timeout), 10);
    assert.equal(clampNumber('30', timeout), 10, 'a string from a hand-edited settings file is not a number');
    assert.equal(clampNumber(Infinity, timeout), 10);
    assert.equal(clampNumber(42, timeout), 42);
  });
});
