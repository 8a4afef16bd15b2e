// Contract between the webview (which writes its state with setState) and the host's panel
// serializer (which restores from it after a reload): what the real webview model persists
// must pass the host's validation, or restored panels would silently disappear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, type EpochMetrics } from '../../../src/core/types';
import type { RunInfo } from '../../../src/shared/protocol';
import { parsePersistedRun } from '../../../src/shared/validate';
import { RESTORED_MESSAGE, TrainingRun } from '../../../src/host/run';
import { RunModel } from '../../../webview/state';

const info: RunInfo = {
  runId: 'run-abc-1',
  title: 'hello 😀 · rnn h20 e600',
  chars: Array.from('hello 😀 world'),
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
    loss: 2 / (epoch + 1),
    accuracy: epoch / 10,
    predicted: 'hxllo 😀 world',
    gradNorm: [1, 2, 3, 4, 5],
    lastLossGradNorm: [0, 0, 0, 1, 2],
    paramGradNorm: { Wxh: 1, Whh: 2 },
    sigmaMaxWhh: 1.5,
    clipped: epoch % 2 === 0,
  };
}

for (const withRows of [true, false]) {
  test(`the state the webview persists (${withRows ? 'with' : 'without'} gradient rows) is accepted by the serializer and restores the run`, () => {
    const model = new RunModel();
    model.reset(info, Array.from({ length: 10 }, (_, i) => metrics(i)), 'running', undefined, false);
    // Round-trip through JSON: VS Code stores webview state serialised.
    const persisted = JSON.parse(JSON.stringify(model.snapshot(withRows)));
    const parsed = parsePersistedRun(persisted);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    assert.deepEqual(parsed.value.run, info);
    assert.equal(parsed.value.history.length, 10);

    const posted: unknown[] = [];
    const run = TrainingRun.restore(parsed.value.run, parsed.value.history, parsed.value.state, { post: (m) => void posted.push(m), log: () => {}, changed: () => {} });
    run.webviewDidLoad();
    assert.deepEqual(posted, [
      { type: 'init', run: info, history: parsed.value.history, state: 'stopped', message: RESTORED_MESSAGE, restored: true },
    ]);
  });
}
