// The editor overlay's hover asks the real worker for an epoch's top guesses: they must be the
// core's own inspection of that epoch (replayed), and in window mode the window of the position;
// so must one unit's values, which a picked unit colours the editor by.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Trainer } from '../../../src/core';
import { DEFAULT_CONFIG, SEED_SENTENCE, type TrainConfig } from '../../../src/core/types';
import type { WorkerToHost } from '../../../src/shared/protocol';
import { WorkerBridge } from '../../../src/host/workerBridge';
import { repoRoot } from '../../support/repoRoot';

const workerPath = join(repoRoot(), 'dist', 'worker.js');

async function trainedWorker(config: TrainConfig): Promise<WorkerBridge> {
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const bridge = new WorkerBridge(workerPath, {
    onMessage: (m: Exclude<WorkerToHost, { type: 'reply' }>) => {
      if (m.type === 'state' && m.state === 'done') done();
    },
    onCrash: (c) => assert.fail(c),
  });
  bridge.post({ type: 'start', text: SEED_SENTENCE, config });
  await finished;
  return bridge;
}

for (const mode of [{ kind: 'full' as const }, { kind: 'window' as const, k: 10 }]) {
  test(`guesses of a past epoch are the core's inspection of it (${mode.kind} mode)`, { skip: !existsSync(workerPath) && 'dist/worker.js not built' }, async () => {
    const config: TrainConfig = { ...DEFAULT_CONFIG, epochs: 30, mode };
    const bridge = await trainedWorker(config);
    try {
      const position = mode.kind === 'window' ? 23 : 0;
      const reply = await bridge.request('guesses', { epoch: 7, position, top: 3 });
      const trainer = new Trainer(SEED_SENTENCE, config);
      while (!trainer.finished) trainer.advance();
      const want = trainer.inspect(7, { position, top: 3 });
      assert.equal(reply.epoch, 7);
      assert.equal(reply.start, mode.kind === 'window' ? 20 : 0, 'the window holding the position');
      assert.equal(reply.steps, want.steps);
      assert.equal(reply.top, 3);
      assert.ok(reply.ids instanceof Int32Array && reply.p instanceof Float64Array, 'typed arrays cross the thread');
      assert.deepEqual(Array.from(reply.ids), Array.from(want.top.ids));
      assert.deepEqual(Array.from(reply.p), Array.from(want.top.p));
      assert.deepEqual(reply.vocab, [...want.vocab]);
      for (let t = 0; t < reply.steps; t++) assert.ok(reply.p[t * 3] >= reply.p[t * 3 + 1] && reply.p[t * 3 + 1] >= reply.p[t * 3 + 2]);
    } finally {
      await bridge.terminate();
    }
  });
}

test("a unit's values (what the editor overlay colours by) are the core's inspection of that window, gate or state", { skip: !existsSync(workerPath) && 'dist/worker.js not built' }, async () => {
  const config: TrainConfig = { ...DEFAULT_CONFIG, cell: 'lstm', hiddenSize: 6, epochs: 12, mode: { kind: 'window', k: 10 } };
  const bridge = await trainedWorker(config);
  try {
    const trainer = new Trainer(SEED_SENTENCE, config);
    while (!trainer.finished) trainer.advance();
    for (const [array, position] of [['h', 3], ['c', 25], ['f', 41]] as const) {
      const reply = await bridge.request('unit', { epoch: 5, array, unit: 4, position });
      const want = trainer.inspect(5, { position });
      const all = array === 'h' ? want.h : array === 'c' ? want.c! : want.gates![array];
      assert.equal(reply.start, Math.floor(position / 10) * 10, 'the window holding the position');
      assert.equal(reply.steps, want.steps);
      assert.ok(reply.values instanceof Float64Array);
      assert.deepEqual(Array.from(reply.values), Array.from({ length: want.steps }, (_, t) => all[t * 6 + 4]), `${array}[4]`);
    }
    await assert.rejects(bridge.request('unit', { epoch: 5, array: 'r', unit: 0 }), /no array "r" in a LSTM/);
    await assert.rejects(bridge.request('unit', { epoch: 5, array: 'h', unit: 6 }), /unit must be an integer from 0 to 5/);
  } finally {
    await bridge.terminate();
  }
});

test('a large LSTM inspected in the worker (W_hh split with its second thread) gives the core\'s one-thread numbers', { skip: !existsSync(workerPath) && 'dist/worker.js not built' }, async () => {
  // H 128: H×4H = 65,536, the smallest size the worker splits (src/core/split.ts).
  const config: TrainConfig = { ...DEFAULT_CONFIG, cell: 'lstm', hiddenSize: 128, epochs: 3 };
  const bridge = await trainedWorker(config);
  try {
    const trainer = new Trainer(SEED_SENTENCE, config);
    while (!trainer.finished) trainer.advance();
    const want = trainer.inspect(2);
    const got = await bridge.request('inspect', { epoch: 2 });
    assert.deepEqual(got.h, want.h);
    assert.deepEqual(got.c, want.c);
    assert.deepEqual(got.gates, want.gates);
    assert.equal(got.loss, want.loss);
    const t = want.steps - 1;
    const row = await bridge.request('connectivity', { epoch: 2, t });
    assert.deepEqual(row.values, trainer.connectivity(2, t).values);
  } finally {
    await bridge.terminate();
  }
});
