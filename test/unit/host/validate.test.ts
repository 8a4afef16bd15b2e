import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, type EpochMetrics } from '../../../src/core/types';
import type { RunInfo } from '../../../src/shared/protocol';
import { mergeConfig, parsePersistedRun, parseTrainArgs, parseWebviewMessage } from '../../../src/shared/validate';

const config = { ...DEFAULT_CONFIG, mode: { kind: 'full' } };

test('every WebviewToHost variant is accepted', () => {
  const messages = [
    { type: 'ready' },
    { type: 'control', action: 'pause' },
    { type: 'control', action: 'resume' },
    { type: 'control', action: 'step' },
    { type: 'control', action: 'stop' },
    { type: 'restart', config },
    { type: 'restart', config: { ...config, mode: { kind: 'window', k: 5 } } },
    { type: 'exportWeights' },
    { type: 'exportMetrics', format: 'csv' },
    { type: 'exportMetrics', format: 'json' },
    { type: 'requestMatrix', epoch: 0 },
    { type: 'requestMatrix', epoch: 599 },
  ];
  for (const m of messages) {
    const r = parseWebviewMessage(m);
    assert.ok(r.ok, `${JSON.stringify(m)}: ${r.ok ? '' : r.error}`);
    assert.deepEqual(r.value, m);
  }
});

const malformed: [string, unknown][] = [
  ['not an object', 'ready'],
  ['null', null],
  ['an array', [{ type: 'ready' }]],
  ['unknown type', { type: 'launch' }],
  ['missing type', { action: 'pause' }],
  ['extra field', { type: 'ready', extra: 1 }],
  ['unknown action', { type: 'control', action: 'rewind' }],
  ['missing action', { type: 'control' }],
  ['restart without config', { type: 'restart' }],
  ['restart with bad hiddenSize', { type: 'restart', config: { ...config, hiddenSize: 0 } }],
  ['restart with a missing field', { type: 'restart', config: { ...config, seed: undefined } }],
  ['restart with an unknown config field', { type: 'restart', config: { ...config, dropout: 0.5 } }],
  ['restart with an extra mode field', { type: 'restart', config: { ...config, mode: { kind: 'full', depth: 3 } } }],
  ['restart with window mode and no k', { type: 'restart', config: { ...config, mode: { kind: 'window' } } }],
  ['restart with NaN learning rate', { type: 'restart', config: { ...config, learningRate: Number.NaN } }],
  ['exportWeights with extra field', { type: 'exportWeights', path: '/etc/passwd' }],
  ['exportMetrics with bad format', { type: 'exportMetrics', format: 'xlsx' }],
  ['exportMetrics without format', { type: 'exportMetrics' }],
  ['requestMatrix with NaN epoch', { type: 'requestMatrix', epoch: Number.NaN }],
  ['requestMatrix with negative epoch', { type: 'requestMatrix', epoch: -1 }],
  ['requestMatrix with fractional epoch', { type: 'requestMatrix', epoch: 1.5 }],
  ['requestMatrix with string epoch', { type: 'requestMatrix', epoch: '3' }],
  ['requestMatrix with infinite epoch', { type: 'requestMatrix', epoch: Number.POSITIVE_INFINITY }],
];

for (const [name, m] of malformed) {
  test(`rejects ${name}`, () => {
    const r = parseWebviewMessage(m);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.error.length > 0);
  });
}

test('a bad restart config is reported by field name', () => {
  const r = parseWebviewMessage({ type: 'restart', config: { ...config, hiddenSize: 0 } });
  assert.ok(!r.ok);
  assert.match(r.error, /^config\.hiddenSize/);
});

function metrics(epoch: number): EpochMetrics {
  return { epoch, loss: 2 - epoch / 100, accuracy: 0.5, predicted: 'hx', gradNorm: [1, 2], lastLossGradNorm: [0.1, 0.2], paramGradNorm: { Whh: 1 }, sigmaMaxWhh: 1.1 };
}

const run: RunInfo = {
  runId: 'run-x-1',
  title: 'hello · rnn h20 e600',
  chars: ['h', 'i', '!'],
  config: DEFAULT_CONFIG,
  firstEpoch: 0,
  steps: 2,
  stepLabels: ['h', 'i'],
  printEvery: 30,
  notes: [],
};

test('a persisted panel state with the webview’s extra keys is accepted', () => {
  const r = parsePersistedRun({ version: 1, run, history: [metrics(0), metrics(1)], state: 'running', restored: false, prefs: { lossLog: true } });
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(r.value.history.length, 2);
  assert.equal(r.value.state, 'running');
});

test('a slimmed history (no rows, no prediction) is still a valid persisted history', () => {
  const slim = { ...metrics(3), predicted: '', gradNorm: [], lastLossGradNorm: [], paramGradNorm: {} };
  assert.ok(parsePersistedRun({ run, history: [slim], state: 'done' }).ok);
});

const badStates: [string, unknown][] = [
  ['undefined', undefined],
  ['no run', { history: [] }],
  ['run with one character', { run: { ...run, chars: ['h'] }, history: [] }],
  ['run with a bad config', { run: { ...run, config: { ...DEFAULT_CONFIG, epochs: -3 } }, history: [] }],
  ['NaN loss in history', { run, history: [{ ...metrics(0), loss: Number.NaN }] }],
  ['epochs out of order', { run, history: [metrics(2), metrics(1)] }],
  ['unknown state', { run, history: [], state: 'exploded' }],
  ['history not an array', { run, history: {} }],
];
for (const [name, state] of badStates) {
  test(`a persisted state with ${name} is rejected`, () => {
    assert.equal(parsePersistedRun(state).ok, false);
  });
}

test('command arguments: text and partial config are accepted, anything else rejected', () => {
  assert.deepEqual(parseTrainArgs(undefined), { ok: true, value: {} });
  assert.deepEqual(parseTrainArgs({ text: 'abc', config: { epochs: 5 } }), { ok: true, value: { text: 'abc', config: { epochs: 5 } } });
  assert.equal(parseTrainArgs({ text: 3 }).ok, false);
  assert.equal(parseTrainArgs({ txt: 'abc' }).ok, false);
  assert.equal(parseTrainArgs({ config: { layers: 3 } }).ok, false);
  assert.equal(parseTrainArgs('abc').ok, false);
});

test('mergeConfig validates the merged result and names the bad field', () => {
  const ok = mergeConfig(DEFAULT_CONFIG, { epochs: 5, mode: { kind: 'window', k: 3 } });
  assert.ok(ok.ok);
  assert.equal(ok.value.epochs, 5);
  assert.deepEqual(ok.value.mode, { kind: 'window', k: 3 });
  const bad = mergeConfig(DEFAULT_CONFIG, { learningRate: 0 });
  assert.ok(!bad.ok);
  assert.match(bad.error, /^config\.learningRate/);
});
