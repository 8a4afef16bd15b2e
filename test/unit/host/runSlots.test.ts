import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG } from '../../../src/core/types';
import type { HostToWebview } from '../../../src/shared/protocol';
import { TrainingRun, type RunHooks } from '../../../src/host/run';
import { RunSlots } from '../../../src/host/runSlots';
import { maxConcurrentRuns } from '../../../src/settings';
import { FakeWorker } from './fakeWorker';


function startRuns(n: number, slots: RunSlots) {
  const workers = new Map<string, FakeWorker>();
  const posted = new Map<string, HostToWebview[]>();
  const runs = Array.from({ length: n }, (_, i) => {
    const runId = `r${i + 1}`;
    posted.set(runId, []);
    const hooks: RunHooks = { post: (m) => void posted.get(runId)!.push(m), log: () => {}, changed: () => {} };
    return TrainingRun.start(
      { runId, title: runId, text: 'hello', config: { ...DEFAULT_CONFIG, epochs: 10 }, printEvery: 10, notes: [] },
      (events) => {
        const w = new FakeWorker(events);
        workers.set(runId, w);
        return w;
      },
      hooks,
      { slots },
    );
  });
  return { runs, workers, posted };
}

test('slots: grants up to the limit, queues the rest first come first served, and a release starts the next', () => {
  const slots = new RunSlots(() => 2);
  const granted: string[] = [];
  for (const id of ['a', 'b', 'c', 'd']) slots.acquire(id, () => granted.push(id));
  assert.deepEqual(granted, ['a', 'b']);
  assert.deepEqual(slots.waiting, ['c', 'd']);
  assert.equal(slots.placeOf('d'), 2);
  slots.release('b');
  assert.deepEqual(granted, ['a', 'b', 'c']);
  slots.release('d'); // a queued run that gives up leaves the queue without being granted
  slots.release('a');
  assert.deepEqual(granted, ['a', 'b', 'c']);
  assert.deepEqual(slots.training, ['c']);
  assert.throws(() => slots.acquire('c', () => {}), /already asked/);
});

test('slots: a larger limit read at release time starts several queued runs at once', () => {
  let limit = 1;
  const slots = new RunSlots(() => limit);
  const granted: string[] = [];
  for (const id of ['a', 'b', 'c']) slots.acquire(id, () => granted.push(id));
  limit = 3;
  slots.release('nobody');
  assert.deepEqual(granted, ['a', 'b', 'c']);
});

test('five quick starts with a limit of 2: two workers exist, three runs are queued, each starts when one ends', () => {
  const slots = new RunSlots(() => 2);
  const { runs, workers } = startRuns(5, slots);
  assert.deepEqual([...workers.keys()], ['r1', 'r2'], 'no worker is spawned for a queued run');
  assert.deepEqual(runs.map((r) => r.state), ['starting', 'starting', 'queued', 'queued', 'queued']);
  assert.match(runs[2].message ?? '', /Queued: 2 runs are training, the most rnnLab\.maxConcurrentRuns \(2\) allows/);
  workers.get('r1')!.send({ type: 'started', steps: 4, stepLabels: ['h', 'e', 'l', 'l'], firstEpoch: 0 });
  workers.get('r1')!.send({ type: 'state', state: 'done' });
  assert.deepEqual([...workers.keys()], ['r1', 'r2', 'r3']);
  assert.equal(runs[2].state, 'starting');
  assert.equal(runs[2].message, undefined);
  // A paused run keeps its slot.
  workers.get('r2')!.send({ type: 'state', state: 'paused' });
  assert.equal(workers.size, 3);
  void runs[1].dispose();
  assert.deepEqual([...workers.keys()], ['r1', 'r2', 'r3', 'r4'], 'closing a panel frees its slot');
});

test('a queued run: its panel shows it queued, Stop cancels it without a worker, the others keep their places', () => {
  const slots = new RunSlots(() => 1);
  const { runs, workers, posted } = startRuns(3, slots);
  runs[1].webviewDidLoad();
  const init = posted.get('r2')![0];
  assert.ok(init?.type === 'init');
  assert.equal(init.state, 'queued');
  assert.match(init.message ?? '', /Queued/);
  assert.equal(runs[1].control('pause'), 'This run is queued and has not started training yet.');
  assert.equal(runs[1].control('stop'), undefined);
  assert.equal(runs[1].state, 'stopped');
  assert.deepEqual(slots.waiting, ['r3']);
  assert.equal(workers.has('r2'), false);
  workers.get('r1')!.send({ type: 'state', state: 'stopped' });
  assert.deepEqual([...workers.keys()], ['r1', 'r3']);
});

test('a queued run whose panel is open gets a fresh init once it starts', () => {
  const slots = new RunSlots(() => 1);
  const { runs, workers, posted } = startRuns(2, slots);
  runs[1].webviewDidLoad();
  workers.get('r1')!.send({ type: 'state', state: 'done' });
  const w2 = workers.get('r2')!;
  assert.deepEqual(w2.posted.map((m) => m.type), ['start']);
  w2.send({ type: 'started', steps: 4, stepLabels: ['h', 'e', 'l', 'l'], firstEpoch: 0 });
  const inits = posted.get('r2')!.filter((m) => m.type === 'init');
  assert.equal(inits.length, 2);
  assert.equal(inits[1].type === 'init' && inits[1].state, 'running');
});

test('maxConcurrentRuns: 0 and invalid values mean the number of cores; others are taken as they are', () => {
  assert.equal(maxConcurrentRuns(0, 8), 8);
  assert.equal(maxConcurrentRuns(undefined, 2), 2);
  assert.equal(maxConcurrentRuns(-3, 2), 2);
  assert.equal(maxConcurrentRuns(1.5, 2), 2);
  assert.equal(maxConcurrentRuns('4', 2), 2);
  assert.equal(maxConcurrentRuns(5, 2), 5);
  assert.equal(maxConcurrentRuns(0, 0), 1);
});

test('a queued panel\'s count of runs queued before it follows the queue', () => {
  const slots = new RunSlots(() => 1);
  const { runs, posted } = startRuns(4, slots);
  runs[3].webviewDidLoad();
  assert.match(runs[3].message ?? '', /and 2 queued before this one/);
  // The second run gives up its place: the fourth is now second in line.
  assert.equal(runs[1].control('stop'), undefined);
  assert.match(runs[3].message ?? '', /and 1 queued before this one/);
  const last = posted.get('r4')!.at(-1)!;
  assert.ok(last.type === 'state' && last.state === 'queued');
  assert.match(last.message ?? '', /and 1 queued before this one/);
  assert.doesNotMatch(runs[2].message ?? '', /queued before this one/, 'the third run is next in line');
});

test('slots: a lone run on 2 cores starts with two threads; a second run makes the first suspend its second thread until it ends', () => {
  const slots = new RunSlots(() => 2, () => 2);
  assert.equal(slots.threadsPerRun(), 2, 'nothing training: a new run may use two');
  const { runs, workers } = startRuns(3, slots);
  const threadsOf = (id: string) => workers.get(id)!.posted.flatMap((m) => (m.type === 'start' ? [`start ${m.threads}`] : m.type === 'threads' ? [`${m.threads}`] : []));
  // r1 started alone (2), r2 made both share the cores (r1 told 1; r2 started with 1); r3 waits.
  assert.deepEqual(threadsOf('r1'), ['start 2', '1']);
  assert.deepEqual(threadsOf('r2'), ['start 1']);
  assert.equal(workers.has('r3'), false);
  // r2 ends: r3 takes its slot, so r1 still shares.
  workers.get('r2')!.send({ type: 'state', state: 'done' });
  assert.deepEqual(threadsOf('r1'), ['start 2', '1']);
  assert.deepEqual(threadsOf('r3'), ['start 1']);
  // r3 ends: r1 is alone again and resumes its second thread; r3 (ended) is told nothing more.
  workers.get('r3')!.send({ type: 'state', state: 'done' });
  assert.deepEqual(threadsOf('r1'), ['start 2', '1', '2']);
  assert.deepEqual(threadsOf('r3'), ['start 1']);
  // Once r1 has ended or is disposed, it follows the slots no longer.
  void runs[0].dispose();
  slots.acquire('x', () => {});
  slots.acquire('y', () => {});
  assert.deepEqual(threadsOf('r1'), ['start 2', '1', '2']);
});

test('slots: with one core (the default) every run trains in one thread', () => {
  const slots = new RunSlots(() => 4);
  const { workers } = startRuns(1, slots);
  assert.deepEqual(workers.get('r1')!.posted.filter((m) => m.type === 'start').map((m) => (m.type === 'start' ? m.threads : 0)), [1]);
});
