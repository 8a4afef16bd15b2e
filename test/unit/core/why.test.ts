// The per-epoch "why it vanishes" numbers: the three derived from the ‖∂L_T/∂h_t‖ row by hand,
// the per-step slopes against the plain reference forward, and Pascanu et al.'s bound
// stepShrink[t] ≤ σ_max(W_hh)·max f′(a_{t+1}) on real runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, SEED_SENTENCE, Trainer, deriveShrink, type EpochMetrics, type TrainConfig, type WeightsFile } from '../../../src/core';
import { jacobiSigmaMax, refGruForward, refHidden, refLstmForward, toMat, type Mat } from './reference';

function close(actual: number | null | undefined, expected: number, rel: number, label: string): void {
  assert.ok(typeof actual === 'number', `${label}: expected a number, got ${actual}`);
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected) + 1e-300, `${label}: ${actual} vs ${expected}`);
}

test('deriveShrink: S = 0 and S = 1 have no factors, no mean and no reach', () => {
  assert.deepEqual(deriveShrink([]), { stepShrink: [], shrinkPerStep: null, reach1pct: null });
  assert.deepEqual(deriveShrink([5]), { stepShrink: [], shrinkPerStep: null, reach1pct: null });
  assert.deepEqual(deriveShrink([null]), { stepShrink: [], shrinkPerStep: null, reach1pct: null });
});

test('deriveShrink: S = 2, the one factor is the mean; reach only below 1% of the last step', () => {
  assert.deepEqual(deriveShrink([2, 4]), { stepShrink: [0.5], shrinkPerStep: 0.5, reach1pct: null });
  // 0.04 is not below 0.01·4 = 0.04; 0.03 is.
  assert.deepEqual(deriveShrink([0.04, 4]), { stepShrink: [0.01], shrinkPerStep: 0.01, reach1pct: null });
  assert.deepEqual(deriveShrink([0.03, 4]), { stepShrink: [0.0075], shrinkPerStep: 0.0075, reach1pct: 1 });
  assert.deepEqual(deriveShrink([3, 0]), { stepShrink: [null], shrinkPerStep: null, reach1pct: null });
  assert.deepEqual(deriveShrink([0, 3]), { stepShrink: [0], shrinkPerStep: 0, reach1pct: 1 });
});

test('deriveShrink: a vanishing row, by hand', () => {
  // n = [0.001, 0.1, 1, 10]: factors 0.01, 0.1, 0.1; mean (1e-4)^(1/3); 0.01·10 = 0.1, and only
  // n_0 is below it (n_1 = 0.1 is not), so the reach is 3 − 0 = 3.
  const d = deriveShrink([0.001, 0.1, 1, 10]);
  assert.equal(d.stepShrink.length, 3);
  close(d.stepShrink[0], 0.01, 1e-15, 'stepShrink[0]');
  close(d.stepShrink[1], 0.1, 1e-15, 'stepShrink[1]');
  close(d.stepShrink[2], 0.1, 1e-15, 'stepShrink[2]');
  close(d.shrinkPerStep, 0.0464158883361278, 1e-14, 'shrinkPerStep');
  assert.equal(d.reach1pct, 3);
});

test('deriveShrink: the reach counts from the step nearest the end that is below 1%', () => {
  // 0.01·1 = 0.01: n_2 = 0.005 is below it (t* = 2, reach 1) even though n_1 rises again.
  const d = deriveShrink([0.001, 5, 0.005, 1]);
  assert.equal(d.reach1pct, 1);
  assert.deepEqual(d.stepShrink, [0.001 / 5, 5 / 0.005, 0.005]);
  close(d.shrinkPerStep, Math.cbrt(0.001), 1e-15, 'shrinkPerStep');
});

test('deriveShrink: zeros give null factors where they divide, and 0 where they are divided', () => {
  assert.deepEqual(deriveShrink([0, 0, 3]), { stepShrink: [null, 0], shrinkPerStep: 0, reach1pct: 1 });
  assert.deepEqual(deriveShrink([1, 2, 0]), { stepShrink: [0.5, null], shrinkPerStep: null, reach1pct: null });
  assert.deepEqual(deriveShrink([0, 0, 0]), { stepShrink: [null, null], shrinkPerStep: null, reach1pct: null });
});

test('deriveShrink: null, NaN and ∞ entries (a stored row) make only what depends on them null', () => {
  assert.deepEqual(deriveShrink([null, 1, 2]), { stepShrink: [null, 0.5], shrinkPerStep: null, reach1pct: null });
  const d = deriveShrink([0.0001, null, 1]);
  assert.deepEqual(d.stepShrink, [null, null]);
  close(d.shrinkPerStep, 0.01, 1e-15, 'shrinkPerStep past a null');
  assert.equal(d.reach1pct, 2);
  assert.deepEqual(deriveShrink([1, NaN, 4]), { stepShrink: [null, null], shrinkPerStep: 0.5, reach1pct: null });
  assert.deepEqual(deriveShrink([1, 2, null]), { stepShrink: [0.5, null], shrinkPerStep: null, reach1pct: null });
  assert.deepEqual(deriveShrink([Infinity, 2]), { stepShrink: [null], shrinkPerStep: null, reach1pct: null });
});

/** Runs `epochs` epochs, handing each epoch's metrics and the weights it started from to `check`. */
function eachEpoch(text: string, config: TrainConfig, check: (m: EpochMetrics, w: WeightsFile) => void): void {
  const t = new Trainer(text, config);
  while (!t.finished) {
    const w = t.toWeights();
    check(t.runEpoch(), w);
  }
}

function mat(w: WeightsFile, name: string): Mat {
  const p = w.params[name];
  return toMat(p.data, p.shape[0], p.shape[1]);
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function ids(w: WeightsFile, text: string): number[] {
  const chars = [...text];
  return chars.slice(0, -1).map((c) => w.vocab.indexOf(c));
}

/** The RNN's f′(a_t) per step and unit from the reference forward, written from a_t's activation. */
function rnnSlopes(w: WeightsFile, text: string): number[][] {
  const p = { W_xh: mat(w, 'W_xh'), W_hh: mat(w, 'W_hh'), W_hy: mat(w, 'W_hy'), b_h: w.params.b_h.data, b_y: w.params.b_y.data };
  const hs = refHidden(p, ids(w, text), new Array(w.hiddenSize).fill(0), w.activation);
  return hs.map((h) => h.map((x) => (w.activation === 'tanh' ? 1 - x * x : x > 0 ? 1 : 0)));
}

for (const activation of ['tanh', 'relu'] as const) {
  test(`rnn ${activation}: activationSlope and the max in stepBound match the reference forward, epoch by epoch`, () => {
    const cfg: TrainConfig = { ...DEFAULT_CONFIG, activation, hiddenSize: 12, epochs: 8, learningRate: 0.01 };
    eachEpoch(SEED_SENTENCE, cfg, (m, w) => {
      const slopes = rnnSlopes(w, SEED_SENTENCE);
      const sigma = jacobiSigmaMax(mat(w, 'W_hh'));
      close(m.sigmaMaxWhh, sigma, 1e-12, `epoch ${m.epoch} σ_max`);
      assert.equal(m.activationSlope!.length, slopes.length);
      slopes.forEach((s, t) => close(m.activationSlope![t], mean(s), 1e-12, `epoch ${m.epoch} activationSlope[${t}]`));
      assert.equal(m.stepBound!.length, slopes.length - 1);
      for (let t = 0; t + 1 < slopes.length; t++) close(m.stepBound![t], sigma * Math.max(...slopes[t + 1]), 1e-12, `epoch ${m.epoch} stepBound[${t}]`);
    });
  });
}

test('lstm: activationSlope is the mean forget gate of the reference forward; no stepBound', () => {
  eachEpoch(SEED_SENTENCE, { ...DEFAULT_CONFIG, cell: 'lstm', hiddenSize: 8, epochs: 4, learningRate: 0.01 }, (m, w) => {
    const { forget } = refLstmForward(mat(w, 'W_xh'), mat(w, 'W_hh'), w.params.b_h.data, ids(w, SEED_SENTENCE));
    assert.equal(m.activationSlope!.length, forget.length);
    forget.forEach((f, t) => close(m.activationSlope![t], mean(f), 1e-12, `epoch ${m.epoch} activationSlope[${t}]`));
    assert.equal(m.stepBound, null);
  });
});

test('gru: activationSlope is the mean update gate of the reference forward; no stepBound', () => {
  eachEpoch(SEED_SENTENCE, { ...DEFAULT_CONFIG, cell: 'gru', hiddenSize: 8, epochs: 4, learningRate: 0.01 }, (m, w) => {
    const { update } = refGruForward(mat(w, 'W_xh'), mat(w, 'W_hh'), w.params.b_h.data, w.params.b_hn.data, ids(w, SEED_SENTENCE));
    assert.equal(m.activationSlope!.length, update.length);
    update.forEach((z, t) => close(m.activationSlope![t], mean(z), 1e-12, `epoch ${m.epoch} activationSlope[${t}]`));
    assert.equal(m.stepBound, null);
  });
});

test('window mode: activationSlope and stepBound are the per-position means over the windows', () => {
  // SGD at 1e-300 moves no weight by a representable amount, so every window runs the epoch-start
  // weights and the state carried across windows is the reference's one forward over the text.
  const K = 7;
  const text = SEED_SENTENCE; // 45 steps: six full windows of 7 and one of 3
  const cfg: TrainConfig = { ...DEFAULT_CONFIG, optimizer: 'sgd', learningRate: 1e-300, mode: { kind: 'window', k: K }, epochs: 2 };
  eachEpoch(text, cfg, (m, w) => {
    const slopes = rnnSlopes(w, text);
    const sigma = jacobiSigmaMax(mat(w, 'W_hh'));
    const byPos = (f: (s: number[]) => number) =>
      Array.from({ length: K }, (_, p) => mean(slopes.filter((_, t) => t % K === p).map(f)));
    const meanAt = byPos(mean);
    const maxAt = byPos((s) => Math.max(...s));
    assert.equal(m.activationSlope!.length, K);
    meanAt.forEach((x, p) => close(m.activationSlope![p], x, 1e-12, `activationSlope[${p}]`));
    assert.equal(m.stepBound!.length, K - 1);
    for (let p = 0; p + 1 < K; p++) close(m.stepBound![p], sigma * maxAt[p + 1], 1e-12, `stepBound[${p}]`);
  });
});

test('every mode and cell: the derived three are deriveShrink of the epoch\'s own lastLossGradNorm row', () => {
  const modes = [{ kind: 'full' }, { kind: 'truncate', k: 5 }, { kind: 'window', k: 9 }] as const;
  for (const cell of ['rnn', 'lstm', 'gru'] as const) {
    for (const mode of modes) {
      eachEpoch(SEED_SENTENCE, { ...DEFAULT_CONFIG, cell, mode, epochs: 3, hiddenSize: 6 }, (m) => {
        const d = deriveShrink(m.lastLossGradNorm);
        assert.deepEqual({ stepShrink: m.stepShrink, shrinkPerStep: m.shrinkPerStep, reach1pct: m.reach1pct }, d, `${cell} ${mode.kind}`);
        assert.equal(m.stepShrink!.length, m.lastLossGradNorm.length - 1);
      });
    }
  }
});

/** stepShrink[t] ≤ stepBound[t]·(1 + 1e-12) at every step; returns the largest ratio seen. */
function assertBounded(m: EpochMetrics, label: string): number {
  let worst = 0;
  m.stepShrink!.forEach((s, t) => {
    if (s === null) return;
    const b = m.stepBound![t];
    assert.ok(s <= b * (1 + 1e-12), `${label} epoch ${m.epoch}, step ${t}: shrink ${s} > bound ${b}`);
    if (b > 0) worst = Math.max(worst, s / b);
  });
  return worst;
}

for (const activation of ['tanh', 'relu'] as const) {
  for (const mode of [{ kind: 'full' }, { kind: 'truncate', k: 5 }] as const) {
    test(`rnn ${activation} ${mode.kind}: stepShrink[t] ≤ stepBound[t] at every step of every epoch`, () => {
      for (const [hiddenSize, learningRate] of [[20, 0.001], [8, 0.05]] as const) {
        const cfg: TrainConfig = { ...DEFAULT_CONFIG, activation, mode, hiddenSize, learningRate, epochs: 40 };
        eachEpoch(SEED_SENTENCE, cfg, (m) => assertBounded(m, `H=${hiddenSize} lr=${learningRate}`));
      }
    });
  }

  test(`rnn ${activation}: with one hidden unit the bound is met with equality, step by step`, () => {
    // H = 1: ∂h_t/∂h_{t−1} = w·f′(a_t) is a number, so n_t/n_{t+1} = |w|·f′(a_{t+1}) exactly.
    // A single ReLU unit is often dead (factor 0, and the row is 0 from there back), so several
    // seeds give enough live steps.
    let live = 0;
    for (let seed = 1; seed <= 8; seed++) {
      eachEpoch(SEED_SENTENCE, { ...DEFAULT_CONFIG, activation, seed, hiddenSize: 1, epochs: 10, learningRate: 0.01 }, (m) => {
        m.stepShrink!.forEach((s, t) => {
          if (s === null) return;
          close(s, m.stepBound![t], 1e-12, `seed ${seed} epoch ${m.epoch} step ${t}`);
          if (s > 0) live++;
        });
      });
    }
    assert.ok(live > 100, `only ${live} steps had a non-zero factor`);
  });
}
