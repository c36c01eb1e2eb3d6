// matryoshka.requestTimeoutSeconds as a settings file can hold it: any JSON, any size.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestDeadlineMs } from '../../src/model/requestDeadline';

describe('requestDeadlineMs: the request deadline from the setting', () => {
  it('takes a value within 1 to 300 seconds as it is', () => {
    assert.equal(requestDeadlineMs(10), 10_000);
    assert.equal(requestDeadlineMs(1), 1_000);
    assert.equal(requestDeadlineMs(2.5), 2_500);
    assert.equal(requestDeadlineMs(300), 300_000);
  });

  it('clamps a huge value to five minutes: 1e7 s would overflow the timer, which then fires at once', () => {
    assert.equal(requestDeadlineMs(1e7), 300_000);
    assert.equal(requestDeadlineMs(Number.MAX_VALUE), 300_000);
    assert.ok(requestDeadlineMs(1e7) <= 2 ** 31 - 1, 'within what setTimeout takes');
  });

  it('clamps zero and negative values to one second', () => {
    assert.equal(requestDeadlineMs(0), 1_000);
    assert.equal(requestDeadlineMs(-5), 1_000);
  });

  it('takes the default for what is not a finite number', () => {
    for (const value of [undefined, null, '30', NaN, Infinity, -Infinity, [], {}, true]) assert.equal(requestDeadlineMs(value), 10_000, String(value));
  });
});
