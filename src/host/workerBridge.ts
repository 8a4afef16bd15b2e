// The host's end of one training worker. Owns the thread, types the messages, turns the
// worker's own failures (uncaught error, unexpected exit) into a single `crash` callback, and
// pairs requests (gradient matrix, weights) with their replies through the shared Requester.
import { Worker } from 'node:worker_threads';
import type { HostToWorker, WorkerRequests, WorkerToHost } from '../shared/protocol';
import { Requester, isReply } from '../shared/rpc';
import type { IDisposable } from '../dispose';
import type { L10nBundle } from '../core/l10n';
import { t } from '../core/l10n';
import { LATEST_ONLY_INSIDE } from '../shared/inside';

export interface WorkerEvents {
  /** Every message except request replies, in the order the worker posted them. */
  onMessage(msg: Exclude<WorkerToHost, { type: 'reply' }>): void;
  /** The worker died on its own (not through `dispose`). Called at most once. */
  onCrash(message: string): void;
}

/** The part of a worker a run uses; tests substitute a fake. */
export interface WorkerHandle {
  readonly alive: boolean;
  post(msg: Exclude<HostToWorker, { type: 'request' }>): void;
  request<K extends keyof WorkerRequests & string>(kind: K, params: WorkerRequests[K]['params'], timeoutMs?: number): Promise<WorkerRequests[K]['result']>;
  terminate(): Promise<void>;
}

export class WorkerBridge implements WorkerHandle, IDisposable {
  private readonly worker: Worker;
  private readonly requests: Requester<WorkerRequests>;
  private terminated = false;
  private crashed = false;
  private exited = false;
  /** Resolves with the exit code once the thread is gone, however it ended. */
  readonly exit: Promise<number>;

  constructor(
    workerPath: string,
    private readonly events: WorkerEvents,
    /** The host's loaded translations, so messages made in the worker (divergence…) are in the display language. */
    l10n?: L10nBundle,
  ) {
    this.worker = new Worker(workerPath, { workerData: { l10n } });
    this.requests = new Requester<WorkerRequests>((m) => this.worker.postMessage(m), { peer: t('the training worker'), latestOnly: LATEST_ONLY_INSIDE });
    this.exit = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.on('message', (msg: WorkerToHost) => this.receive(msg));
    this.worker.on('error', (err) => this.crash(t('The training worker failed: {0}', err.message)));
    this.worker.on('messageerror', (err) => this.crash(t('The training worker sent an unreadable message: {0}', err.message)));
    this.worker.on('exit', (code) => {
      this.exited = true;
      if (!this.terminated && code !== 0) this.crash(t('The training worker exited unexpectedly (exit code {0}).', code));
      this.requests.close(new Error(t('the training worker has exited')));
    });
  }

  get alive(): boolean {
    return !this.terminated && !this.exited;
  }

  post(msg: Exclude<HostToWorker, { type: 'request' }>): void {
    if (this.alive) this.worker.postMessage(msg);
  }

  request<K extends keyof WorkerRequests & string>(kind: K, params: WorkerRequests[K]['params'], timeoutMs?: number): Promise<WorkerRequests[K]['result']> {
    if (!this.alive) return Promise.reject(new Error(t('the training worker is not running')));
    return this.requests.request(kind, params, timeoutMs);
  }

  /** Stops the thread; resolves when it has exited. */
  terminate(): Promise<void> {
    if (!this.terminated) {
      this.terminated = true;
      this.requests.close(new Error(t('the training worker was stopped')));
      void this.worker.terminate();
    }
    return this.exit.then(() => undefined);
  }

  dispose(): void {
    void this.terminate();
  }

  private receive(msg: WorkerToHost): void {
    if (this.terminated) return;
    if (isReply(msg)) {
      // A reply whose request already timed out has nobody waiting; it is dropped.
      this.requests.receive(msg);
      return;
    }
    this.events.onMessage(msg);
  }

  private crash(message: string): void {
    if (this.crashed || this.terminated) return;
    this.crashed = true;
    this.requests.close(new Error(message));
    this.events.onCrash(message);
  }
}
