import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, SEED_SENTENCE, Trainer } from '../../../src/core';
import { SigmaMaxSolver } from '../../../src/core/spectral';
import { Rng } from '../../../src/core/rng';
import { jacobiSigmaMax, toMat } from './reference';

test('T×T matrix: its last row is the epoch\'s lastLossGradNorm; entries above the diagonal are null', () => {
  const t = new Trainer(SEED_SENTENCE, { ...DEFAULT_CONFIG, epochs: 10 });
  for (let i = 0; i < 4; i++) t.runEpoch();
  const live = t.gradMatrix(4);
  const m = t.runEpoch();
  assert.equal(m.epoch, 4);
  const T = live.size;
  assert.equal(T, 45);
  for (let k = 0; k < T; k++) assert.ok(Math.abs((live.values[(T - 1) * T + k] as number) - m.lastLossGradNorm[k]) < 1e-15);
  assert.equal(live.values[0 * T + 1], null);
  assert.equal(typeof live.values[1 * T + 0], 'number');
});

test('a past epoch\'s matrix is replayed exactly from snapshots', () => {
  const t = new Trainer(SEED_SENTENCE, { ...DEFAULT_CONFIG, epochs: 12 });
  const taken: Record<number, (number | null)[]> = {};
  while (!t.finished) {
    if (t.epochsDone === 3 || t.epochsDone === 9) taken[t.epochsDone] = t.gradMatrix(t.epochsDone).values;
    t.runEpoch();
  }
  assert.deepEqual(t.gradMatrix(3).values, taken[3]);
  assert.deepEqual(t.gradMatrix(9).values, taken[9]);
  assert.throws(() => t.gradMatrix(13), RangeError);
});

test('σ_max equals a Jacobi SVD reference', () => {
  const rng = new Rng(11);
  for (const n of [1, 2, 5, 20, 64, 128]) {
    const w = Float64Array.from({ length: n * n }, () => rng.normal() / Math.sqrt(n));
    const s = new SigmaMaxSolver(n, n).solve(w);
    const ref = jacobiSigmaMax(toMat(w, n, n));
    assert.ok(Math.abs(s - ref) <= 1e-10 * ref, `n=${n}: ${s} vs ${ref}`);
  }
  // Rank-deficient and zero matrices.
  assert.equal(new SigmaMaxSolver(3, 3).solve(new Float64Array(9)), 0);
  const rank1 = Float64Array.from([1, 2, 3, 2, 4, 6, 3, 6, 9]);
  assert.ok(Math.abs(new SigmaMaxSolver(3, 3).solve(rank1) - 14) < 1e-12);
});
