// The seed's single-layer RNN in row-vector layout:
//   a_t = x_t·W_xh + h_{t-1}·W_hh + b_h,  h_t = f(a_t),  y_t = h_t·W_hy + b_y,  p_t = softmax(y_t)
// Shapes: W_xh V×H, W_hh H×H, W_hy H×V, b_h H, b_y V (row-major).
// x_t is one-hot, so x_t·W_xh is row ids[t] of W_xh.
//
// One RnnSequence owns the buffers for sequences up to maxT steps; nothing is allocated per
// epoch. The output layer runs over a whole sequence at once (matrix–matrix), only the
// recurrence itself is step by step.

import type { Activation } from './types';
import { makeParam, norm2, type Param } from './param';
import type { Rng } from './rng';
import { addAtB, matVec, transpose } from './kernels';

export class RnnModel {
  readonly Wxh: Param;
  readonly Whh: Param;
  readonly Why: Param;
  readonly bh: Param;
  readonly by: Param;
  readonly params: readonly Param[];

  constructor(
    readonly V: number,
    readonly H: number,
    readonly activation: Activation,
  ) {
    this.Wxh = makeParam('W_xh', [V, H]);
    this.Whh = makeParam('W_hh', [H, H]);
    this.Why = makeParam('W_hy', [H, V]);
    this.bh = makeParam('b_h', [H]);
    this.by = makeParam('b_y', [V]);
    this.params = [this.Wxh, this.Whh, this.Why, this.bh, this.by];
  }

  /** Xavier-style N(0, 1/fan_in) for tanh, He N(0, 2/fan_in) for ReLU; biases 0. Draw order is fixed. */
  initialize(rng: Rng): void {
    const gain = this.activation === 'relu' ? 2 : 1;
    const fill = (p: Param, fanIn: number) => {
      const std = Math.sqrt(gain / fanIn);
      for (let i = 0; i < p.w.length; i++) p.w[i] = rng.normal() * std;
    };
    fill(this.Wxh, this.V);
    fill(this.Whh, this.H);
    fill(this.Why, this.H);
    this.bh.w.fill(0);
    this.by.w.fill(0);
  }
}

export interface ForwardResult {
  /** Sum over steps of the cross-entropy −log p_t[target_t]. */
  lossSum: number;
  /** Steps whose argmax equals the target. */
  correct: number;
}

export class RnnSequence {
  readonly maxT: number;
  /** hs[0..H) is the initial state, hs[(t+1)H ..] is h_t. (maxT+1)×H */
  readonly hs: Float64Array;
  /** Softmax probabilities, then (in backward) dy_t = (p_t − onehot)·scale. maxT×V */
  readonly probs: Float64Array;
  /** ∂L/∂h_t coming from the output layer alone. maxT×H */
  readonly dhOut: Float64Array;
  /** ∂L/∂h_t in total, as the backward carries it. maxT×H */
  readonly dhTotal: Float64Array;
  /** ∂L/∂a_t. maxT×H */
  readonly da: Float64Array;
  /** argmax of p_t. maxT */
  readonly argmax: Int32Array;
  private readonly g: Float64Array;
  private readonly g2: Float64Array;
  /** W_hhᵀ and W_hyᵀ, refreshed at each forward so the hot loops read rows contiguously. */
  private readonly WhhT: Float64Array;
  private readonly WhyT: Float64Array;
  private T = 0;
  private ids: Int32Array = new Int32Array(0);

  constructor(
    readonly model: RnnModel,
    maxT: number,
  ) {
    const { H, V } = model;
    this.maxT = maxT;
    this.hs = new Float64Array((maxT + 1) * H);
    this.probs = new Float64Array(maxT * V);
    this.dhOut = new Float64Array(maxT * H);
    this.dhTotal = new Float64Array(maxT * H);
    this.da = new Float64Array(maxT * H);
    this.argmax = new Int32Array(maxT);
    this.g = new Float64Array(H);
    this.g2 = new Float64Array(H);
    this.WhhT = new Float64Array(H * H);
    this.WhyT = new Float64Array(V * H);
  }

  /** The state after the last step of the most recent forward (to carry into the next window). */
  finalState(out: Float64Array): void {
    const H = this.model.H;
    out.set(this.hs.subarray(this.T * H, (this.T + 1) * H));
  }

  /**
   * Runs T steps on inputs ids[0..T) with targets targets[0..T), starting from hInit (or zeros).
   * ids/targets are vocabulary indices.
   */
  forward(ids: Int32Array, targets: Int32Array, T: number, hInit: Float64Array | null): ForwardResult {
    const { H, V, activation } = this.model;
    const Wxh = this.model.Wxh.w;
    const bh = this.model.bh.w;
    const by = this.model.by.w;
    const hs = this.hs;
    const probs = this.probs;
    const WhhT = this.WhhT;
    const WhyT = this.WhyT;
    this.T = T;
    this.ids = ids;
    transpose(WhhT, this.model.Whh.w, H, H);
    transpose(WhyT, this.model.Why.w, H, V);

    if (hInit) hs.set(hInit.subarray(0, H), 0);
    else hs.fill(0, 0, H);

    // Recurrence: a_t = W_xh[ids[t]] + b_h + h_{t-1}·W_hh
    for (let t = 0; t < T; t++) {
      const prev = t * H;
      const cur = prev + H;
      const xrow = ids[t] * H;
      for (let j = 0; j < H; j++) hs[cur + j] = Wxh[xrow + j] + bh[j];
      matVec(hs, cur, WhhT, H, H, hs, prev, hs, cur);
      if (activation === 'tanh') for (let j = 0; j < H; j++) hs[cur + j] = Math.tanh(hs[cur + j]);
      else for (let j = 0; j < H; j++) if (hs[cur + j] < 0) hs[cur + j] = 0;
    }

    // Output layer for the whole sequence: Y = H_{1..T}·W_hy + b_y, then a stable softmax.
    let lossSum = 0;
    let correct = 0;
    for (let t = 0; t < T; t++) {
      const y = t * V;
      matVec(probs, y, WhyT, V, H, hs, (t + 1) * H, by, 0);
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
      // −log p = log Σ exp(y − max) − (y_target − max): log-softmax, finite even when p underflows.
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
   * dW_hy, db_y, and fills dhOut[t] = dy_t·W_hyᵀ. `scale` is 1/(number of terms of the mean).
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
      matVec(this.dhOut, t * H, this.model.Why.w, H, V, dy, y, null, 0);
    }
    // dW_hy += [h_1 … h_T]ᵀ · [dy_1 … dy_T]   (H×T · T×V)
    addAtB(this.model.Why.dw, this.hs, H, H, dy, 0, V, T);
  }

  /** da = g ⊙ f'(a_t), written from h_t alone (tanh' = 1 − h², ReLU' = [h > 0]). */
  private activationGrad(t: number, g: Float64Array, out: Float64Array, outOffset: number): void {
    const H = this.model.H;
    const h = (t + 1) * H;
    const hs = this.hs;
    if (this.model.activation === 'tanh') {
      for (let j = 0; j < H; j++) out[outOffset + j] = g[j] * (1 - hs[h + j] * hs[h + j]);
    } else {
      for (let j = 0; j < H; j++) out[outOffset + j] = hs[h + j] > 0 ? g[j] : 0;
    }
  }

  /** out = da·W_hhᵀ, i.e. the gradient that flows from a_t back into h_{t−1}. */
  private throughWhh(da: Float64Array, daOffset: number, out: Float64Array): void {
    const H = this.model.H;
    matVec(out, 0, this.model.Whh.w, H, H, da, daOffset, null, 0);
  }

  /** Full BPTT over the last forward. Call backwardOutput first. Fills dhTotal and da. */
  backwardFull(): void {
    const H = this.model.H;
    const T = this.T;
    const dhTotal = this.dhTotal;
    const dhOut = this.dhOut;
    const dhNext = this.g2;
    dhNext.fill(0);
    const g = this.g;
    for (let t = T - 1; t >= 0; t--) {
      const d = t * H;
      for (let j = 0; j < H; j++) {
        g[j] = dhOut[d + j] + dhNext[j];
        dhTotal[d + j] = g[j];
      }
      this.activationGrad(t, g, this.da, d);
      this.throughWhh(this.da, d, dhNext);
    }
    this.accumulateRecurrentGrads();
  }

  /**
   * Truncated BPTT: each output's gradient is carried back through at most K steps
   * (its own step and K−1 earlier ones) and no further. The parameter gradients are linear in
   * da, so the contributions are summed per step first and multiplied out once.
   */
  backwardTruncated(K: number): void {
    const H = this.model.H;
    const T = this.T;
    const dhTotal = this.dhTotal;
    const dhOut = this.dhOut;
    const da = this.da;
    const g = this.g;
    const step = this.g2;
    dhTotal.fill(0, 0, T * H);
    da.fill(0, 0, T * H);
    for (let t = 0; t < T; t++) {
      for (let j = 0; j < H; j++) g[j] = dhOut[t * H + j];
      const stop = Math.max(0, t - K + 1);
      for (let s = t; s >= stop; s--) {
        const d = s * H;
        for (let j = 0; j < H; j++) dhTotal[d + j] += g[j];
        this.activationGrad(s, g, step, 0);
        for (let j = 0; j < H; j++) da[d + j] += step[j];
        if (s > stop) this.throughWhh(step, 0, g);
      }
    }
    this.accumulateRecurrentGrads();
  }

  /** dW_xh[ids[t]] += da_t, db_h += da_t, dW_hh += h_{t−1}ᵀ·da_t (H×T times T×H). */
  private accumulateRecurrentGrads(): void {
    const H = this.model.H;
    const T = this.T;
    const ids = this.ids;
    const da = this.da;
    const dWxh = this.model.Wxh.dw;
    const dbh = this.model.bh.dw;
    for (let t = 0; t < T; t++) {
      const d = t * H;
      const xrow = ids[t] * H;
      for (let j = 0; j < H; j++) {
        dWxh[xrow + j] += da[d + j];
        dbh[j] += da[d + j];
      }
    }
    // dW_hh += [h_0 … h_{T−1}]ᵀ · [da_1 … da_T]   (H×T · T×H); h_{t−1} lives at hs[t·H].
    addAtB(this.model.Whh.dw, this.hs, 0, H, da, 0, H, T);
  }

  /** ‖dhTotal[t]‖ for t < T, added into out[t] (so windows can be summed). */
  addTotalNorms(out: Float64Array): void {
    const H = this.model.H;
    for (let t = 0; t < this.T; t++) out[t] += norm2(this.dhTotal, t * H, H);
  }

  /**
   * ‖∂L_src/∂h_k‖ for k = src, src−1, …, 0 through the full depth, where L_src is output src's
   * term of the mean loss (dhOut must hold it: call backwardOutput first). Writes into
   * out[outOffset + k]; `add` sums instead of overwriting.
   */
  sourceNorms(src: number, out: Float64Array | number[], outOffset: number, add: boolean): void {
    const H = this.model.H;
    const g = this.g;
    const step = this.g2;
    for (let j = 0; j < H; j++) g[j] = this.dhOut[src * H + j];
    for (let k = src; k >= 0; k--) {
      const n = norm2(g);
      if (add) out[outOffset + k] += n;
      else out[outOffset + k] = n;
      if (k === 0) break;
      this.activationGrad(k, g, step, 0);
      this.throughWhh(step, 0, g);
    }
  }

  get length(): number {
    return this.T;
  }
}
