// Starts the core's second thread for training a large RNN (src/core/partner.ts): a worker thread
// running serveKernels() on a SharedArrayBuffer that the calling thread's KernelPartner shares,
// and a channel on which the model's shared memory is handed over. Used by the training worker,
// the CLI's train and the benchmark.
import { join } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { KERNEL_PARTNER_BUFFER_BYTES, KernelPartner, kernelPartner, setKernelPartner } from '../core/partner';
import { ownPartnerThread, type PartnerThread } from './partnerThread';

export type KernelThread = PartnerThread<KernelPartner>;

/** `dir`: the folder of dist/kernelWorker.js (the callers' bundles sit beside it). */
export function startKernelThread(dir: string = __dirname): KernelThread {
  const buffer = new SharedArrayBuffer(KERNEL_PARTNER_BUFFER_BYTES);
  const { port1, port2 } = new MessageChannel();
  const partner = new KernelPartner(buffer, (attachment) => port1.postMessage(attachment));
  const worker = new Worker(join(dir, 'kernelWorker.js'), { workerData: { buffer, port: port2 }, transferList: [port2] });
  // Its channel may not keep a process alive either.
  port1.unref();
  return ownPartnerThread(worker, partner, { get: kernelPartner, set: setKernelPartner }, () => port1.close());
}
