import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EpochMetrics } from '../../../src/core/types';
import { thinForDisplay } from '../../../src/host/displayThinning';

const m = (epoch: number): EpochMetrics => ({
  epoch,
  loss: 1 / (epoch + 1),
  accuracy: epoch / 1000,
  predicted: `p${epoch}`,
  gradNorm: [1, 2, 3, 4, 5],
  lastLossGradNorm: [5, 4, 3, 2, 1],
  paramGradNorm: { Whh: epoch },
  sigmaMaxWhh: 1 + epoch,
  clipped: epoch % 3 === 0,
});

test('within budget every epoch passes untouched (same objects)', () => {
  const epochs = [0, 1, 2].map(m);
  const out = thinForDisplay(epochs, { printEvery: 1, rowValues: 1000 });
  assert.equal(out.length, 3);
  out.forEach((x, i) => assert.equal(x, epochs[i]));
});

test('beyond budget every epoch and its scalars remain; rows are spread evenly with the last always complete', () => {
  const epochs = Array.from({ length: 100 }, (_, i) => m(i));
  const out = thinForDisplay(epochs, { printEvery: 30, rowValues: 100 }); // 10 epochs' rows
  assert.deepEqual(out.map((x) => x.epoch), epochs.map((x) => x.epoch));
  for (const k of ['loss', 'accuracy', 'sigmaMaxWhh', 'clipped'] as const) {
    assert.deepEqual(out.map((x) => x[k]), epochs.map((x) => x[k]), k);
  }
  const withRows = out.filter((x) => x.gradNorm.length > 0).map((x) => x.epoch);
  assert.deepEqual(withRows, [9, 19, 29, 39, 49, 59, 69, 79, 89, 99]);
  assert.equal(out[99], epochs[99], 'the newest epoch is the original object');
  assert.deepEqual(out[50].paramGradNorm, {});
  assert.deepEqual(out[50].lastLossGradNorm, []);
  const predicted = out.filter((x) => x.predicted !== '').map((x) => x.epoch);
  assert.deepEqual(predicted, [0, 30, 60, 90, 99], 'printEvery epochs and the last keep their prediction');
  assert.equal(epochs[50].gradNorm.length, 5, 'inputs are never mutated');
  assert.equal(epochs[50].predicted, 'p50');
});

test('a budget smaller than one epoch still keeps the last epoch whole', () => {
  const out = thinForDisplay([m(0), m(1)], { printEvery: 100, rowValues: 1 });
  assert.equal(out[1].gradNorm.length, 5);
  assert.equal(out[0].gradNorm.length, 0);
  assert.deepEqual(thinForDisplay([], { printEvery: 1, rowValues: 10 }), []);
});
