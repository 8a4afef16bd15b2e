// The compare webview's pure helpers (webview/compare/model.ts): shared colour range, curves, rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EpochMetrics } from '../../../src/core/types';
import { blockFromEpochs } from '../../../src/shared/epochBlock';
import { MetricsStore } from '../../../src/shared/metricsStore';
import { curve, gradKeyFor, latestWithRows, movedVisibly, rowPoints, sharedRange } from '../../../webview/compare/model';

const m = (epoch: number, loss: number, accuracy: number, last: number[], cell?: number[]): EpochMetrics => ({
  epoch,
  loss,
  accuracy,
  predicted: '',
  gradNorm: last.map((v) => v * 2),
  lastLossGradNorm: last,
  ...(cell ? { cellGradNorm: cell, lastLossCellGradNorm: cell } : {}),
  paramGradNorm: {},
  sigmaMaxWhh: 1,
});

test('shared range covers every heatmap and ignores those without data', () => {
  assert.deepEqual(sharedRange([{ lo: -3, hi: 0 }, { lo: -8, hi: -1 }, { lo: -2, hi: 0.5 }]), { lo: -8, hi: 0.5 });
  assert.deepEqual(sharedRange([{ lo: Infinity, hi: -Infinity }, { lo: -2, hi: -1 }]), { lo: -2, hi: -1 });
  assert.equal(sharedRange([{ lo: Infinity, hi: -Infinity }]), null);
  assert.equal(sharedRange([]), null);
});

test('a shared range move smaller than one colour step is not a visible move', () => {
  const r = { lo: -4, hi: 0 };
  assert.equal(movedVisibly(null, r), true);
  assert.equal(movedVisibly(r, null), true);
  assert.equal(movedVisibly(null, null), false);
  assert.equal(movedVisibly(r, { lo: -4.001, hi: 0 }), false);
  assert.equal(movedVisibly(r, { lo: -4.1, hi: 0 }), true);
  assert.equal(movedVisibly({ lo: 1, hi: 1 }, { lo: 1, hi: 1 }), false);
  assert.equal(movedVisibly({ lo: 1, hi: 1 }, { lo: 2, hi: 2 }), true);
});

test('views: the memory view shows the LSTM cell state and h for the other cells', () => {
  assert.equal(gradKeyFor('total', 'lstm'), 'gradNorm');
  assert.equal(gradKeyFor('last', 'lstm'), 'lastLossGradNorm');
  assert.equal(gradKeyFor('memory', 'lstm'), 'lastLossCellGradNorm');
  assert.equal(gradKeyFor('memory', 'rnn'), 'lastLossGradNorm');
  assert.equal(gradKeyFor('memory', 'gru'), 'lastLossGradNorm');
});

test('curves and rows: epochs against loss/accuracy, timesteps against the norm; epochs without rows are skipped', () => {
  const h = [m(0, 2, 0.1, [1e-3, 1], [0.2, 1]), m(1, 1.5, 0.4, [1e-2, 1], [0.5, 1]), m(2, 1, 0.6, [5, 5], [5, 5])];
  const block = blockFromEpochs(h, 2);
  // The newest epoch lost its rows (as in a slimmed saved state): the block says which kept them.
  const rows = { ...block, rowEpochs: Int32Array.from([0, 1]), rows: Object.fromEntries(Object.entries(block.rows).map(([k, v]) => [k, v.slice(0, 4)])) };
  const store = MetricsStore.fromBlock(rows);
  assert.deepEqual(curve(store, 'loss'), [{ x: 0, y: 2 }, { x: 1, y: 1.5 }, { x: 2, y: 1 }]);
  assert.deepEqual(curve(store, 'accuracy', 1).map((p) => p.y), [0.4, 0.6]);
  assert.equal(latestWithRows(store), 1, 'an epoch whose rows were dropped is skipped');
  assert.deepEqual(rowPoints(store, 1, 'lastLossGradNorm'), [{ x: 0, y: 1e-2 }, { x: 1, y: 1 }]);
  assert.deepEqual(rowPoints(store, 1, 'lastLossCellGradNorm'), [{ x: 0, y: 0.5 }, { x: 1, y: 1 }]);
  assert.deepEqual(rowPoints(store, 2, 'gradNorm'), []);
  assert.deepEqual(rowPoints(undefined, 0, 'gradNorm'), []);
  assert.equal(latestWithRows(undefined), -1);
});
