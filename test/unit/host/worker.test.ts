// Drives the built training worker (dist/worker.js) through the real WorkerBridge: the thread,
// the protocol and the core loop together, without VS Code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG, SEED_SENTENCE } from '../../../src/core/types';
import type { WorkerToHost } from '../../../src/shared/protocol';
import { WorkerBridge } from '../../../src/host/workerBridge';
import { repoRoot } from '../../support/repoRoot';

const workerPath = join(repoRoot(), 'dist', 'worker.js');

/** Collects worker messages and lets a test wait for one that matches. */
class Inbox {
  readonly messages: WorkerToHost[] = [];
  crashes: string[] = [];
  private waiters: { match(m: WorkerToHost): boolean; resolve(m: WorkerToHost): void }[] = [];

  push(m: WorkerToHost): void {
    this.messages.push(m);
    for (const w of [...this.waiters]) {
      if (w.match(m)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  }

  next(match: (m: WorkerToHost) => boolean, timeoutMs = 10_000): Promise<WorkerToHost> {
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a worker message')), timeoutMs);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolvePromise(m);
        },
      });
    });
  }

  epochs(): number[] {
    return this.messages.flatMap((m) => (m.type === 'epochs' ? Array.from({ length: m.block.count }, (_, i) => m.block.first + i) : []));
  }

  /** The newest epoch number received so far (−1 before any). */
  last(): number {
    const e = this.epochs();
    return e.length ? e[e.length - 1] : -1;
  }
}

const isState = (state: string) => (m: WorkerToHost) => m.type === 'state' && m.state === state;

test('the worker trains, pauses, steps, resumes and stops in order, and exits when terminated', { skip: !existsSync(workerPath) && 'dist/worker.js not built' }, async () => {
  const inbox = new Inbox();
  const bridge = new WorkerBridge(workerPath, { onMessage: (m) => inbox.push(m), onCrash: (c) => inbox.crashes.push(c) });
  try {
    bridge.post({ type: 'start', text: SEED_SENTENCE, config: { ...DEFAULT_CONFIG, epochs: 100_000 } });
    const started = await inbox.next((m) => m.type === 'started');
    assert.ok(started.type === 'started');
    assert.equal(started.steps, Array.from(SEED_SENTENCE).length - 1);
    await inbox.next((m) => m.type === 'epochs' && m.block.first + m.block.count > 5);

    bridge.post({ type: 'control', action: 'pause' });
    await inbox.next(isState('paused'));
    const atPause = inbox.epochs().length;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(inbox.epochs().length, atPause, 'no epochs while paused');

    bridge.post({ type: 'control', action: 'step' });
    await inbox.next(isState('paused'));
    assert.equal(inbox.epochs().length, atPause + 1, 'a step runs exactly one epoch');

    bridge.post({ type: 'control', action: 'resume' });
    await inbox.next(isState('running'));
    await inbox.next((m) => m.type === 'epochs' && m.block.first + m.block.count > atPause + 10);

    const matrix = await bridge.request('matrix', { epoch: 2 });
    assert.equal(matrix.epoch, 2);
    assert.ok(matrix.values instanceof Float64Array, 'the matrix arrives as a typed array');
    assert.equal(matrix.values.length, matrix.size * matrix.size);
    assert.ok(Number.isNaN(matrix.values[1]) && matrix.values[matrix.size] > 0, 'NaN above the diagonal, norms below');
    await assert.rejects(bridge.request('matrix', { epoch: 10 ** 9 }), /not in this run/, 'a core error comes back as the rejection');
    const weights = JSON.parse((await bridge.request('weights', {})).json);
    assert.equal(weights.hiddenSize, DEFAULT_CONFIG.hiddenSize);

    // Inside the network: typed arrays through the thread boundary, and a superseded inspection dropped.
    const older = bridge.request('inspect', { epoch: 1 });
    const newer = bridge.request('inspect', { epoch: 3 });
    await assert.rejects(older, /newer inspect request/, 'the older inspection is dropped');
    const x = await newer;
    assert.equal(x.epoch, 3);
    assert.ok(x.h instanceof Float64Array && x.targetP instanceof Float64Array && x.topIds instanceof Int32Array);
    assert.equal(x.h.length, x.steps * x.hiddenSize);
    assert.equal(x.steps, started.steps);
    const conn = await bridge.request('connectivity', { epoch: 3, t: 4 });
    assert.ok(conn.values instanceof Float64Array && conn.values.length === 5 && conn.values.every((v) => v > 0));
    await assert.rejects(bridge.request('connectivity', { epoch: 3, t: 10 ** 6 }), /connectivity step must be/);
    const check = await bridge.request('gradCheck', {});
    assert.deepEqual(check.params.map((p) => p.param).sort(), Object.keys(weights.params).sort());
    assert.ok(check.params.every((p) => p.maxRelError < 1e-4), JSON.stringify(check.params.map((p) => p.maxRelError)));

    bridge.post({ type: 'control', action: 'stop' });
    const stopped = await inbox.next(isState('stopped'));
    assert.ok(stopped.type === 'state');

    const epochs = inbox.epochs();
    assert.deepEqual(epochs, Array.from({ length: epochs.length }, (_, i) => i), 'epochs arrive once each, in order');
    const stateIndex = inbox.messages.indexOf(stopped);
    assert.ok(inbox.messages.slice(stateIndex + 1).every((m) => m.type !== 'epochs'), 'no epoch after stopped');
    for (const m of inbox.messages) {
      if (m.type === 'epochs') {
        assert.ok(m.block.scalars.loss!.every(Number.isFinite));
        assert.equal(m.block.rowEpochs.length, m.block.count, 'every epoch carries its rows');
      }
    }
    assert.ok(inbox.messages.filter((m) => m.type === 'epochs').length < epochs.length / 2, 'epochs travel in blocks');
    assert.deepEqual(inbox.crashes, []);
  } finally {
    await bridge.terminate();
  }
  assert.equal(typeof (await bridge.exit), 'number', 'the thread has exited');
  assert.equal(bridge.alive, false);
  assert.deepEqual(inbox.crashes, [], 'terminating is not a crash');
});

test('a run that cannot start reports the core error instead of crashing', { skip: !existsSync(workerPath) && 'dist/worker.js not built' }, async () => {
  const inbox = new Inbox();
  const bridge = new WorkerBridge(workerPath, { onMessage: (m) => inbox.push(m), onCrash: (c) => inbox.crashes.push(c) });
  try {
    bridge.post({ type: 'start', text: 'aaaa', config: DEFAULT_CONFIG });
    const err = await inbox.next((m) => m.type === 'error');
    assert.ok(err.type === 'error');
    assert.match(err.message, /single character/);
  } finally {
    await bridge.terminate();
  }
});

test('a diverging run ends in state diverged naming the epoch, without NaN metrics', { skip: !existsSync(workerPath) && 'dist/worker.js not built' }, async () => {
  const inbox = new Inbox();
  const bridge = new WorkerBridge(workerPath, { onMessage: (m) => inbox.push(m), onCrash: (c) => inbox.crashes.push(c) });
  try {
    bridge.post({ type: 'start', text: SEED_SENTENCE, config: { ...DEFAULT_CONFIG, activation: 'relu', optimizer: 'sgd', learningRate: 10, hiddenSize: 64, epochs: 5000 } });
    const end = await inbox.next((m) => m.type === 'state' && m.state !== 'running', 30_000);
    assert.ok(end.type === 'state');
    assert.equal(end.state, 'diverged');
    assert.match(end.message ?? '', /epoch \d+/);
    assert.match(end.message ?? '', /learning rate|clipping/);
    for (const m of inbox.messages) if (m.type === 'epochs') assert.ok(m.block.scalars.loss!.every(Number.isFinite));
  } finally {
    await bridge.terminate();
  }
});

test('a worker that dies on its own is reported as a crash', async () => {
  const inbox = new Inbox();
  const crashed = new Promise<string>((resolvePromise) => {
    // A worker script that exits with a failure code stands in for a fatal error in training.
    const bridge = new WorkerBridge(join(repoRoot(), 'out', 'test', 'unit', 'host', 'does-not-exist.js'), {
      onMessage: (m) => inbox.push(m),
      onCrash: (c) => resolvePromise(c),
    });
    void bridge;
  });
  assert.match(await crashed, /training worker/);
});

test('a large RNN trained by the worker with two threads (and one suspended mid-run) gives the one-thread epochs', { skip: !existsSync(workerPath) && 'dist/worker.js not built' }, async () => {
  // H 96 is the smallest size that splits (PARTNER_MIN_HIDDEN); 40 epochs of window-25 training.
  const text = 'the cat sat on the mat; the dog sat on the log, and the bird sang on the branch. '.repeat(3);
  const config = { ...DEFAULT_CONFIG, hiddenSize: 96, mode: { kind: 'window' as const, k: 25 }, epochs: 40 };
  const tasks = () => readdirSync('/proc/self/task').length;
  const trainIn = async (threads: 1 | 2, suspendMidRun: boolean) => {
    const inbox = new Inbox();
    const idle = tasks();
    const bridge = new WorkerBridge(workerPath, { onMessage: (m) => inbox.push(m), onCrash: (c) => inbox.crashes.push(c) });
    try {
      bridge.post({ type: 'start', text, config, threads });
      if (suspendMidRun) {
        await inbox.next((m) => m.type === 'epochs');
        bridge.post({ type: 'threads', threads: 1 });
        bridge.post({ type: 'threads', threads: 2 });
      }
      if (!inbox.messages.some(isState('done'))) await inbox.next(isState('done'), 60_000);
      const blocks = inbox.messages.flatMap((m) => (m.type === 'epochs' ? [m.block] : []));
      const loss = blocks.flatMap((b) => Array.from(b.scalars.loss!));
      const rows = blocks.flatMap((b) => Array.from(b.rows.gradNorm!));
      return { loss, rows, threadsAdded: tasks() - idle };
    } finally {
      await bridge.terminate();
    }
  };
  // Threads of earlier tests' workers may still be ending: wait until the count settles.
  const settled = async () => {
    let n = tasks();
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 50));
      if (tasks() === n) return n;
      n = tasks();
    }
    return n;
  };
  const before = await settled();
  const one = await trainIn(1, false);
  const two = await trainIn(2, false);
  const switched = await trainIn(2, true);
  assert.equal(one.loss.length, 40);
  assert.deepEqual(two.loss, one.loss);
  assert.deepEqual(two.rows, one.rows);
  assert.deepEqual(switched.loss, one.loss);
  assert.deepEqual(switched.rows, one.rows);
  // The second thread is a thread of its own, and it ends with the worker.
  assert.equal(two.threadsAdded, one.threadsAdded + 1, 'threads 2 adds the kernel thread');
  assert.equal(await settled(), before, 'every thread ended with its worker');
});

test('a long epoch reports how far it has got before it ends; quick epochs never do', { skip: !existsSync(workerPath) && 'dist/worker.js not built' }, async () => {
  const inbox = new Inbox();
  const bridge = new WorkerBridge(workerPath, { onMessage: (m) => inbox.push(m), onCrash: (c) => inbox.crashes.push(c) });
  const quick = new Inbox();
  const quickBridge = new WorkerBridge(workerPath, { onMessage: (m) => quick.push(m), onCrash: (c) => quick.crashes.push(c) });
  try {
    // ~600,000 characters in window mode at hidden 64: about two seconds an epoch here, so the 400 ms ticks see it part-way.
    const text = 'the quick brown fox jumps over the lazy dog. '.repeat(13_500);
    const finished = Promise.all([inbox.next(isState('done'), 60_000), quick.next(isState('done'), 60_000)]);
    bridge.post({ type: 'start', text, config: { ...DEFAULT_CONFIG, hiddenSize: 64, epochs: 1, mode: { kind: 'window', k: 25 } } });
    // Window-mode epochs of a sentence: ticks land part-way through many of them, but never twice in one.
    quickBridge.post({ type: 'start', text: SEED_SENTENCE, config: { ...DEFAULT_CONFIG, epochs: 20_000, mode: { kind: 'window', k: 8 } } });
    await finished;
    const firstEpoch = inbox.messages.findIndex((m) => m.type === 'epochs');
    const reports = inbox.messages.flatMap((m, i) => (m.type === 'progress' ? [{ i, ...m.progress }] : []));
    assert.ok(reports.length >= 1, 'a two-second epoch says at least once how far it has got');
    for (const r of reports) {
      assert.ok(r.i < firstEpoch, 'every report comes before that epoch itself');
      assert.equal(r.epoch, 0);
      assert.equal(r.total, text.length - 1);
      assert.ok(r.done > 0 && r.done < r.total && r.done % 25 === 0, `whole windows done: ${r.done}`);
      assert.ok(Number.isFinite(r.loss) && r.loss > 0 && r.accuracy >= 0 && r.accuracy <= 1);
    }
    for (let j = 1; j < reports.length; j++) assert.ok(reports[j].done > reports[j - 1].done, 'and it moves on');
    assert.equal(quick.messages.filter((m) => m.type === 'progress').length, 0, 'quick epochs never report progress');
    assert.deepEqual([...inbox.crashes, ...quick.crashes], []);
  } finally {
    await Promise.all([bridge.terminate(), quickBridge.terminate()]);
  }
});
