// Coalesces a fast stream of items (epochs) into a bounded rate of messages. A webview that
// receives thousands of postMessage calls per second falls behind and freezes; merging keeps it
// responsive while every item still arrives, in order.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface BatcherOptions {
  /** Minimum time between two sends. 25 ms caps the stream at 40 messages per second. */
  intervalMs?: number;
  /**
   * When `send` returns a promise (delivery), the next timed send waits for it, at most this
   * long. A slow receiver then gets fewer, larger messages instead of an ever-growing queue.
   */
  maxDeliveryWaitMs?: number;
  clock?: Clock;
}

export class Batcher<T> {
  private pending: T[] = [];
  private lastSend = -Infinity;
  private timer: unknown = undefined;
  private deliveryTimer: unknown = undefined;
  private inFlight = 0;
  private disposed = false;
  private readonly intervalMs: number;
  private readonly maxDeliveryWaitMs: number;
  private readonly clock: Clock;

  constructor(
    private readonly send: (items: T[]) => void | PromiseLike<unknown>,
    options: BatcherOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 25;
    this.maxDeliveryWaitMs = options.maxDeliveryWaitMs ?? 2000;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * The first item after a quiet period goes out at once (a paused run's single step, the first
   * epoch of a run); items arriving faster than the interval wait for the next send.
   */
  push(item: T): void {
    if (this.disposed) return;
    this.pending.push(item);
    this.schedule();
  }

  /**
   * Sends whatever is pending now, even while an earlier message is still being delivered; call
   * before announcing a state change so no item trails it.
   */
  flush(): void {
    this.cancelTimer();
    if (this.disposed || this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.lastSend = this.clock.now();
    const delivery = this.send(items);
    if (delivery && typeof delivery.then === 'function') this.track(delivery);
  }

  /** Drops pending items, for when the receiver is about to get the full history another way. */
  discard(): void {
    this.cancelTimer();
    this.pending = [];
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  dispose(): void {
    this.discard();
    if (this.deliveryTimer !== undefined) this.clock.clearTimeout(this.deliveryTimer);
    this.deliveryTimer = undefined;
    this.disposed = true;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.inFlight > 0 || this.pending.length === 0 || this.disposed) return;
    const wait = this.lastSend + this.intervalMs - this.clock.now();
    if (wait <= 0) this.flush();
    else
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, wait);
  }

  private track(delivery: PromiseLike<unknown>): void {
    this.inFlight++;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      this.inFlight--;
      if (this.inFlight === 0 && this.deliveryTimer !== undefined) {
        this.clock.clearTimeout(this.deliveryTimer);
        this.deliveryTimer = undefined;
      }
      this.schedule();
    };
    delivery.then(settle, settle);
    // A delivery that never settles must not stop the stream.
    if (this.deliveryTimer === undefined) {
      this.deliveryTimer = this.clock.setTimeout(() => {
        this.deliveryTimer = undefined;
        this.inFlight = 0;
        this.schedule();
      }, this.maxDeliveryWaitMs);
    }
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
