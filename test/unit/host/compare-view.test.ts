// The compare webview's pure helpers (webview/compare/model.ts): shared colour range, curves, rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EpochMetrics } from '../../../src/core/types';
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

test('curves and rows: epochs against loss/accuracy, timesteps against the norm', () => {
  const h = [m(0, 2, 0.1, [1e-3, 1]), m(1, 1.5, 0.4, [1e-2, 1], [0.5, 1]), m(2, 1, 0.6, [])];
  assert.deepEqual(curve(h, 'loss'), [{ x: 0, y: 2 }, { x: 1, y: 1.5 }, { x: 2, y: 1 }]);
  assert.deepEqual(curve(h, 'accuracy').map((p) => p.y), [0.1, 0.4, 0.6]);
  assert.equal(latestWithRows(h)?.epoch, 1, 'an epoch whose rows were trimmed is skipped');
  assert.deepEqual(rowPoints(latestWithRows(h), 'lastLossGradNorm'), [{ x: 0, y: 1e-2 }, { x: 1, y: 1 }]);
  assert.deepEqual(rowPoints(latestWithRows(h), 'lastLossCellGradNorm'), [{ x: 0, y: 0.5 }, { x: 1, y: 1 }]);
  assert.deepEqual(rowPoints(h[0], 'lastLossCellGradNorm'), []);
  assert.deepEqual(rowPoints(undefined, 'gradNorm'), []);
  assert.equal(latestWithRows([]), undefined);
});
