// A second thread for training a large RNN. A window's recurrence, forward and back, is one
// chain of steps; its output layer is not: each step's softmax and its gradient need only that
// step's state. So with the model's memory shared between two instances of the kernels, the
// output layer becomes the other thread's: while this thread runs the recurrence over a part of
// the window's steps, the other runs the output layer of the part before (Sequence.forwardTrain);
// then it sums dW_hy while this thread runs the backward through time, and it runs Adam's update
// of W_hy while this thread updates the rest. W_hy and its gradient stay in that thread's cache;
// only the states (one way) and ∂L/∂h from the output layer (the other) cross between the cores.
//
// Exactness: what is handed over is a kernel call on its own outputs (steps of the output layer,
// the whole dW_hy, the whole of W_hy's update), formed by the same operations in the same order
// as in one thread, and db_y, the one sum over steps, is added in step order. The bits do not
// change (test/unit/core/partner.test.ts compares whole runs with the one-thread trainer).
//
// The core starts no threads (it runs in browsers, workers and tests alike): a host that can
// start one calls setKernelPartner() with a KernelPartner over a SharedArrayBuffer, and runs
// serveKernels() on the same buffer in the other thread (src/worker/kernelThread.ts).

import { instantiateKernels, kernelModule, type Arena, type WasmExports, type WasmMemory } from './wasm/arena';
import { t } from './l10n';
import { DONE, awaitAnswer, awaitRequest, postAnswer, postRequest } from './handshake';

/** The kernels another thread may run: the parts of a window that are not its recurrence. */
const KERNEL_OPS = ['outputTrain', 'addAtBRows', 'gradProducts', 'adam', 'rnnSourceNorms'] as const;
export type KernelOp = (typeof KERNEL_OPS)[number];
const OP_ATTACH = 100; // the memory sent through the host's channel becomes the one the kernels run on
const OP_QUIT = 101;

/** Control words (Int32) at the start of the buffer (SEQ and DONE: handshake.ts), then the arguments (Float64). */
const OP = 2;
const ARGC = 3;
const ATTACHED = 4; // the answer to OP_ATTACH: 1 when the memory was taken, 0 when it was not
const ARGS_AT = 32; // bytes
const MAX_ARGS = 16;
export const KERNEL_PARTNER_BUFFER_BYTES = ARGS_AT + MAX_ARGS * 8;

/**
 * Hidden sizes from which an RNN trains with the partner when there is one. Measured on one
 * window-25 epoch of the 20,000-character text, as a share of the one-thread time: 0.97–1.06 at
 * H 64, 0.95–1.04 at 80, 0.83 at 96, 0.76 at 128, 0.78 at 256, 0.83 at 512; below 64 it is
 * slower (1.2–1.5 at H 20–48): a part of a window is then a microsecond or two, about what a
 * handshake between the threads costs.
 */
export const PARTNER_MIN_HIDDEN = 96;
/** Whether a run of this cell and size trains with the partner when there is one. */
export function splitsTraining(cell: string, hiddenSize: number): boolean {
  return cell === 'rnn' && hiddenSize >= PARTNER_MIN_HIDDEN;
}

/** What the serving thread gets: the model's shared memory, and the kernels compiled in the client's thread. */
export interface KernelAttachment {
  memory: WasmMemory;
  module: object;
}

/** The requesting side: the thread that trains. */
export class KernelPartner {
  private readonly ctl: Int32Array;
  private readonly args: Float64Array;
  private seq = 0;
  private broken = false;
  private attached: WasmMemory | null = null;
  /** The call the other thread is running, so that it can be run here if no answer comes. */
  private pending: { raw: WasmExports; op: KernelOp; args: number[] } | null = null;
  /** Calls the other thread answered (a test's proof that the split ran). */
  calls = 0;

  /** `sendMemory` hands an attachment to the serving thread (its host's channel). */
  constructor(
    buffer: SharedArrayBuffer,
    private readonly sendMemory: (attachment: KernelAttachment) => void,
  ) {
    if (buffer.byteLength < KERNEL_PARTNER_BUFFER_BYTES) throw new RangeError(t('the kernel buffer must hold {0} bytes', KERNEL_PARTNER_BUFFER_BYTES));
    this.ctl = new Int32Array(buffer, 0, ARGS_AT / 4);
    this.args = new Float64Array(buffer, ARGS_AT, MAX_ARGS);
  }

  /**
   * Set while the machine is busy with other runs (a host decides): calls then run in this
   * thread, and the other one blocks instead of competing for a core.
   */
  suspended = false;

  /** False once a request went unanswered (the other thread stopped): training then runs in one thread. */
  get usable(): boolean {
    return !this.broken;
  }

  /**
   * Starts arena.raw[op](...args) in the other thread; finish() waits for it. Without a usable
   * partner the call runs here, at once. At most one call is outstanding.
   */
  start(arena: Arena, op: KernelOp, args: number[]): void {
    this.finish();
    if (!this.broken && !this.suspended && this.attached !== arena.memory) this.attach(arena);
    if (this.broken || this.suspended) {
      call(arena.raw, op, args);
      return;
    }
    this.args.set(args);
    this.pending = { raw: arena.raw, op, args };
    this.post(KERNEL_OPS.indexOf(op), args.length);
  }

  /** Waits for the started call; if the other thread does not answer, runs it here. */
  finish(): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    if (this.await()) {
      this.calls++;
      return;
    }
    call(pending.raw, pending.op, pending.args);
  }

  /** Ends serveKernels() in the other thread (which then returns). */
  quit(): void {
    if (this.broken) return;
    this.finish();
    this.broken = true;
    this.post(OP_QUIT, 0);
  }

  private attach(arena: Arena): void {
    try {
      this.sendMemory({ memory: arena.memory, module: kernelModule(true)! });
    } catch {
      this.broken = true;
      return;
    }
    this.post(OP_ATTACH, 0);
    if (this.await() && Atomics.load(this.ctl, ATTACHED) === 1) this.attached = arena.memory;
    else this.broken = true;
  }

  private post(op: number, argc: number): void {
    const ctl = this.ctl;
    ctl[OP] = op;
    ctl[ARGC] = argc;
    this.seq = (this.seq + 1) | 0;
    postRequest(ctl, this.seq);
  }

  /** True when the last request was answered; false (and the partner is given up) after the timeout. */
  private await(): boolean {
    if (awaitAnswer(this.ctl, this.seq)) return true;
    this.broken = true;
    this.attached = null;
    return false;
  }
}

type AnyKernel = (...a: number[]) => void;

function call(raw: WasmExports, op: KernelOp, args: ArrayLike<number>): void {
  // Positional, not spread: no array per call. Arguments past a kernel's own are ignored.
  const a = args;
  (raw[op] as AnyKernel)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12]);
}

/**
 * The serving side, run in the second thread until the client sends quit(). `receiveMemory`
 * returns the attachment the client just sent (the host's channel, read synchronously).
 */
export function serveKernels(buffer: SharedArrayBuffer, receiveMemory: () => KernelAttachment | undefined): void {
  const ctl = new Int32Array(buffer, 0, ARGS_AT / 4);
  const args = new Float64Array(buffer, ARGS_AT, MAX_ARGS);
  let seen = Atomics.load(ctl, DONE);
  let raw: WasmExports | null = null;
  for (;;) {
    seen = awaitRequest(ctl, seen);
    const op = ctl[OP];
    if (op === OP_QUIT) return;
    if (op === OP_ATTACH) {
      // A memory that is missing or not shared is refused: the client then trains alone.
      raw = null;
      try {
        const got = receiveMemory();
        if (got) raw = instantiateKernels(got.memory, true, got.module);
      } catch {
        raw = null;
      }
      Atomics.store(ctl, ATTACHED, raw ? 1 : 0);
    } else if (raw && KERNEL_OPS[op]) {
      call(raw, KERNEL_OPS[op], args);
    }
    postAnswer(ctl, seen);
  }
}

let current: KernelPartner | null = null;

/** Sets (or with null, unsets) the partner that trainers created from now on split their work with. */
export function setKernelPartner(partner: KernelPartner | null): void {
  current = partner;
}

/** The partner set by the host, if it is still usable. */
export function kernelPartner(): KernelPartner | null {
  return current?.usable ? current : null;
}
