// What every cell shares: the output layer (y_t = h_t·W_hy + b_y, softmax cross-entropy) and
// the buffers for a sequence of up to maxT steps, all in the model's WebAssembly memory. A cell
// supplies its whole-sequence kernels: the forward, and the three ways of running the backward
// pass through time (full, full with the last output's chain, truncated), each one call.
//
// Nothing is allocated per epoch. The step-by-step JS loops these kernels replaced are the
// tests' reference (test/unit/core/loops/), not a production path.

import type { CellModel } from './model';
import type { Arena, FusedKernels, Kernels, WasmExports } from './wasm/arena';
import { place, sequenceCapacity, sharedLayout, type SequenceDims } from './layout';
import { t } from './l10n';

/** Parts a training window's steps go in when the output layer runs in a second thread (forwardTrain). */
const PARTNER_PARTS = 5;

export interface ForwardResult {
  /** Sum over steps of the cross-entropy −log p_t[target_t]. */
  lossSum: number;
  /** Steps whose argmax equals the target. */
  correct: number;
}

export abstract class Sequence {
  readonly maxT: number;
  readonly H: number;
  /** hs[0..H) is the initial state, hs[(t+1)H ..] is h_t. (maxT+1)×H */
  readonly hs: Float64Array;
  /** Softmax probabilities, then (in backward) dy_t = (p_t − onehot)·scale. maxT×V */
  readonly probs: Float64Array;
  /** ∂L/∂h_t coming from the output layer alone. maxT×H */
  readonly dhOut: Float64Array;
  /** ∂L/∂h_t in total, as the backward carries it. maxT×H */
  readonly dhTotal: Float64Array;
  /** LSTM only: ∂L/∂c_t in total. maxT×H */
  readonly dcTotal: Float64Array | null;
  /** argmax of p_t. maxT */
  readonly argmax: Int32Array;
  protected T = 0;
  /** LSTM scratch: ∂L/∂c_t at the step just taken back. */
  protected readonly dcAt: Float64Array | null;
  /** Owner of every buffer below, and of the kernels that may run on them. */
  protected readonly arena: Arena;
  protected readonly k: Kernels;
  /** The whole-loop kernels. */
  protected readonly fused: FusedKernels;
  /** The ids and targets of the last forward, where the fused kernels can read them. maxT */
  protected readonly idsM: Int32Array;
  private readonly targetsM: Int32Array;
  /** Per step: Σ exp(y − max) and y_target − max, from the fused output layer. 2·maxT */
  private readonly lossTerms: Float64Array;
  /** Per-step norms written by the fused kernels, read back right after each call. maxT */
  protected readonly normsBuf: Float64Array;
  /** Sizes of the cell, for its own tables in ./layout. */
  protected readonly dims: SequenceDims;
  protected readonly gA: Float64Array;
  protected readonly gB: Float64Array;
  protected readonly cA: Float64Array | null;
  protected readonly cB: Float64Array | null;

  constructor(
    readonly model: CellModel,
    maxT: number,
  ) {
    const { H, V, G } = model;
    const hasCell = model.cell === 'lstm';
    this.dims = { cell: model.cell, H, V, G };
    // Every buffer sits in the model's own memory, so the kernels read the parameters and write
    // their gradients in place; the room is kept by createModel, and the memory cannot grow.
    const need = sequenceCapacity(this.dims, maxT);
    if (model.arena.remaining < need) throw new Error(t("no room kept for a sequence of {0} steps in the model's memory ({1} of {2} doubles free): pass its steps to createModel", maxT, model.arena.remaining, need));
    this.arena = model.arena;
    this.k = this.arena.kernels;
    this.fused = model.arena.fused;
    this.maxT = maxT;
    this.H = H;
    const b = place(this.arena, sharedLayout(this.dims, maxT));
    this.hs = b.hs;
    this.probs = b.probs;
    this.dhOut = b.dhOut;
    this.dhTotal = b.dhTotal;
    this.dcTotal = hasCell ? b.dcTotal : null;
    this.argmax = b.argmax;
    this.idsM = b.ids;
    this.targetsM = b.targets;
    this.dcAt = hasCell ? b.dcAt : null;
    this.lossTerms = b.lossTerms;
    this.normsBuf = b.norms;
    this.gA = b.gA;
    this.gB = b.gB;
    this.cA = hasCell ? b.cA : null;
    this.cB = hasCell ? b.cB : null;
  }

  get length(): number {
    return this.T;
  }

  /** Sets the state before step 0 from `state` (stateSize numbers), or zeros. */
  protected abstract loadState(state: Float64Array | null): void;
  /** Runs the recurrence over the ids of the forward (idsM[0..T)), filling hs and the cell's caches. */
  protected abstract recur(T: number): void;
  /** Copies the state after step t (t = T−1: the final state) into out (stateSize numbers). */
  abstract stateAfter(t: number, out: Float64Array): void;
  /** Turns the accumulated pre-activation gradients into dW_xh, dW_hh and the biases. */
  protected abstract accumulateParamGrads(): void;
  /**
   * The per-step factor of the backward path at each step t < T of the last forward, from its
   * stored states: adds the mean over units into meanOut[t] and, for the plain RNN, the max over
   * units into maxOut[t] (the factor in ‖∂h_t/∂h_{t−1}‖ ≤ ‖W_hh‖·max f′(a_t)). RNN: f′(a_t);
   * LSTM: the forget gate f_t; GRU: the update gate z_t.
   */
  abstract addStepSlopes(meanOut: Float64Array, maxOut: Float64Array | null): void;

  finalState(out: Float64Array): void {
    this.stateAfter(this.T - 1, out);
  }

  forward(ids: Int32Array, targets: Int32Array, T: number, state: Float64Array | null): ForwardResult {
    if (T > this.maxT) throw new RangeError(t("sequence of {0} steps exceeds this buffer's {1}", T, this.maxT));
    this.T = T;
    this.idsM.set(ids.subarray(0, T));
    this.targetsM.set(targets.subarray(0, T));
    this.loadState(state);
    this.recur(T);
    return this.outputForward(targets, T);
  }

  /**
   * forward() and then backwardOutput(targets, scale), as a training window runs them. With the
   * model's partner thread (partner.ts) the output layer is that thread's: the steps go in
   * parts, and while this thread runs the recurrence of a part the other runs the output layer
   * of the part before; dW_hy is left to the backward that must follow (startOutputGrad), which
   * runs it beside its own work. The parameter gradients must be zero before (it adds to db_y).
   */
  forwardTrain(ids: Int32Array, targets: Int32Array, T: number, state: Float64Array | null, scale: number): ForwardResult {
    const partner = this.model.partner;
    if (!partner) {
      const r = this.forward(ids, targets, T, state);
      this.backwardOutput(targets, scale);
      return r;
    }
    if (T > this.maxT) throw new RangeError(t("sequence of {0} steps exceeds this buffer's {1}", T, this.maxT));
    this.T = T;
    this.idsM.set(ids.subarray(0, T));
    this.targetsM.set(targets.subarray(0, T));
    this.loadState(state);
    const { H, V } = this.model;
    const { Why, by } = this.model;
    const probs = this.probs.byteOffset;
    const hs = this.hs.byteOffset;
    const part = Math.ceil(T / PARTNER_PARTS);
    const args = (a: number, n: number, dby: number) => [
      probs + a * V * 8, hs + (a + 1) * H * 8, Why.w.byteOffset, by.w.byteOffset, this.targetsM.byteOffset + a * 4, this.argmax.byteOffset + a * 4,
      this.lossTerms.byteOffset + a * 16, n, H, V, scale, this.dhOut.byteOffset + a * H * 8, dby,
    ];
    // The last part's output layer runs here, after its recurrence, while the other thread ends
    // the part before: then neither waits long for the other.
    const last = part * Math.floor((T - 1) / part);
    for (let a = 0; a < last; a += part) {
      this.recurPart(a, Math.min(part, last - a));
      // start() first waits for the part before: at most one call is outstanding.
      partner.start(this.arena, 'outputTrain', args(a, Math.min(part, last - a), by.dw.byteOffset));
    }
    this.recurPart(last, T - last);
    // db_y 0: these steps' share is added below, after the other thread's, in step order.
    this.arena.raw.outputTrain(...(args(last, T - last, 0) as Parameters<WasmExports['outputTrain']>));
    partner.finish();
    const dby = by.dw;
    const dy = this.probs;
    for (let t = last; t < T; t++) for (let v = 0, o = t * V; v < V; v++) dby[v] += dy[o + v];
    this.outputGradPending = true;
    return this.lossOf(targets, T);
  }

  /** Set by forwardTrain with a partner: dW_hy is still to be summed (takeOutputGrad). */
  private outputGradPending = false;

  /**
   * After forwardTrain with a partner: true once, when dW_hy += [h_1 … h_T]ᵀ · [dy_1 … dy_T]
   * (H×T · T×V) is still to be summed; the backward that follows hands it to the other thread.
   */
  protected takeOutputGrad(): boolean {
    const pending = this.outputGradPending;
    this.outputGradPending = false;
    return pending;
  }

  /** The arguments of that product for a kernel call (addAtB's, gradProducts' first six). */
  protected outputGradArgs(): number[] {
    const { H, V, Why } = this.model;
    return [Why.dw.byteOffset, this.hs.byteOffset + H * 8, H, this.probs.byteOffset, V, this.T];
  }

  /** The recurrence over steps from..from+n−1 of the forward in progress (a part of recur(T)). */
  protected recurPart(_from: number, _n: number): void {
    throw new Error(t('this cell does not train with a second thread'));
  }

  /** Y = [h_1 … h_T]·W_hy + b_y, then a stable log-softmax per step. */
  private outputForward(targets: Int32Array, T: number): ForwardResult {
    const { H, V } = this.model;
    const hs = this.hs;
    const probs = this.probs;
    const terms = this.lossTerms;
    this.fused.outputForward(probs, hs, this.model.Why.w, this.model.by.w, this.targetsM, this.argmax, terms, T, H, V);
    return this.lossOf(targets, T);
  }

  /** The loss and the hits of the last T steps, from the output layer's per-step terms. */
  private lossOf(targets: Int32Array, T: number): ForwardResult {
    const terms = this.lossTerms;
    let lossSum = 0;
    let correct = 0;
    for (let t = 0; t < T; t++) {
      lossSum += Math.log(terms[2 * t]) - terms[2 * t + 1];
      if (this.argmax[t] === targets[t]) correct++;
    }
    return { lossSum, correct };
  }

  /**
   * Output-layer backward for all steps: dy_t = (p_t − onehot(target_t))·scale, accumulates
   * dW_hy and db_y, and fills dhOut[t] = dy_t·W_hyᵀ. `scale` is 1/(number of terms of the mean).
   */
  backwardOutput(targets: Int32Array, scale: number): void {
    const { H, V } = this.model;
    const T = this.T;
    const dby = this.model.by.dw;
    const dy = this.probs;
    this.targetsM.set(targets.subarray(0, T));
    this.fused.outputBackward(dy, this.targetsM, T, V, scale, this.model.Why.w, H, this.dhOut, dby);
    // dW_hy += [h_1 … h_T]ᵀ · [dy_1 … dy_T]   (H×T · T×V)
    this.k.addAtB(this.model.Why.dw, this.hs, H, H, dy, 0, V, T);
  }

  /** dW_hh += [h_0 … h_{T−1}]ᵀ · B, for the cell's recurrent pre-activation gradients B (T×G). */
  protected addRecurrentGrad(B: Float64Array): void {
    this.k.addAtB(this.model.Whh.dw, this.hs, 0, this.H, B, 0, this.model.G, this.T);
  }

  /** Full BPTT over the last forward. Call backwardOutput first. Fills dhTotal (and dcTotal). */
  abstract backwardFull(): void;

  /**
   * Full BPTT plus ‖∂L_{T−1}/∂h_k‖ (and ‖∂L_{T−1}/∂c_k‖) added into lastOut[k]: the trainer's
   * pair of sweeps, in one.
   */
  abstract backwardFullWithLast(lastOut: Float64Array, lastCellOut: Float64Array | null): void;

  /**
   * Truncated BPTT: each output's gradient is carried back through at most K steps (its own
   * and K−1 earlier ones) and no further. The parameter gradients are linear in the
   * pre-activation gradients, so contributions are summed per step and multiplied out once.
   */
  abstract backwardTruncated(K: number): void;

  /**
   * ‖∂L_src/∂h_k‖ (and ‖∂L_src/∂c_k‖) for k = src … 0 through the full depth, where L_src is
   * output src's term of the mean loss (call backwardOutput first). Writes out[outOffset + k];
   * `add` sums instead. Leaves the parameter gradients alone.
   */
  abstract sourceNorms(src: number, out: Float64Array, outOffset: number, add: boolean, cellOut?: Float64Array | null): void;

  /** Writes (or with `add`, adds) norms[0..src] into out[outOffset + k]: a source-norm kernel's row. */
  protected copyNorms(norms: Float64Array, src: number, out: Float64Array, outOffset: number, add: boolean): void {
    if (add) for (let k = 0; k <= src; k++) out[outOffset + k] += norms[k];
    else for (let k = 0; k <= src; k++) out[outOffset + k] = norms[k];
  }

  /** ‖dhTotal[t]‖ (and ‖dcTotal[t]‖) for t < T, added into out[t] so windows can be summed. */
  addTotalNorms(out: Float64Array, cellOut: Float64Array | null): void {
    const T = this.T;
    const norms = this.normsBuf;
    this.fused.rowNorms(norms, this.dhTotal, T, this.H);
    for (let t = 0; t < T; t++) out[t] += norms[t];
    if (cellOut && this.dcTotal) {
      this.fused.rowNorms(norms, this.dcTotal, T, this.H);
      for (let t = 0; t < T; t++) cellOut[t] += norms[t];
    }
  }
}
