// First steps of each optimizer against values worked out by hand from the update rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Optimizer, clipGlobalNorm } from '../../../src/core/optimizers';
import { makeParam, squaredSum, type Param } from '../../../src/core/param';

const globalNorm = (ps: Param[]) => Math.sqrt(ps.reduce((s, p) => s + squaredSum(p.dw), 0));
import type { OptimizerName } from '../../../src/core/types';
import { createModel } from '../../../src/core/cells';
import { Rng } from '../../../src/core/rng';
import { Arena } from '../../../src/core/wasm/arena';
import { ReferenceAdam } from './loops/adam';

const arenas = new WeakMap<Param, Arena>();

/** A parameter in an arena of its own (the optimizer keeps its slots beside it there). */
function oneParam(w: number[], g: number[]) {
  const arena = new Arena(64 + 8 * w.length);
  const p = makeParam('W_xh', [w.length], (n) => arena.f64(n));
  p.w.set(w);
  p.dw.set(g);
  arenas.set(p, arena);
  return p;
}

const optimizerFor = (name: OptimizerName, lr: number, p: Param) => new Optimizer(name, lr, [p], arenas.get(p)!);

const close = (a: number, b: number, msg: string) => assert.ok(Math.abs(a - b) <= 1e-15 * Math.max(1, Math.abs(b)), `${msg}: ${a} vs ${b}`);

function run(name: OptimizerName, lr: number, grads: number[][], w0: number[]): number[][] {
  const p = oneParam(w0, grads[0]);
  const opt = optimizerFor(name, lr, p);
  const out: number[][] = [];
  for (const g of grads) {
    p.dw.set(g);
    opt.update();
    out.push(Array.from(p.w));
  }
  return out;
}

test('SGD: θ ← θ − lr·g', () => {
  const w = run('sgd', 0.1, [[1, -2], [0.5, 0.5]], [1, 1]);
  close(w[0][0], 0.9, 'step 1');
  close(w[0][1], 1.2, 'step 1');
  close(w[1][0], 0.85, 'step 2');
  close(w[1][1], 1.15, 'step 2');
});

test('Momentum (μ = 0.9): v ← μv + g, θ ← θ − lr·v', () => {
  const w = run('momentum', 0.1, [[1], [1]], [0]);
  close(w[0][0], -0.1, 'step 1'); // v = 1
  close(w[1][0], -0.1 - 0.1 * 1.9, 'step 2'); // v = 0.9 + 1
});

test('Adam (β 0.9/0.999, ε 1e-8): first step moves every weight by lr·sign(g)', () => {
  const w = run('adam', 0.001, [[0.5, -3, 1e-3], [0.5, -3, 1e-3]], [0, 0, 0]);
  // step 1: m̂ = g, v̂ = g², so Δ = lr·g/(|g| + ε)
  close(w[0][0], -0.001 * 0.5 / (0.5 + 1e-8), 'step 1');
  close(w[0][1], 0.001 * 3 / (3 + 1e-8), 'step 1');
  close(w[0][2], -0.001 * 1e-3 / (1e-3 + 1e-8), 'step 1');
  // step 2 with the same gradient: m = 0.19g, v = 0.001999g²; m̂ = g, v̂ = g² again
  const m = 0.9 * 0.1 * 0.5 + 0.1 * 0.5;
  const v = 0.999 * 0.001 * 0.25 + 0.001 * 0.25;
  const mHat = m / (1 - 0.9 ** 2);
  const vHat = v / (1 - 0.999 ** 2);
  close(w[1][0], w[0][0] - (0.001 * mHat) / (Math.sqrt(vHat) + 1e-8), 'step 2');
});

test('RMSProp (α 0.99, ε 1e-8): s ← αs + (1−α)g², θ ← θ − lr·g/(√s + ε)', () => {
  const w = run('rmsprop', 0.01, [[2], [2]], [0]);
  const s1 = 0.01 * 4;
  close(w[0][0], -0.01 * 2 / (Math.sqrt(s1) + 1e-8), 'step 1');
  const s2 = 0.99 * s1 + 0.01 * 4;
  close(w[1][0], w[0][0] - 0.01 * 2 / (Math.sqrt(s2) + 1e-8), 'step 2');
});

test('Adagrad (ε 1e-10): s ← s + g², θ ← θ − lr·g/(√s + ε)', () => {
  const w = run('adagrad', 0.1, [[3], [4]], [1]);
  close(w[0][0], 1 - 0.1 * 3 / (3 + 1e-10), 'step 1');
  close(w[1][0], w[0][0] - 0.1 * 4 / (5 + 1e-10), 'step 2');
});

test('global-norm clipping scales all gradients together, only above the threshold', () => {
  const a = oneParam([0, 0], [3, 0]);
  const b = oneParam([0], [4]);
  const n = globalNorm([a, b]);
  assert.equal(n, 5);
  assert.equal(clipGlobalNorm([a, b], n, 10), false);
  assert.deepEqual(Array.from(b.dw), [4]);
  assert.equal(clipGlobalNorm([a, b], n, 1), true);
  close(a.dw[0], 0.6, 'a');
  close(b.dw[0], 0.8, 'b');
  close(globalNorm([a, b]), 1, 'norm after clipping');
});

test('optimizer state round-trips: a restored optimizer takes the same next step', () => {
  const p1 = oneParam([1, 2], [0.3, -0.1]);
  const o1 = optimizerFor('adam', 0.01, p1);
  o1.update();
  o1.update();
  const p2 = oneParam(Array.from(p1.w), [0.3, -0.1]);
  const o2 = optimizerFor('adam', 0.01, p2);
  o2.setState(JSON.parse(JSON.stringify(o1.getState())));
  o1.update();
  o2.update();
  assert.deepEqual(Array.from(p2.w), Array.from(p1.w));
});

test("Adam's WebAssembly update gives the JS loop's results bit for bit", () => {
  // The optimizer runs the SIMD kernel on the model's arena; the reference, the JS loop on plain copies.
  const model = createModel('rnn', 7, 5, 'tanh');
  model.initialize(new Rng(3));
  const plain = model.params.map((p) => {
    const q = makeParam(p.name, [...p.shape]);
    q.w.set(p.w);
    return q;
  });
  const wasm = new Optimizer('adam', 0.01, model.params, model.arena);
  const js = new ReferenceAdam(0.01, plain);
  const rng = new Rng(4);
  for (let step = 0; step < 5; step++) {
    model.params.forEach((p, k) => {
      for (let i = 0; i < p.dw.length; i++) p.dw[i] = plain[k].dw[i] = rng.normal() * 10 ** (step - 2);
    });
    wasm.update();
    js.update();
    model.params.forEach((p, k) => assert.deepEqual(Array.from(p.w), Array.from(plain[k].w), `${p.name} after step ${step + 1}`));
  }
  const state = wasm.getState();
  model.params.forEach((p, k) => {
    assert.deepEqual(state.slots.m[p.name], Array.from(js.m[k]), `m of ${p.name}`);
    assert.deepEqual(state.slots.v[p.name], Array.from(js.v[k]), `v of ${p.name}`);
  });
});
