// Finite-difference checks of every parameter's gradient in every mode and activation, against
// the plain reference loss in reference.ts (central differences, float64).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RnnModel, RnnSequence } from '../../../src/core/rnn';
import { Rng } from '../../../src/core/rng';
import { Vocabulary } from '../../../src/core/vocab';
import { zeroGrads } from '../../../src/core/param';
import {
  PARAM_NAMES,
  cloneParams,
  numericGradient,
  refHidden,
  refLoss,
  refTruncatedSurrogate,
  toMat,
  type RefActivation,
  type RefParams,
} from './reference';

const TEXT = 'abcab cabbac!';

function setup(activation: RefActivation, H = 6, seed = 7) {
  const vocab = Vocabulary.fromText(TEXT);
  const ids = vocab.encode(TEXT);
  const model = new RnnModel(vocab.size, H, activation);
  model.initialize(new Rng(seed));
  // Non-zero biases so their gradients are exercised away from the initial point.
  const rng = new Rng(seed + 1);
  for (let i = 0; i < H; i++) model.bh.w[i] = 0.1 * rng.normal();
  for (let i = 0; i < vocab.size; i++) model.by.w[i] = 0.1 * rng.normal();
  const ref: RefParams = {
    W_xh: toMat(model.Wxh.w, vocab.size, H),
    W_hh: toMat(model.Whh.w, H, H),
    W_hy: toMat(model.Why.w, H, vocab.size),
    b_h: Array.from(model.bh.w),
    b_y: Array.from(model.by.w),
  };
  const T = ids.length - 1;
  return { model, ref, inputs: ids.subarray(0, T), targets: ids.subarray(1), T, H };
}

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i] - b[i]) ** 2;
    na += a[i] ** 2;
    nb += b[i] ** 2;
  }
  const scale = Math.max(Math.sqrt(na), Math.sqrt(nb));
  return scale === 0 ? 0 : Math.sqrt(diff) / scale;
}

function compare(model: RnnModel, numeric: Record<string, number[]>, label: string): void {
  for (const p of model.params) {
    const n = numeric[p.name];
    assert.equal(n.length, p.dw.length);
    const rel = relativeError(p.dw, n);
    assert.ok(rel <= 1e-6, `${label} ${p.name}: relative error ${rel.toExponential(2)} > 1e-6`);
    const norm = Math.sqrt(n.reduce((s, x) => s + x * x, 0));
    assert.ok(norm > 1e-6, `${label} ${p.name}: gradient is (numerically) zero, the check would prove nothing`);
    for (let i = 0; i < n.length; i++) {
      assert.ok(Math.abs(p.dw[i] - n[i]) <= 1e-8, `${label} ${p.name}[${i}]: analytic ${p.dw[i]} vs numeric ${n[i]}`);
    }
  }
}

for (const activation of ['tanh', 'relu'] as const) {
  test(`full BPTT gradient matches finite differences (${activation})`, () => {
    const { model, ref, inputs, targets, T, H } = setup(activation);
    const seq = new RnnSequence(model, T);
    const { lossSum } = seq.forward(inputs, targets, T, null);
    const zeros = new Array(H).fill(0);
    assert.ok(Math.abs(lossSum / T - refLoss(ref, [...inputs], [...targets], zeros, activation)) < 1e-12, 'loss differs from reference');
    zeroGrads(model.params);
    seq.backwardOutput(targets, 1 / T);
    seq.backwardFull();
    const numeric = numericGradient(ref, (q) => refLoss(q, [...inputs], [...targets], zeros, activation));
    compare(model, numeric, `full/${activation}`);
  });

  test(`truncated BPTT (K=3) is the exact gradient of the truncated loss (${activation})`, () => {
    const { model, ref, inputs, targets, T } = setup(activation);
    const seq = new RnnSequence(model, T);
    seq.forward(inputs, targets, T, null);
    zeroGrads(model.params);
    seq.backwardOutput(targets, 1 / T);
    seq.backwardTruncated(3);
    const frozen = cloneParams(ref);
    const numeric = numericGradient(ref, (q) => refTruncatedSurrogate(q, frozen, [...inputs], [...targets], 3, activation));
    compare(model, numeric, `truncate/${activation}`);
  });

  test(`window gradient with a carried state matches finite differences (${activation})`, () => {
    const { model, ref, inputs, targets, H } = setup(activation);
    // First window of 5 steps gives the carried state; the second window (5 steps) is checked.
    const K = 5;
    const carried = refHidden(ref, [...inputs.subarray(0, K)], new Array(H).fill(0), activation)[K - 1];
    const hInit = Float64Array.from(carried);
    const ids = inputs.subarray(K, 2 * K);
    const tg = targets.subarray(K, 2 * K);
    const seq = new RnnSequence(model, K);
    seq.forward(ids, tg, K, hInit);
    zeroGrads(model.params);
    seq.backwardOutput(tg, 1 / K);
    seq.backwardFull();
    // The carried state is data, not a function of the parameters: it stays fixed in the reference too.
    const numeric = numericGradient(ref, (q) => refLoss(q, [...ids], [...tg], carried, activation));
    compare(model, numeric, `window/${activation}`);
  });
}

test('truncated BPTT with K ≥ T equals full BPTT', () => {
  const { model, inputs, targets, T } = setup('tanh');
  const seq = new RnnSequence(model, T);
  seq.forward(inputs, targets, T, null);
  zeroGrads(model.params);
  seq.backwardOutput(targets, 1 / T);
  seq.backwardFull();
  const full = model.params.map((p) => p.dw.slice());
  seq.forward(inputs, targets, T, null);
  zeroGrads(model.params);
  seq.backwardOutput(targets, 1 / T);
  seq.backwardTruncated(T);
  model.params.forEach((p, i) => {
    for (let k = 0; k < p.dw.length; k++) assert.ok(Math.abs(p.dw[k] - full[i][k]) < 1e-15, `${p.name}[${k}]`);
  });
  assert.deepEqual(PARAM_NAMES, model.params.map((p) => p.name));
});
