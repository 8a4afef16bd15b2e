// The host's end of one training worker. Owns the thread, types the messages, turns the
// worker's own failures (uncaught error, unexpected exit) into a single `crash` callback, and
// matches request/response pairs (gradient matrix, weights) by id.
import { Worker } from 'node:worker_threads';
import type { HostToWorker, WorkerToHost } from '../shared/protocol';
import type { IDisposable } from '../dispose';

export interface WorkerEvents {
  /** Every message except request replies, in the order the worker posted them. */
  onMessage(msg: WorkerToHost): void;
  /** The worker died on its own (not through `dispose`). Called at most once. */
  onCrash(message: string): void;
}

type Reply = Extract<WorkerToHost, { type: 'matrix' } | { type: 'weights' }>;

interface PendingRequest {
  resolve(msg: Reply): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class WorkerBridge implements IDisposable {
  private readonly worker: Worker;
  private readonly pending = new Map<number, PendingRequest>();
  private nextRequestId = 1;
  private terminated = false;
  private crashed = false;
  private exited = false;
  /** Resolves with the exit code once the thread is gone, however it ended. */
  readonly exit: Promise<number>;

  constructor(
    workerPath: string,
    private readonly events: WorkerEvents,
  ) {
    this.worker = new Worker(workerPath);
    this.exit = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.on('message', (msg: WorkerToHost) => this.receive(msg));
    this.worker.on('error', (err) => this.crash(`The training worker failed: ${err.message}`));
    this.worker.on('messageerror', (err) => this.crash(`The training worker sent an unreadable message: ${err.message}`));
    this.worker.on('exit', (code) => {
      this.exited = true;
      if (!this.terminated && code !== 0) this.crash(`The training worker exited unexpectedly (exit code ${code}).`);
      this.rejectAll(new Error('the training worker has exited'));
    });
  }

  get alive(): boolean {
    return !this.terminated && !this.exited;
  }

  post(msg: HostToWorker): void {
    if (this.alive) this.worker.postMessage(msg);
  }

  requestMatrix(epoch: number, timeoutMs = 30_000): Promise<Extract<WorkerToHost, { type: 'matrix' }>> {
    return this.request((requestId) => ({ type: 'matrix', epoch, requestId }), timeoutMs) as Promise<Extract<WorkerToHost, { type: 'matrix' }>>;
  }

  requestWeights(timeoutMs = 30_000): Promise<string> {
    return this.request((requestId) => ({ type: 'exportWeights', requestId }), timeoutMs).then((r) => (r as Extract<WorkerToHost, { type: 'weights' }>).json);
  }

  /** Stops the thread; resolves when it has exited. */
  terminate(): Promise<void> {
    if (!this.terminated) {
      this.terminated = true;
      this.rejectAll(new Error('the training worker was stopped'));
      void this.worker.terminate();
    }
    return this.exit.then(() => undefined);
  }

  dispose(): void {
    void this.terminate();
  }

  private request(make: (id: number) => HostToWorker, timeoutMs: number): Promise<Reply> {
    if (!this.alive) return Promise.reject(new Error('the training worker is not running'));
    const requestId = this.nextRequestId++;
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error('the training worker did not answer in time'));
      }, timeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
      this.worker.postMessage(make(requestId));
    });
  }

  private receive(msg: WorkerToHost): void {
    if (this.terminated) return;
    if ((msg.type === 'matrix' || msg.type === 'weights' || msg.type === 'error') && msg.requestId !== undefined) {
      const req = this.pending.get(msg.requestId);
      if (req) {
        this.pending.delete(msg.requestId);
        clearTimeout(req.timer);
        if (msg.type === 'error') req.reject(new Error(msg.message));
        else req.resolve(msg);
        return;
      }
    }
    this.events.onMessage(msg);
  }

  private crash(message: string): void {
    if (this.crashed || this.terminated) return;
    this.crashed = true;
    this.rejectAll(new Error(message));
    this.events.onCrash(message);
  }

  private rejectAll(err: Error): void {
    for (const req of this.pending.values()) {
      clearTimeout(req.timer);
      req.reject(err);
    }
    this.pending.clear();
  }
}
