import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, SEED_SENTENCE, Trainer, TrainingLoop, type EpochMetrics, type LoopState } from '../../../src/core';

function harness(config = { ...DEFAULT_CONFIG, epochs: 5 }) {
  const queue: (() => void)[] = [];
  const epochs: EpochMetrics[] = [];
  const states: LoopState[] = [];
  let clock = 0;
  const loop = new TrainingLoop(
    new Trainer(SEED_SENTENCE, config),
    { onEpoch: (m) => epochs.push(m), onState: (s) => states.push(s) },
    // Each epoch "takes" 10 ms of a 15 ms slice, so slices end between epochs.
    { schedule: (fn) => queue.push(fn), now: () => (clock += 10), sliceMs: 15 },
  );
  const drain = (max = 1000) => {
    for (let i = 0; i < max && queue.length > 0; i++) queue.shift()!();
  };
  return { loop, epochs, states, queue, drain };
}

test('runs to done, yielding between slices', () => {
  const h = harness();
  h.loop.start();
  assert.equal(h.epochs.length, 0, 'nothing runs synchronously inside start()');
  h.queue.shift()!();
  assert.ok(h.epochs.length >= 1 && h.epochs.length < 5, 'one slice runs part of the work');
  h.drain();
  assert.deepEqual(h.epochs.map((m) => m.epoch), [0, 1, 2, 3, 4]);
  assert.deepEqual(h.states, ['running', 'done']);
});

test('pause stops between epochs; step runs exactly one; resume continues; stop ends', () => {
  const h = harness({ ...DEFAULT_CONFIG, epochs: 50 });
  h.loop.start();
  h.queue.shift()!();
  h.loop.pause();
  const n = h.epochs.length;
  h.drain();
  assert.equal(h.epochs.length, n, 'no epoch after pause');
  h.loop.step();
  h.drain();
  assert.equal(h.epochs.length, n + 1);
  assert.equal(h.loop.state, 'paused');
  h.loop.resume();
  h.queue.shift()!();
  assert.ok(h.epochs.length > n + 1);
  h.loop.stop();
  const m = h.epochs.length;
  h.drain();
  assert.equal(h.epochs.length, m);
  assert.equal(h.loop.state, 'stopped');
  assert.deepEqual(h.epochs.map((e) => e.epoch), [...Array(m).keys()]);
});

test('a diverging run ends in state diverged and never emits a non-finite epoch', () => {
  const h = harness({ ...DEFAULT_CONFIG, epochs: 50, learningRate: 10, activation: 'relu' });
  const messages: (string | undefined)[] = [];
  const loop = new TrainingLoop(h.loop.trainer, { onEpoch: (m) => h.epochs.push(m), onState: (s, msg) => (h.states.push(s), messages.push(msg)) }, { schedule: (fn) => h.queue.push(fn) });
  loop.start();
  h.drain();
  assert.equal(loop.state, 'diverged');
  assert.ok(h.epochs.every((m) => Number.isFinite(m.loss)));
  assert.match(messages[messages.length - 1] ?? '', /diverged at epoch \d+.*lower learning rate.*clipping/);
});

test('window mode: pausing lands between windows, and resuming continues the same epoch exactly', () => {
  const cfg = { ...DEFAULT_CONFIG, epochs: 3, mode: { kind: 'window' as const, k: 10 } };
  const h = harness(cfg);
  h.loop.start();
  h.queue.shift()!(); // one slice = one window here
  h.loop.pause();
  assert.equal(h.loop.trainer.midEpoch, true, 'paused part-way through an epoch');
  assert.equal(h.epochs.length, 0);
  h.loop.resume();
  h.drain();
  const reference = new Trainer(SEED_SENTENCE, cfg);
  const expected: EpochMetrics[] = [];
  while (!reference.finished) expected.push(reference.runEpoch());
  assert.deepEqual(h.epochs, expected);
});
