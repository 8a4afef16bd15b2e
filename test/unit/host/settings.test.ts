import { test } from 'node:test';
import assert from 'node:assert/strict';
import packageJson from '../../../package.json';
import { DEFAULT_CONFIG } from '../../../src/core/types';
import { checkSetting, planRun, readSettings, SETTING_KEYS, type SettingKey } from '../../../src/settings';

const getter = (values: Partial<Record<SettingKey, unknown>>) => (key: SettingKey) => values[key];

test('every setting the reader uses is declared in package.json with a type, a default and a markdownDescription', () => {
  const declared = packageJson.contributes.configuration.properties as Record<string, { type?: string; default?: unknown; markdownDescription?: string }>;
  for (const key of SETTING_KEYS) {
    const schema = declared[`rnnLab.${key}`];
    assert.ok(schema, `rnnLab.${key} is declared`);
    assert.ok(schema.type && schema.default !== undefined && schema.markdownDescription, `rnnLab.${key} has type, default and markdownDescription`);
  }
});

test('the declared defaults are valid and give the core default config', () => {
  const r = readSettings(getter({}));
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.deepEqual(r.settings.config, DEFAULT_CONFIG);
  assert.equal(r.settings.printEvery, 30);
  assert.equal(r.settings.longSelectionThreshold, 400);
  assert.equal(r.settings.windowK, 25);
});

test('rnnLab.validationSplit reaches the run config only when it is on', () => {
  const off = readSettings(getter({ validationSplit: 0 }));
  assert.ok(off.ok && !('validationSplit' in off.settings.config), 'off: absent from the config, as the core leaves it');
  const on = readSettings(getter({ validationSplit: 0.2 }));
  assert.ok(on.ok, on.ok ? '' : on.error);
  assert.equal(on.settings.config.validationSplit, 0.2);
  const high = readSettings(getter({ validationSplit: 0.6 }));
  assert.equal(!high.ok && high.error, 'rnnLab.validationSplit must be a number ≤ 0.5 (got 0.6)');
});

test('the example message from the issue', () => {
  const r = readSettings(getter({ hiddenSize: 0 }));
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.error, 'rnnLab.hiddenSize must be an integer ≥ 1 (got 0)');
});

const invalid: [SettingKey, unknown][] = [
  ['cell', 'transformer'],
  ['activation', 'sigmoid'],
  ['hiddenSize', 0],
  ['hiddenSize', 1025],
  ['hiddenSize', 2.5],
  ['hiddenSize', '20'],
  ['epochs', 0],
  ['epochs', 100001],
  ['learningRate', 0],
  ['learningRate', -1],
  ['learningRate', 11],
  ['learningRate', Number.NaN],
  ['optimizer', 'lbfgs'],
  ['bptt.mode', 'partial'],
  ['bptt.k', 0],
  ['bptt.k', 1001],
  ['clip', -0.5],
  ['clip', Number.POSITIVE_INFINITY],
  ['seed', -1],
  ['seed', 2 ** 31],
  ['seed', 1.5],
  ['printEvery', 0],
  ['printEvery', 10001],
  ['longSelectionThreshold', 1],
  ['longSelectionThreshold', null],
  ['validationSplit', -0.1],
  ['validationSplit', 0.51],
  ['validationSplit', '0.1'],
];

for (const [key, value] of invalid) {
  test(`rnnLab.${key} = ${String(value)} is rejected with a message naming it`, () => {
    const r = readSettings(getter({ [key]: value }));
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.setting, `rnnLab.${key}`);
    assert.ok(r.error.startsWith(`rnnLab.${key} `), r.error);
    assert.ok(checkSetting(key, value), 'checkSetting agrees');
  });
}

for (const cell of ['lstm', 'gru'] as const) {
  test(`rnnLab.cell = ${cell} reaches the training config`, () => {
    const r = readSettings(getter({ cell }));
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.settings.config.cell, cell);
  });
}

test('truncate and window modes carry bptt.k; full mode does not', () => {
  const t = readSettings(getter({ 'bptt.mode': 'truncate', 'bptt.k': 7 }));
  assert.ok(t.ok);
  assert.deepEqual(t.settings.config.mode, { kind: 'truncate', k: 7 });
  const f = readSettings(getter({ 'bptt.mode': 'full', 'bptt.k': 7 }));
  assert.ok(f.ok);
  assert.deepEqual(f.settings.config.mode, { kind: 'full' });
  assert.equal(f.settings.windowK, 7);
});

test('a text above longSelectionThreshold switches full and truncate modes to window mode with a note', () => {
  const r = readSettings(getter({ longSelectionThreshold: 10, 'bptt.k': 4 }));
  assert.ok(r.ok);
  const short = planRun('0123456789', r.settings);
  assert.deepEqual(short.config.mode, { kind: 'full' });
  assert.deepEqual(short.notes, []);
  const long = planRun('0123456789a', r.settings);
  assert.deepEqual(long.config.mode, { kind: 'window', k: 4 });
  assert.equal(long.notes.length, 1);
  assert.match(long.notes[0], /window mode with K = 4/);
  // Code points, not UTF-16 units: ten emoji are ten characters.
  assert.deepEqual(planRun('😀'.repeat(10), r.settings).config.mode, { kind: 'full' });
  // An explicit mode from a command argument is respected.
  assert.deepEqual(planRun('0123456789a', r.settings, true).config.mode, { kind: 'full' });
});
