// Runs the core's sample() in a worker thread (dist/sampleWorker.js). Generation is sequential
// (each character feeds the next step), so 100 000 characters from a model with H = 1024 take
// minutes of arithmetic; on the host's own thread that would freeze every extension.
import { Worker } from 'node:worker_threads';
import type { SampleOptions } from '../core';
import { t, type L10nBundle } from '../core/l10n';

export interface SampleRequest {
  json: string;
  options: SampleOptions;
  /** The host's loaded translations (`vscode.l10n.bundle`): the worker's messages in the display language. */
  l10n?: L10nBundle;
}

export type SampleReply = { ok: true; text: string } | { ok: false; error: string };

export class SampleCancelled extends Error {
  override readonly name = 'SampleCancelled';
}

export interface SampleJob {
  readonly result: Promise<string>;
  /** Ends the thread; `result` rejects with SampleCancelled. */
  cancel(): void;
}

export function startSample(workerPath: string, request: SampleRequest): SampleJob {
  const worker = new Worker(workerPath, { workerData: request });
  let cancelled = false;
  let settled = false;
  const result = new Promise<string>((resolve, reject) => {
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    worker.once('message', (reply: SampleReply) => settle(() => (reply.ok ? resolve(reply.text) : reject(new Error(reply.error)))));
    worker.once('error', (err) => settle(() => reject(err)));
    worker.once('exit', (code) => settle(() => reject(cancelled ? new SampleCancelled(t('Generation cancelled.')) : new Error(t('the generation worker exited (code {0}) without an answer', code)))));
  });
  return {
    result,
    cancel() {
      cancelled = true;
      void worker.terminate();
    },
  };
}
