// The seed's single-layer RNN in row-vector layout:
//   a_t = x_t·W_xh + h_{t-1}·W_hh + b_h,  h_t = f(a_t),  y_t = h_t·W_hy + b_y,  p_t = softmax(y_t)
// Shapes: W_xh V×H, W_hh H×H, W_hy H×V, b_h H, b_y V (row-major).
// x_t is one-hot, so x_t·W_xh is row ids[t] of W_xh.

import { CellModel } from './model';
import { Sequence } from './sequence';
import { place, rnnLayout } from './layout';
import type { RnnLastSource } from './wasm/arena';
import type { Activation } from './types';

/** The RNN's parameters (kept as a named class for readers of the seed). */
export class RnnModel extends CellModel {
  constructor(V: number, H: number, activation: Activation) {
    super('rnn', V, H, activation);
  }
}

export class RnnSequence extends Sequence {
  /** ∂L/∂a_t, summed over the outputs that reach step t. maxT×H */
  readonly da: Float64Array;
  private readonly step: Float64Array;
  /** The last output's chain for backwardFullWithLast: scratch, and its norms. */
  private readonly lastChain: RnnLastSource;
  private readonly relu: boolean;
  /** Per step, the mean and the max of f′(a_t) from rnnStepSlopes. maxT×2 */
  private readonly slopes: Float64Array;

  constructor(model: CellModel, maxT: number) {
    super(model, maxT);
    const b = place(this.arena, rnnLayout(this.dims, maxT));
    this.da = b.da;
    this.step = b.step;
    this.lastChain = { g: this.gA, step: this.step, norms: this.normsBuf };
    this.relu = model.activation === 'relu';
    this.slopes = b.slopes;
  }

  protected loadState(state: Float64Array | null): void {
    if (state) this.hs.set(state.subarray(0, this.H), 0);
    else this.hs.fill(0, 0, this.H);
  }

  protected recur(T: number): void {
    this.fused.rnnForward(this.hs, this.model.Wxh.w, this.model.bh.w, this.model.Whh.w, this.idsM, T, this.H, this.relu);
  }

  protected override recurPart(from: number, n: number): void {
    this.fused.rnnForward(this.hs.subarray(from * this.H), this.model.Wxh.w, this.model.bh.w, this.model.Whh.w, this.idsM.subarray(from), n, this.H, this.relu);
  }

  stateAfter(t: number, out: Float64Array): void {
    out.set(this.hs.subarray((t + 1) * this.H, (t + 2) * this.H));
  }

  addStepSlopes(meanOut: Float64Array, maxOut: Float64Array | null): void {
    const T = this.T;
    const out = this.slopes;
    this.fused.rnnStepSlopes(out, this.hs, T, this.H, this.relu);
    for (let t = 0; t < T; t++) meanOut[t] += out[2 * t];
    if (maxOut) for (let t = 0; t < T; t++) maxOut[t] += out[2 * t + 1];
  }

  /** Full BPTT in one WebAssembly call. */
  override backwardFull(): void {
    this.startOutputGradEarly();
    this.fused.rnnBackwardFull(this.dhOut, this.dhTotal, this.da, this.hs, this.model.Whh.w, this.gB, null, this.T, this.H, this.relu);
    this.accumulateParamGrads();
  }

  /**
   * One sweep for both chains, reading each row of W_hh once for the two. With a partner thread
   * the last output's chain runs there (rnnSourceNorms: the same sums as this sweep's second
   * chain) while the main chain runs here; then dW_hy there, beside dW_hh here.
   */
  override backwardFullWithLast(lastOut: Float64Array, _lastCellOut: Float64Array | null): void {
    const T = this.T;
    const partner = this.model.partner;
    if (partner) {
      partner.start(this.arena, 'rnnSourceNorms', [
        this.dhOut.byteOffset, T - 1, this.hs.byteOffset, this.model.Whh.w.byteOffset, this.gA.byteOffset, this.step.byteOffset, this.normsBuf.byteOffset, this.H, this.relu ? 1 : 0,
      ]);
      this.fused.rnnBackwardFull(this.dhOut, this.dhTotal, this.da, this.hs, this.model.Whh.w, this.gB, null, T, this.H, this.relu);
      partner.finish();
    } else {
      this.fused.rnnBackwardFull(this.dhOut, this.dhTotal, this.da, this.hs, this.model.Whh.w, this.gB, this.lastChain, T, this.H, this.relu);
    }
    for (let k = 0; k < T; k++) lastOut[k] += this.normsBuf[k];
    this.accumulateParamGrads();
  }

  override sourceNorms(src: number, out: Float64Array, outOffset: number, add: boolean, _cellOut: Float64Array | null = null): void {
    this.fused.rnnSourceNorms(this.dhOut, src, this.hs, this.model.Whh.w, this.gA, this.step, this.normsBuf, this.H, this.relu);
    this.copyNorms(this.normsBuf, src, out, outOffset, add);
  }

  /** Truncated BPTT in one WebAssembly call: the same sums as the step loop, in its order. */
  override backwardTruncated(K: number): void {
    this.startOutputGradEarly();
    this.fused.rnnBackwardTruncated(this.dhOut, this.dhTotal, this.da, this.hs, this.model.Whh.w, this.gA, this.gB, this.step, this.T, this.H, K, this.relu);
    this.accumulateParamGrads();
  }

  /** Without a chain for the other thread: dW_hy goes there at once, to run beside the backward. */
  private startOutputGradEarly(): void {
    if (this.takeOutputGrad()) this.model.partner!.start(this.arena, 'gradProducts', [...this.outputGradArgs(), 0, 0, 0, 0, 0, 0]);
  }

  protected accumulateParamGrads(): void {
    // x_t is one-hot: dW_xh gains da_t in row ids[t] only.
    this.fused.inputGrads(this.model.Wxh.dw, this.model.bh.dw, this.da, this.idsM, this.T, this.H);
    // dW_hh += [h_0 … h_{T−1}]ᵀ · [da_1 … da_T]   (H×T · T×H); h_{t−1} lives at hs[t·H].
    const partner = this.model.partner;
    if (!partner) {
      this.addRecurrentGrad(this.da);
      return;
    }
    // With a partner, rows r.. of dW_hh are summed there (each entry's sum is the same), after
    // dW_hy if that is still to do: r balances the two, r·H = (H − r)·H (+ H·V with dW_hy).
    const H = this.H;
    const T = this.T;
    const withOutput = this.takeOutputGrad();
    const r = Math.min(H, Math.round(withOutput ? (H + this.model.V) / 2 : H / 2));
    const dW = this.model.Whh.dw.byteOffset;
    const hs = this.hs.byteOffset;
    const da = this.da.byteOffset;
    const rows = [dW + r * H * 8, hs + r * 8, H - r, H, da, H];
    if (withOutput) partner.start(this.arena, 'gradProducts', [...this.outputGradArgs(), ...rows]);
    else if (r < H) partner.start(this.arena, 'addAtBRows', [...rows, T]);
    this.arena.raw.addAtBRows(dW, hs, r, H, da, H, T);
    partner.finish();
  }
}
