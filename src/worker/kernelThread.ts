// Starts the core's second thread for training a large RNN (src/core/partner.ts): a worker thread
// running serveKernels() on a SharedArrayBuffer that the calling thread's KernelPartner shares,
// and a channel on which the model's shared memory is handed over. Used by the training worker,
// the CLI's train and the benchmark.
import { join } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { KERNEL_PARTNER_BUFFER_BYTES, KernelPartner, kernelPartner, setKernelPartner } from '../core/partner';

export interface KernelThread {
  readonly partner: KernelPartner;
  /** Ends the thread (and unsets the core's partner if it is this one). */
  stop(): Promise<void>;
}

/** `dir`: the folder of dist/kernelWorker.js (the callers' bundles sit beside it). */
export function startKernelThread(dir: string = __dirname): KernelThread {
  const buffer = new SharedArrayBuffer(KERNEL_PARTNER_BUFFER_BYTES);
  const { port1, port2 } = new MessageChannel();
  const partner = new KernelPartner(buffer, (attachment) => port1.postMessage(attachment));
  const worker = new Worker(join(dir, 'kernelWorker.js'), { workerData: { buffer, port: port2 }, transferList: [port2] });
  // An idle partner blocks in Atomics.wait: neither it nor its channel may keep a process alive.
  worker.unref();
  port1.unref();
  // A thread that fails makes the partner unusable; training then runs in one thread.
  worker.on('error', () => partner.quit());
  worker.on('exit', () => partner.quit());
  setKernelPartner(partner);
  return {
    partner,
    stop: async () => {
      if (kernelPartner() === partner) setKernelPartner(null);
      partner.quit();
      port1.close();
      await worker.terminate();
    },
  };
}
