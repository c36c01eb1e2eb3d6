import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { INPUT_QUEUE_LIMIT, InputQueue, notSentMessage, overflowMessage } from '../../src/model/inputQueue';

describe('input queued while a shell connects', () => {
  it('gives back keystrokes, pastes and control characters once, in order', () => {
    const queue = new InputQueue();
    const typed = ['e', 'c', 'h', 'o', ' a; echo b\r', 'echo c\recho d\r', '\x1b[200~paste\x1b[201~', '\x03', '\x04', 'ü€😀'];
    for (const chunk of typed) assert.equal(queue.push(chunk), 'queued');
    assert.equal(queue.take(), typed.join(''));
    assert.equal(queue.take(), '', 'taken once');
    assert.equal(queue.bytes, 0);
  });

  it('counts UTF-8 bytes, not UTF-16 code units', () => {
    const queue = new InputQueue(8);
    assert.equal(queue.push('😀'), 'queued'); // 4 bytes, 2 code units
    assert.equal(queue.push('€'), 'queued'); // 3 bytes
    assert.equal(queue.bytes, 7);
    assert.equal(queue.push('€'), 'overflow');
  });

  it('keeps up to the bound; past it drops that chunk and all after it, saying so once', () => {
    const queue = new InputQueue(10);
    assert.equal(queue.push('echo 1\r'), 'queued');
    assert.equal(queue.push('echo 22\r'), 'overflow');
    // A short chunk would fit, but without the chunk before it, it could run a line never typed.
    assert.equal(queue.push('\r'), 'dropped');
    assert.equal(queue.bytes, 7);
    assert.equal(queue.take(), 'echo 1\r');
    assert.equal(queue.push('\r'), 'queued', 'held afresh once taken');
  });

  it('the default bound is 64 KiB', () => {
    const queue = new InputQueue();
    assert.equal(INPUT_QUEUE_LIMIT, 65536);
    assert.equal(queue.push('x'.repeat(INPUT_QUEUE_LIMIT)), 'queued');
    assert.equal(queue.push('x'), 'overflow');
  });

  it('whatever is pushed, take() is the pushed chunks that fit, in order, within the bound', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 64 }), fc.array(fc.string({ unit: 'binary', maxLength: 20 })), (limit, chunks) => {
        const queue = new InputQueue(limit);
        const outcomes = chunks.map((chunk) => queue.push(chunk));
        const firstOut = outcomes.indexOf('overflow');
        const kept = firstOut === -1 ? chunks : chunks.slice(0, firstOut);
        assert.ok(outcomes.every((o, i) => (firstOut === -1 || i < firstOut ? o === 'queued' : i === firstOut ? o === 'overflow' : o === 'dropped')));
        const taken = queue.take();
        assert.equal(taken, kept.join(''));
        assert.ok(Buffer.byteLength(taken, 'utf8') <= limit);
      }),
    );
  });

  it('messages name the container as plain text and say what happened', () => {
    const where = 'default › it-dind › \x1b]8;;https://x\x07evil\x1b]8;;\x07';
    const overflow = overflowMessage(where);
    assert.match(overflow, /more than 64 KiB typed before the shell in default › it-dind › .* connected/);
    assert.match(overflow, /not sent/);
    const notSent = notSentMessage(where, 15);
    assert.match(notSent, /not sent: the input typed before the shell in default › it-dind › .* connected \(15 bytes\)/);
    assert.match(notSentMessage('x', 1), /\(1 byte\)/);
    for (const text of [overflow, notSent]) {
      // Only our own colour and reset sequences: the engine text's ESC and BEL are shown, not obeyed.
      const stripped = text.replace(/\x1b\[(?:2|31|0)m/g, '');
      assert.doesNotMatch(stripped, /[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]/);
      assert.ok(stripped.includes('\\u001b]8;;https://x\\u0007evil'));
    }
  });
});
