import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, type EpochMetrics } from '../../../src/core/types';
import type { HostToWebview, HostToWorker, WorkerToHost } from '../../../src/shared/protocol';
import { RESTORED_MESSAGE, TrainingRun, type RunHooks, type WorkerHandle } from '../../../src/host/run';
import { RunRegistry } from '../../../src/host/runRegistry';
import type { WorkerEvents } from '../../../src/host/workerBridge';
import { FakeClock } from './fakeClock';

class FakeWorker implements WorkerHandle {
  alive = true;
  posted: HostToWorker[] = [];
  constructor(readonly events: WorkerEvents) {}
  post(msg: HostToWorker): void {
    this.posted.push(msg);
  }
  async requestMatrix(epoch: number) {
    return { type: 'matrix' as const, requestId: 1, epoch, size: 1, values: [1] };
  }
  async requestWeights() {
    return '{"weights":true}';
  }
  async terminate() {
    this.alive = false;
  }
  send(msg: WorkerToHost): void {
    this.events.onMessage(msg);
  }
}

function metrics(epoch: number): EpochMetrics {
  return { epoch, loss: 3 - epoch * 0.001, accuracy: 0.1, predicted: 'hq', gradNorm: [1, 2], lastLossGradNorm: [1, 2], paramGradNorm: {}, sigmaMaxWhh: 1 };
}

function setup(epochs = 100) {
  const clock = new FakeClock();
  const posted: HostToWebview[] = [];
  const logs: string[] = [];
  let changes = 0;
  const hooks: RunHooks = { post: (m) => void posted.push(m), log: (l) => logs.push(l), changed: () => changes++ };
  let worker!: FakeWorker;
  const run = TrainingRun.start(
    { runId: 'r1', title: 'hi', text: 'hello', config: { ...DEFAULT_CONFIG, epochs }, printEvery: 10, notes: ['a note'] },
    (events) => (worker = new FakeWorker(events)),
    hooks,
    { clock },
  );
  return { clock, posted, logs, run, worker, changes: () => changes };
}

const started: WorkerToHost = { type: 'started', steps: 4, stepLabels: ['h', 'e', 'l', 'l'], firstEpoch: 0 };

test('the worker is told to start with the text and config', () => {
  const { worker } = setup();
  assert.deepEqual(worker.posted, [{ type: 'start', text: 'hello', config: { ...DEFAULT_CONFIG, epochs: 100 } }]);
});

test('init waits for both the webview and the worker, and carries the history so far', () => {
  const { posted, run, worker } = setup();
  run.webviewDidLoad();
  assert.equal(posted.length, 0, 'no init before the worker reports its step layout');
  worker.send(started);
  assert.equal(posted.length, 1);
  const init = posted[0];
  assert.equal(init.type, 'init');
  assert.ok(init.type === 'init');
  assert.deepEqual(init.run.stepLabels, ['h', 'e', 'l', 'l']);
  assert.deepEqual(init.run.notes, ['a note']);
  assert.equal(init.restored, false);
  assert.equal(run.state, 'running');
});

test('epochs before the webview is ready arrive in its init; later ones stream in batches; state follows the last epoch', () => {
  const { posted, run, worker, clock } = setup(1000);
  worker.send(started);
  for (let e = 0; e < 5; e++) worker.send({ type: 'epoch', metrics: metrics(e) });
  clock.advance(100);
  assert.equal(posted.length, 0, 'nothing is posted to a webview that has not said ready');
  run.webviewDidLoad();
  assert.equal(posted.length, 1);
  assert.ok(posted[0].type === 'init');
  assert.deepEqual(posted[0].history.map((m) => m.epoch), [0, 1, 2, 3, 4]);

  for (let e = 5; e < 1000; e++) {
    worker.send({ type: 'epoch', metrics: metrics(e) });
    if (e % 10 === 0) clock.advance(1);
  }
  worker.send({ type: 'state', state: 'done', epoch: 1000 });
  const epochsMsgs = posted.filter((m): m is Extract<HostToWebview, { type: 'epochs' }> => m.type === 'epochs');
  const streamed = epochsMsgs.flatMap((m) => m.epochs.map((x) => x.epoch));
  assert.deepEqual(streamed, Array.from({ length: 995 }, (_, i) => i + 5), 'every epoch once, in order');
  assert.ok(epochsMsgs.length < 995 / 5, `epochs are batched (${epochsMsgs.length} messages)`);
  // This stream was fast enough to be thinned, so the ended run is sent whole again (init, carrying the state).
  const last = posted[posted.length - 1];
  assert.ok(last.type === 'init' && last.state === 'done', 'the state follows the last epoch');
  assert.deepEqual(last.history.map((m) => m.epoch), Array.from({ length: 1000 }, (_, i) => i));
  assert.equal(run.history.length, 1000);
});

test('a hidden webview receives nothing, and gets the full history again when it reloads', () => {
  const { posted, run, worker, clock } = setup();
  worker.send(started);
  run.webviewDidLoad();
  run.webviewDidUnload();
  posted.length = 0;
  for (let e = 0; e < 3; e++) worker.send({ type: 'epoch', metrics: metrics(e) });
  clock.advance(100);
  assert.equal(posted.length, 0);
  run.webviewDidLoad();
  assert.equal(posted.length, 1);
  assert.ok(posted[0].type === 'init');
  assert.equal(posted[0].history.length, 3);
  clock.advance(100);
  assert.equal(posted.length, 1, 'epochs already in the init are not sent again');
});

test('control actions go to the worker', () => {
  const { run, worker } = setup();
  for (const action of ['pause', 'step', 'resume', 'stop'] as const) assert.equal(run.control(action), undefined);
  assert.deepEqual(worker.posted.slice(1).map((m) => m.type === 'control' && m.action), ['pause', 'step', 'resume', 'stop']);
});

test('a crash keeps the history and reports crashed with the message', () => {
  const { posted, run, worker } = setup();
  worker.send(started);
  run.webviewDidLoad();
  worker.send({ type: 'epoch', metrics: metrics(0) });
  worker.alive = false;
  worker.events.onCrash('The training worker exited unexpectedly (exit code 1).');
  assert.equal(run.state, 'crashed');
  assert.equal(run.history.length, 1);
  assert.deepEqual(posted.slice(-2).map((m) => m.type), ['epochs', 'state']);
  assert.match(run.message ?? '', /exit code 1/);
  assert.match(run.control('resume') ?? '', /no training worker/);
});

test('a run whose worker fails before starting still gets an init showing the failure', () => {
  const { posted, run, worker } = setup();
  run.webviewDidLoad();
  worker.send({ type: 'error', message: 'cell "gru" is not available' });
  assert.equal(run.state, 'crashed');
  assert.equal(posted.length, 1);
  assert.ok(posted[0].type === 'init');
  assert.equal(posted[0].state, 'crashed');
  assert.match(posted[0].message ?? '', /gru/);
});

test('log lines every printEvery epochs and for the last epoch, in the seed format', () => {
  const { logs, worker } = setup(25);
  worker.send(started);
  for (let e = 0; e < 25; e++) worker.send({ type: 'epoch', metrics: metrics(e) });
  worker.send({ type: 'state', state: 'done', epoch: 25 });
  const lines = logs.filter((l) => l.includes('Loss:'));
  assert.deepEqual(lines.map((l) => /#(\d+),/.exec(l)?.[1]), ['0', '10', '20', '24']);
  assert.equal(lines[1], '[r1] #10, Loss: 2.990000, Acc: 0.100000, Test_string: "hq"');
});

test('a stopped run logs its last epoch once', () => {
  const { logs, worker } = setup(1000);
  worker.send(started);
  for (let e = 0; e < 13; e++) worker.send({ type: 'epoch', metrics: metrics(e) });
  worker.send({ type: 'state', state: 'stopped', epoch: 13 });
  worker.send({ type: 'state', state: 'stopped', epoch: 13 });
  assert.deepEqual(logs.filter((l) => l.includes('Loss:')).map((l) => /#(\d+),/.exec(l)?.[1]), ['0', '10', '12']);
});

test('dispose terminates the worker, and every caller waits for the same termination', async () => {
  const { run, worker } = setup();
  let release!: () => void;
  worker.terminate = () => new Promise<void>((r) => (release = () => ((worker.alive = false), r())));
  const first = run.dispose();
  let secondDone = false;
  const second = run.dispose().then(() => (secondDone = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(secondDone, false, 'a second dispose does not resolve before the worker is gone');
  release();
  await Promise.all([first, second]);
  assert.equal(worker.alive, false);
  assert.equal(run.workerAlive, false);
});

test('a restored run shows its history as stopped (or done), without a worker', () => {
  const posted: HostToWebview[] = [];
  const info = { runId: 'old', title: 't', chars: ['a', 'b'], config: DEFAULT_CONFIG, firstEpoch: 0, steps: 1, stepLabels: ['a'], printEvery: 30, notes: [] };
  const run = TrainingRun.restore(info, [metrics(0)], 'running', { post: (m) => void posted.push(m), log: () => {}, changed: () => {} });
  run.webviewDidLoad();
  assert.equal(posted.length, 1);
  const init = posted[0];
  assert.ok(init.type === 'init');
  assert.equal(init.restored, true);
  assert.equal(init.state, 'stopped');
  assert.equal(init.message, RESTORED_MESSAGE);
  assert.equal(init.history.length, 1);
  assert.equal(run.workerAlive, false);
  assert.equal(TrainingRun.restore(info, [], 'done', { post: () => {}, log: () => {}, changed: () => {} }).state, 'done');
});

test('the registry resolves waitForState when a run gets there, and times out otherwise', async () => {
  const registry = new RunRegistry<{ panelOpen: boolean }>();
  const owner = { panelOpen: true };
  let worker!: FakeWorker;
  const run = TrainingRun.start(
    { runId: 'r9', title: 't', text: 'hello', config: DEFAULT_CONFIG, printEvery: 10, notes: [] },
    (events) => (worker = new FakeWorker(events)),
    { post: () => {}, log: () => {}, changed: (r) => registry.changed(r) },
  );
  registry.add(run, owner);
  const waiting = registry.waitForState('r9', ['done'], 5000);
  worker.send(started);
  worker.send({ type: 'epoch', metrics: metrics(0) });
  worker.send({ type: 'state', state: 'done', epoch: 1 });
  const snap = await waiting;
  assert.equal(snap.state, 'done');
  assert.equal(snap.epochsDone, 1);
  assert.equal(snap.panelOpen, true);
  assert.equal(snap.workerAlive, true);
  await assert.rejects(registry.waitForState('r9', ['crashed'], 10), /did not reach crashed/);
  await assert.rejects(registry.waitForState('nope', ['done'], 10), /no run/);

  owner.panelOpen = false;
  await run.dispose();
  registry.closed('r9');
  const after = registry.runs().find((r) => r.runId === 'r9');
  assert.deepEqual([after?.panelOpen, after?.workerAlive], [false, false]);
  assert.equal(registry.active, undefined);
  registry.dispose();
});

test('a long history reaches a (re)loaded webview in slices, every epoch once and in order, the state last', () => {
  const { posted, run, worker, clock } = setup(5000);
  worker.send(started);
  const wide = (epoch: number): EpochMetrics => ({ ...metrics(epoch), gradNorm: new Array(100).fill(1), lastLossGradNorm: new Array(100).fill(1) });
  for (let e = 0; e < 1000; e++) worker.send({ type: 'epoch', metrics: wide(e) });
  clock.advance(1000);
  run.webviewDidLoad();
  const init = posted[0];
  assert.ok(init.type === 'init');
  assert.ok(init.history.length > 0 && init.history.length < 1000, `init carries a first slice (${init.history.length} epochs)`);
  // Training goes on and ends while the slices go out.
  for (let e = 1000; e < 1100; e++) worker.send({ type: 'epoch', metrics: wide(e) });
  worker.send({ type: 'state', state: 'done', epoch: 1100 });
  for (let i = 0; i < 20; i++) clock.advance(1);
  const received = [
    ...init.history.map((m) => m.epoch),
    ...posted.slice(1).flatMap((m) => (m.type === 'epochs' ? m.epochs.map((x) => x.epoch) : [])),
  ];
  assert.deepEqual(received, Array.from({ length: 1100 }, (_, i) => i));
  assert.ok(posted.filter((m) => m.type === 'epochs').length >= 3, 'several slices');
  assert.deepEqual(posted[posted.length - 1], { type: 'state', runId: 'r1', state: 'done', message: undefined, epoch: 1100 });
  assert.equal(posted.filter((m) => m.type === 'state').length, 1);
  // Live streaming resumes normally after the replay.
  const before = posted.length;
  clock.advance(1000);
  assert.equal(posted.length, before, 'nothing is sent twice');
});

test('hiding the webview during a replay stops it; the next load starts over', () => {
  const { posted, run, worker, clock } = setup(5000);
  worker.send(started);
  const wide = (epoch: number): EpochMetrics => ({ ...metrics(epoch), gradNorm: new Array(100).fill(1), lastLossGradNorm: new Array(100).fill(1) });
  for (let e = 0; e < 1000; e++) worker.send({ type: 'epoch', metrics: wide(e) });
  run.webviewDidLoad();
  run.webviewDidUnload();
  const afterUnload = posted.length;
  clock.advance(100);
  assert.equal(posted.length, afterUnload, 'no slices go to a hidden webview');
  posted.length = 0;
  run.webviewDidLoad();
  for (let i = 0; i < 20; i++) clock.advance(1);
  const received = posted.flatMap((m) => (m.type === 'init' ? m.history : m.type === 'epochs' ? m.epochs : []).map((x) => x.epoch));
  assert.deepEqual(received, Array.from({ length: 1000 }, (_, i) => i));
  assert.deepEqual(posted[posted.length - 1], { type: 'state', runId: 'r1', state: 'running', message: undefined, epoch: undefined }, 'a replay ends with the current state');
});

test('a fast stream keeps every epoch but only a budget of gradient rows; a slow one keeps them all', () => {
  const { posted, run, worker, clock } = setup(100_000);
  worker.send(started);
  run.webviewDidLoad();
  posted.length = 0;
  const wide = (epoch: number): EpochMetrics => ({ ...metrics(epoch), gradNorm: new Array(45).fill(1), lastLossGradNorm: new Array(45).fill(1) });
  // 1,500 epochs per second for one second.
  for (let e = 0; e < 1500; e++) {
    worker.send({ type: 'epoch', metrics: wide(e) });
    if (e % 3 === 2) clock.advance(2);
  }
  clock.advance(100);
  const fast = posted.flatMap((m) => (m.type === 'epochs' ? m.epochs : []));
  assert.deepEqual(fast.map((m) => m.epoch), Array.from({ length: 1500 }, (_, i) => i));
  const rows = fast.filter((m) => m.gradNorm.length > 0).length;
  assert.ok(rows < 300, `${rows} epochs kept their rows`);
  for (const m of posted) if (m.type === 'epochs') assert.equal(m.epochs[m.epochs.length - 1].gradNorm.length, 45, 'the newest epoch of a message is complete');
  assert.equal(run.history[700].gradNorm.length, 45, 'the host keeps every row');

  // Ten epochs per second: every row goes out.
  posted.length = 0;
  for (let e = 1500; e < 1520; e++) {
    worker.send({ type: 'epoch', metrics: wide(e) });
    clock.advance(100);
  }
  const slow = posted.flatMap((m) => (m.type === 'epochs' ? m.epochs : []));
  assert.equal(slow.length, 20);
  assert.ok(slow.every((m) => m.gradNorm.length === 45));
});

test('a fast run that streamed thinned rows sends its history again when it ends, within the replay budget', () => {
  const { posted, run, worker, clock } = setup(600);
  worker.send(started);
  run.webviewDidLoad();
  const wide = (epoch: number): EpochMetrics => ({ ...metrics(epoch), gradNorm: new Array(45).fill(1), lastLossGradNorm: new Array(45).fill(1) });
  for (let e = 0; e < 600; e++) {
    worker.send({ type: 'epoch', metrics: wide(e) });
    if (e % 3 === 2) clock.advance(1);
  }
  const streamed = posted.flatMap((m) => (m.type === 'epochs' ? m.epochs : []));
  assert.ok(streamed.some((m) => m.gradNorm.length === 0), 'the live stream was thinned');
  posted.length = 0;
  worker.send({ type: 'state', state: 'done', epoch: 600 });
  clock.advance(1000);
  const init = posted.find((m) => m.type === 'init');
  assert.ok(init && init.type === 'init', 'the ended run is sent again');
  const again = [...init.history, ...posted.flatMap((m) => (m.type === 'epochs' ? m.epochs : []))];
  assert.deepEqual(again.map((m) => m.epoch), Array.from({ length: 600 }, (_, i) => i));
  assert.ok(again.every((m) => m.gradNorm.length === 45), '600 × 90 values fit the replay budget: every row is there');
  assert.equal(init.state, 'done');
  const last = posted[posted.length - 1];
  assert.ok(last.type === 'init' || (last.type === 'state' && last.state === 'done'), 'the state closes the resend');
});

test('a slow run that streamed every row ends with a plain state message', () => {
  const { posted, run, worker, clock } = setup(20);
  worker.send(started);
  run.webviewDidLoad();
  for (let e = 0; e < 20; e++) {
    worker.send({ type: 'epoch', metrics: metrics(e) });
    clock.advance(100);
  }
  posted.length = 0;
  worker.send({ type: 'state', state: 'done', epoch: 20 });
  assert.deepEqual(posted.map((m) => m.type), ['state']);
});
