import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, type EpochMetrics } from '../../../src/core/types';
import { TEXT_HEAD_CHARS, type HostToWebview, type WorkerToHost } from '../../../src/shared/protocol';
import { blockFromEpochs, type EpochBlock } from '../../../src/shared/epochBlock';
import { restoredMessage, TrainingRun, type RunHooks } from '../../../src/host/run';
import { RunRegistry, type RunOwner } from '../../../src/host/runRegistry';
import { FakeClock } from './fakeClock';
import { FakeWorker, metrics } from './fakeWorker';


type Posted = HostToWebview;
const epochsOf = (m: Posted): number[] => (m.type === 'init' ? m.history : m.type === 'epochs' ? [m.block] : []).flatMap((b: EpochBlock) => Array.from({ length: b.count }, (_, i) => b.first + i));

function setup(epochs = 100, text = 'hello') {
  const clock = new FakeClock();
  const posted: Posted[] = [];
  const logs: string[] = [];
  let changes = 0;
  const hooks: RunHooks = { post: (m) => void posted.push(m), log: (l) => logs.push(l), changed: () => changes++ };
  let worker!: FakeWorker;
  const run = TrainingRun.start(
    { runId: 'r1', title: 'hi', text, config: { ...DEFAULT_CONFIG, epochs }, printEvery: 10, notes: ['a note'] },
    (events) => (worker = new FakeWorker(events)),
    hooks,
    { clock },
  );
  return { clock, posted, logs, run, worker, changes: () => changes };
}

const started: Exclude<WorkerToHost, { type: 'reply' }> = { type: 'started', steps: 2, stepLabels: ['h', 'e'], firstEpoch: 0 };

test('the worker is told to start with the text and config', () => {
  const { worker } = setup();
  // Without run slots (which know the cores) a run trains in one thread.
  assert.deepEqual(worker.posted, [{ type: 'start', text: 'hello', config: { ...DEFAULT_CONFIG, epochs: 100 }, threads: 1 }]);
});

test('init waits for both the webview and the worker, and describes the run', () => {
  const { posted, run, worker } = setup();
  run.webviewDidLoad();
  assert.equal(posted.length, 0, 'no init before the worker reports its step layout');
  worker.send(started);
  assert.equal(posted.length, 1);
  const init = posted[0];
  assert.ok(init.type === 'init');
  assert.deepEqual(init.run.stepLabels, ['h', 'e']);
  assert.deepEqual(init.run.notes, ['a note']);
  assert.equal(init.run.text, 'hello');
  assert.equal(init.run.textLength, 5);
  assert.equal(init.restored, false);
  assert.equal(run.state, 'running');
});

test('epochs before the webview is ready arrive in its init; later blocks stream with every row; the state follows the last epoch', () => {
  const { posted, run, worker } = setup(1000);
  worker.send(started);
  worker.epochs(0, 5);
  assert.equal(posted.length, 0, 'nothing is posted to a webview that has not said ready');
  run.webviewDidLoad();
  assert.equal(posted.length, 1);
  assert.deepEqual(epochsOf(posted[0]), [0, 1, 2, 3, 4]);
  for (let e = 5; e < 1000; e += 25) worker.epochs(e, Math.min(1000, e + 25));
  worker.send({ type: 'state', state: 'done', epoch: 1000 });
  const streamed = posted.slice(1).flatMap(epochsOf);
  assert.deepEqual(streamed, Array.from({ length: 995 }, (_, i) => i + 5), 'every epoch once, in order');
  for (const m of posted) if (m.type === 'epochs') assert.equal(m.block.rowEpochs.length, m.block.count, 'every epoch carries its rows');
  const last = posted[posted.length - 1];
  assert.ok(last.type === 'state' && last.state === 'done', 'the state follows the last epoch');
  assert.equal(run.store?.length, 1000);
});

test('while a delivery is pending, new blocks wait and go out joined, in order', async () => {
  const clock = new FakeClock();
  const posted: Posted[] = [];
  let release: (() => void)[] = [];
  let worker!: FakeWorker;
  const run = TrainingRun.start(
    { runId: 'r1', title: 'hi', text: 'hello', config: DEFAULT_CONFIG, printEvery: 10, notes: [] },
    (events) => (worker = new FakeWorker(events)),
    { post: (m) => (posted.push(m), new Promise<void>((r) => release.push(r))), log: () => {}, changed: () => {} },
    { clock },
  );
  worker.send(started);
  run.webviewDidLoad();
  worker.epochs(0, 1);
  for (let e = 1; e < 10; e++) worker.epochs(e, e + 1);
  assert.deepEqual(posted.map((m) => m.type), ['init', 'epochs'], 'one block in flight, nine waiting');
  release.forEach((r) => r());
  release = [];
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(posted.map((m) => m.type), ['init', 'epochs', 'epochs']);
  assert.deepEqual(epochsOf(posted[2]), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('a hidden webview receives nothing, and gets the full history again when it reloads', () => {
  const { posted, run, worker, clock } = setup();
  worker.send(started);
  run.webviewDidLoad();
  run.webviewDidUnload();
  posted.length = 0;
  worker.epochs(0, 3);
  clock.advance(100);
  assert.equal(posted.length, 0);
  run.webviewDidLoad();
  assert.equal(posted.length, 1);
  assert.deepEqual(epochsOf(posted[0]), [0, 1, 2]);
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
  worker.epochs(0, 1);
  worker.alive = false;
  worker.events.onCrash('The training worker exited unexpectedly (exit code 1).');
  assert.equal(run.state, 'crashed');
  assert.equal(run.store?.length, 1);
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
  worker.epochs(0, 25);
  worker.send({ type: 'state', state: 'done', epoch: 25 });
  const lines = logs.filter((l) => l.includes('Loss:'));
  assert.deepEqual(lines.map((l) => /#(\d+),/.exec(l)?.[1]), ['0', '10', '20', '24']);
  assert.equal(lines[1], '[r1] #10, Loss: 2.990000, Acc: 0.100000, Test_string: "hq"');
});

test('a stopped run logs its last epoch once', () => {
  const { logs, worker } = setup(1000);
  worker.send(started);
  worker.epochs(0, 13);
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
  const info = { runId: 'old', title: 't', text: 'ab', textLength: 2, config: DEFAULT_CONFIG, firstEpoch: 0, steps: 2, stepLabels: ['a', 'b'], printEvery: 30, notes: [] };
  const run = TrainingRun.restore(info, blockFromEpochs([metrics(0)], 2), 'running', { post: (m) => void posted.push(m), log: () => {}, changed: () => {} });
  run.webviewDidLoad();
  assert.equal(posted.length, 1);
  const init = posted[0];
  assert.ok(init.type === 'init');
  assert.equal(init.restored, true);
  assert.equal(init.state, 'stopped');
  assert.equal(init.message, restoredMessage());
  assert.deepEqual(epochsOf(init), [0]);
  assert.equal(run.workerAlive, false);
  assert.equal(TrainingRun.restore(info, null, 'done', { post: () => {}, log: () => {}, changed: () => {} }).state, 'done');
});

test('the registry resolves waitForState when a run gets there, and times out otherwise', async () => {
  const registry = new RunRegistry();
  let open = true;
  let revealed = 0;
  const owner: RunOwner = { owns: () => open, reveal: () => void revealed++, close: async () => {} };
  let worker!: FakeWorker;
  const run = TrainingRun.start(
    { runId: 'r9', title: 't', text: 'hello', config: DEFAULT_CONFIG, printEvery: 10, notes: [] },
    (events) => (worker = new FakeWorker(events)),
    { post: () => {}, log: () => {}, changed: (r) => registry.changed(r) },
  );
  registry.add(run, owner);
  const waiting = registry.waitForState('r9', ['done'], 5000);
  worker.send(started);
  worker.epochs(0, 1);
  worker.send({ type: 'state', state: 'done', epoch: 1 });
  const snap = await waiting;
  assert.equal(snap.state, 'done');
  assert.equal(snap.epochsDone, 1);
  assert.equal(snap.panelOpen, true);
  assert.equal(snap.workerAlive, true);
  await assert.rejects(registry.waitForState('r9', ['crashed'], 10), /did not reach crashed/);
  await assert.rejects(registry.waitForState('nope', ['done'], 10), /no run/);

  assert.equal(registry.reveal('r9'), true);
  assert.equal(revealed, 1, 'the owner reveals itself');
  open = false;
  assert.equal(registry.reveal('r9'), false, 'a closed owner is not asked');
  await run.dispose();
  registry.closed('r9');
  const after = registry.runs().find((r) => r.runId === 'r9');
  assert.deepEqual([after?.panelOpen, after?.workerAlive], [false, false]);
  assert.equal(registry.active, undefined);
  registry.dispose();
});

test('a history larger than one message follows its init block by block, each after the previous one landed', async () => {
  const clock = new FakeClock();
  const posted: Posted[] = [];
  const release: (() => void)[] = [];
  let worker!: FakeWorker;
  const run = TrainingRun.start(
    { runId: 'r1', title: 'hi', text: 'hello', config: { ...DEFAULT_CONFIG, epochs: 5000 }, printEvery: 10, notes: [] },
    (events) => (worker = new FakeWorker(events)),
    { post: (m) => (posted.push(m), new Promise<void>((r) => release.push(r))), log: () => {}, changed: () => {} },
    { clock },
  );
  worker.send(started);
  // 3,000 epochs × 2 rows × 5,000 steps × 8 bytes = 240 MB would pass the budget; 1,000 steps: 48 MB.
  const wide = (epoch: number): EpochMetrics => ({ ...metrics(epoch), gradNorm: new Array(1000).fill(1), lastLossGradNorm: new Array(1000).fill(2) });
  for (let e = 0; e < 3000; e += 100) worker.epochs(e, e + 100, wide);
  run.webviewDidLoad();
  assert.equal(posted[0].type, 'init');
  const firstCount = epochsOf(posted[0]).length;
  assert.ok(firstCount > 0 && firstCount < 3000, `init carries the first block (${firstCount} epochs)`);
  assert.equal(posted.length, 2, 'the next block goes out at once, the rest wait for its delivery');
  worker.epochs(3000, 3010, wide);
  worker.send({ type: 'state', state: 'done', epoch: 3010 });
  for (let i = 0; i < 10 && release.length > 0; i++) {
    release.splice(0).forEach((r) => r());
    await new Promise((r) => setImmediate(r));
  }
  assert.deepEqual(posted.flatMap(epochsOf), Array.from({ length: 3010 }, (_, i) => i), 'every epoch once, in order');
  assert.ok(posted.filter((m) => m.type === 'epochs').length >= 5, 'several messages');
  assert.equal(posted.filter((m) => m.type === 'state').length, 1);
});

test('beyond the byte budget the oldest epochs lose their rows (and say so), never their scalars', () => {
  const clock = new FakeClock();
  const posted: Posted[] = [];
  let worker!: FakeWorker;
  const run = TrainingRun.start(
    { runId: 'r1', title: 'hi', text: 'hello', config: { ...DEFAULT_CONFIG, epochs: 1000 }, printEvery: 10, notes: [] },
    (events) => (worker = new FakeWorker(events)),
    { post: (m) => void posted.push(m), log: () => {}, changed: () => {} },
    { clock, budget: { rowBytes: 100 * 2 * 2 * 8, predictedChars: 1e6 } },
  );
  worker.send(started);
  for (let e = 0; e < 300; e += 10) worker.epochs(e, e + 10);
  const store = run.store!;
  assert.equal(store.length, 300);
  assert.equal(store.droppedRows, 200);
  assert.equal(store.hasRows(199), false);
  assert.equal(store.hasRows(200), true);
  assert.deepEqual(Array.from(store.row('lastLossGradNorm', 299)!), [1, 2]);
  assert.equal(store.value('loss', 0), 3, 'the scalars of a trimmed epoch stay');
  run.webviewDidLoad();
  const init = posted[0];
  assert.ok(init.type === 'init');
  assert.equal(init.droppedRows, 200);
  assert.deepEqual(Array.from(init.history[0].rowEpochs).slice(0, 2), [200, 201], 'the init says which epochs carry rows');
});

test('a long text keeps its predictions on the host; the panel asks for windows of code points', () => {
  const text = '😀'.repeat(20_000) + 'ab';
  const { posted, run, worker } = setup(10, text);
  worker.send(started);
  run.webviewDidLoad();
  worker.epochs(0, 2, (e) => ({ ...metrics(e), predicted: '😀x'.repeat(10_001) }));
  const block = posted.find((m) => m.type === 'epochs');
  assert.ok(block && block.type === 'epochs');
  assert.deepEqual(block.block.predicted, [null, null], 'no prediction string travels to the webview');
  assert.deepEqual(run.prediction(1, 3, 4), { epoch: 1, shownEpoch: 1, start: 3, predicted: 'x😀x😀' });
  assert.throws(() => run.prediction(7, 0, 1), /not in this run/);
});

test('a short text streams its predictions with the epochs', () => {
  const { posted, run, worker } = setup();
  worker.send(started);
  run.webviewDidLoad();
  worker.epochs(0, 2);
  const block = posted.find((m) => m.type === 'epochs');
  assert.ok(block && block.type === 'epochs');
  assert.deepEqual(block.block.predicted, ['hq', 'hq']);
});

test('a new document gets its init and epochs without waiting for ready, and its ready does not resend them; a document after a hide does', () => {
  const { posted, run, worker } = setup(1000);
  run.webviewWillLoad();
  assert.equal(posted.length, 0, 'nothing to say before the worker reports its layout');
  worker.send(started);
  worker.epochs(0, 3);
  assert.deepEqual(posted.map((m) => m.type), ['init', 'epochs'], 'posted before the document said ready: VS Code holds them for it');
  assert.deepEqual(posted.flatMap(epochsOf), [0, 1, 2]);
  run.webviewDidLoad();
  assert.deepEqual(posted.map((m) => m.type), ['init', 'epochs', 'sync'], "the document's ready sends nothing twice, only a sync");
  worker.epochs(3, 5);
  assert.deepEqual(posted.flatMap(epochsOf), [0, 1, 2, 3, 4]);
  // Hidden and shown again: a new document that knows nothing; its ready gets the whole history.
  run.webviewDidUnload();
  worker.epochs(5, 6);
  assert.equal(posted.length, 4, 'nothing goes to a hidden panel');
  run.webviewDidLoad();
  const last = posted[posted.length - 1];
  assert.equal(last.type, 'init');
  assert.deepEqual(epochsOf(last), [0, 1, 2, 3, 4, 5]);
});

test("a long epoch's progress reaches a ready panel, not a hidden one; a document loaded meanwhile gets the newest after its init, until that epoch arrives", () => {
  const { posted, run, worker } = setup(1000);
  const progress = (epoch: number, done: number) => ({ epoch, done, total: 1000, loss: 2.5, accuracy: 0.25 });
  worker.send({ type: 'progress', progress: progress(0, 100) });
  assert.equal(posted.length, 0, 'before the panel is ready (and before the layout) nothing goes');
  worker.send(started);
  run.webviewDidLoad();
  assert.deepEqual(posted.map((m) => m.type), ['init', 'progress'], 'the newest report follows the init');
  worker.send({ type: 'progress', progress: progress(0, 400) });
  const last = posted[posted.length - 1];
  assert.ok(last.type === 'progress');
  assert.deepEqual(last.progress, progress(0, 400));
  assert.equal(last.runId, run.runId);
  run.webviewDidUnload();
  worker.send({ type: 'progress', progress: progress(0, 700) });
  assert.equal(posted.length, 3, 'nothing goes to a hidden panel');
  run.webviewDidLoad();
  assert.deepEqual(posted.slice(3).map((m) => m.type), ['init', 'progress']);
  worker.epochs(0, 1);
  run.webviewDidUnload();
  run.webviewDidLoad();
  assert.equal(posted[posted.length - 1].type, 'init', 'once its epoch has arrived, the old report is not sent again');
});

test('a document that missed its early init says ready again after the sync, and gets the whole history then', () => {
  const { posted, run, worker } = setup(1000);
  run.webviewWillLoad();
  worker.send(started);
  worker.epochs(0, 2);
  // The init and epochs went to a document that was replaced before its script ran; the new one says ready.
  run.webviewDidLoad();
  assert.deepEqual(posted.map((m) => m.type), ['init', 'epochs', 'sync']);
  worker.epochs(2, 3);
  // It had no init when the sync came (webview/app.ts), so it asks again.
  run.webviewDidLoad();
  const last = posted[posted.length - 1];
  assert.equal(last.type, 'init', 'the second ready is answered with an init, not another sync');
  assert.deepEqual(epochsOf(last), [0, 1, 2]);
  worker.epochs(3, 4);
  assert.deepEqual(epochsOf(posted[posted.length - 1]), [3], 'and the stream goes on after it');
});

test('a long text reaches the panel as its head, with its whole length and the key of the host copy', () => {
  const whole = '😀bcdefghij'.repeat(1100); // 11,000 characters, 12,100 UTF-16 units
  const posted: Posted[] = [];
  let worker!: FakeWorker;
  const run = TrainingRun.start(
    { runId: 'r2', title: 'long', text: whole, textKey: 'b'.repeat(64), config: { ...DEFAULT_CONFIG, epochs: 10, mode: { kind: 'window', k: 25 } }, printEvery: 10, notes: [] },
    (events) => (worker = new FakeWorker(events)),
    { post: (m) => void posted.push(m), log: () => undefined, changed: () => undefined },
    { clock: new FakeClock() },
  );
  run.webviewDidLoad();
  worker.send(started);
  const init = posted[0];
  assert.ok(init.type === 'init');
  assert.equal(init.run.textLength, 11_000);
  assert.equal(Array.from(init.run.text).length, TEXT_HEAD_CHARS);
  assert.ok(whole.startsWith(init.run.text));
  assert.equal(init.run.textKey, 'b'.repeat(64));
  assert.equal(worker.posted[0].type === 'start' && worker.posted[0].text, whole, 'the worker trains on the whole text');
});
