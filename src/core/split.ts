// A second thread for the recurrent product of large inspections. The LSTM's W_hh is H×4H: at
// H = 256 that is 2 MB of float64, as large as one core's second-level cache here, so a forward
// or a one-output backward over 2,000 steps streams it from the shared cache 2,000 times and
// runs at the speed of that stream. Split in two halves, each 1 MB stays in its own core's cache
// and the two halves are multiplied at once: one thread per half, one handshake per step.
//
// Exactness: every output of vecMatAdd (a column) and of matVec (a row) is one sum formed the
// same way whichever part of the matrix it is computed with, so the split product has the bits
// of the whole one; test/unit/core/split.test.ts checks that on a real second thread.
//
// The core starts no threads itself (it runs in browsers, workers and tests alike): a host that
// can start one calls setProductPartner() with a ProductPartner over a SharedArrayBuffer, and
// runs serveProducts() on the same buffer in the other thread (src/worker/productThread.ts).
// Only Atomics and SharedArrayBuffer are used, both standard JavaScript.

import { Arena } from './wasm/arena';
import { t } from './l10n';
import { ANSWER_TIMEOUT_MS, DONE, awaitAnswer, awaitRequest, postAnswer, postRequest } from './handshake';

/** Control words (Int32) at the start of the buffer. */
// Words 0 and 1 are the handshake's SEQ and DONE (handshake.ts).
const OP = 2;
const ARG = 3; // four arguments
const CONTROL_BYTES = 64;
/** Doubles of the data area: vectors in and out, and matrices uploaded in pieces of this size. */
const DATA = 1 << 16;
/** The buffer a ProductPartner and serveProducts share. */
export const PARTNER_BUFFER_BYTES = CONTROL_BYTES + DATA * 8;

const OP_ALLOC = 1; // args H, G, C, R: the server's halves of an H×G matrix (columns ≥ C, rows ≥ R)
const OP_ROWS = 2; // args first row, row count: rows of the matrix in the data area
const OP_VECMAT = 3; // data: x (H), then init (G − C) → out = init + x·M[:, C..G) at data[0..)
const OP_MATVEC = 4; // data: x (G) → out = M[R..H, :]·x at data[0..)
const OP_QUIT = 5;

/** The smallest H×G for which splitting pays for the two handshakes per step (measured: LSTM H ≥ 128). */
export const SPLIT_MIN_ENTRIES = 1 << 16;
/** Whether inspections of this cell and hidden size use a partner when there is one. */
export function splitsInspection(cell: string, hiddenSize: number): boolean {
  return cell === 'lstm' && hiddenSize * 4 * hiddenSize >= SPLIT_MIN_ENTRIES;
}

/** The requesting side: the thread that runs the inspection. */
export class ProductPartner {
  private readonly ctl: Int32Array;
  private readonly data: Float64Array;
  private seq = 0;
  /** Whatever owns the matrix now loaded (an inspection pass), so a second pass reloads its own. */
  private owner: object | null = null;
  private broken = false;
  /** Products answered so far (a test's proof that the split path ran). */
  products = 0;
  private H = 0;
  private G = 0;
  private C = 0;

  constructor(buffer: SharedArrayBuffer) {
    if (buffer.byteLength < PARTNER_BUFFER_BYTES) throw new RangeError(t('the product buffer must hold {0} bytes', PARTNER_BUFFER_BYTES));
    this.ctl = new Int32Array(buffer, 0, CONTROL_BYTES / 4);
    this.data = new Float64Array(buffer, CONTROL_BYTES, DATA);
  }

  /** False once a request went unanswered (the other thread stopped): callers then compute alone. */
  get usable(): boolean {
    return !this.broken;
  }

  /**
   * Makes `owner`'s H×G matrix M the loaded one (the server keeps columns C.. and rows R..), unless
   * it already is. Throws (and the partner is no longer usable) if the other thread does not answer.
   */
  load(owner: object, M: Float64Array, H: number, G: number, C: number, R: number): void {
    if (this.owner === owner) return;
    this.owner = null;
    this.request(OP_ALLOC, H, G, C, R);
    const perPiece = Math.max(1, Math.floor(DATA / G));
    for (let r = 0; r < H; r += perPiece) {
      const n = Math.min(perPiece, H - r);
      this.data.set(M.subarray(r * G, (r + n) * G));
      this.request(OP_ROWS, r, n, 0, 0);
    }
    Object.assign(this, { H, G, C });
    this.owner = owner;
  }

  /** Starts out[C..G) = init + x·M[:, C..G); finish() collects it. */
  startVecMat(x: Float64Array, xOff: number, init: Float64Array, initOff: number): void {
    const { H, G, C } = this;
    this.data.set(x.subarray(xOff, xOff + H));
    this.data.set(init.subarray(initOff, initOff + G - C), H);
    this.post(OP_VECMAT, 0, 0, 0, 0);
  }

  /** Starts out[R..H) = M[R..H, :]·x; finish() collects it. */
  startMatVec(x: Float64Array, xOff: number): void {
    this.data.set(x.subarray(xOff, xOff + this.G));
    this.post(OP_MATVEC, 0, 0, 0, 0);
  }

  /** Waits for the started product and copies its n numbers to out at outOff. */
  finish(out: Float64Array, outOff: number, n: number): void {
    this.await();
    this.products++;
    out.set(this.data.subarray(0, n), outOff);
  }

  /** Ends serveProducts() in the other thread (which then returns). */
  quit(): void {
    if (this.broken) return;
    this.broken = true;
    this.post(OP_QUIT, 0, 0, 0, 0);
  }

  private request(op: number, a: number, b: number, c: number, d: number): void {
    this.post(op, a, b, c, d);
    this.await();
  }

  private post(op: number, a: number, b: number, c: number, d: number): void {
    const ctl = this.ctl;
    ctl[OP] = op;
    ctl[ARG] = a;
    ctl[ARG + 1] = b;
    ctl[ARG + 2] = c;
    ctl[ARG + 3] = d;
    this.seq = (this.seq + 1) | 0;
    postRequest(ctl, this.seq);
  }

  private await(): void {
    if (awaitAnswer(this.ctl, this.seq)) return;
    this.broken = true;
    this.owner = null;
    throw new Error(t('the second thread of the inspection did not answer within {0} s', ANSWER_TIMEOUT_MS / 1000));
  }
}

/**
 * The serving side, run in the second thread until the client sends quit(): the halves of the
 * loaded matrix in this thread's own WebAssembly memory, multiplied with the same kernels.
 */
export function serveProducts(buffer: SharedArrayBuffer): void {
  const ctl = new Int32Array(buffer, 0, CONTROL_BYTES / 4);
  const data = new Float64Array(buffer, CONTROL_BYTES, DATA);
  // The last request served: the client may have posted its first one before this thread began.
  let seen = Atomics.load(ctl, DONE);
  let H = 0;
  let G = 0;
  let C = 0;
  let R = 0;
  let k: Arena['kernels'] | null = null;
  let left: Float64Array = new Float64Array(0); // H×(G − C): columns C.. of every row
  let lower: Float64Array = new Float64Array(0); // (H − R)×G: rows R..
  let x: Float64Array = new Float64Array(0);
  let out: Float64Array = new Float64Array(0);
  for (;;) {
    seen = awaitRequest(ctl, seen);
    const op = ctl[OP];
    if (op === OP_QUIT) return;
    if (op === OP_ALLOC) {
      [H, G, C, R] = [ctl[ARG], ctl[ARG + 1], ctl[ARG + 2], ctl[ARG + 3]];
      const arena = new Arena(H * (G - C) + (H - R) * G + 2 * G + 64);
      k = arena.kernels;
      left = arena.f64(H * (G - C));
      lower = arena.f64((H - R) * G);
      x = arena.f64(G);
      out = arena.f64(G);
    } else if (op === OP_ROWS) {
      const first = ctl[ARG];
      const n = ctl[ARG + 1];
      for (let i = 0; i < n; i++) {
        const r = first + i;
        left.set(data.subarray(i * G + C, (i + 1) * G), r * (G - C));
        if (r >= R) lower.set(data.subarray(i * G, (i + 1) * G), (r - R) * G);
      }
    } else if (op === OP_VECMAT) {
      x.set(data.subarray(0, H));
      out.set(data.subarray(H, H + G - C));
      k!.vecMatAdd(out, 0, x, 0, left, H, G - C);
      data.set(out.subarray(0, G - C));
    } else if (op === OP_MATVEC) {
      x.set(data.subarray(0, G));
      k!.matVec(out, 0, lower, H - R, G, x, 0, null, 0);
      data.set(out.subarray(0, H - R));
    }
    postAnswer(ctl, seen);
  }
}

let partner: ProductPartner | null = null;

/** The process's second thread for inspections, or null (the default: one thread). */
export function setProductPartner(p: ProductPartner | null): void {
  partner = p;
}

export function productPartner(): ProductPartner | null {
  return partner && partner.usable ? partner : null;
}
