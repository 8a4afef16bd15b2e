// The stream of epoch blocks to one webview, with backpressure: while a message is still being
// delivered, new blocks wait and are joined into the next message, so a slow webview gets fewer,
// larger messages instead of a growing queue — and never loses an epoch.
import { blockBytes, concatBlocks, type EpochBlock } from '../shared/epochBlock';
import { systemClock, type Clock } from './clock';

/** Largest message the stream builds by joining blocks (a single larger block still goes alone). */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** A delivery that never settles must not stop the stream. */
const MAX_DELIVERY_WAIT_MS = 2000;

export class BlockStream {
  private pending: EpochBlock[] = [];
  private inFlight = 0;
  private token = 0;
  private disposed = false;

  constructor(
    private readonly send: (block: EpochBlock) => void | PromiseLike<unknown>,
    private readonly clock: Clock = systemClock,
  ) {}

  push(block: EpochBlock): void {
    if (this.disposed) return;
    this.pending.push(block);
    this.pump();
  }

  /** Sends everything pending now, even during a delivery: a state message must not overtake epochs. */
  flush(): void {
    while (this.pending.length > 0) this.sendNext();
  }

  /** Drops what is pending (the receiver is about to get the whole history another way). */
  discard(): void {
    this.pending = [];
    // Deliveries still in flight belong to a document that is gone; they no longer hold the stream.
    this.token++;
    this.inFlight = 0;
  }

  get pendingBlocks(): number {
    return this.pending.length;
  }

  dispose(): void {
    this.discard();
    this.disposed = true;
  }

  private pump(): void {
    if (this.inFlight === 0 && this.pending.length > 0) this.sendNext();
  }

  private sendNext(): void {
    let bytes = 0;
    let n = 0;
    while (n < this.pending.length && (n === 0 || bytes + blockBytes(this.pending[n]) <= MAX_MESSAGE_BYTES)) bytes += blockBytes(this.pending[n++]);
    const taken = this.pending.splice(0, n);
    const delivery = this.send(concatBlocks(taken));
    if (!delivery || typeof delivery.then !== 'function') return;
    const token = this.token;
    this.inFlight++;
    let settled = false;
    const done = (): void => {
      if (settled) return;
      settled = true;
      this.clock.clearTimeout(timer);
      if (token !== this.token || this.disposed) return;
      this.inFlight = Math.max(0, this.inFlight - 1);
      this.pump();
    };
    const timer = this.clock.setTimeout(done, MAX_DELIVERY_WAIT_MS);
    delivery.then(done, done);
  }
}
