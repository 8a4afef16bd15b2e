// The lifecycle both second threads share (kernelThread.ts for training, productThread.ts for
// inspections): the worker never keeps a process alive, a failed thread makes its partner
// unusable (the core then works in one thread), and stopping unsets the core's partner.
import type { Worker } from 'node:worker_threads';

export interface PartnerThread<P> {
  readonly partner: P;
  /** Ends the thread (and unsets the core's partner if it is this one). */
  stop(): Promise<void>;
}

/** The core's slot for a partner of this kind (setKernelPartner/kernelPartner, setProductPartner/productPartner). */
export interface PartnerSlot<P> {
  get(): P | null;
  set(partner: P | null): void;
}

/** Installs `partner` in `slot` for as long as `worker` runs; `close` releases what else the thread holds (its channel). */
export function ownPartnerThread<P extends { quit(): void }>(worker: Worker, partner: P, slot: PartnerSlot<P>, close: () => void = () => undefined): PartnerThread<P> {
  // An idle partner blocks in Atomics.wait: it must not keep a CLI process alive.
  worker.unref();
  worker.on('error', () => partner.quit());
  worker.on('exit', () => partner.quit());
  slot.set(partner);
  return {
    partner,
    stop: async () => {
      if (slot.get() === partner) slot.set(null);
      partner.quit();
      close();
      await worker.terminate();
    },
  };
}
