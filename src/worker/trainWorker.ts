// Entry of the training thread (dist/worker.js). Runs one core TrainingLoop per worker and
// speaks the HostToWorker/WorkerToHost protocol, so the extension host's event loop never runs
// the math. Epochs leave in column blocks (at most one about every BLOCK_MS, the first at once),
// their typed arrays transferred rather than copied.
import { parentPort, workerData } from 'node:worker_threads';
import { bundleTranslator, setTranslator, t, type L10nBundle } from '../core/l10n';
import { Trainer, TrainingLoop, checkWeightsFileSize, parseWeights, serializeWeights } from '../core';
import type { EpochMetrics } from '../core/types';
import { blockBuffers, blockFromEpochs } from '../shared/epochBlock';
import type { GuessesReply, HostToWorker, MatrixReply, WorkerRequest, WorkerToHost } from '../shared/protocol';
import { answer } from '../shared/rpc';
import { InsideResponder, isInsideRequest } from './inside';
import { splitsInspection } from '../core/split';
import { startProductThread, type ProductThread } from './productThread';
import { splitsTraining } from '../core/partner';
import { startKernelThread, type KernelThread } from './kernelThread';

setTranslator(bundleTranslator((workerData as { l10n?: L10nBundle } | null)?.l10n));
if (!parentPort) throw new Error(t('{0} must run in a worker thread', 'trainWorker'));
const port = parentPort;

/** Longest an epoch waits in the worker before it is posted (the host and panel batch no further). */
const BLOCK_MS = 25;
/**
 * How often a long epoch says how far it has got. An epoch still part-way through at two ticks in
 * a row (so running for at least this long) reports; shorter epochs never do.
 */
const PROGRESS_MS = 400;

let trainer: Trainer | undefined;
let loop: TrainingLoop | undefined;
let pending: EpochMetrics[] = [];
let lastPost = -Infinity;
let timer: ReturnType<typeof setTimeout> | undefined;
// Inspections of a large LSTM split W_hh's product with a second thread (src/core/split.ts),
// started at the first such request and ended with this worker (Node stops a worker's workers).
let productThread: ProductThread | undefined;
// A large RNN trains with its output layer in another thread (src/core/partner.ts) when the host
// allows two threads at its start; later 'threads' messages suspend and resume it.
let kernelThread: KernelThread | undefined;
const inside = new InsideResponder(
  () => {
    if (trainer && !productThread && splitsInspection(trainer.config.cell, trainer.config.hiddenSize)) productThread = startProductThread();
    return trainer;
  },
  (reply, transfer) => post(reply, transfer),
);

function post(msg: WorkerToHost, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function flush(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  if (pending.length === 0 || !trainer) return;
  const block = blockFromEpochs(pending, trainer.steps);
  pending = [];
  lastPost = Date.now();
  post({ type: 'epochs', block }, blockBuffers(block));
}

/** The first epoch after a quiet spell goes out at once; a fast run's epochs share a block. */
function queue(m: EpochMetrics): void {
  pending.push(m);
  const wait = lastPost + BLOCK_MS - Date.now();
  if (wait <= 0) flush();
  else timer ??= setTimeout(flush, wait);
}

function start(msg: Extract<HostToWorker, { type: 'start' }>): void {
  if (trainer) {
    post({ type: 'error', message: t('This worker is already training; start a new worker for a new run.') });
    return;
  }
  try {
    const init = msg.initWeights === undefined ? undefined : parseWeights(msg.initWeights);
    if (msg.threads === 2 && splitsTraining(init?.cell ?? msg.config.cell, init?.hiddenSize ?? msg.config.hiddenSize)) kernelThread = startKernelThread();
    trainer = new Trainer(msg.text, msg.config, init);
  } catch (err) {
    post({ type: 'error', message: errorMessage(err) });
    return;
  }
  post({ type: 'started', steps: trainer.steps, stepLabels: trainer.stepLabels, firstEpoch: trainer.firstEpoch });
  loop = new TrainingLoop(trainer, {
    onEpoch: queue,
    onState: (state, message, epoch) => {
      // No epoch may trail the state that ends or pauses the run.
      flush();
      post({ type: 'state', state, message, epoch });
    },
  });
  loop.start();
  watchProgress();
}

/** Posts a long epoch's progress (its timer runs between the loop's slices); see PROGRESS_MS. */
function watchProgress(): void {
  let seen: number | undefined;
  const tick = setInterval(() => {
    const p = loop?.state === 'running' ? trainer?.progress() : null;
    if (!p) {
      seen = undefined;
      return;
    }
    if (seen === p.epoch) post({ type: 'progress', progress: p });
    seen = p.epoch;
  }, PROGRESS_MS);
  // Never what keeps the worker alive: the host ends it by terminating.
  tick.unref();
}

function request(msg: WorkerRequest): Promise<void> {
  if (isInsideRequest(msg)) {
    inside.handle(msg);
    return Promise.resolve();
  }
  return answer(
    msg.id,
    () => {
      if (!trainer) throw new Error(t('No run has started in this worker.'));
      switch (msg.kind) {
        case 'matrix': {
          const m = trainer.gradMatrix(msg.params.epoch);
          const values = Float64Array.from(m.values, (v) => (v === null ? NaN : v));
          const reply: MatrixReply = { epoch: m.epoch, size: m.size, values };
          return reply;
        }
        case 'weights': {
          // Never hand out a file that Load Weights would refuse; the message names the size that fits.
          const w = trainer.toWeights();
          checkWeightsFileSize(w.cell, w.vocab.length, w.hiddenSize);
          return { json: serializeWeights(w) };
        }
        case 'guesses': {
          const { epoch, position, top } = msg.params;
          const r = trainer.inspect(epoch, { position, top });
          // Copies: the inspection's arrays may be views of memory the trainer keeps using.
          const reply: GuessesReply = { epoch, start: r.start, steps: r.steps, top: r.top.k, vocab: [...r.vocab], ids: Int32Array.from(r.top.ids), p: Float64Array.from(r.top.p) };
          return reply;
        }
        default:
          throw new Error(t('unknown request {0}', JSON.stringify((msg as { kind: unknown }).kind)));
      }
    },
    (reply) => {
      const v = reply.ok ? (reply.value as { values?: unknown; ids?: unknown; p?: unknown }) : undefined;
      const transfer = [v?.values, v?.ids, v?.p].filter((a): a is Float64Array | Int32Array => a instanceof Float64Array || a instanceof Int32Array).map((a) => a.buffer as ArrayBuffer);
      post(reply, transfer);
    },
  );
}

function handle(msg: HostToWorker): void {
  switch (msg.type) {
    case 'start':
      start(msg);
      return;
    case 'control':
      if (!loop) return;
      loop[msg.action]();
      return;
    case 'threads':
      if (kernelThread) kernelThread.partner.suspended = msg.threads < 2;
      return;
    case 'request':
      void request(msg);
      return;
  }
}

port.on('message', (msg: HostToWorker) => {
  try {
    handle(msg);
  } catch (err) {
    // A bug in the loop or the trainer: report it as the run's failure instead of dying silently.
    post({ type: 'error', message: t('Training failed: {0}', errorMessage(err)) });
  }
});
