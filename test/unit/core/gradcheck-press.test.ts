// The gradient check you can press (gradcheck.ts): small errors on the real model in every
// cell and mode, large ones when the gradient is wrong on purpose — so it can fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_CONFIG,
  GRADCHECK_MAX_STEPS,
  SEED_SENTENCE,
  TextError,
  Trainer,
  compareGradients,
  gradCheck,
  type BpttMode,
  type CellKind,
  type ParamCheck,
} from '../../../src/core';
import { createModel, createSequence } from '../../../src/core/cells';
import { zeroGrads } from '../../../src/core/param';
import { Vocabulary } from '../../../src/core/vocab';

/** What a correct gradient stays under here (measured: at most 3e-5, from entries near the floor). */
const GOOD = 1e-4;

function trained(cell: CellKind, mode: BpttMode, epochs = 25): Trainer {
  const t = new Trainer(SEED_SENTENCE, { ...DEFAULT_CONFIG, cell, mode, learningRate: 0.01, epochs: epochs + 1 });
  for (let i = 0; i < epochs; i++) t.runEpoch();
  return t;
}

const MODES: BpttMode[] = [{ kind: 'full' }, { kind: 'truncate', k: 5 }, { kind: 'window', k: 10 }];

for (const cell of ['rnn', 'lstm', 'gru'] as const) {
  for (const mode of MODES) {
    test(`${cell}, ${mode.kind}: every parameter's largest relative error is below ${GOOD}`, () => {
      const t = trained(cell, mode);
      const before = t.toWeights();
      const r = t.gradCheck();
      assert.deepEqual(t.toWeights(), before, 'the check leaves the trainer alone');
      assert.deepEqual(r.mode, mode);
      assert.deepEqual([r.start, r.steps], mode.kind === 'window' ? [10, 10] : [0, 45]);
      assert.deepEqual(r.params.map((p) => p.param), Object.keys(before.params));
      for (const p of r.params) {
        const size = p.shape.reduce((a, b) => a * b, 1);
        assert.equal(p.checked, Math.min(100, size));
        assert.ok(p.maxRelError < GOOD, `${p.param}: ${p.maxRelError}`);
        assert.ok(Math.abs(p.worst.analytic - p.worst.numeric) <= p.maxAbsError);
      }
      // Not a check of zeros: the worst entries have real gradients.
      assert.ok(r.params.some((p) => Math.abs(p.worst.analytic) > 1e-4));
    });
  }
}

/** The real analytic gradient and loss of the full mode, as gradCheckSequence forms them. */
function fullProblem(cell: CellKind) {
  const w = trained(cell, { kind: 'full' }, 10).toWeights();
  const vocab = new Vocabulary(w.vocab);
  const ids = vocab.encode(SEED_SENTENCE);
  const T = ids.length - 1;
  const model = createModel(cell, vocab.size, w.hiddenSize, w.activation, T);
  for (const p of model.params) p.w.set(w.params[p.name].data);
  const seq = createSequence(model, T);
  const inputs = ids.subarray(0, T);
  const targets = ids.subarray(1);
  const grad = (run: () => void) => {
    seq.forward(inputs, targets, T, null);
    zeroGrads(model.params);
    seq.backwardOutput(targets, 1 / T);
    run();
    return model.params.map((p) => p.dw.slice());
  };
  const loss = () => seq.forward(inputs, targets, T, null).lossSum / T;
  return { model, seq, grad, loss };
}

const byName = (r: ParamCheck[]) => Object.fromEntries(r.map((p) => [p.param, p]));

test('it can fail: a gradient 1% too large, one entry with the wrong sign, or truncated BPTT against the full loss', () => {
  const { model, seq, grad, loss } = fullProblem('lstm');
  const right = grad(() => seq.backwardFull());
  const good = compareGradients(model.params, right, loss, 100, 1);
  for (const p of good) assert.ok(p.maxRelError < GOOD, `${p.param} ${p.maxRelError}`);

  const scaled = right.map((g) => g.map((x) => x * 1.01));
  for (const p of compareGradients(model.params, scaled, loss, 100, 1)) assert.ok(p.maxRelError > 5e-3, `scaled ${p.param}: ${p.maxRelError}`);

  // One entry of W_hh negated: the check sees it exactly when the entry is in its sample.
  const flipped = right.map((g) => g.slice());
  const whh = model.params.findIndex((p) => p.name === 'W_hh');
  const i = byName(good).W_hh.worst.index; // an entry the sample contains
  flipped[whh][i] = -flipped[whh][i];
  const f = byName(compareGradients(model.params, flipped, loss, 100, 1));
  assert.ok(f.W_hh.maxRelError > 1, `flipped: ${f.W_hh.maxRelError}`);
  assert.equal(f.W_hh.worst.index, i);
  assert.ok(f.W_xh.maxRelError < GOOD, 'the other parameters are untouched');

  // Truncated BPTT (K = 3) is the exact gradient of another loss, not of the full one.
  const truncated = grad(() => seq.backwardTruncated(3));
  const t = byName(compareGradients(model.params, truncated, loss, 100, 1));
  assert.ok(t.W_hh.maxRelError > 1e-2, `W_hh ${t.W_hh.maxRelError}`);
  assert.ok(t.W_hy.maxRelError < GOOD, 'the output layer does not depend on the depth');
});

test('the sample is seeded and drawn without replacement; small parameters are checked whole', () => {
  const w = trained('gru', { kind: 'full' }, 3).toWeights();
  const a = gradCheck(w, SEED_SENTENCE, { samples: 7, seed: 3 });
  const b = gradCheck(w, SEED_SENTENCE, { samples: 7, seed: 3 });
  const c = gradCheck(w, SEED_SENTENCE, { samples: 7, seed: 4 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.params.map((p) => p.worst.index), c.params.map((p) => p.worst.index));
  const all = gradCheck(w, SEED_SENTENCE, { samples: 100000 });
  for (const p of all.params) assert.equal(p.checked, p.shape.reduce((x, y) => x * y, 1));
  assert.ok(all.params.every((p) => p.maxRelError < GOOD));
});

test('a saved model uses its training mode; long texts are checked over their first steps; bad input is refused', () => {
  const t = trained('rnn', { kind: 'truncate', k: 4 }, 3);
  const w = t.toWeights();
  assert.deepEqual(gradCheck(w, SEED_SENTENCE, { samples: 5 }).mode, { kind: 'truncate', k: 4 });
  const long = gradCheck(w, SEED_SENTENCE.repeat(8), { samples: 5, mode: { kind: 'full' } });
  assert.equal(long.steps, GRADCHECK_MAX_STEPS);
  assert.ok(long.params.every((p) => p.maxRelError < GOOD));
  delete w.training;
  assert.deepEqual(gradCheck(w, 'hello', { samples: 2 }).mode, { kind: 'full' });
  assert.throws(() => gradCheck(w, 'hello WORLD'), (e: Error) => e instanceof TextError && /"W" \(U\+0057\)/.test(e.message));
  assert.throws(() => gradCheck(w, 'h'), TextError);
  assert.throws(() => gradCheck(w, 'hello', { samples: 0 }), RangeError);
});
