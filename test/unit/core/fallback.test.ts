// The whole-loop WebAssembly kernels (RNN recurrence, output layer, full BPTT, source norms) and
// the SIMD gate activations against the JS loops that run where WebAssembly is missing. Same
// mathematics, different summation order and exp/tanh: agreement to rounding, on every buffer
// a trainer reads (every sequence lives in its model's arena).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createModel, createSequence } from '../../../src/core/cells';
import { withoutWebAssembly } from '../../../src/core/wasm/arena';
import { Rng } from '../../../src/core/rng';
import { Vocabulary } from '../../../src/core/vocab';
import { zeroGrads } from '../../../src/core/param';
import type { Activation, CellKind } from '../../../src/core/types';

const TEXT = 'hello world! nice to meet you! i love iron-man';

interface Outcome {
  loss: number;
  correct: number;
  argmax: number[];
  grads: Record<string, number[]>;
  dhTotal: number[];
  sources: number[];
  finalState: number[];
  /** backwardFullWithLast on a fresh sequence: its last-source row and gradients. */
  oneSweepLast: number[];
  oneSweepGrads: Record<string, number[]>;
  lastAlone: number[];
  /** addStepSlopes after the forward: the per-step mean and (RNN) max of the backward factor. */
  slopeMean: number[];
  slopeMax: number[];
}

function run(cell: CellKind, activation: Activation, H: number, wasm: boolean): Outcome {
  const go = (): Outcome => {
    const vocab = Vocabulary.fromText(TEXT);
    const ids = vocab.encode(TEXT);
    const T = ids.length - 1;
    const model = createModel(cell, vocab.size, H, activation, [T, T]);
    model.initialize(new Rng(11));
    // Biases off zero so every term of the forward is exercised.
    const rng = new Rng(12);
    for (const p of model.params) if (p.name.startsWith('b_')) for (let i = 0; i < p.w.length; i++) p.w[i] = 0.3 * rng.normal();
    const seq = createSequence(model, T);
    const state = new Float64Array(model.stateSize).map(() => 0.5 * rng.normal());
    const inputs = ids.subarray(0, T);
    const targets = ids.subarray(1);
    zeroGrads(model.params);
    const { lossSum, correct } = seq.forward(inputs, targets, T, state);
    const slopeMean = new Float64Array(T).fill(1);
    const slopeMax = new Float64Array(T).fill(1);
    seq.addStepSlopes(slopeMean, cell === 'rnn' ? slopeMax : null);
    seq.backwardOutput(targets, 1 / T);
    const sources = new Float64Array(T);
    seq.sourceNorms(T - 1, sources, 0, false);
    const lastAlone = Array.from(sources);
    seq.sourceNorms(T >> 1, sources, 0, true);
    seq.backwardFull();
    const finalState = new Float64Array(model.stateSize);
    seq.finalState(finalState);
    const grads: Record<string, number[]> = {};
    for (const p of model.params) grads[p.name] = Array.from(p.dw);
    // The trainer's path: both sweeps through one call.
    const again = createSequence(model, T);
    zeroGrads(model.params);
    again.forward(inputs, targets, T, state);
    again.backwardOutput(targets, 1 / T);
    const oneSweepLast = new Float64Array(T);
    again.backwardFullWithLast(oneSweepLast, null);
    const oneSweepGrads: Record<string, number[]> = {};
    for (const p of model.params) oneSweepGrads[p.name] = Array.from(p.dw);
    return {
      oneSweepLast: Array.from(oneSweepLast),
      oneSweepGrads,
      lastAlone,
      slopeMean: Array.from(slopeMean),
      slopeMax: Array.from(slopeMax),
      loss: lossSum,
      correct,
      argmax: Array.from(seq.argmax.subarray(0, T)),
      grads,
      dhTotal: Array.from(seq.dhTotal.subarray(0, T * H)),
      sources: Array.from(sources),
      finalState: Array.from(finalState),
    };
  };
  return wasm ? go() : withoutWebAssembly(go);
}

function close(a: number[], b: number[], label: string): void {
  assert.equal(a.length, b.length, label);
  let scale = 0;
  for (const x of b) scale = Math.max(scale, Math.abs(x));
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-12 * scale, `${label}[${i}]: ${a[i]} vs ${b[i]}`);
}

const cases: [CellKind, Activation][] = [['rnn', 'tanh'], ['rnn', 'relu'], ['lstm', 'tanh'], ['gru', 'tanh']];
for (const [cell, activation] of cases) {
  for (const H of [7, 20, 33]) {
    test(`${cell}/${activation} H=${H}: WebAssembly and JS paths agree on loss, predictions, gradients and norm rows`, () => {
      const js = run(cell, activation, H, false);
      {
        const wasm = run(cell, activation, H, true);
        const where = 'WebAssembly';
        assert.ok(Math.abs(wasm.loss - js.loss) <= 1e-12 * js.loss, `${where} loss ${wasm.loss} vs ${js.loss}`);
        assert.equal(wasm.correct, js.correct, `${where} correct`);
        assert.deepEqual(wasm.argmax, js.argmax, `${where} argmax`);
        for (const name of Object.keys(js.grads)) close(wasm.grads[name], js.grads[name], `${where} d${name}`);
        close(wasm.dhTotal, js.dhTotal, `${where} dhTotal`);
        close(wasm.sources, js.sources, `${where} source norms`);
        close(wasm.finalState, js.finalState, `${where} final state`);
        close(wasm.slopeMean, js.slopeMean, `${where} slope means`);
        close(wasm.slopeMax, js.slopeMax, `${where} slope maxima`);
        // One sweep or two: the same bits.
        assert.deepEqual(wasm.oneSweepLast, wasm.lastAlone, `${where} one-sweep last-source row`);
        assert.deepEqual(wasm.oneSweepGrads, wasm.grads, `${where} one-sweep gradients`);
      }
      assert.deepEqual(js.oneSweepLast, js.lastAlone, 'JS one-sweep last-source row');
    });
  }
}

test('withoutWebAssembly really takes the JS path, and the default is WebAssembly', () => {
  const js = withoutWebAssembly(() => createModel('rnn', 4, 3, 'tanh', 10));
  assert.equal(js.arena.usesWasm, false);
  assert.equal(createModel('rnn', 4, 3, 'tanh', 10).arena.usesWasm, true);
});
