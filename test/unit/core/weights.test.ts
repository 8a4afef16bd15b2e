// The weights format: a round trip is exact, the schema agrees with the loader, and every kind
// of bad file gets its own one-line error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { DEFAULT_CONFIG, SEED_SENTENCE, Trainer, WeightsError, parseWeights, serializeWeights, type WeightsFile } from '../../../src/core';
import { repoRoot } from '../../support/repoRoot';

const root = repoRoot();
const schema = JSON.parse(readFileSync(join(root, 'schema', 'weights.schema.json'), 'utf8'));
const validateSchema = new Ajv({ allErrors: true }).compile(schema);

function trained(epochs = 5): WeightsFile {
  const t = new Trainer(SEED_SENTENCE, { ...DEFAULT_CONFIG, epochs, hiddenSize: 4 });
  while (!t.finished) t.runEpoch();
  return t.toWeights();
}

const good = serializeWeights(trained());
const mutate = (f: (w: Record<string, any>) => void): string => {
  const w = JSON.parse(good);
  f(w);
  return JSON.stringify(w);
};

test('a written file validates against the JSON Schema and parses back identically', () => {
  const w = JSON.parse(good) as Record<string, unknown>;
  assert.ok(validateSchema(w), JSON.stringify(validateSchema.errors));
  assert.deepEqual(parseWeights(good), w);
  assert.equal(w.format, 'rnn-lab.weights');
  assert.equal(w.version, 1);
});

test('a minimal file (format, version, cell, activation, hiddenSize, vocab, params) loads and trains', () => {
  const minimal = mutate((w) => {
    delete w.training;
    delete w.optimizerState;
  });
  const file = parseWeights(minimal);
  assert.ok(validateSchema(JSON.parse(minimal)));
  const t = new Trainer(SEED_SENTENCE, { ...DEFAULT_CONFIG, epochs: 2 }, file);
  assert.equal(t.firstEpoch, 0);
  assert.ok(Number.isFinite(t.runEpoch().loss));
});

const bad: [string, string, RegExp][] = [
  ['not JSON', '{"format": "rnn-lab.weights",', /not JSON/],
  ['another format', mutate((w) => (w.format = 'keras')), /not an RNN Lab weights file/],
  ['a newer version', mutate((w) => (w.version = 2)), /version 2, newer/],
  ['a missing parameter', mutate((w) => delete w.params.W_hh), /params\.W_hh is missing/],
  ['an extra parameter', mutate((w) => (w.params.W_zz = { shape: [1], data: [0] })), /unexpected parameter "W_zz"/],
  ['a shape that disagrees with vocab', mutate((w) => (w.params.W_xh.shape = [3, 4])), /params\.W_xh\.shape is \[3,4\] but vocab/],
  ['a shape that disagrees with hiddenSize', mutate((w) => (w.hiddenSize = 5)), /params\.W_xh\.shape .* need \[19,5\]/],
  ['data shorter than shape', mutate((w) => w.params.b_h.data.pop()), /params\.b_h\.data has 3 numbers but the shape needs 4/],
  ['NaN', good.replace(/"b_y":\{"shape":\[19\],"data":\[[^,]*/, '"b_y":{"shape":[19],"data":[NaN'), /NaN or Infinity/],
  ['Infinity via overflow', good.replace(/"b_y":\{"shape":\[19\],"data":\[[^,]*/, '"b_y":{"shape":[19],"data":[1e999'), /params\.b_y\.data\[0\] is not a finite number/],
  ['a string among numbers', mutate((w) => (w.params.W_hy.data[2] = '0.5')), /params\.W_hy\.data\[2\] is not a finite number/],
  ['a duplicate vocabulary entry', mutate((w) => (w.vocab[1] = w.vocab[0])), /vocab\[1\] .* appears twice/],
  ['a multi-character vocabulary entry', mutate((w) => (w.vocab[0] = 'ab')), /vocab\[0\] must be exactly one character/],
  ['an unknown top-level field', mutate((w) => (w.extra = 1)), /unknown top-level field "extra"/],
  ['optimizer state of the wrong size', mutate((w) => w.optimizerState.slots.m.W_xh.pop()), /optimizerState\.slots\.m\.W_xh must|optimizerState\.slots\.m\.W_xh has/],
];

for (const [what, text, message] of bad) {
  test(`bad file: ${what} → one-line WeightsError`, () => {
    assert.throws(
      () => parseWeights(text),
      (e: unknown) => e instanceof WeightsError && message.test(e.message) && !e.message.includes('\n'),
    );
  });
}

test('bad file: larger than 64 MB is refused before parsing', () => {
  const huge = ' '.repeat(64 * 1024 * 1024 + 1);
  assert.throws(() => parseWeights(huge), /larger than 64 MB/);
});

test('the schema rejects what the loader rejects where JSON Schema can say it', () => {
  for (const f of [(w: any) => (w.format = 'x'), (w: any) => (w.version = 2), (w: any) => delete w.params.b_y, (w: any) => (w.vocab[1] = w.vocab[0]), (w: any) => (w.extra = 1)]) {
    const w = JSON.parse(good);
    f(w);
    assert.equal(validateSchema(w), false);
  }
});

test('--init vocabulary must cover the text, naming what is missing', () => {
  const file = parseWeights(good);
  assert.throws(() => new Trainer('hello zebra', { ...DEFAULT_CONFIG }, file), /lacks: "z" \(U\+007A\), "b" \(U\+0062\)/);
});

for (const cell of ['lstm', 'gru'] as const) {
  test(`${cell} weights validate against the schema and load back; a missing gate parameter is named`, () => {
    const t = new Trainer(SEED_SENTENCE, { ...DEFAULT_CONFIG, cell, epochs: 2, hiddenSize: 3 });
    while (!t.finished) t.runEpoch();
    const text = serializeWeights(t.toWeights());
    assert.ok(validateSchema(JSON.parse(text)), JSON.stringify(validateSchema.errors));
    assert.equal(parseWeights(text).cell, cell);
    const w = JSON.parse(text);
    w.params.W_hh.shape = [3, 3];
    assert.throws(() => parseWeights(JSON.stringify(w)), new RegExp(`params\\.W_hh\\.shape is \\[3,3\\] .* need \\[3,${cell === 'lstm' ? 12 : 9}\\]`));
  });
}
