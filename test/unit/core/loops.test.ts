// The whole-loop WebAssembly kernels (every cell's forward, output layer, full and truncated BPTT,
// source norms) and the SIMD gate activations against the step-by-step JS loops of the test
// reference (./loops/). Same mathematics, different summation order and exp/tanh: agreement to
// rounding, on every buffer a trainer reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createModel, createSequence } from '../../../src/core/cells';
import { createReferenceSequence } from './loops';
import { Rng } from '../../../src/core/rng';
import { Vocabulary } from '../../../src/core/vocab';
import { zeroGrads } from '../../../src/core/param';
import type { Activation, CellKind } from '../../../src/core/types';

const TEXT = 'hello world! nice to meet you! i love iron-man';

interface Outcome {
  /** Truncate mode, K = 3, on a third sequence: gradients, dhTotal, dcTotal (LSTM). */
  truncGrads: Record<string, number[]>;
  truncDhTotal: number[];
  truncDcTotal: number[];
  /** LSTM: ‖∂L_{T−1}/∂c_k‖. */
  cellSources: number[];
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
  const vocab = Vocabulary.fromText(TEXT);
  const ids = vocab.encode(TEXT);
  const T = ids.length - 1;
  const model = createModel(cell, vocab.size, H, activation, [T, T, T]);
  model.initialize(new Rng(11));
  // Biases off zero so every term of the forward is exercised.
  const rng = new Rng(12);
  for (const p of model.params) if (p.name.startsWith('b_')) for (let i = 0; i < p.w.length; i++) p.w[i] = 0.3 * rng.normal();
  const make = wasm ? createSequence : createReferenceSequence;
  const seq = make(model, T);
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
  const again = make(model, T);
  zeroGrads(model.params);
  again.forward(inputs, targets, T, state);
  again.backwardOutput(targets, 1 / T);
  const oneSweepLast = new Float64Array(T);
  again.backwardFullWithLast(oneSweepLast, null);
  const oneSweepGrads: Record<string, number[]> = {};
  for (const p of model.params) oneSweepGrads[p.name] = Array.from(p.dw);
  // Truncate mode (K = 3), and the LSTM's cell-state source norms.
  const trunc = make(model, T);
  zeroGrads(model.params);
  trunc.forward(inputs, targets, T, state);
  trunc.backwardOutput(targets, 1 / T);
  const truncSources = new Float64Array(T);
  const cellSources = new Float64Array(T);
  trunc.sourceNorms(T - 1, truncSources, 0, false, cell === 'lstm' ? cellSources : null);
  trunc.backwardTruncated(3);
  const truncGrads: Record<string, number[]> = {};
  for (const p of model.params) truncGrads[p.name] = Array.from(p.dw);
  return {
    truncGrads,
    truncDhTotal: Array.from(trunc.dhTotal.subarray(0, T * H)),
    truncDcTotal: trunc.dcTotal ? Array.from(trunc.dcTotal.subarray(0, T * H)) : [],
    cellSources: Array.from(cellSources),
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
        for (const name of Object.keys(js.grads)) close(wasm.truncGrads[name], js.truncGrads[name], `${where} truncated d${name}`);
        close(wasm.truncDhTotal, js.truncDhTotal, `${where} truncated dhTotal`);
        close(wasm.truncDcTotal, js.truncDcTotal, `${where} truncated dcTotal`);
        close(wasm.cellSources, js.cellSources, `${where} cell-state source norms`);
        // Truncation changes the gradient, so the comparison above is not the full one again.
        assert.notDeepEqual(wasm.truncGrads, wasm.grads, `${where} truncated gradients differ from full`);
        // One sweep or two: the same bits.
        assert.deepEqual(wasm.oneSweepLast, wasm.lastAlone, `${where} one-sweep last-source row`);
        assert.deepEqual(wasm.oneSweepGrads, wasm.grads, `${where} one-sweep gradients`);
      }
      assert.deepEqual(js.oneSweepLast, js.lastAlone, 'JS one-sweep last-source row');
    });
  }
}

test('the reference runs in plain JS memory, the production sequence in its model\'s WebAssembly arena', () => {
  const model = createModel('rnn', 4, 3, 'tanh', 10);
  assert.equal(model.arena.owns(createSequence(model, 10).hs), true);
  assert.equal(model.arena.owns(createReferenceSequence(model, 10).hs), false);
});
