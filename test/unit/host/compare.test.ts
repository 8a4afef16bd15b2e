import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/core/types';
import { allEnded, compareConfigs, compareState, COMPARE_CELLS, parseCompareMessage } from '../../../src/host/compare';

test('compare configs: one per cell, in the order rnn, lstm, gru, identical otherwise', () => {
  const base: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 12, epochs: 30, seed: 7, learningRate: 0.01, mode: { kind: 'window', k: 25 } };
  const configs = compareConfigs(base);
  assert.deepEqual(configs.map((c) => c.cell), ['rnn', 'lstm', 'gru']);
  assert.deepEqual(COMPARE_CELLS, ['rnn', 'lstm', 'gru']);
  for (const c of configs) assert.deepEqual({ ...c, cell: base.cell }, base);
  configs[0].mode = { kind: 'full' };
  assert.deepEqual(configs[1].mode, { kind: 'window', k: 25 }, 'each run owns its mode object');
  assert.deepEqual(base.mode, { kind: 'window', k: 25 });
});

test('compare state: a run still working decides; when all ended the worst ending shows', () => {
  assert.equal(compareState(['done', 'running', 'paused']), 'running');
  assert.equal(compareState(['done', 'starting', 'paused']), 'starting');
  assert.equal(compareState(['done', 'paused', 'stopped']), 'paused');
  assert.equal(compareState(['done', 'done', 'done']), 'done');
  assert.equal(compareState(['done', 'stopped', 'done']), 'stopped');
  assert.equal(compareState(['done', 'diverged', 'stopped']), 'diverged');
  assert.equal(compareState(['crashed', 'diverged', 'done']), 'crashed');
  assert.equal(compareState([]), 'starting');
  assert.equal(allEnded(['done', 'stopped', 'crashed']), true);
  assert.equal(allEnded(['done', 'paused', 'done']), false);
  assert.equal(allEnded([]), false);
});

test('compare panel accepts ready and control only, validated like the training panel', () => {
  assert.deepEqual(parseCompareMessage({ type: 'ready' }), { ok: true, value: { type: 'ready' } });
  assert.deepEqual(parseCompareMessage({ type: 'control', action: 'pause' }), { ok: true, value: { type: 'control', action: 'pause' } });
  const bad = parseCompareMessage({ type: 'control', action: 'explode' });
  assert.equal(bad.ok, false);
  const extra = parseCompareMessage({ type: 'ready', x: 1 });
  assert.equal(extra.ok, false);
  const restart = parseCompareMessage({ type: 'exportWeights' });
  assert.equal(restart.ok, false);
  assert.match(restart.ok ? '' : restart.error, /compare panel does not handle "exportWeights"/);
  assert.equal(parseCompareMessage('ready').ok, false);
});
