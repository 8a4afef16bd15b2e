import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, Trainer } from '../../../src/core';
import type { TrainConfig } from '../../../src/core/types';
import { continueConfig, parseContinueArgs, vocabularyProblem } from '../../../src/weights/continueOptions';

const saved: TrainConfig = { ...DEFAULT_CONFIG, cell: 'lstm', hiddenSize: 4, epochs: 30, learningRate: 0.01, optimizer: 'rmsprop', clip: 5, mode: { kind: 'truncate', k: 3 }, seed: 9 };
const t = new Trainer('hello world', saved);
t.runEpoch();
const weights = t.toWeights();
const settings: TrainConfig = { ...DEFAULT_CONFIG, epochs: 100 };

test('continuing keeps the file\'s architecture and hyperparameters, and trains for the settings\' epochs', () => {
  const r = continueConfig(settings, weights);
  assert.deepEqual(r, { ok: true, value: { ...saved, epochs: 100 } });
});

test('the caller may override training hyperparameters (epochs, learning rate, mode)', () => {
  const r = continueConfig(settings, weights, { epochs: 20, learningRate: 0.5, mode: { kind: 'full' } });
  assert.deepEqual(r, { ok: true, value: { ...saved, epochs: 20, learningRate: 0.5, mode: { kind: 'full' } } });
});

test('asking for another architecture is an error, not a silent change', () => {
  const r = continueConfig(settings, weights, { hiddenSize: 8 });
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error, /config\.hiddenSize cannot change when continuing a model: it is 4/);
  assert.equal(continueConfig(settings, weights, { cell: 'lstm', hiddenSize: 4 }).ok, true);
});

test('a file without a training record continues with the settings', () => {
  const { training: _training, ...bare } = weights;
  assert.deepEqual(continueConfig(settings, bare), { ok: true, value: { ...settings, cell: 'lstm', activation: 'tanh', hiddenSize: 4 } });
});

test('out-of-range overrides name the field', () => {
  const r = continueConfig(settings, weights, { epochs: 0 });
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error, /config\.epochs/);
});

test('text outside the vocabulary: one line listing each missing character once, visibly', () => {
  assert.equal(vocabularyProblem(weights, 'hello', 'm.json'), undefined);
  const msg = vocabularyProblem(weights, 'hello\tWORLD WORLD', 'm.json')!;
  assert.equal(msg, 'The text has 6 characters that m.json does not know: U+0009, "W" (U+0057), "O" (U+004F), "R" (U+0052), "L" (U+004C), "D" (U+0044). Continue training needs text made only of the model\'s vocabulary.');
  assert.match(vocabularyProblem(weights, 'hellox', 'm.json')!, /has a character that m.json does not know: "x" \(U\+0078\)\./);
});

test('the argument: weightsUri plus the train arguments', () => {
  assert.deepEqual(parseContinueArgs({ weightsUri: '/w.json', text: 'hi', config: { epochs: 3 } }), { ok: true, value: { weightsUri: '/w.json', text: 'hi', config: { epochs: 3 } } });
  assert.deepEqual(parseContinueArgs(undefined), { ok: true, value: {} });
  const bad: [unknown, RegExp][] = [
    [{ weightsUri: 3 }, /weightsUri must be a non-empty string/],
    [{ text: 1 }, /text must be a string/],
    [{ other: 1 }, /unexpected field "other"/],
    ['x', /\{ weightsUri\?, text\?, config\? \}/],
  ];
  for (const [arg, message] of bad) {
    const r = parseContinueArgs(arg);
    assert.equal(r.ok, false, JSON.stringify(arg));
    if (!r.ok) assert.match(r.error, message);
  }
});
