// Entry of the training thread (dist/worker.js). Runs one core TrainingLoop per worker and
// speaks the HostToWorker/WorkerToHost protocol, so the extension host's event loop never runs
// the math.
import { parentPort } from 'node:worker_threads';
import { Trainer, TrainingLoop, parseWeights, serializeWeights } from '../core';
import type { HostToWorker, WorkerToHost } from '../shared/protocol';

if (!parentPort) throw new Error('trainWorker must run in a worker thread');
const port = parentPort;

let trainer: Trainer | undefined;
let loop: TrainingLoop | undefined;

function post(msg: WorkerToHost): void {
  port.postMessage(msg);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function start(msg: Extract<HostToWorker, { type: 'start' }>): void {
  if (trainer) {
    post({ type: 'error', message: 'This worker is already training; start a new worker for a new run.' });
    return;
  }
  try {
    const init = msg.initWeights === undefined ? undefined : parseWeights(msg.initWeights);
    trainer = new Trainer(msg.text, msg.config, init);
  } catch (err) {
    post({ type: 'error', message: errorMessage(err) });
    return;
  }
  post({ type: 'started', steps: trainer.steps, stepLabels: trainer.stepLabels, firstEpoch: trainer.firstEpoch });
  loop = new TrainingLoop(trainer, {
    onEpoch: (metrics) => post({ type: 'epoch', metrics }),
    onState: (state, message, epoch) => post({ type: 'state', state, message, epoch }),
  });
  loop.start();
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
    case 'matrix':
      if (!trainer) return post({ type: 'error', message: 'No run has started in this worker.', requestId: msg.requestId });
      try {
        const m = trainer.gradMatrix(msg.epoch);
        post({ type: 'matrix', requestId: msg.requestId, epoch: m.epoch, size: m.size, values: m.values });
      } catch (err) {
        post({ type: 'error', message: errorMessage(err), requestId: msg.requestId });
      }
      return;
    case 'exportWeights':
      if (!trainer) return post({ type: 'error', message: 'No run has started in this worker.', requestId: msg.requestId });
      try {
        post({ type: 'weights', requestId: msg.requestId, json: serializeWeights(trainer.toWeights()) });
      } catch (err) {
        post({ type: 'error', message: errorMessage(err), requestId: msg.requestId });
      }
      return;
  }
}

port.on('message', (msg: HostToWorker) => {
  try {
    handle(msg);
  } catch (err) {
    // A bug in the loop or the trainer: report it as the run's failure instead of dying silently.
    post({ type: 'error', message: `Training failed: ${errorMessage(err)}` });
  }
});
