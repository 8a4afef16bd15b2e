// Finite-difference checks for the LSTM and GRU, every parameter, every mode. The numeric side
// evaluates the loss with the cells' forward pass (a direct transcription of the equations in
// lstm.ts and gru.ts); the analytic side is their backward pass, which is what is under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createModel, createSequence } from '../../../src/core/cells';
import type { CellModel } from '../../../src/core/model';
import type { Sequence } from '../../../src/core/sequence';
import { Rng } from '../../../src/core/rng';
import { Vocabulary } from '../../../src/core/vocab';
import { zeroGrads } from '../../../src/core/param';
import type { CellKind } from '../../../src/core/types';

const TEXT = 'abcab cabbac!';

function setup(cell: CellKind, H = 5, seed = 7) {
  const vocab = Vocabulary.fromText(TEXT);
  const ids = vocab.encode(TEXT);
  const T = ids.length - 1;
  // Room for the sequence under test, the one the losses are evaluated with, and one more
  // (window test: the first window's; truncation: the frozen forward).
  const model = createModel(cell, vocab.size, H, 'tanh', [T, T, T]);
  model.initialize(new Rng(seed));
  const rng = new Rng(seed + 1);
  // Move the biases off their initial values so their gradients are exercised in general position.
  for (const p of model.params) if (p.name.startsWith('b_')) for (let i = 0; i < p.w.length; i++) p.w[i] += 0.1 * rng.normal();
  return { model, inputs: ids.subarray(0, T), targets: ids.subarray(1), T };
}

const evaluators = new WeakMap<CellModel, Sequence>();

/** Cross-entropy summed over the steps [0, T) starting from `state` (or zeros), through one sequence per model. */
function lossSum(model: CellModel, ids: Int32Array, targets: Int32Array, T: number, state: Float64Array | null): number {
  let seq = evaluators.get(model);
  if (!seq) evaluators.set(model, (seq = createSequence(model, TEXT.length - 1)));
  return seq.forward(ids, targets, T, state).lossSum;
}

/** Mean cross-entropy of the steps [0, T) starting from `state` (or zeros). */
function loss(model: CellModel, ids: Int32Array, targets: Int32Array, T: number, state: Float64Array | null): number {
  return lossSum(model, ids, targets, T, state) / T;
}

function numeric(model: CellModel, f: () => number, eps = 1e-5): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const p of model.params) {
    const g = new Float64Array(p.w.length);
    for (let i = 0; i < p.w.length; i++) {
      const orig = p.w[i];
      p.w[i] = orig + eps;
      const up = f();
      p.w[i] = orig - eps;
      const down = f();
      p.w[i] = orig;
      g[i] = (up - down) / (2 * eps);
    }
    out.set(p.name, g);
  }
  return out;
}

function compare(model: CellModel, num: Map<string, Float64Array>, label: string): void {
  for (const p of model.params) {
    const n = num.get(p.name)!;
    let diff = 0;
    let na = 0;
    let nn = 0;
    for (let i = 0; i < n.length; i++) {
      diff += (p.dw[i] - n[i]) ** 2;
      na += p.dw[i] ** 2;
      nn += n[i] ** 2;
      assert.ok(Math.abs(p.dw[i] - n[i]) <= 1e-8, `${label} ${p.name}[${i}]: analytic ${p.dw[i]} vs numeric ${n[i]}`);
    }
    const rel = Math.sqrt(diff) / Math.max(Math.sqrt(na), Math.sqrt(nn));
    assert.ok(rel <= 1e-6, `${label} ${p.name}: relative error ${rel.toExponential(2)} > 1e-6`);
    assert.ok(Math.sqrt(nn) > 1e-6, `${label} ${p.name}: numerically zero gradient proves nothing`);
  }
}

for (const cell of ['lstm', 'gru'] as const) {
  test(`${cell}: full BPTT gradient matches finite differences`, () => {
    const { model, inputs, targets, T } = setup(cell);
    const seq = createSequence(model, T);
    seq.forward(inputs, targets, T, null);
    zeroGrads(model.params);
    seq.backwardOutput(targets, 1 / T);
    seq.backwardFull();
    compare(model, numeric(model, () => loss(model, inputs, targets, T, null)), `${cell}/full`);
  });

  test(`${cell}: window gradient with a carried state matches finite differences`, () => {
    const { model, inputs, targets } = setup(cell);
    const K = 5;
    const first = createSequence(model, K);
    first.forward(inputs.subarray(0, K), targets.subarray(0, K), K, null);
    const carried = new Float64Array(model.stateSize);
    first.finalState(carried);
    const ids = inputs.subarray(K, 2 * K);
    const tg = targets.subarray(K, 2 * K);
    const seq = createSequence(model, K);
    seq.forward(ids, tg, K, carried);
    zeroGrads(model.params);
    seq.backwardOutput(tg, 1 / K);
    seq.backwardFull();
    // The carried state is data: it stays fixed while the parameters move.
    compare(model, numeric(model, () => loss(model, ids, tg, K, carried)), `${cell}/window`);
  });

  test(`${cell}: truncated BPTT (K=3) is the exact gradient of the truncated loss`, () => {
    const { model, inputs, targets, T } = setup(cell);
    const K = 3;
    // States under the unperturbed parameters: where each output's K-step window starts.
    const frozen = createSequence(model, T);
    frozen.forward(inputs, targets, T, null);
    const starts = Array.from({ length: T }, (_, t) => {
      const s = new Float64Array(model.stateSize);
      if (t > 0) frozen.stateAfter(t - 1, s);
      return s;
    });
    const surrogate = () => {
      let total = 0;
      for (let t = 0; t < T; t++) {
        const start = Math.max(0, t - K + 1);
        const n = t - start + 1;
        const ids = inputs.subarray(start, t + 1);
        const tg = targets.subarray(start, t + 1);
        const upTo = lossSum(model, ids, tg, n, starts[start]);
        const before = n > 1 ? lossSum(model, ids, tg, n - 1, starts[start]) : 0;
        total += upTo - before; // output t's cross-entropy, seeing the parameters in its last K steps
      }
      return total / T;
    };
    const seq = createSequence(model, T);
    seq.forward(inputs, targets, T, null);
    zeroGrads(model.params);
    seq.backwardOutput(targets, 1 / T);
    seq.backwardTruncated(K);
    compare(model, numeric(model, surrogate), `${cell}/truncate`);
  });
}

test('lstm: forget-gate bias starts at 1, the other biases at 0', () => {
  const m = createModel('lstm', 4, 3, 'tanh');
  m.initialize(new Rng(1));
  assert.deepEqual(Array.from(m.bh.w), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(m.params.map((p) => [p.name, ...p.shape]), [
    ['W_xh', 4, 12],
    ['W_hh', 3, 12],
    ['W_hy', 3, 4],
    ['b_h', 12],
    ['b_y', 4],
  ]);
  const g = createModel('gru', 4, 3, 'tanh');
  assert.deepEqual(g.params.map((p) => [p.name, ...p.shape]), [
    ['W_xh', 4, 9],
    ['W_hh', 3, 9],
    ['W_hy', 3, 4],
    ['b_h', 9],
    ['b_y', 4],
    ['b_hn', 3],
  ]);
});
