import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, SigmaMaxSolver, Trainer } from '../../../src/core';
import { baseName, summarizeModel, visibleChar, vocabEntry } from '../../../src/weights/display';

test('whitespace and control characters get visible stand-ins', () => {
  assert.equal(visibleChar(' '), '␠');
  assert.equal(visibleChar('\n'), '⏎');
  assert.equal(visibleChar('\t'), '⇥');
  assert.equal(visibleChar('\r'), '␍');
  assert.equal(visibleChar('\u0000'), '␀');
  assert.equal(visibleChar('\u001b'), '␛');
  assert.equal(visibleChar('\u00a0'), '⍽');
  assert.equal(visibleChar('\u2003'), 'U+2003'); // em space: no symbol of its own, so its code
  assert.equal(visibleChar('\u200d'), 'U+200D'); // zero-width joiner would otherwise be invisible
});

test('printable characters, emoji included, are shown as themselves', () => {
  for (const ch of ['a', 'Z', '!', 'é', '中', '😀', '␠']) assert.equal(visibleChar(ch), ch);
});

test('each vocabulary entry carries its code point, and a name for the blank ones', () => {
  assert.deepEqual(vocabEntry(' '), { char: ' ', shown: '␠', label: 'U+0020 space' });
  assert.deepEqual(vocabEntry('\n'), { char: '\n', shown: '⏎', label: 'U+000A line feed' });
  assert.deepEqual(vocabEntry('😀'), { char: '😀', shown: '😀', label: 'U+1F600' });
});

test('the summary lists every parameter with its shape, σ_max from the core solver, and the training record', () => {
  for (const cell of ['rnn', 'lstm', 'gru'] as const) {
    const t = new Trainer('hello world', { ...DEFAULT_CONFIG, cell, hiddenSize: 5, epochs: 3 });
    while (!t.finished) t.runEpoch();
    const w = t.toWeights();
    const s = summarizeModel(w, 'm.json', '/tmp/m.json');
    const G = { rnn: 5, lstm: 20, gru: 15 }[cell];
    const V = w.vocab.length;
    const shapes = Object.fromEntries(s.params.map((p) => [p.name, p.shape]));
    assert.deepEqual(shapes.W_xh, [V, G]);
    assert.deepEqual(shapes.W_hh, [5, G]);
    assert.deepEqual(shapes.W_hy, [5, V]);
    assert.equal('b_hn' in shapes, cell === 'gru');
    assert.equal(s.totalParams, s.params.reduce((a, p) => a + p.count, 0));
    assert.equal(s.sigmaMaxWhh, new SigmaMaxSolver(5, G).solve(Float64Array.from(w.params.W_hh.data)));
    assert.ok(s.sigmaMaxWhh > 0);
    assert.equal(s.training?.epochsDone, 3);
    assert.equal(s.training?.finalLoss, t.last?.loss);
    assert.deepEqual(s.training?.firstChar, { char: 'h', shown: 'h', label: 'U+0068' });
    assert.equal(s.vocab.find((v) => v.char === ' ')?.shown, '␠');
    assert.ok(s.hasOptimizerState);
  }
});

test('σ_max of an RNN W_hh matches the value the trainer reported for the next epoch', () => {
  const t = new Trainer('abcabcabd', { ...DEFAULT_CONFIG, hiddenSize: 6, epochs: 4 });
  while (!t.finished) t.runEpoch();
  const s = summarizeModel(t.toWeights(), 'x', 'x');
  const next = new Trainer('abcabcabd', { ...DEFAULT_CONFIG, hiddenSize: 6, epochs: 1 }, t.toWeights()).runEpoch();
  assert.equal(s.sigmaMaxWhh, next.sigmaMaxWhh);
});

test('an informational training field of the wrong type is left out, not shown as garbage', () => {
  const t = new Trainer('hello', { ...DEFAULT_CONFIG, hiddenSize: 3, epochs: 1 });
  t.runEpoch();
  const w = t.toWeights();
  w.training = { ...w.training, finalMetrics: { loss: 'x' as unknown as number, accuracy: 0.5 }, seed: 'a' as unknown as number };
  const s = summarizeModel(w, 'x', 'x');
  assert.equal(s.training?.finalLoss, undefined);
  assert.equal(s.training?.finalAccuracy, 0.5);
  assert.equal(s.training?.seed, undefined);
});

test('baseName takes the last segment of a path or URI path', () => {
  assert.equal(baseName('/a/b/model.json'), 'model.json');
  assert.equal(baseName('C:\\x\\y.json'), 'y.json');
  assert.equal(baseName('plain.json'), 'plain.json');
});
