// The test reference: the step-by-step JS loops that ran where WebAssembly was missing, kept
// beside ../reference.ts to hold the WebAssembly backend (src/core/sequence.ts and the cells) to
// the same results up to rounding. Same buffer tables (src/core/layout.ts), but in plain
// Float64Arrays, the parameters read and the gradients added from the model's own w and dw, and
// the JS kernels of src/core/kernels.ts. A cell supplies its recurrence: one step forward, one back.

import type { CellModel } from '../../../../src/core/model';
import { norm2 } from '../../../../src/core/param';
import { transpose } from '../../../../src/core/kernels';
import * as js from './kernels';
import type { Arena } from '../../../../src/core/wasm/arena';
import { place, sharedLayout, type SequenceDims } from '../../../../src/core/layout';

/** Plain JS memory with the arena's two allocators, for place(). */
export const plainMemory = { f64: (n: number) => new Float64Array(n), i32: (n: number) => new Int32Array(n) } as unknown as Arena;

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
  protected ids: Int32Array = new Int32Array(0);
  /** Set by backStep for cells with a cell state: ∂L/∂c_t at the step just taken. */
  protected readonly dcAt: Float64Array | null;
  protected readonly arena = plainMemory;
  protected readonly k = js;
  /** Sizes of the cell, for its own tables in ./layout. */
  protected readonly dims: SequenceDims;
  private readonly WhyT: Float64Array;
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
    this.maxT = maxT;
    this.H = H;
    const b = place(this.arena, sharedLayout(this.dims, maxT));
    this.hs = b.hs;
    this.probs = b.probs;
    this.dhOut = b.dhOut;
    this.dhTotal = b.dhTotal;
    this.dcTotal = hasCell ? b.dcTotal : null;
    this.argmax = b.argmax;
    this.dcAt = hasCell ? b.dcAt : null;
    this.WhyT = new Float64Array(H * V);
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
  /** Runs the recurrence over ids[0..T), filling hs and the cell's caches. */
  protected abstract recur(ids: Int32Array, T: number): void;
  /** Copies the state after step t (t = T−1: the final state) into out (stateSize numbers). */
  abstract stateAfter(t: number, out: Float64Array): void;
  /** Clears the per-step accumulators of the pre-activation gradients. */
  protected abstract beginBackward(): void;
  /**
   * One step back through step t. Reads dh = ∂/∂h_t (and dc = ∂/∂c_t from later steps, LSTM),
   * writes dhPrev = ∂/∂h_{t−1} (and dc ← ∂/∂c_{t−1}, in place) when needPrev, sets dcAt (LSTM),
   * and adds the step's pre-activation gradients to the accumulators when accumulate.
   */
  protected abstract backStep(t: number, dh: Float64Array, dc: Float64Array | null, dhPrev: Float64Array, accumulate: boolean, needPrev: boolean): void;
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
    if (T > this.maxT) throw new RangeError(`sequence of ${T} steps exceeds this buffer's ${this.maxT}`);
    this.T = T;
    this.ids = ids;
    this.loadState(state);
    this.recur(ids, T);
    return this.outputForward(targets, T);
  }

  /** Y = [h_1 … h_T]·W_hy + b_y, then a stable log-softmax per step. */
  private outputForward(targets: Int32Array, T: number): ForwardResult {
    const { H, V } = this.model;
    const hs = this.hs;
    const probs = this.probs;
    transpose(this.WhyT, this.model.Why.w, H, V);
    let lossSum = 0;
    let correct = 0;
    for (let t = 0; t < T; t++) {
      const y = t * V;
      this.k.matVec(probs, y, this.WhyT, V, H, hs, (t + 1) * H, this.model.by.w, 0);
      let max = -Infinity;
      let best = 0;
      for (let v = 0; v < V; v++) {
        if (probs[y + v] > max) {
          max = probs[y + v];
          best = v;
        }
      }
      const target = targets[t];
      const shiftedTarget = probs[y + target] - max;
      let sum = 0;
      for (let v = 0; v < V; v++) {
        const e = Math.exp(probs[y + v] - max);
        probs[y + v] = e;
        sum += e;
      }
      // −log p = log Σ exp(y − max) − (y_target − max): finite even when p underflows.
      lossSum += Math.log(sum) - shiftedTarget;
      const inv = 1 / sum;
      for (let v = 0; v < V; v++) probs[y + v] *= inv;
      this.argmax[t] = best;
      if (best === target) correct++;
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
    for (let t = 0; t < T; t++) {
      const y = t * V;
      dy[y + targets[t]] -= 1;
      for (let v = 0; v < V; v++) {
        dy[y + v] *= scale;
        dby[v] += dy[y + v];
      }
      this.k.matVec(this.dhOut, t * H, this.model.Why.w, H, V, dy, y, null, 0);
    }
    // dW_hy += [h_1 … h_T]ᵀ · [dy_1 … dy_T]   (H×T · T×V)
    this.k.addAtB(this.model.Why.dw, this.hs, H, H, dy, 0, V, T);
  }

  /** dW_hh += [h_0 … h_{T−1}]ᵀ · B, for the cell's recurrent pre-activation gradients B (T×G). */
  protected addRecurrentGrad(B: Float64Array): void {
    this.k.addAtB(this.model.Whh.dw, this.hs, 0, this.H, B, 0, this.model.G, this.T);
  }

  /** Full BPTT over the last forward. Call backwardOutput first. Fills dhTotal (and dcTotal). */
  backwardFull(): void {
    const H = this.H;
    const dhOut = this.dhOut;
    const dhTotal = this.dhTotal;
    const g = this.gA;
    const dhNext = this.gB;
    const dc = this.cA;
    dhNext.fill(0);
    dc?.fill(0);
    this.beginBackward();
    for (let t = this.T - 1; t >= 0; t--) {
      const d = t * H;
      for (let j = 0; j < H; j++) {
        g[j] = dhOut[d + j] + dhNext[j];
        dhTotal[d + j] = g[j];
      }
      this.backStep(t, g, dc, dhNext, true, t > 0);
      if (this.dcTotal) this.dcTotal.set(this.dcAt!, d);
    }
    this.accumulateParamGrads();
  }

  /**
   * Full BPTT plus ‖∂L_{T−1}/∂h_k‖ (and ‖∂L_{T−1}/∂c_k‖) added into lastOut[k]: the trainer's
   * pair of sweeps. A cell may do both in one pass.
   */
  backwardFullWithLast(lastOut: Float64Array, lastCellOut: Float64Array | null): void {
    this.sourceNorms(this.T - 1, lastOut, 0, true, lastCellOut);
    this.backwardFull();
  }

  /**
   * Truncated BPTT: each output's gradient is carried back through at most K steps (its own
   * and K−1 earlier ones) and no further. The parameter gradients are linear in the
   * pre-activation gradients, so contributions are summed per step and multiplied out once.
   */
  backwardTruncated(K: number): void {
    const H = this.H;
    const T = this.T;
    const dhTotal = this.dhTotal;
    const dcTotal = this.dcTotal;
    dhTotal.fill(0, 0, T * H);
    dcTotal?.fill(0, 0, T * H);
    this.beginBackward();
    for (let t = 0; t < T; t++) {
      let g = this.gA;
      let gPrev = this.gB;
      const dc = this.cA;
      for (let j = 0; j < H; j++) g[j] = this.dhOut[t * H + j];
      dc?.fill(0);
      const stop = Math.max(0, t - K + 1);
      for (let s = t; s >= stop; s--) {
        const d = s * H;
        for (let j = 0; j < H; j++) dhTotal[d + j] += g[j];
        this.backStep(s, g, dc, gPrev, true, s > stop);
        if (dcTotal) for (let j = 0; j < H; j++) dcTotal[d + j] += this.dcAt![j];
        const swap = g;
        g = gPrev;
        gPrev = swap;
      }
    }
    this.accumulateParamGrads();
  }

  /** ‖dhTotal[t]‖ (and ‖dcTotal[t]‖) for t < T, added into out[t] so windows can be summed. */
  addTotalNorms(out: Float64Array, cellOut: Float64Array | null): void {
    const H = this.H;
    const T = this.T;
    for (let t = 0; t < T; t++) out[t] += norm2(this.dhTotal, t * H, H);
    if (cellOut && this.dcTotal) for (let t = 0; t < T; t++) cellOut[t] += norm2(this.dcTotal, t * H, H);
  }

  /**
   * ‖∂L_src/∂h_k‖ (and ‖∂L_src/∂c_k‖) for k = src … 0 through the full depth, where L_src is
   * output src's term of the mean loss (call backwardOutput first). Writes out[outOffset + k];
   * `add` sums instead. Leaves the parameter gradients alone.
   */
  sourceNorms(src: number, out: Float64Array, outOffset: number, add: boolean, cellOut: Float64Array | null = null): void {
    const H = this.H;
    let g = this.gA;
    let gPrev = this.gB;
    const dc = this.cB;
    for (let j = 0; j < H; j++) g[j] = this.dhOut[src * H + j];
    dc?.fill(0);
    for (let k = src; k >= 0; k--) {
      const n = norm2(g);
      if (add) out[outOffset + k] += n;
      else out[outOffset + k] = n;
      this.backStep(k, g, dc, gPrev, false, k > 0);
      if (cellOut && this.dcAt) {
        const nc = norm2(this.dcAt);
        if (add) cellOut[outOffset + k] += nc;
        else cellOut[outOffset + k] = nc;
      }
      const swap = g;
      g = gPrev;
      gPrev = swap;
    }
  }
}
