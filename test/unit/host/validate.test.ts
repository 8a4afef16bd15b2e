import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG } from '../../../src/core/types';
import { mergeConfig, parseTrainArgs, parseWebviewMessage } from '../../../src/shared/validate';

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
    { type: 'request', id: 1, kind: 'exportWeights', params: {} },
    { type: 'request', id: 2, kind: 'exportMetrics', params: { format: 'csv' } },
    { type: 'request', id: 3, kind: 'exportMetrics', params: { format: 'json' } },
    { type: 'request', id: 4, kind: 'matrix', params: { epoch: 0 } },
    { type: 'request', id: 5, kind: 'matrix', params: { epoch: 599 } },
    { type: 'request', id: 6, kind: 'prediction', params: { epoch: 3, start: 0, length: 2000 } },
    { type: 'request', id: 7, kind: 'inspect', params: { epoch: 3 } },
    { type: 'request', id: 8, kind: 'inspect', params: { epoch: 3, position: 120 } },
    { type: 'request', id: 9, kind: 'connectivity', params: { epoch: 3, t: 0 } },
    { type: 'request', id: 10, kind: 'connectivity', params: { epoch: 3, t: 44, position: 7 } },
    { type: 'request', id: 11, kind: 'gradCheck', params: {} },
    { type: 'request', id: 12, kind: 'compareConnectivity', params: { epoch: 5, t: 3 } },
    { type: 'playhead', epoch: 12, scale: { lo: -6, hi: 0.5 } },
    { type: 'playhead', epoch: 0, scale: null },
    { type: 'overlay', on: false },
    { type: 'insideUnit', unit: 3, array: 'h', position: 0 },
    { type: 'insideUnit', unit: null, array: 'f', position: 120 },
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
  ['exportWeights with extra field', { type: 'request', id: 1, kind: 'exportWeights', params: { path: '/etc/passwd' } }],
  ['exportMetrics with bad format', { type: 'request', id: 1, kind: 'exportMetrics', params: { format: 'xlsx' } }],
  ['exportMetrics without format', { type: 'request', id: 1, kind: 'exportMetrics', params: {} }],
  ['a request without an id', { type: 'request', kind: 'exportWeights', params: {} }],
  ['a request with a negative id', { type: 'request', id: -1, kind: 'exportWeights', params: {} }],
  ['a request of an unknown kind', { type: 'request', id: 1, kind: 'format', params: {} }],
  ['a request without params', { type: 'request', id: 1, kind: 'matrix' }],
  ['matrix with NaN epoch', { type: 'request', id: 1, kind: 'matrix', params: { epoch: Number.NaN } }],
  ['matrix with negative epoch', { type: 'request', id: 1, kind: 'matrix', params: { epoch: -1 } }],
  ['matrix with fractional epoch', { type: 'request', id: 1, kind: 'matrix', params: { epoch: 1.5 } }],
  ['matrix with string epoch', { type: 'request', id: 1, kind: 'matrix', params: { epoch: '3' } }],
  ['matrix with infinite epoch', { type: 'request', id: 1, kind: 'matrix', params: { epoch: Number.POSITIVE_INFINITY } }],
  ['a prediction window above the limit', { type: 'request', id: 1, kind: 'prediction', params: { epoch: 0, start: 0, length: 1e9 } }],
  ['the old requestMatrix message', { type: 'requestMatrix', epoch: 3 }],
  ['inspect without an epoch', { type: 'request', id: 1, kind: 'inspect', params: {} }],
  ['inspect with a negative position', { type: 'request', id: 1, kind: 'inspect', params: { epoch: 1, position: -1 } }],
  ['inspect with a fractional epoch', { type: 'request', id: 1, kind: 'inspect', params: { epoch: 0.5 } }],
  ['inspect with a top it does not take', { type: 'request', id: 1, kind: 'inspect', params: { epoch: 1, top: 1e6 } }],
  ['connectivity without t', { type: 'request', id: 1, kind: 'connectivity', params: { epoch: 1 } }],
  ['connectivity with a string t', { type: 'request', id: 1, kind: 'connectivity', params: { epoch: 1, t: '4' } }],
  ['connectivity with a NaN t', { type: 'request', id: 1, kind: 'connectivity', params: { epoch: 1, t: Number.NaN } }],
  ['gradCheck with samples the panel may not choose', { type: 'request', id: 1, kind: 'gradCheck', params: { samples: 1e9 } }],
  ['gradCheck without params', { type: 'request', id: 1, kind: 'gradCheck' }],
  ['compareConnectivity with a run id it does not take', { type: 'request', id: 1, kind: 'compareConnectivity', params: { epoch: 1, t: 0, runId: 'x' } }],
  ['compareConnectivity with a negative t', { type: 'request', id: 1, kind: 'compareConnectivity', params: { epoch: 1, t: -1 } }],
  ['a playhead with a NaN scale', { type: 'playhead', epoch: 1, scale: { lo: Number.NaN, hi: 0 } }],
  ['a playhead with an upside-down scale', { type: 'playhead', epoch: 1, scale: { lo: 1, hi: 0 } }],
  ['a playhead without a scale', { type: 'playhead', epoch: 1 }],
  ['an overlay toggle that is not a boolean', { type: 'overlay', on: 'yes' }],
  ['a picked unit in an unknown array', { type: 'insideUnit', unit: 1, array: 'W_hh', position: 0 }],
  ['a picked unit with a fractional number', { type: 'insideUnit', unit: 1.5, array: 'h', position: 0 }],
  ['a picked unit without a position', { type: 'insideUnit', unit: 1, array: 'h' }],
];

for (const [name, m] of malformed) {
  test(`rejects ${name}`, () => {
    const r = parseWebviewMessage(m);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.error.length > 0);
  });
}

test('an inside request names the bad field', () => {
  const r = parseWebviewMessage({ type: 'request', id: 1, kind: 'connectivity', params: { epoch: 2, t: -3 } });
  assert.ok(!r.ok);
  assert.match(r.error, /connectivity.*\bt must be a non-negative integer/);
  const extra = parseWebviewMessage({ type: 'request', id: 1, kind: 'gradCheck', params: { samples: 5 } });
  assert.ok(!extra.ok);
  assert.match(extra.error, /unexpected field "samples"/);
});

test('a bad restart config is reported by field name', () => {
  const r = parseWebviewMessage({ type: 'restart', config: { ...config, hiddenSize: 0 } });
  assert.ok(!r.ok);
  assert.match(r.error, /^config\.hiddenSize/);
});

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

test('the toggle command takes a unit to colour by (null: the gradients) and its array', async () => {
  const { parseToggleOverlayArgs } = await import('../../../src/shared/validate');
  assert.deepEqual(parseToggleOverlayArgs({ runId: 'r', unit: 2, array: 'c' }), { ok: true, value: { runId: 'r', unit: 2, array: 'c' } });
  assert.deepEqual(parseToggleOverlayArgs({ unit: null }), { ok: true, value: { unit: null } });
  assert.equal(parseToggleOverlayArgs({ unit: -1 }).ok, false);
  assert.equal(parseToggleOverlayArgs({ array: 'h' }).ok, false, 'an array needs a unit');
  assert.equal(parseToggleOverlayArgs({ unit: 1, array: 'x' }).ok, false);
});
