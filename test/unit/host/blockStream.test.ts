// Backpressure of the block stream: one message in flight, the rest joined, nothing lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EpochMetrics } from '../../../src/core/types';
import { blockFromEpochs, type EpochBlock } from '../../../src/shared/epochBlock';
import { BlockStream } from '../../../src/host/blockStream';
import { FakeClock } from './fakeClock';

const block = (epoch: number): EpochBlock =>
  blockFromEpochs([{ epoch, loss: 1, accuracy: 0, predicted: 'x', gradNorm: [1], lastLossGradNorm: [1], paramGradNorm: {}, sigmaMaxWhh: 1 } as EpochMetrics], 1);
const epochs = (b: EpochBlock) => Array.from({ length: b.count }, (_, i) => b.first + i);

test('one delivery at a time; what arrives meanwhile goes out joined, in order', async () => {
  const sent: EpochBlock[] = [];
  const pending: (() => void)[] = [];
  const s = new BlockStream((b) => (sent.push(b), new Promise<void>((r) => pending.push(r))), new FakeClock());
  for (let e = 0; e < 5; e++) s.push(block(e));
  assert.deepEqual(sent.map(epochs), [[0]]);
  assert.equal(s.pendingBlocks, 4);
  pending.shift()!();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(sent.map(epochs), [[0], [1, 2, 3, 4]]);
});

test('flush sends at once even during a delivery; discard drops the rest and frees the stream', async () => {
  const sent: EpochBlock[] = [];
  const s = new BlockStream((b) => (sent.push(b), new Promise<void>(() => undefined)), new FakeClock());
  s.push(block(0));
  s.push(block(1));
  s.flush();
  assert.deepEqual(sent.map(epochs), [[0], [1]]);
  s.push(block(2));
  s.discard();
  s.push(block(3));
  assert.deepEqual(sent.map(epochs), [[0], [1], [3]], 'a discarded stream no longer waits for the old delivery');
});

test('a delivery that never settles frees the stream after the wait limit', () => {
  const clock = new FakeClock();
  const sent: EpochBlock[] = [];
  const s = new BlockStream((b) => (sent.push(b), new Promise<void>(() => undefined)), clock);
  s.push(block(0));
  s.push(block(1));
  clock.advance(1999);
  assert.equal(sent.length, 1);
  clock.advance(2);
  assert.deepEqual(sent.map(epochs), [[0], [1]]);
});
