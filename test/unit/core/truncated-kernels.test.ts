// Truncate mode's backward and the gated cells' source norms run as one WebAssembly call per
// sequence. They are written to do the step loop's operations (Sequence.backwardTruncated and
// Sequence.sourceNorms over the cells' backStep, which call the same WebAssembly products step by
// step) in the same order, so the two must agree to the last bit, for every cell and several K.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createModel, createSequence } from '../../../src/core/cells';
import { Sequence } from '../../../src/core/sequence';
import { Rng } from '../../../src/core/rng';
import { Vocabulary } from '../../../src/core/vocab';
import { zeroGrads } from '../../../src/core/param';
import type { Activation, CellKind } from '../../../src/core/types';

const TEXT = 'the quick brown fox jumps over the lazy dog; sphinx of black quartz, judge my vow';

interface Outcome {
  grads: number[][];
  dhTotal: number[];
  dcTotal: number[] | null;
  sources: number[];
  cellSources: number[] | null;
}

function run(cell: CellKind, activation: Activation, H: number, K: number, stepLoop: boolean): Outcome {
  const vocab = Vocabulary.fromText(TEXT);
  const ids = vocab.encode(TEXT);
  const T = ids.length - 1;
  const model = createModel(cell, vocab.size, H, activation, T);
  model.initialize(new Rng(5));
  const rng = new Rng(6);
  for (const p of model.params) if (p.name.startsWith('b_')) for (let i = 0; i < p.w.length; i++) p.w[i] = 0.3 * rng.normal();
  const seq = createSequence(model, T);
  const state = new Float64Array(model.stateSize).map(() => 0.5 * rng.normal());
  const targets = ids.subarray(1);
  seq.forward(ids.subarray(0, T), targets, T, state);
  zeroGrads(model.params);
  seq.backwardOutput(targets, 1 / T);
  const sources = new Float64Array(T);
  const cellSources = cell === 'lstm' ? new Float64Array(T) : null;
  const sourceNorms = stepLoop ? Sequence.prototype.sourceNorms : seq.sourceNorms;
  sourceNorms.call(seq, T - 1, sources, 0, false, cellSources);
  sourceNorms.call(seq, T >> 1, sources, 0, true, cellSources);
  if (stepLoop) Sequence.prototype.backwardTruncated.call(seq, K);
  else seq.backwardTruncated(K);
  return {
    grads: model.params.map((p) => Array.from(p.dw)),
    dhTotal: Array.from(seq.dhTotal.subarray(0, T * H)),
    dcTotal: seq.dcTotal ? Array.from(seq.dcTotal.subarray(0, T * H)) : null,
    sources: Array.from(sources),
    cellSources: cellSources ? Array.from(cellSources) : null,
  };
}

const cases: [CellKind, Activation][] = [['rnn', 'tanh'], ['rnn', 'relu'], ['lstm', 'tanh'], ['gru', 'tanh']];
for (const [cell, activation] of cases) {
  for (const H of [7, 20]) {
    test(`${cell}/${activation} H=${H}: the one-call truncated backward and source norms give the step loop's bits`, () => {
      for (const K of [1, 3, 17, 200]) {
        const one = run(cell, activation, H, K, false);
        const loop = run(cell, activation, H, K, true);
        assert.deepEqual(one, loop, `K=${K}`);
        // Not vacuous: truncation changes the gradient.
        if (K === 3) assert.notDeepEqual(one.grads, run(cell, activation, H, 200, false).grads);
      }
    });
  }
}
