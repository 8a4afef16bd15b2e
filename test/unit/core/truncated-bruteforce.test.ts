// Truncated BPTT against its definition: for every output t, backpropagate dy_t through exactly
// K steps (t, t−1, …, t−K+1) and add up what each step contributes. Written independently of
// the core, on the reference matrices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RnnModel, RnnSequence } from '../../../src/core/rnn';
import { Rng } from '../../../src/core/rng';
import { Vocabulary } from '../../../src/core/vocab';
import { zeroGrads } from '../../../src/core/param';
import { refHidden, toMat, type RefParams } from './reference';

test('truncated gradient equals the sum over outputs of K-step backprops', () => {
  const text = 'the cat sat on the mat';
  const H = 5;
  const K = 4;
  const vocab = Vocabulary.fromText(text);
  const V = vocab.size;
  const ids = vocab.encode(text);
  const T = ids.length - 1;
  const inputs = [...ids.subarray(0, T)];
  const targets = [...ids.subarray(1)];
  const model = new RnnModel(V, H, 'tanh');
  model.initialize(new Rng(3));
  const p: RefParams = {
    W_xh: toMat(model.Wxh.w, V, H),
    W_hh: toMat(model.Whh.w, H, H),
    W_hy: toMat(model.Why.w, H, V),
    b_h: Array.from(model.bh.w),
    b_y: Array.from(model.by.w),
  };
  const hs = refHidden(p, inputs, new Array(H).fill(0), 'tanh');
  const hPrev = (t: number) => (t === 0 ? new Array(H).fill(0) : hs[t - 1]);

  const dWxh = Array.from({ length: V }, () => new Array(H).fill(0));
  const dWhh = Array.from({ length: H }, () => new Array(H).fill(0));
  const dWhy = Array.from({ length: H }, () => new Array(V).fill(0));
  const dbh = new Array(H).fill(0);
  const dby = new Array(V).fill(0);
  for (let t = 0; t < T; t++) {
    // dy_t for the mean loss
    const y = p.b_y.map((b, v) => b + hs[t].reduce((s, hj, j) => s + hj * p.W_hy[j][v], 0));
    const m = Math.max(...y);
    const z = y.reduce((s, yv) => s + Math.exp(yv - m), 0);
    const dy = y.map((yv, v) => (Math.exp(yv - m) / z - (v === targets[t] ? 1 : 0)) / T);
    dy.forEach((d, v) => {
      dby[v] += d;
      for (let j = 0; j < H; j++) dWhy[j][v] += hs[t][j] * d;
    });
    let dh = Array.from({ length: H }, (_, j) => dy.reduce((s, d, v) => s + p.W_hy[j][v] * d, 0));
    for (let s = t; s >= Math.max(0, t - K + 1); s--) {
      const da = dh.map((g, j) => g * (1 - hs[s][j] ** 2));
      for (let j = 0; j < H; j++) {
        dbh[j] += da[j];
        dWxh[inputs[s]][j] += da[j];
        for (let i = 0; i < H; i++) dWhh[i][j] += hPrev(s)[i] * da[j];
      }
      dh = Array.from({ length: H }, (_, i) => da.reduce((acc, d, j) => acc + p.W_hh[i][j] * d, 0));
    }
  }

  const seq = new RnnSequence(model, T);
  seq.forward(ids.subarray(0, T), ids.subarray(1), T, null);
  zeroGrads(model.params);
  seq.backwardOutput(ids.subarray(1), 1 / T);
  seq.backwardTruncated(K);
  const expected: Record<string, number[]> = { W_xh: dWxh.flat(), W_hh: dWhh.flat(), W_hy: dWhy.flat(), b_h: dbh, b_y: dby };
  for (const param of model.params) {
    const e = expected[param.name];
    for (let i = 0; i < e.length; i++) assert.ok(Math.abs(param.dw[i] - e[i]) <= 1e-13, `${param.name}[${i}]: ${param.dw[i]} vs ${e[i]}`);
  }
  // The seed's bug would have left these at zero.
  assert.ok(dbh.some((x) => Math.abs(x) > 1e-6) && dby.some((x) => Math.abs(x) > 1e-6));
});
