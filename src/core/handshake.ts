// The handshake of the core's second threads (split.ts for inspections, partner.ts for training):
// two Int32 words of a SharedArrayBuffer, the number of requests posted (SEQ, written by the
// client) and the last one answered (DONE, written by the server). Each side spins on the other's
// word for a while, since the next request or answer is usually microseconds away, and then
// blocks in Atomics.wait so an idle thread costs nothing.

export const SEQ = 0;
export const DONE = 1;
/** Loads of a control word before blocking in Atomics.wait: about 0.1 ms here. */
export const SPINS = 1 << 15;
/** How long a client waits for an answer before it gives the other thread up (a thread that died). */
export const ANSWER_TIMEOUT_MS = 10_000;

/** Client: request number `seq` is posted (its operands written before). */
export function postRequest(ctl: Int32Array, seq: number): void {
  Atomics.store(ctl, SEQ, seq);
  Atomics.notify(ctl, SEQ);
}

/** Client: true once request `seq` is answered, false after ANSWER_TIMEOUT_MS without an answer. */
export function awaitAnswer(ctl: Int32Array, seq: number): boolean {
  for (let i = 0; i < SPINS; i++) if (Atomics.load(ctl, DONE) === seq) return true;
  const deadline = Date.now() + ANSWER_TIMEOUT_MS;
  for (;;) {
    const done = Atomics.load(ctl, DONE);
    if (done === seq) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(ctl, DONE, done, left);
  }
}

/** Server: waits for a request after `seen` and returns its number. */
export function awaitRequest(ctl: Int32Array, seen: number): number {
  let spins = 0;
  while (Atomics.load(ctl, SEQ) === seen) {
    if (++spins > SPINS) Atomics.wait(ctl, SEQ, seen);
  }
  return Atomics.load(ctl, SEQ);
}

/** Server: request `seq` is answered (its results written before). */
export function postAnswer(ctl: Int32Array, seq: number): void {
  Atomics.store(ctl, DONE, seq);
  Atomics.notify(ctl, DONE);
}
