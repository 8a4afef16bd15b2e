// Training a large RNN with its output layer in a second thread (src/core/partner.ts), on a real
// worker thread: whole runs give the one-thread bits in every mode (metrics, weights, optimizer
// state, the gradient matrix and an inspection taken mid-run), the split really runs (the
// partner counts its calls), small models and gated cells stay in one thread, and a partner that
// is suspended, stopped or refused its memory leaves the run in one thread with the same bits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEFAULT_CONFIG, Trainer, type EpochMetrics, type TrainConfig } from '../../../src/core';
import { KERNEL_PARTNER_BUFFER_BYTES, KernelPartner, PARTNER_MIN_HIDDEN, kernelPartner, setKernelPartner, splitsTraining } from '../../../src/core/partner';
import { startKernelThread } from '../../../src/worker/kernelThread';
import { repoRoot } from '../../support/repoRoot';

const dist = join(repoRoot(), 'dist');
// 109 code points: windows of 25 leave a last one of 8, and full mode has an odd step count.
const text = 'the cat sat on the mat; the dog sat on the log, and the bird sang on the branch: tweet, tweet! ok.';

interface Run {
  diverged: boolean;
  metrics: EpochMetrics[];
  weights: ReturnType<Trainer['toWeights']>;
  matrix: ReturnType<Trainer['gradMatrix']>;
  inspection: ReturnType<Trainer['inspect']>;
}

function run(config: Partial<TrainConfig>): Run {
  const trainer = new Trainer(text, { ...DEFAULT_CONFIG, hiddenSize: PARTNER_MIN_HIDDEN, epochs: 4, ...config });
  const metrics: EpochMetrics[] = [];
  while (!trainer.finished) metrics.push(trainer.runEpoch());
  const at = (epoch: number) => Math.min(epoch, trainer.epochsDone);
  return { diverged: trainer.diverged, metrics, weights: trainer.toWeights(), matrix: trainer.gradMatrix(at(1)), inspection: trainer.inspect(at(2), { position: 30, top: 3 }) };
}

function assertSameRun(split: Run, alone: Run, label: string): void {
  assert.equal(split.diverged, alone.diverged, `${label}: divergence`);
  assert.deepEqual(split.metrics, alone.metrics, `${label}: metrics`);
  assert.deepEqual(split.weights, alone.weights, `${label}: weights and optimizer state`);
  assert.deepEqual(split.matrix, alone.matrix, `${label}: gradient matrix`);
  assert.deepEqual(split.inspection, alone.inspection, `${label}: inspection`);
}

const cases: [string, Partial<TrainConfig>][] = [
  ['window 25', { mode: { kind: 'window', k: 25 } }],
  ['window 25, H 97', { mode: { kind: 'window', k: 25 }, hiddenSize: 97 }],
  ['full BPTT', { mode: { kind: 'full' } }],
  ['truncate 5', { mode: { kind: 'truncate', k: 5 } }],
  ['ReLU, clipped, held-out part', { mode: { kind: 'window', k: 25 }, activation: 'relu', clip: 0.05, validationSplit: 0.2 }],
  ['a learning rate that diverges', { mode: { kind: 'window', k: 25 }, learningRate: 10, activation: 'relu', epochs: 6 }],
];

test('an RNN trained with its output layer in a second thread gives the one-thread bits, in every mode', async () => {
  const thread = startKernelThread(dist);
  try {
    for (const [label, config] of cases) {
      setKernelPartner(null);
      const alone = run(config);
      setKernelPartner(thread.partner);
      const before = thread.partner.calls;
      const split = run(config);
      assert.ok(thread.partner.calls - before > 10, `${label}: the split must have run (${thread.partner.calls - before} calls)`);
      assertSameRun(split, alone, label);
      assert.equal(alone.diverged, config.learningRate === 10, `${label}: diverges exactly when meant to`);
    }
  } finally {
    setKernelPartner(null);
    await thread.stop();
  }
});

test('below PARTNER_MIN_HIDDEN, and for the LSTM and GRU, training stays in one thread', async () => {
  const thread = startKernelThread(dist);
  try {
    assert.equal(splitsTraining('rnn', PARTNER_MIN_HIDDEN - 1), false);
    assert.equal(splitsTraining('lstm', 256), false);
    const before = thread.partner.calls;
    run({ hiddenSize: PARTNER_MIN_HIDDEN - 1, mode: { kind: 'window', k: 25 }, epochs: 1 });
    run({ cell: 'lstm', mode: { kind: 'window', k: 25 }, epochs: 1 });
    run({ cell: 'gru', mode: { kind: 'window', k: 25 }, epochs: 1 });
    assert.equal(thread.partner.calls, before);
  } finally {
    await thread.stop();
  }
});

test('a suspended, stopped or refused partner leaves training in this thread, with the same bits', async () => {
  const config: Partial<TrainConfig> = { mode: { kind: 'window', k: 25 } };
  setKernelPartner(null);
  const alone = run(config);

  const thread = startKernelThread(dist);
  try {
    thread.partner.suspended = true;
    const before = thread.partner.calls;
    assertSameRun(run(config), alone, 'suspended');
    assert.equal(thread.partner.calls, before, 'a suspended partner runs nothing');
    thread.partner.suspended = false;
  } finally {
    await thread.stop();
  }
  assert.equal(kernelPartner(), null, 'stop() unsets the partner');
  // As a host would leave it if the thread died: still set, but no longer usable.
  setKernelPartner(thread.partner);
  assert.equal(thread.partner.usable, false);
  assert.equal(kernelPartner(), null);

  // A trainer that was given a partner which then cannot take its memory trains alone.
  const refusing = new KernelPartner(new SharedArrayBuffer(KERNEL_PARTNER_BUFFER_BYTES), () => {
    throw new Error('no channel');
  });
  setKernelPartner(refusing);
  try {
    assertSameRun(run(config), alone, 'refused');
    assert.equal(refusing.usable, false);
    assert.equal(refusing.calls, 0);
  } finally {
    setKernelPartner(null);
  }
});
