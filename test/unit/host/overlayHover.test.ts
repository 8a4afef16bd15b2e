import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guessesAt, hoverMarkdown, showChar } from '../../../src/host/overlayHover';
import type { GuessesReply } from '../../../src/shared/protocol';

test('showChar names invisible characters and keeps backticks inside a code span', () => {
  assert.equal(showChar('a'), '`a`');
  assert.equal(showChar('😀'), '`😀`');
  assert.match(showChar(' '), /space/);
  assert.match(showChar('\n'), /newline/);
  assert.match(showChar('\t'), /tab/);
  assert.equal(showChar('\u0001'), 'U+0001');
  assert.equal(showChar('`'), '`` ` ``');
});

test('guessesAt reads the row of a position in the inspected window', () => {
  const reply: GuessesReply = { epoch: 3, start: 10, steps: 2, top: 2, vocab: ['a', 'b', 'c'], ids: Int32Array.from([2, 0, 1, 2]), p: Float64Array.from([0.7, 0.2, 0.6, 0.3]) };
  assert.deepEqual(guessesAt(reply, 11), [{ char: 'b', p: 0.6 }, { char: 'c', p: 0.3 }]);
  assert.equal(guessesAt(reply, 9), null);
  assert.equal(guessesAt(reply, 12), null);
});

test('the hover names step, input, target, the guesses, both norms and the prediction of the character', () => {
  const md = hoverMarkdown({
    epoch: 599,
    step: 4,
    position: 29,
    input: 'o',
    target: ' ',
    gradNorm: 0.0123,
    lastLossGradNorm: 0,
    predictedHere: 'x',
    guesses: [{ char: ' ', p: 0.912 }, { char: 'w', p: 0.05 }, { char: 'o', p: 0.00001 }],
  });
  assert.match(md, /epoch 599 · step t = 4 \(text position 29\)/);
  assert.match(md, /input `o` → target ␠ space/);
  assert.match(md, /top 3: ␠ space 91\.2 % · `w` 5\.0 % · `o` 1\.0e-3 % ✓/);
  assert.match(md, /‖∂L\/∂h_t‖ = 1\.23e-2 \(log10 -1\.91\)/);
  assert.match(md, /‖∂L_T\/∂h_t‖ = 0/);
  assert.match(md, /predicted as `x` ✗/);
  const failed = hoverMarkdown({ epoch: 1, step: 0, position: 0, input: 'a', target: 'b', gradNorm: null, lastLossGradNorm: null, predictedHere: null, guesses: 'unavailable (no worker)' });
  assert.match(failed, /top 3: unavailable \(no worker\)/);
  assert.doesNotMatch(failed, /predicted as/);
});
