import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Batcher } from '../../../src/host/batcher';
import { FakeClock } from './fakeClock';

test('10,000 items in one second arrive in at most 60 messages, all of them, in order', () => {
  const clock = new FakeClock();
  const messages: number[][] = [];
  const batcher = new Batcher<number>((items) => void messages.push(items), { clock });
  // 10 items every 1 ms for 1 s.
  let next = 0;
  for (let ms = 0; ms < 1000; ms++) {
    for (let i = 0; i < 10; i++) batcher.push(next++);
    clock.advance(1);
  }
  clock.advance(100);
  assert.ok(messages.length <= 60, `${messages.length} messages`);
  assert.ok(messages.length >= 20, `batching should still stream (${messages.length} messages)`);
  const delivered = messages.flat();
  assert.equal(delivered.length, 10_000);
  assert.deepEqual(delivered, Array.from({ length: 10_000 }, (_, i) => i));
});

test('the first item after a quiet period is sent at once', () => {
  const clock = new FakeClock();
  const messages: string[][] = [];
  const batcher = new Batcher<string>((items) => void messages.push(items), { clock, intervalMs: 25 });
  batcher.push('a');
  assert.deepEqual(messages, [['a']]);
  batcher.push('b');
  batcher.push('c');
  assert.equal(messages.length, 1, 'items within the interval wait');
  clock.advance(24);
  assert.equal(messages.length, 1);
  clock.advance(1);
  assert.deepEqual(messages, [['a'], ['b', 'c']]);
  clock.advance(1000);
  batcher.push('d');
  assert.deepEqual(messages[2], ['d']);
});

test('flush sends pending items immediately so a state change never overtakes an epoch', () => {
  const clock = new FakeClock();
  const log: string[] = [];
  const batcher = new Batcher<number>((items) => void log.push(`epochs ${items.join(',')}`), { clock });
  batcher.push(1);
  batcher.push(2);
  batcher.push(3);
  // What the run does on a state message: flush, then post the state.
  batcher.flush();
  log.push('state done');
  clock.advance(1000);
  assert.deepEqual(log, ['epochs 1', 'epochs 2,3', 'state done']);
  assert.equal(clock.pendingTimers, 0, 'flush cancels the pending timer');
});

test('flush with nothing pending sends nothing; discard and dispose drop pending items', () => {
  const clock = new FakeClock();
  const messages: number[][] = [];
  const batcher = new Batcher<number>((items) => void messages.push(items), { clock });
  batcher.flush();
  assert.equal(messages.length, 0);
  batcher.push(1);
  batcher.push(2);
  batcher.discard();
  clock.advance(100);
  assert.deepEqual(messages, [[1]]);
  batcher.push(3);
  batcher.dispose();
  batcher.push(4);
  clock.advance(100);
  assert.deepEqual(messages, [[1], [3]]);
});

test('while a message is being delivered, later items wait and go out merged when it lands', async () => {
  const clock = new FakeClock();
  const messages: number[][] = [];
  const deliveries: (() => void)[] = [];
  const batcher = new Batcher<number>(
    (items) => {
      messages.push(items);
      return new Promise<void>((resolve) => deliveries.push(resolve));
    },
    { clock, intervalMs: 25 },
  );
  batcher.push(1);
  assert.deepEqual(messages, [[1]]);
  for (let i = 2; i <= 50; i++) {
    batcher.push(i);
    clock.advance(10);
  }
  assert.equal(messages.length, 1, 'nothing more is sent while the first message is in flight');
  deliveries[0]();
  await Promise.resolve();
  assert.deepEqual(messages[1], Array.from({ length: 49 }, (_, i) => i + 2), 'the waiting items go out together');
  // flush ignores the pending delivery: a state change must follow its epochs immediately.
  batcher.push(51);
  batcher.flush();
  assert.deepEqual(messages[2], [51]);
});

test('a delivery that never settles does not stall the stream for longer than maxDeliveryWaitMs', () => {
  const clock = new FakeClock();
  const messages: number[][] = [];
  const batcher = new Batcher<number>(
    (items) => {
      messages.push(items);
      return new Promise<void>(() => undefined);
    },
    { clock, intervalMs: 25, maxDeliveryWaitMs: 500 },
  );
  batcher.push(1);
  batcher.push(2);
  clock.advance(499);
  assert.equal(messages.length, 1);
  clock.advance(1);
  assert.deepEqual(messages, [[1], [2]]);
});
