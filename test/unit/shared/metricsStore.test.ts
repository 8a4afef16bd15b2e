// The one owner of a run's metrics: columns, the row budget, predictions, blocks in and out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EpochMetrics } from '../../../src/core/types';
import { blockBytes, blockFromEpochs, concatBlocks, withoutPredictions } from '../../../src/shared/epochBlock';
import { MetricsStore } from '../../../src/shared/metricsStore';

const m = (epoch: number, extra: Partial<EpochMetrics> = {}): EpochMetrics => ({
  epoch,
  loss: 1 / (epoch + 1),
  accuracy: epoch / 100,
  predicted: `p${epoch}`,
  gradNorm: [epoch, epoch + 0.5, epoch + 0.25],
  lastLossGradNorm: [1e-3 * epoch, 0.1, 1],
  activationSlope: [0.5, 0.5, 0.5],
  stepBound: [2, 3],
  paramGradNorm: { W_xh: epoch, W_hh: -epoch },
  sigmaMaxWhh: 1.5,
  shrinkPerStep: epoch === 0 ? null : 0.1,
  reach1pct: null,
  clipped: epoch % 3 === 0,
  ...extra,
});

const range = (from: number, to: number, extra?: Partial<EpochMetrics>) => Array.from({ length: to - from }, (_, i) => m(from + i, extra));

test('a block packs every column, row and string of its epochs; the store gives them back exactly', () => {
  const store = MetricsStore.fromBlock(blockFromEpochs(range(5, 10), 3));
  assert.deepEqual([store.length, store.first, store.nextEpoch, store.indexOf(7), store.indexOf(10), store.indexOf(4.5)], [5, 5, 10, 2, -1, -1]);
  assert.deepEqual(store.layout.rows, ['gradNorm', 'lastLossGradNorm', 'activationSlope', 'stepBound']);
  assert.deepEqual(store.layout.params, ['W_xh', 'W_hh']);
  assert.deepEqual(Array.from(store.scalar('loss')), [1 / 6, 1 / 7, 1 / 8, 1 / 9, 1 / 10]);
  assert.deepEqual(Array.from(store.row('stepBound', 0)!), [2, 3], 'the bound row has S − 1 values');
  assert.deepEqual(store.record(1), { ...m(6), rowsKept: true });
  const first = MetricsStore.fromBlock(blockFromEpochs([m(0)], 3)).record(0);
  assert.equal(first.shrinkPerStep, null, 'null stays null through the NaN column');
  assert.equal(store.clipped(1), true);
  assert.equal(store.predicted(4), 'p9');
});

test('blocks must follow each other; consecutive blocks append and join', () => {
  const store = MetricsStore.fromBlock(blockFromEpochs(range(0, 3), 3));
  assert.throws(() => store.append(blockFromEpochs(range(4, 5), 3)), /do not follow epoch 2/);
  assert.throws(() => store.append({ ...blockFromEpochs(range(3, 4), 3), steps: 4 }), /4 steps in a run of 3/);
  store.append(concatBlocks([blockFromEpochs(range(3, 100), 3), blockFromEpochs(range(100, 1000), 3)]));
  assert.equal(store.length, 1000);
  assert.deepEqual(Array.from(store.row('gradNorm', 999)!), [999, 999.5, 999.25]);
  assert.deepEqual(store.paramGradNorm(500), { W_xh: 500, W_hh: -500 });
});

test('the row budget drops the oldest rows first and never the newest; scalars stay', () => {
  const perEpoch = 8 * (3 + 3 + 3 + 2);
  const store = new MetricsStore(MetricsStore.fromBlock(blockFromEpochs([m(0)], 3)).layout, { rowBytes: 10 * perEpoch, predictedChars: 1e9 });
  for (let e = 0; e < 1000; e += 7) store.append(blockFromEpochs(range(e, Math.min(1000, e + 7)), 3));
  assert.equal(store.rowBytes, 10 * perEpoch);
  assert.equal(store.droppedRows, 990);
  assert.equal(store.rowsAtOrBefore(500), -1);
  assert.equal(store.rowsAtOrBefore(995), 995);
  assert.deepEqual(Array.from(store.row('gradNorm', 990)!), [990, 990.5, 990.25], 'rows survive the compaction of the storage');
  assert.equal(store.value('loss', 3), 1 / 4);
  const tiny = new MetricsStore(store.layout, { rowBytes: 1, predictedChars: 1e9 });
  tiny.append(blockFromEpochs(range(0, 5), 3));
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => tiny.hasRows(i)), [false, false, false, false, true], 'the newest keeps its rows even over budget');
});

test('predictions beyond their budget go, the printed ones last and the newest never', () => {
  const layout = MetricsStore.fromBlock(blockFromEpochs([m(0)], 3)).layout;
  const store = new MetricsStore(layout, { rowBytes: 1e9, predictedChars: 12 }, (epoch) => epoch % 10 === 0);
  store.append(blockFromEpochs(range(0, 25, { predicted: 'abcd' }), 3));
  const kept = Array.from({ length: 25 }, (_, i) => store.predicted(i) !== null);
  assert.deepEqual(kept.flatMap((k, i) => (k ? [i] : [])), [10, 20, 24]);
  assert.equal(store.predictedChars, 12);
});

test('toBlocks splits by bytes, spreads rows, filters predictions, and copies (safe to transfer)', () => {
  const store = MetricsStore.fromBlock(blockFromEpochs(range(0, 100), 3));
  const blocks = store.toBlocks({ maxBytes: 20 * (8 * (7 + 2) + 5 + 8 * 11) });
  assert.ok(blocks.length >= 5, `${blocks.length} blocks`);
  assert.deepEqual(blocks.map((b) => b.first), blocks.map((_, i) => i * blocks[0].count));
  const again = MetricsStore.fromBlock(concatBlocks(blocks));
  assert.deepEqual(again.record(42), store.record(42));
  const [slim] = store.toBlocks({ rowEvery: 10, predictions: (i) => i % 50 === 0 });
  assert.deepEqual(Array.from(slim.rowEpochs), [9, 19, 29, 39, 49, 59, 69, 79, 89, 99], 'every tenth counted back from the newest');
  assert.deepEqual(slim.predicted.flatMap((p, i) => (p === null ? [] : [i])), [0, 50]);
  slim.scalars.loss![0] = 123;
  assert.notEqual(store.value('loss', 0), 123, 'blocks are copies');
  assert.ok(blockBytes(slim) < blockBytes(blocks[0]) * blocks.length);
  assert.deepEqual(withoutPredictions(slim).predicted.every((p) => p === null), true);
});

test('a gated cell has no bound row, and the LSTM brings its cell-state rows', () => {
  const lstm = { ...m(0), stepBound: null, cellGradNorm: [1, 2, 3], lastLossCellGradNorm: [4, 5, 6] };
  const store = MetricsStore.fromBlock(blockFromEpochs([lstm], 3));
  assert.deepEqual(store.layout.rows, ['gradNorm', 'lastLossGradNorm', 'cellGradNorm', 'lastLossCellGradNorm', 'activationSlope']);
  assert.equal(store.row('stepBound', 0), null);
  assert.deepEqual(Array.from(store.row('lastLossCellGradNorm', 0)!), [4, 5, 6]);
});
