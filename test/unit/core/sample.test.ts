import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, SEED_SENTENCE, Trainer, sample } from '../../../src/core';

const t = new Trainer(SEED_SENTENCE, { ...DEFAULT_CONFIG });
while (!t.finished) t.runEpoch();
const weights = t.toWeights();

test('a model trained to accuracy 1.0 regenerates the sentence from "h" at temperature 0', () => {
  assert.equal(t.last?.accuracy, 1);
  const out = sample(weights, { prefix: 'h', length: [...SEED_SENTENCE].length - 1, temperature: 0, seed: 1 });
  assert.equal(out, SEED_SENTENCE);
});

test('temperature 0 is deterministic argmax whatever the seed', () => {
  const a = sample(weights, { prefix: 'i', length: 60, temperature: 0, seed: 1 });
  const b = sample(weights, { prefix: 'i', length: 60, temperature: 0, seed: 99 });
  assert.equal(a, b);
});

test('a fixed seed reproduces the same sample; another seed gives another', () => {
  const a = sample(weights, { prefix: 'h', length: 200, temperature: 1.5, seed: 7 });
  const b = sample(weights, { prefix: 'h', length: 200, temperature: 1.5, seed: 7 });
  const c = sample(weights, { prefix: 'h', length: 200, temperature: 1.5, seed: 8 });
  assert.equal(a, b);
  assert.notEqual(a, c);
  assert.equal([...a].length, 201);
});

test('a prefix with unknown characters is refused', () => {
  assert.throws(() => sample(weights, { prefix: 'hz', length: 3, temperature: 0, seed: 1 }), /does not know: "z"/);
});
