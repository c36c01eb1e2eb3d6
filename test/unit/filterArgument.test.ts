// What matryoshka.setFilter accepts from another extension or a keybinding, and what it says about
// anything else.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFilterArgument } from '../../src/model/filterArgument';
import { MAX_FILTER_LENGTH, parseFilter } from '../../src/model/treeFilter';
import { UserFacingError } from '../../src/model/userFacingError';

function refusal(argument: unknown): string {
  try {
    parseFilterArgument(argument);
  } catch (error) {
    assert.ok(error instanceof UserFacingError, `a message for the user, not ${String(error)}`);
    assert.match(error.message, /^matryoshka\.setFilter takes \{ text: string \}/);
    return error.message;
  }
  assert.fail(`${JSON.stringify(argument)} was accepted`);
}

describe('the argument of matryoshka.setFilter', () => {
  it('takes { text }, and an empty text (which clears the filter)', () => {
    assert.equal(parseFilterArgument({ text: 'fxshop' }), 'fxshop');
    assert.equal(parseFilterArgument({ text: '' }), '');
    assert.equal(parseFilter(parseFilterArgument({ text: '   ' })), undefined);
    assert.equal(parseFilterArgument({ text: 'x'.repeat(MAX_FILTER_LENGTH) }).length, MAX_FILTER_LENGTH);
  });

  it('refuses nothing, null and other types, saying what it got', () => {
    assert.match(refusal(undefined), /It got nothing\.$/);
    assert.match(refusal(null), /It got null\.$/);
    assert.match(refusal(42), /It got a number\.$/);
    assert.match(refusal(['db']), /It got an array\.$/);
  });

  it('shows how to pass a text given alone', () => {
    assert.match(refusal('fxshop'), /pass \{ text: "fxshop" \} instead\.$/);
  });

  it('names a text of the wrong type', () => {
    assert.match(refusal({ text: 7 }), /Its text is a number\.$/);
    assert.match(refusal({ text: null }), /Its text is null\.$/);
    assert.match(refusal({}), /Its text is nothing\.$/);
  });

  it('names a misspelt or extra field instead of clearing the filter', () => {
    assert.match(refusal({ filter: 'db' }), /It has no field "filter"\.$/);
    assert.match(refusal({ text: 'db', engine: 'default' }), /It has no field "engine"\.$/);
  });

  it('refuses a text longer than a filter can be, with its length', () => {
    assert.match(refusal({ text: 'y'.repeat(MAX_FILTER_LENGTH + 5) }), new RegExp(`at most ${MAX_FILTER_LENGTH} characters.*has ${MAX_FILTER_LENGTH + 5} characters\\.$`));
  });
});
