// Starts the core's second thread for large inspections (src/core/split.ts): a worker thread
// running serveProducts() on a SharedArrayBuffer that the calling thread's ProductPartner
// shares. Used by the training worker, the CLI's inspect and the inspection benchmark.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PARTNER_BUFFER_BYTES, ProductPartner, productPartner, setProductPartner } from '../core/split';
import { ownPartnerThread, type PartnerThread } from './partnerThread';

export type ProductThread = PartnerThread<ProductPartner>;

/** `dir`: the folder of dist/productWorker.js (the callers' bundles sit beside it). */
export function startProductThread(dir: string = __dirname): ProductThread {
  const buffer = new SharedArrayBuffer(PARTNER_BUFFER_BYTES);
  const partner = new ProductPartner(buffer);
  const worker = new Worker(join(dir, 'productWorker.js'), { workerData: buffer });
  return ownPartnerThread(worker, partner, { get: productPartner, set: setProductPartner });
}
