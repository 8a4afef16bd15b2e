// Starts the core's second thread for large inspections (src/core/split.ts): a worker thread
// running serveProducts() on a SharedArrayBuffer that the calling thread's ProductPartner
// shares. Used by the training worker, the CLI's inspect and the inspection benchmark.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PARTNER_BUFFER_BYTES, ProductPartner, productPartner, setProductPartner } from '../core/split';

export interface ProductThread {
  readonly partner: ProductPartner;
  /** Ends the thread (and unsets the core's partner if it is this one). */
  stop(): Promise<void>;
}

/** `dir`: the folder of dist/productWorker.js (the callers' bundles sit beside it). */
export function startProductThread(dir: string = __dirname): ProductThread {
  const buffer = new SharedArrayBuffer(PARTNER_BUFFER_BYTES);
  const partner = new ProductPartner(buffer);
  const worker = new Worker(join(dir, 'productWorker.js'), { workerData: buffer });
  // An idle partner blocks in Atomics.wait: it must not keep a CLI process alive.
  worker.unref();
  // A thread that fails makes the partner unusable; inspections then run in one thread.
  worker.on('error', () => partner.quit());
  worker.on('exit', () => partner.quit());
  setProductPartner(partner);
  return {
    partner,
    stop: async () => {
      if (productPartner() === partner) setProductPartner(null);
      partner.quit();
      await worker.terminate();
    },
  };
}
