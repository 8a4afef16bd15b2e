// Where a model's and its sequences' buffers live and which kernels run on them: views into one
// WebAssembly memory, and the SIMD kernels compiled from ./assembly/kernels.ts. Every runtime the
// extension supports has WebAssembly with SIMD (VS Code ^1.95: Electron 32 and later, Node 20+,
// the browsers VS Code for the Web runs in), so there is no JS fallback; the JS loops that served
// as one are the tests' reference (test/unit/core/loops/).

import wasmBytes from './kernels.wasm';
import sharedWasmBytes from './kernels-shared.wasm';

export interface Kernels {
  matVec(out: Float64Array, outOff: number, M: Float64Array, rows: number, cols: number, x: Float64Array, xOff: number, init: Float64Array | null, initOff: number): void;
  addAtB(dW: Float64Array, A: Float64Array, aOff: number, m: number, B: Float64Array, bOff: number, n: number, T: number): void;
  /**
   * out[outOff + j] += Σ_i x[xOff + i] · M[i·cols + j]   for j < cols: a row vector times a
   * rows×cols matrix, with no transposed copy of M.
   */
  vecMatAdd(out: Float64Array, outOff: number, x: Float64Array, xOff: number, M: Float64Array, rows: number, cols: number): void;
  /** a[off + j] = tanh(a[off + j]) for j < n. */
  tanh(a: Float64Array, off: number, n: number): void;
  /** a[off + j] = 1/(1 + exp(−a[off + j])) for j < n. */
  sigmoid(a: Float64Array, off: number, n: number): void;
  /** Σ a[i]² over the whole array. */
  squaredSum(a: Float64Array): number;
}

/** Scratch for the last output's chain, and where its norms go (rnnBackwardFull). */
export interface RnnLastSource {
  g: Float64Array;
  step: Float64Array;
  norms: Float64Array;
}

/**
 * Scratch of the gated cells' backward kernels, all in the arena: H each for the main chain's
 * dh and dc and the last chain's g, gNext, dc, dcAt; `wide` is G (the gates' width); the last
 * chain's norms go to norms and cellNorms (maxT each).
 */
export interface GatedScratch {
  dhNext: Float64Array;
  dc: Float64Array;
  g: Float64Array;
  gNext: Float64Array;
  dc2: Float64Array;
  dcAt2: Float64Array;
  wide: Float64Array;
  wide2: Float64Array;
  norms: Float64Array;
  cellNorms: Float64Array;
}

/** What a gated cell's forward stored; the LSTM fills cs, gates and tc, the GRU cache (hs both). */
export interface GatedState {
  hs: Float64Array;
  cs: Float64Array | null;
  gates: Float64Array | null;
  tc: Float64Array | null;
  cache: Float64Array | null;
}

/**
 * Whole loops of the RNN and the output layer, and Adam's update, each one call into
 * WebAssembly. Only arena buffers may be passed; the JS code in sequence.ts, rnn.ts and
 * optimizers.ts does the same work where WebAssembly is missing.
 */
export interface FusedKernels {
  /** h_t = f(W_xh[ids[t]] + b_h + h_{t−1}·W_hh) for t < T; hs holds h_{−1} first. */
  rnnForward(hs: Float64Array, Wxh: Float64Array, bh: Float64Array, Whh: Float64Array, ids: Int32Array, T: number, H: number, relu: boolean): void;
  /**
   * Softmax outputs of h_1 … h_T (hs as above) into probs and argmax; terms (2T) gets each step's
   * Σ exp(y − max) and y_target − max, from which the caller forms the loss.
   */
  outputForward(probs: Float64Array, hs: Float64Array, Why: Float64Array, by: Float64Array, targets: Int32Array, argmax: Int32Array, terms: Float64Array, T: number, H: number, V: number): void;
  /** probs → dy = (p − onehot)·scale in place, dby += Σ dy, dhOut = dy·W_hyᵀ. */
  outputBackward(dy: Float64Array, targets: Int32Array, T: number, V: number, scale: number, Why: Float64Array, H: number, dhOut: Float64Array, dby: Float64Array): void;
  /**
   * Full BPTT through the RNN: fills dhTotal and da (both T×H); dhNext is H scratch. With `last`,
   * also rnnSourceNorms with src = T − 1 in the same sweep (same results as the separate call).
   */
  rnnBackwardFull(dhOut: Float64Array, dhTotal: Float64Array, da: Float64Array, hs: Float64Array, Whh: Float64Array, dhNext: Float64Array, last: RnnLastSource | null, T: number, H: number, relu: boolean): void;
  /** norms[k] = ‖∂L_src/∂h_k‖ for k ≤ src; g and step are H scratch. */
  rnnSourceNorms(dhOut: Float64Array, src: number, hs: Float64Array, Whh: Float64Array, g: Float64Array, step: Float64Array, norms: Float64Array, H: number, relu: boolean): void;
  adam(w: Float64Array, dw: Float64Array, m: Float64Array, v: Float64Array, lr: number, beta1: number, beta2: number, inv1: number, inv2: number, eps: number): void;
  /** dW_xh[ids[t]] += da_t and db_h += da_t for t < T (rows G wide). */
  inputGrads(dWxh: Float64Array, dbh: Float64Array, da: Float64Array, ids: Int32Array, T: number, G: number): void;
  /** out[t] = ‖row t‖₂ of the T×H matrix a, each summed in order as norm2 does. */
  rowNorms(out: Float64Array, a: Float64Array, T: number, H: number): void;
  /** The RNN's f′(a_t) per step t < T (hs as in rnnForward): out[2t] its mean over units, out[2t+1] its max. */
  rnnStepSlopes(out: Float64Array, hs: Float64Array, T: number, H: number, relu: boolean): void;
  /** The LSTM's recurrence over T steps (LstmSequence's buffers: hs, cs (T+1)×H, gates T×4H, tc T×H). */
  lstmForward(hs: Float64Array, cs: Float64Array, gates: Float64Array, tc: Float64Array, Wxh: Float64Array, bh: Float64Array, Whh: Float64Array, ids: Int32Array, T: number, H: number): void;
  /**
   * One LSTM step after its pre-activation: z (4H, at zOff of gates) becomes [i f g o], c_t is
   * written after c_{t−1} (cs at cOff), tanh(c_t) into tc at tcOff and h_t into hs at hOff.
   * lstmForward's own step, for callers that form z themselves (split.ts).
   */
  lstmActivate(gates: Float64Array, zOff: number, cs: Float64Array, cOff: number, tc: Float64Array, tcOff: number, hs: Float64Array, hOff: number, H: number): void;
  /**
   * Full BPTT through the LSTM: fills dhTotal, dcTotal and dz (its own value per step). With
   * `last`, the last output's chain in the same sweep: its ‖∂L/∂h_k‖ into last.norms and
   * ‖∂L/∂c_k‖ into last.cellNorms.
   */
  lstmBackwardFull(dhOut: Float64Array, dhTotal: Float64Array, dcTotal: Float64Array, dz: Float64Array, hs: Float64Array, cs: Float64Array, gates: Float64Array, tc: Float64Array, Whh: Float64Array, scratch: GatedScratch, last: boolean, T: number, H: number): void;
  /** The GRU's recurrence over T steps (cache T×4H: r, z, n, h·W_hn + b_hn; rec 3H scratch). */
  gruForward(hs: Float64Array, cache: Float64Array, rec: Float64Array, Wxh: Float64Array, bh: Float64Array, bhn: Float64Array, Whh: Float64Array, ids: Int32Array, T: number, H: number): void;
  /** Full BPTT through the GRU: fills dhTotal, dx and dhh (their own value per step); with `last`, the last output's chain as for the LSTM. */
  gruBackwardFull(dhOut: Float64Array, dhTotal: Float64Array, dx: Float64Array, dhh: Float64Array, hs: Float64Array, cache: Float64Array, Whh: Float64Array, scratch: GatedScratch, last: boolean, T: number, H: number): void;
  /** SigmaMaxSolver's two O(n³) stages (its gram() and tridiagonalise(), with SIMD). */
  /**
   * Truncated BPTT over the last forward, K steps back from each output, in one call: fills
   * dhTotal and da (T×H each, zeroed first); g, gPrev and step are H scratch.
   */
  rnnBackwardTruncated(dhOut: Float64Array, dhTotal: Float64Array, da: Float64Array, hs: Float64Array, Whh: Float64Array, g: Float64Array, gPrev: Float64Array, step: Float64Array, T: number, H: number, K: number, relu: boolean): void;
  /** The same for the LSTM: dhTotal, dcTotal (T×H) and dz (T×4H); g, gPrev, dc, dcAt H scratch, step 4H. */
  lstmBackwardTruncated(
    dhOut: Float64Array, dhTotal: Float64Array, dcTotal: Float64Array, dz: Float64Array, cs: Float64Array, gates: Float64Array, tc: Float64Array, Whh: Float64Array,
    g: Float64Array, gPrev: Float64Array, dc: Float64Array, dcAt: Float64Array, step: Float64Array, T: number, H: number, K: number,
  ): void;
  /** The same for the GRU: dhTotal (T×H), dx and dhh (T×3H); g, gPrev H scratch, stepX and stepH 3H. */
  gruBackwardTruncated(
    dhOut: Float64Array, dhTotal: Float64Array, dx: Float64Array, dhh: Float64Array, hs: Float64Array, cache: Float64Array, Whh: Float64Array,
    g: Float64Array, gPrev: Float64Array, stepX: Float64Array, stepH: Float64Array, T: number, H: number, K: number,
  ): void;
  /**
   * rnnSourceNorms for the gated cells: norms[k] = ‖∂L_src/∂h_k‖ and (LSTM, when cellNorms is
   * given) cellNorms[k] = ‖∂L_src/∂c_k‖ for k ≤ src. The LSTM reads cs, gates and tc, the GRU
   * hs and cache; g, gNext, dc, dcAt are H scratch, step and step2 G.
   */
  gatedSourceNorms(
    cell: 'lstm' | 'gru', dhOut: Float64Array, src: number, state: GatedState, Whh: Float64Array,
    g: Float64Array, gNext: Float64Array, dc: Float64Array, dcAt: Float64Array, step: Float64Array, step2: Float64Array, norms: Float64Array, cellNorms: Float64Array | null, H: number,
  ): void;
  sigmaGram(A: Float64Array, B: Float64Array, n: number, m: number): void;
  sigmaTridiagonalise(A: Float64Array, d: Float64Array, e2: Float64Array, v: Float64Array, w: Float64Array, vPrev: Float64Array, wPrev: Float64Array, n: number): void;
}

export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
/** The module's exports: arguments are byte offsets into its memory (src/core/partner.ts calls them by name). */
export interface WasmExports {
  matVec(out: number, M: number, rows: number, cols: number, x: number, init: number, hasInit: number): void;
  addAtB(dW: number, A: number, m: number, B: number, n: number, T: number): void;
  addAtBRows(dW: number, A: number, m: number, lda: number, B: number, n: number, T: number): void;
  gradProducts(dWy: number, Ay: number, m: number, By: number, n: number, T: number, dWh: number, Ah: number, mh: number, lda: number, Bh: number, nh: number): void;
  rnnForward(hs: number, Wxh: number, bh: number, Whh: number, ids: number, T: number, H: number, relu: number): void;
  outputForward(probs: number, hs1: number, Why: number, by: number, targets: number, argmax: number, terms: number, T: number, H: number, V: number): void;
  outputBackward(dy: number, targets: number, T: number, V: number, scale: number, Why: number, H: number, dhOut: number, dby: number): void;
  outputTrain(probs: number, hs1: number, Why: number, by: number, targets: number, argmax: number, terms: number, T: number, H: number, V: number, scale: number, dhOut: number, dby: number): void;
  rnnBackwardFull(dhOut: number, dhTotal: number, da: number, hs: number, Whh: number, dhNext: number, g: number, step: number, norms: number, T: number, H: number, relu: number): void;
  rnnSourceNorms(dhOut: number, src: number, hs: number, Whh: number, g: number, step: number, norms: number, H: number, relu: number): void;
  adam(w: number, dw: number, m: number, v: number, n: number, lr: number, beta1: number, beta2: number, c1: number, c2: number, inv1: number, inv2: number, eps: number): void;
  vecMatAdd(out: number, x: number, M: number, rows: number, cols: number): void;
  tanhInPlace(a: number, n: number): void;
  sigmoidInPlace(a: number, n: number): void;
  squaredSum(a: number, n: number): number;
  inputGrads(dWxh: number, dbh: number, da: number, ids: number, T: number, G: number): void;
  rowNorms(out: number, a: number, T: number, H: number): void;
  rnnStepSlopes(out: number, hs1: number, T: number, H: number, relu: number): void;
  lstmForward(hs: number, cs: number, gates: number, tc: number, Wxh: number, bh: number, Whh: number, ids: number, T: number, H: number): void;
  lstmActivate(z: number, cPrev: number, tcRow: number, hCur: number, H: number): void;
  lstmBackwardFull(
    dhOut: number, dhTotal: number, dcTotal: number, dz: number, hs: number, cs: number, gates: number, tc: number, Whh: number,
    dhNext: number, dc: number, norms: number, cellNorms: number, g: number, gNext: number, dc2: number, dcAt2: number, step2: number, T: number, H: number,
  ): void;
  gruForward(hs: number, cache: number, rec: number, Wxh: number, bh: number, bhn: number, Whh: number, ids: number, T: number, H: number): void;
  gruBackwardFull(dhOut: number, dhTotal: number, dx: number, dhh: number, hs: number, cache: number, Whh: number, dhNext: number, norms: number, g: number, gNext: number, x2: number, h2: number, T: number, H: number): void;
  rnnBackwardTruncated(dhOut: number, dhTotal: number, da: number, hs: number, Whh: number, g: number, gPrev: number, step: number, T: number, H: number, K: number, relu: number): void;
  lstmBackwardTruncated(
    dhOut: number, dhTotal: number, dcTotal: number, dz: number, cs: number, gates: number, tc: number, Whh: number,
    g: number, gPrev: number, dc: number, dcAt: number, step: number, T: number, H: number, K: number,
  ): void;
  gruBackwardTruncated(dhOut: number, dhTotal: number, dx: number, dhh: number, hs: number, cache: number, Whh: number, g: number, gPrev: number, stepX: number, stepH: number, T: number, H: number, K: number): void;
  gatedSourceNorms(
    cell: number, dhOut: number, src: number, hs: number, cs: number, gates: number, tc: number, cache: number, Whh: number,
    g: number, gNext: number, dc: number, dcAt: number, step: number, step2: number, norms: number, cellNorms: number, H: number,
  ): void;
  sigmaGram(A: number, B: number, n: number, m: number): void;
  sigmaTridiagonalise(A: number, d: number, e2: number, v: number, w: number, vPrev: number, wPrev: number, n: number): void;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
const compiled: { plain?: object | null; shared?: object | null } = {};

/** The kernels compiled once per thread: on a plain memory, or (`shared`) on a shared one. */
export function kernelModule(shared = false): object | null {
  const key = shared ? 'shared' : 'plain';
  if (compiled[key] === undefined) {
    try {
      compiled[key] = wasm ? new wasm.Module(shared ? sharedWasmBytes : wasmBytes) : null;
    } catch {
      compiled[key] = null;
    }
  }
  return compiled[key]!;
}

/**
 * The kernels' exports on `memory`, which must be shared exactly when `shared` is. `module`: one
 * compiled in another thread (a compiled module can be posted), whose optimised code this
 * thread then shares instead of starting over from the baseline compiler.
 */
export function instantiateKernels(memory: WasmMemory, shared: boolean, module: object | null = kernelModule(shared)): WasmExports {
  if (!module || !wasm) throw new Error('RNN Lab needs WebAssembly with SIMD, which this runtime does not provide');
  return new wasm.Instance(module, { env: { memory } }).exports as WasmExports;
}

const PAGE = 65536;

export class Arena {
  readonly kernels: Kernels;
  readonly fused: FusedKernels;
  /** The module's own exports on this memory, for callers that pass byte offsets (the training split). */
  readonly raw: WasmExports;
  readonly memory: WasmMemory;
  private next = 0;

  /**
   * `capacity`: an upper bound on the doubles this arena will hand out. `shared`: a shared
   * memory (SharedArrayBuffer), which a second thread's instance of the kernels can work on.
   */
  constructor(
    private readonly capacity: number,
    readonly shared = false,
  ) {
    if (!kernelModule(shared) || !wasm) throw new Error('RNN Lab needs WebAssembly with SIMD, which this runtime does not provide');
    // Room for the capacity plus 16-byte alignment padding of each buffer.
    const bytes = capacity * 8 + 4096 * 16;
    const pages = Math.ceil(bytes / PAGE);
    this.memory = new wasm.Memory(shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages });
    const ex = instantiateKernels(this.memory, shared);
    this.raw = ex;
    const at = (a: Float64Array, off: number) => a.byteOffset + off * 8;
    this.kernels = {
      matVec: (out, outOff, M, rows, cols, x, xOff, init, initOff) => ex.matVec(at(out, outOff), M.byteOffset, rows, cols, at(x, xOff), init ? at(init, initOff) : 0, init ? 1 : 0),
      addAtB: (dW, A, aOff, m, B, bOff, n, T) => ex.addAtB(dW.byteOffset, at(A, aOff), m, at(B, bOff), n, T),
      vecMatAdd: (out, outOff, x, xOff, M, rows, cols) => ex.vecMatAdd(at(out, outOff), at(x, xOff), M.byteOffset, rows, cols),
      tanh: (a, off, n) => ex.tanhInPlace(at(a, off), n),
      sigmoid: (a, off, n) => ex.sigmoidInPlace(at(a, off), n),
      squaredSum: (a) => ex.squaredSum(a.byteOffset, a.length),
    };
    this.fused = {
      rnnForward: (hs, Wxh, bh, Whh, ids, T, H, relu) => ex.rnnForward(hs.byteOffset, Wxh.byteOffset, bh.byteOffset, Whh.byteOffset, ids.byteOffset, T, H, relu ? 1 : 0),
      outputForward: (probs, hs, Why, by, targets, argmax, terms, T, H, V) =>
        ex.outputForward(probs.byteOffset, hs.byteOffset + H * 8, Why.byteOffset, by.byteOffset, targets.byteOffset, argmax.byteOffset, terms.byteOffset, T, H, V),
      outputBackward: (dy, targets, T, V, scale, Why, H, dhOut, dby) => ex.outputBackward(dy.byteOffset, targets.byteOffset, T, V, scale, Why.byteOffset, H, dhOut.byteOffset, dby.byteOffset),
      rnnBackwardFull: (dhOut, dhTotal, da, hs, Whh, dhNext, last, T, H, relu) =>
        ex.rnnBackwardFull(
          dhOut.byteOffset, dhTotal.byteOffset, da.byteOffset, hs.byteOffset, Whh.byteOffset, dhNext.byteOffset,
          last ? last.g.byteOffset : 0, last ? last.step.byteOffset : 0, last ? last.norms.byteOffset : 0, T, H, relu ? 1 : 0,
        ),
      rnnSourceNorms: (dhOut, src, hs, Whh, g, step, norms, H, relu) =>
        ex.rnnSourceNorms(dhOut.byteOffset, src, hs.byteOffset, Whh.byteOffset, g.byteOffset, step.byteOffset, norms.byteOffset, H, relu ? 1 : 0),
      adam: (w, dw, m, v, lr, beta1, beta2, inv1, inv2, eps) =>
        ex.adam(w.byteOffset, dw.byteOffset, m.byteOffset, v.byteOffset, w.length, lr, beta1, beta2, 1 - beta1, 1 - beta2, inv1, inv2, eps),
      inputGrads: (dWxh, dbh, da, ids, T, G) => ex.inputGrads(dWxh.byteOffset, dbh.byteOffset, da.byteOffset, ids.byteOffset, T, G),
      rowNorms: (out, a, T, H) => ex.rowNorms(out.byteOffset, a.byteOffset, T, H),
      rnnStepSlopes: (out, hs, T, H, relu) => ex.rnnStepSlopes(out.byteOffset, hs.byteOffset + H * 8, T, H, relu ? 1 : 0),
      lstmForward: (hs, cs, gates, tc, Wxh, bh, Whh, ids, T, H) =>
        ex.lstmForward(hs.byteOffset, cs.byteOffset, gates.byteOffset, tc.byteOffset, Wxh.byteOffset, bh.byteOffset, Whh.byteOffset, ids.byteOffset, T, H),
      lstmActivate: (gates, zOff, cs, cOff, tc, tcOff, hs, hOff, H) => ex.lstmActivate(at(gates, zOff), at(cs, cOff), at(tc, tcOff), at(hs, hOff), H),
      lstmBackwardFull: (dhOut, dhTotal, dcTotal, dz, hs, cs, gates, tc, Whh, s, last, T, H) =>
        ex.lstmBackwardFull(
          dhOut.byteOffset, dhTotal.byteOffset, dcTotal.byteOffset, dz.byteOffset, hs.byteOffset, cs.byteOffset, gates.byteOffset, tc.byteOffset, Whh.byteOffset,
          s.dhNext.byteOffset, s.dc.byteOffset, last ? s.norms.byteOffset : 0, s.cellNorms.byteOffset, s.g.byteOffset, s.gNext.byteOffset, s.dc2.byteOffset, s.dcAt2.byteOffset, s.wide.byteOffset, T, H,
        ),
      gruForward: (hs, cache, rec, Wxh, bh, bhn, Whh, ids, T, H) =>
        ex.gruForward(hs.byteOffset, cache.byteOffset, rec.byteOffset, Wxh.byteOffset, bh.byteOffset, bhn.byteOffset, Whh.byteOffset, ids.byteOffset, T, H),
      gruBackwardFull: (dhOut, dhTotal, dx, dhh, hs, cache, Whh, s, last, T, H) =>
        ex.gruBackwardFull(
          dhOut.byteOffset, dhTotal.byteOffset, dx.byteOffset, dhh.byteOffset, hs.byteOffset, cache.byteOffset, Whh.byteOffset,
          s.dhNext.byteOffset, last ? s.norms.byteOffset : 0, s.g.byteOffset, s.gNext.byteOffset, s.wide.byteOffset, s.wide2.byteOffset, T, H,
        ),
      rnnBackwardTruncated: (dhOut, dhTotal, da, hs, Whh, g, gPrev, step, T, H, K, relu) =>
        ex.rnnBackwardTruncated(dhOut.byteOffset, dhTotal.byteOffset, da.byteOffset, hs.byteOffset, Whh.byteOffset, g.byteOffset, gPrev.byteOffset, step.byteOffset, T, H, K, relu ? 1 : 0),
      lstmBackwardTruncated: (dhOut, dhTotal, dcTotal, dz, cs, gates, tc, Whh, g, gPrev, dc, dcAt, step, T, H, K) =>
        ex.lstmBackwardTruncated(
          dhOut.byteOffset, dhTotal.byteOffset, dcTotal.byteOffset, dz.byteOffset, cs.byteOffset, gates.byteOffset, tc.byteOffset, Whh.byteOffset,
          g.byteOffset, gPrev.byteOffset, dc.byteOffset, dcAt.byteOffset, step.byteOffset, T, H, K,
        ),
      gruBackwardTruncated: (dhOut, dhTotal, dx, dhh, hs, cache, Whh, g, gPrev, stepX, stepH, T, H, K) =>
        ex.gruBackwardTruncated(dhOut.byteOffset, dhTotal.byteOffset, dx.byteOffset, dhh.byteOffset, hs.byteOffset, cache.byteOffset, Whh.byteOffset, g.byteOffset, gPrev.byteOffset, stepX.byteOffset, stepH.byteOffset, T, H, K),
      gatedSourceNorms: (cell, dhOut, src, st, Whh, g, gNext, dc, dcAt, step, step2, norms, cellNorms, H) => {
        const at = (a: Float64Array | null) => (a ? a.byteOffset : 0);
        ex.gatedSourceNorms(
          cell === 'lstm' ? 1 : 2, dhOut.byteOffset, src, st.hs.byteOffset, at(st.cs), at(st.gates), at(st.tc), at(st.cache), Whh.byteOffset,
          g.byteOffset, gNext.byteOffset, dc.byteOffset, dcAt.byteOffset, step.byteOffset, step2.byteOffset, norms.byteOffset, at(cellNorms), H,
        );
      },
      sigmaGram: (A, B, n, m) => ex.sigmaGram(A.byteOffset, B.byteOffset, n, m),
      sigmaTridiagonalise: (A, d, e2, v, w, vPrev, wPrev, n) =>
        ex.sigmaTridiagonalise(A.byteOffset, d.byteOffset, e2.byteOffset, v.byteOffset, w.byteOffset, vPrev.byteOffset, wPrev.byteOffset, n),
    };
  }

  /** True when `a` is a view into this arena's WebAssembly memory. */
  owns(a: Float64Array): boolean {
    return a.buffer === this.memory.buffer;
  }

  /** Doubles still free. */
  get remaining(): number {
    return Math.floor(this.memory.buffer.byteLength / 8) - this.next;
  }

  /** A zeroed buffer of n doubles. Views stay valid: the memory never grows. */
  f64(n: number): Float64Array {
    const start = this.next;
    this.next = start + n + ((2 - ((start + n) % 2)) % 2); // keep every buffer 16-byte aligned
    if (this.next * 8 > this.memory.buffer.byteLength) throw new Error(`arena overflow: ${this.next} doubles > capacity ${this.capacity}`);
    return new Float64Array(this.memory.buffer, start * 8, n);
  }

  /** A zeroed buffer of n 32-bit integers (character ids), 16-byte aligned like the rest. */
  i32(n: number): Int32Array {
    const f = this.f64(Math.ceil(n / 2));
    return new Int32Array(f.buffer, f.byteOffset, n);
  }
}
