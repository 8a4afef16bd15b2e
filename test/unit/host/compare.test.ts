import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/core/types';
import { compareConfigs, compareConnectivity, COMPARE_CELLS, parseCompareMessage } from '../../../src/host/compare';

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
  assert.match(request.ok ? '' : request.error, /compare panel does not handle "request exportWeights"/);
  assert.equal(parseCompareMessage({ type: 'reply', id: 3, ok: false, error: 'x' }).ok, true);
  const restart = parseCompareMessage({ type: 'restart', config: DEFAULT_CONFIG });
  assert.match(restart.ok ? '' : restart.error, /compare panel does not handle "restart"/);
  assert.equal(parseCompareMessage('ready').ok, false);
  const conn = { type: 'request', id: 4, kind: 'compareConnectivity', params: { epoch: 9, t: 2 } };
  assert.deepEqual(parseCompareMessage(conn), { ok: true, value: conn });
  assert.equal(parseCompareMessage({ ...conn, params: { epoch: 9 } }).ok, false, 'a step is required');
  assert.match((r => (r.ok ? '' : r.error))(parseCompareMessage({ type: 'request', id: 5, kind: 'inspect', params: { epoch: 1 } })), /does not handle "request inspect"/);
});

test('compareConnectivity asks every run in parallel; one that cannot answer says why and the others still answer', async () => {
  const asked: string[] = [];
  const run = (runId: string, fail?: string) => ({
    runId,
    askInside: async (_kind: 'connectivity', p: { epoch: number; t: number }) => {
      asked.push(`${runId}:${p.epoch}:${p.t}`);
      if (fail) throw new Error(fail);
      return { epoch: p.epoch, t: p.t, start: 0, values: Float64Array.from({ length: p.t + 1 }, (_, k) => k + runId.length) };
    },
  });
  const r = await compareConnectivity([run('a'), run('bb', 'epoch 7 is not in this run'), run('ccc')], 7, 2);
  assert.deepEqual(asked.sort(), ['a:7:2', 'bb:7:2', 'ccc:7:2']);
  assert.equal(r.epoch, 7);
  assert.equal(r.t, 2);
  assert.deepEqual(r.runs.map((x) => x.runId), ['a', 'bb', 'ccc']);
  assert.deepEqual(Array.from(r.runs[0].values!), [1, 2, 3]);
  assert.equal(r.runs[1].values, null);
  assert.equal(r.runs[1].error, 'epoch 7 is not in this run');
  assert.deepEqual(Array.from(r.runs[2].values!), [3, 4, 5]);
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
