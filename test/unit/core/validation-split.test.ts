// validationSplit: the cut in code points, training on the rest exactly as on that part alone,
// and valLoss / valAccuracy equal to an independent forward over the held-out characters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import {
  ConfigError,
  DEFAULT_CONFIG,
  TextError,
  Trainer,
  parseWeights,
  serializeWeights,
  splitText,
  validateConfig,
  type EpochMetrics,
  type TrainConfig,
  type WeightsFile,
} from '../../../src/core';
import { createModel, createSequence } from '../../../src/core/cells';
import { Vocabulary } from '../../../src/core/vocab';
import { repoRoot } from '../../support/repoRoot';

// Every character of the last fifth also appears before it, so the vocabulary is the same with
// and without the held-out part; an emoji checks that the cut counts code points.
const TEXT = 'the cat sat on the mat. 😀 a dog, a hat, a mat; the end. 😀 hat cat';
const CHARS = [...TEXT];

function withoutVal(m: EpochMetrics): EpochMetrics {
  const { valLoss: _l, valAccuracy: _a, ...rest } = m;
  return rest;
}

/** Σ over the held-out targets of −log p, from one forward over the whole text with weights w. */
function heldOutByOneForward(w: WeightsFile, text: string, trainChars: number, fromStep = 0, state: Float64Array | null = null): { loss: number; accuracy: number } {
  const vocab = new Vocabulary(w.vocab);
  const ids = vocab.encode(text);
  const T = ids.length - 1 - fromStep;
  const model = createModel(w.cell, vocab.size, w.hiddenSize, w.activation, T);
  for (const p of model.params) p.w.set(w.params[p.name].data);
  const seq = createSequence(model, T);
  seq.forward(ids.subarray(fromStep, fromStep + T), ids.subarray(fromStep + 1), T, state);
  const V = vocab.size;
  let loss = 0;
  let correct = 0;
  let n = 0;
  for (let s = trainChars - 1 - fromStep; s < T; s++) {
    const target = ids[fromStep + s + 1];
    loss -= Math.log(seq.probs[s * V + target]);
    if (seq.argmax[s] === target) correct++;
    n++;
  }
  return { loss: loss / n, accuracy: correct / n };
}

test('the split point: round(split·n) code points held out, halves up; too little or too much is refused in one line', () => {
  assert.equal(CHARS.length, 65);
  assert.deepEqual(splitText(67, 0.2), { trainChars: 54, heldOutChars: 13 }); // 13.4
  assert.deepEqual(splitText(67, 0.21), { trainChars: 53, heldOutChars: 14 }); // 14.07
  assert.deepEqual(splitText(10, 0.25), { trainChars: 7, heldOutChars: 3 }); // 2.5 → 3
  assert.deepEqual(splitText(100, 0.29), { trainChars: 71, heldOutChars: 29 }); // 28.999999999999996
  assert.deepEqual(splitText(46, 0), { trainChars: 46, heldOutChars: 0 });
  assert.throws(() => splitText(46, 0.01), (e: Error) => e instanceof TextError && /holds out none of the text's 46 characters: use at least 0\.011/.test(e.message));
  assert.deepEqual(splitText(46, 0.011), { trainChars: 45, heldOutChars: 1 });
  assert.throws(() => splitText(3, 0.5), (e: Error) => e instanceof TextError && /leaves 1 of the text's 3 characters/.test(e.message));
  assert.throws(() => new Trainer('aaaab', { ...DEFAULT_CONFIG, validationSplit: 0.2 }), (e: Error) => e instanceof TextError && /repeats a single character/.test(e.message));
  const t = new Trainer(TEXT, { ...DEFAULT_CONFIG, validationSplit: 0.2, epochs: 1 });
  assert.deepEqual(t.heldOut, { start: 52, length: 13 });
  assert.equal(t.steps, 51);
  assert.equal(new Trainer(TEXT, { ...DEFAULT_CONFIG, epochs: 1 }).heldOut, null);
});

test('validateConfig: validationSplit from 0 to 0.5; absent and 0 both mean off and leave the config as before', () => {
  for (const bad of [-0.1, 0.51, Number.NaN, '0.2', null]) {
    assert.throws(() => validateConfig({ ...DEFAULT_CONFIG, validationSplit: bad }), (e: Error) => e instanceof ConfigError && e.field === 'validationSplit');
  }
  assert.equal(validateConfig({ ...DEFAULT_CONFIG, validationSplit: 0.5 }).validationSplit, 0.5);
  assert.deepEqual(validateConfig({ ...DEFAULT_CONFIG, validationSplit: 0 }), validateConfig(DEFAULT_CONFIG));
  assert.equal('validationSplit' in validateConfig(DEFAULT_CONFIG), false);
});

const MODES = [
  { name: 'full', mode: { kind: 'full' } },
  { name: 'truncate 5', mode: { kind: 'truncate', k: 5 } },
  { name: 'window 12', mode: { kind: 'window', k: 12 } },
] as const;

for (const { name, mode } of MODES) {
  test(`${name}: training with a held-out fifth equals training on the first 52 code points alone, number for number`, () => {
    const config: TrainConfig = { ...DEFAULT_CONFIG, cell: 'gru', hiddenSize: 8, mode, learningRate: 0.01, epochs: 25 };
    const split = new Trainer(TEXT, { ...config, validationSplit: 0.2 });
    const alone = new Trainer(CHARS.slice(0, 52).join(''), config);
    assert.deepEqual(split.vocab.chars, alone.vocab.chars);
    while (!split.finished) {
      const a = split.runEpoch();
      const b = alone.runEpoch();
      assert.deepEqual(withoutVal(a), b);
      assert.equal(typeof a.valLoss, 'number');
      assert.equal(b.valLoss, undefined);
    }
    assert.deepEqual(split.toWeights().params, alone.toWeights().params);
    assert.equal(split.toWeights().training!.config!.validationSplit, 0.2);
  });
}

for (const cell of ['rnn', 'lstm'] as const) {
  test(`${cell}, full and truncate: valLoss and valAccuracy are those of the epoch-start weights, continuing the training part's forward`, () => {
    for (const mode of [{ kind: 'full' }, { kind: 'truncate', k: 4 }] as const) {
      const config: TrainConfig = { ...DEFAULT_CONFIG, cell, hiddenSize: 10, mode, learningRate: 0.02, epochs: 30, validationSplit: 0.2 };
      const t = new Trainer(TEXT, config);
      const seen: number[] = [];
      while (!t.finished) {
        const start = t.toWeights();
        const m = t.runEpoch();
        const ref = heldOutByOneForward(start, TEXT, 52);
        assert.ok(Math.abs(m.valLoss! - ref.loss) <= 1e-12 * ref.loss, `epoch ${m.epoch}: ${m.valLoss} vs ${ref.loss}`);
        assert.equal(m.valAccuracy, ref.accuracy);
        seen.push(m.valLoss!);
      }
      assert.ok(Math.max(...seen) - Math.min(...seen) > 1e-2, 'the held-out loss moved: the check compares real numbers');
    }
  });
}

test('window mode: the held-out part continues the last window\'s forward, with the weights that ran it (before its update)', () => {
  const K = 12;
  const config: TrainConfig = { ...DEFAULT_CONFIG, cell: 'lstm', hiddenSize: 6, mode: { kind: 'window', k: K }, learningRate: 0.02, epochs: 4, validationSplit: 0.2 };
  const t = new Trainer(TEXT, config);
  t.runEpoch();
  const start = t.toWeights();
  const m = t.runEpoch();
  // 51 training steps: windows at 0, 12, 24, 36 and 48 (3 steps). Rebuild the weights before
  // each window with trainers on the text up to that window (same start, one epoch), and the
  // carried state with the training code's forward.
  const vocab = new Vocabulary(start.vocab);
  const ids = vocab.encode(TEXT);
  let state: Float64Array | null = null;
  let before: WeightsFile = start;
  for (let w = 0; w < 4; w++) {
    const model = createModel('lstm', vocab.size, 6, 'tanh', K);
    for (const p of model.params) p.w.set(before.params[p.name].data);
    const seq = createSequence(model, K);
    seq.forward(ids.subarray(w * K, (w + 1) * K), ids.subarray(w * K + 1), K, state);
    state = new Float64Array(12);
    seq.finalState(state);
    const part = new Trainer(CHARS.slice(0, (w + 1) * K + 1).join(''), { ...config, validationSplit: undefined, epochs: 1 }, start);
    part.runEpoch();
    before = part.toWeights();
  }
  // `before` ran the last window: from its state over that window and on through the held-out part.
  const ref = heldOutByOneForward(before, TEXT, 52, 48, state);
  assert.ok(Math.abs(m.valLoss! - ref.loss) <= 1e-12 * ref.loss, `${m.valLoss} vs ${ref.loss}`);
  assert.equal(m.valAccuracy, ref.accuracy);
  // The epoch-start weights give another number: the choice of weights is visible.
  assert.ok(Math.abs(heldOutByOneForward(start, TEXT, 52).loss - m.valLoss!) > 1e-6);
});

test('weights files record the split; a file without the field loads as 0 and trains without a held-out part', () => {
  const t = new Trainer(TEXT, { ...DEFAULT_CONFIG, epochs: 2, validationSplit: 0.3 });
  t.runEpoch();
  const file = parseWeights(serializeWeights(t.toWeights()));
  assert.equal(file.training!.config!.validationSplit, 0.3);
  const resumed = new Trainer(TEXT, file.training!.config!, file);
  assert.equal(typeof resumed.runEpoch().valLoss, 'number');
  const old = JSON.parse(serializeWeights(t.toWeights()));
  delete old.training.config.validationSplit;
  const loaded = parseWeights(JSON.stringify(old));
  assert.equal(loaded.training!.config!.validationSplit, undefined);
  const m = new Trainer(TEXT, loaded.training!.config!, loaded).runEpoch();
  assert.equal(m.valLoss, undefined);
  assert.equal(m.valAccuracy, undefined);
});

test('the JSON Schema allows the recorded split and, like the loader, refuses one above 0.5', () => {
  const schema = JSON.parse(readFileSync(join(repoRoot(), 'schema', 'weights.schema.json'), 'utf8'));
  const valid = new Ajv({ allErrors: true }).compile(schema);
  const w: { training: { config: { validationSplit: number } } } = JSON.parse(serializeWeights(new Trainer(TEXT, { ...DEFAULT_CONFIG, epochs: 1, validationSplit: 0.25 }).toWeights()));
  assert.equal(w.training.config.validationSplit, 0.25);
  assert.ok(valid(w), JSON.stringify(valid.errors));
  w.training.config.validationSplit = 0.7;
  assert.equal(valid(w), false);
  assert.throws(() => parseWeights(JSON.stringify(w)), /training\.config: validationSplit must be a number from 0 \(off\) to 0\.5/);
});
