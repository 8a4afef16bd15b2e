// Contract between the webview (which writes its state with setState) and the host's panel
// serializer (which restores from it after a reload): what the real webview model persists
// must pass the host's validation, or restored panels would silently disappear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, type EpochMetrics } from '../../../src/core/types';
import { blockFromEpochs } from '../../../src/shared/epochBlock';
import { parsePersistedRun } from '../../../src/shared/persist';
import { TEXT_HEAD_CHARS, type RunInfo } from '../../../src/shared/protocol';
import { restoredMessage, TrainingRun } from '../../../src/host/run';
import { RunModel } from '../../../webview/state';

const info: RunInfo = {
  runId: 'run-abc-1',
  title: 'hello 😀 · rnn h20 e600',
  text: 'hello 😀 world',
  textLength: 13,
  config: { ...DEFAULT_CONFIG, mode: { kind: 'window', k: 5 } },
  firstEpoch: 0,
  steps: 5,
  stepLabels: Array.from('hello'),
  printEvery: 3,
  notes: ['No text was selected: training on the whole document (13 characters).'],
};

function metrics(epoch: number): EpochMetrics {
  return {
    epoch,
    loss: epoch === 9 ? NaN : 2 / (epoch + 1),
    accuracy: epoch / 10,
    predicted: 'hxllo 😀 world',
    gradNorm: [1, 2, 3, 4, Infinity],
    lastLossGradNorm: [0, 0, 0, 1, 2],
    activationSlope: [0.5, 0.25, 0.125, 1, 0],
    stepBound: [1, 2, 3, 4],
    paramGradNorm: { Wxh: 1, Whh: 2 },
    sigmaMaxWhh: 1.5,
    shrinkPerStep: null,
    reach1pct: 2,
    clipped: epoch % 2 === 0,
  };
}

test('the state the webview persists is accepted by the serializer, keeps every bit (NaN and ∞ included), and restores the run', () => {
  const model = new RunModel();
  model.reset(info, [blockFromEpochs(Array.from({ length: 10 }, (_, i) => metrics(i)), 5)], 'running', undefined, false, 0);
  // Round-trip through JSON: VS Code stores webview state serialised.
  const persisted = JSON.parse(JSON.stringify(model.snapshot({ lossLog: true, gradKey: 'gradNorm' })));
  const parsed = parsePersistedRun(persisted);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  assert.deepEqual(parsed.value.run, info);
  assert.deepEqual(parsed.value.view, { lossLog: true, gradKey: 'gradNorm' });
  const h = parsed.value.history!;
  assert.equal(h.count, 10);
  assert.ok(Number.isNaN(h.scalars.loss![9]));
  assert.equal(h.scalars.loss![1], 1);
  assert.ok(Number.isNaN(h.scalars.shrinkPerStep![0]), 'a null why-scalar is stored as NaN');
  assert.equal(h.rows.gradNorm![4], Infinity);
  assert.deepEqual(Array.from(h.rows.stepBound!.subarray(0, 4)), [1, 2, 3, 4]);
  assert.deepEqual(h.predicted.map((p, i) => (p === null ? null : i)), [0, null, null, 3, null, null, 6, null, null, 9], 'printed epochs and the newest keep their prediction');

  const posted: unknown[] = [];
  const run = TrainingRun.restore(parsed.value.run, h, parsed.value.state, { post: (m) => void posted.push(m), log: () => {}, changed: () => {} });
  run.webviewDidLoad();
  assert.equal(posted.length, 1);
  const init = posted[0] as { type: string; state: string; message: string; restored: boolean; history: { count: number }[] };
  assert.deepEqual([init.type, init.state, init.message, init.restored], ['init', 'stopped', restoredMessage(), true]);
  assert.equal(init.history[0].count, 10);
  assert.equal(run.last?.reach1pct, 2);
});

test('a saved state from another build, or a tampered one, is refused with a line naming the field', () => {
  const model = new RunModel();
  model.reset(info, [blockFromEpochs([metrics(0), metrics(1)], 5)], 'done', undefined, false, 0);
  const good = JSON.parse(JSON.stringify(model.snapshot(undefined)));
  const bad = (mutate: (s: Record<string, any>) => void): string => {
    const s = JSON.parse(JSON.stringify(good));
    mutate(s);
    const r = parsePersistedRun(s);
    assert.ok(!r.ok, 'refused');
    return r.ok ? '' : r.error;
  };
  assert.match(bad((s) => (s.version = 1)), /version must be 2/);
  assert.match(bad((s) => (s.run.textLength = 99)), /textLength/);
  assert.match(bad((s) => (s.history.scalars.loss = 'AAAAAAAAAAA=')), /history.scalars.loss holds 1 values, expected 2/);
  assert.match(bad((s) => (s.history.rows.gradNorm = 'not base64!')), /history.rows.gradNorm/);
  assert.match(bad((s) => (s.history.rowEpochs = 'AQAAAAAAAAA=')), /rowEpochs must be increasing/);
  assert.match(bad((s) => (s.history.scalars.constructor = 'AAAA')), /unknown column "constructor"/);
  assert.match(bad((s) => (s.history.steps = 4)), /history.steps must equal run.steps/);
  assert.match(bad((s) => (s.state = 'flying')), /state must be one of/);
});

test('a long text is saved as its head and the key of the host copy; the key can only be 64 hex digits, and only for a long text', () => {
  const whole = 'abcdefghij\n'.repeat(1200); // 13,200 characters: over INLINE_PREDICTION_MAX
  const model = new RunModel();
  const long: RunInfo = { ...info, text: whole.slice(0, TEXT_HEAD_CHARS), textLength: whole.length, textKey: 'a'.repeat(64) };
  model.reset(long, [blockFromEpochs([metrics(0)], 5)], 'done', undefined, false, 0);
  const saved = JSON.parse(JSON.stringify(model.snapshot(undefined)));
  const ok = parsePersistedRun(saved);
  assert.ok(ok.ok, ok.ok ? '' : ok.error);
  assert.equal(ok.value.run.text.length, TEXT_HEAD_CHARS);
  assert.equal(ok.value.run.textKey, 'a'.repeat(64));
  const refused = (mutate: (s: Record<string, any>) => void): string => {
    const s = JSON.parse(JSON.stringify(saved));
    mutate(s);
    const r = parsePersistedRun(s);
    return r.ok ? '' : r.error;
  };
  assert.match(refused((s) => (s.run.textKey = '../../../etc/passwd')), /textKey must be 64 hexadecimal digits/);
  assert.match(refused((s) => (s.run.textKey = 'A'.repeat(64))), /textKey must be 64 hexadecimal digits/);
  assert.match(refused((s) => (s.run.text = whole)), /run.text must be the first 2000 characters/);
  // A short text keeps its whole text and has no key.
  const short = JSON.parse(JSON.stringify(saved));
  Object.assign(short.run, { text: 'hello 😀 world', textLength: 13 });
  assert.match((parsePersistedRun(short) as { error: string }).error, /only for a long text/);
});
