import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/core/types';
import { compareConfigs, COMPARE_CELLS, parseCompareMessage } from '../../../src/host/compare';

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

test('compare panel accepts ready and control only, validated like the training panel', () => {
  assert.deepEqual(parseCompareMessage({ type: 'ready' }), { ok: true, value: { type: 'ready' } });
  assert.deepEqual(parseCompareMessage({ type: 'control', action: 'pause' }), { ok: true, value: { type: 'control', action: 'pause' } });
  const bad = parseCompareMessage({ type: 'control', action: 'explode' });
  assert.equal(bad.ok, false);
  const extra = parseCompareMessage({ type: 'ready', x: 1 });
  assert.equal(extra.ok, false);
  const request = parseCompareMessage({ type: 'request', id: 1, kind: 'exportWeights', params: {} });
  assert.equal(request.ok, false);
  assert.match(request.ok ? '' : request.error, /compare panel does not handle "request"/);
  const restart = parseCompareMessage({ type: 'restart', config: DEFAULT_CONFIG });
  assert.match(restart.ok ? '' : restart.error, /compare panel does not handle "restart"/);
  assert.equal(parseCompareMessage('ready').ok, false);
});

test('rnnLab.cell: package.json offers rnn, lstm and gru (default rnn), and each reaches the trainer config', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { readSettings } = await import('../../../src/settings');
  const { SUPPORTED_CELLS } = await import('../../../src/core');
  const { repoRoot } = await import('../../support/repoRoot');
  const dir = repoRoot();
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { enum?: string[]; default?: unknown }> } } };
  const cell = pkg.contributes.configuration.properties['rnnLab.cell'];
  assert.deepEqual(cell.enum, ['rnn', 'lstm', 'gru']);
  assert.equal(cell.default, 'rnn');
  assert.deepEqual([...SUPPORTED_CELLS], cell.enum, 'the core runs every cell the setting offers');
  for (const value of cell.enum) {
    const r = readSettings((key) => (key === 'cell' ? value : undefined));
    assert.ok(r.ok, `rnnLab.cell = ${value} is accepted`);
    assert.equal(r.settings.config.cell, value);
  }
});
