// A training worker for the host's tests: records what the host posts, answers requests with
// fixed values, and sends what a test makes it send (epoch blocks the way the worker packs them).
import type { EpochMetrics } from '../../../src/core/types';
import type { HostToWorker, WorkerRequests, WorkerToHost } from '../../../src/shared/protocol';
import { blockFromEpochs } from '../../../src/shared/epochBlock';
import type { WorkerEvents, WorkerHandle } from '../../../src/host/workerBridge';

export class FakeWorker implements WorkerHandle {
  alive = true;
  posted: HostToWorker[] = [];
  /** Requests asked so far (kind and params), in order. */
  asked: { kind: string; params: unknown }[] = [];
  /** A test's own answer to a request (the inside views' kinds); undefined falls back to the fixed values. */
  answer: ((kind: string, params: unknown) => unknown) | undefined;
  constructor(readonly events: WorkerEvents) {}
  post(msg: Exclude<HostToWorker, { type: 'request' }>): void {
    this.posted.push(msg);
  }
  async request<K extends keyof WorkerRequests & string>(kind: K, params: WorkerRequests[K]['params']): Promise<WorkerRequests[K]['result']> {
    this.asked.push({ kind, params });
    const own = this.answer?.(kind, params);
    if (own !== undefined) return own as WorkerRequests[K]['result'];
    const p = params as { epoch?: number };
    const result = kind === 'matrix' ? { epoch: p.epoch ?? 0, size: 1, values: new Float64Array([1]) } : { json: '{"weights":true}' };
    return result as WorkerRequests[K]['result'];
  }
  async terminate() {
    this.alive = false;
  }
  send(msg: Exclude<WorkerToHost, { type: 'reply' }>): void {
    this.events.onMessage(msg);
  }
  /** Epochs [from, to) as one block, the way the worker posts them. */
  epochs(from: number, to: number, make: (e: number) => EpochMetrics = metrics): void {
    const list: EpochMetrics[] = [];
    for (let e = from; e < to; e++) list.push(make(e));
    this.send({ type: 'epochs', block: blockFromEpochs(list, list[0].gradNorm.length) });
  }
}

export function metrics(epoch: number): EpochMetrics {
  return { epoch, loss: 3 - epoch * 0.001, accuracy: 0.1, predicted: 'hq', gradNorm: [1, 2], lastLossGradNorm: [1, 2], paramGradNorm: { W_hh: 0.5 }, sigmaMaxWhh: 1 };
}
