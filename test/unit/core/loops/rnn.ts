// The seed's single-layer RNN in row-vector layout:
//   a_t = x_t·W_xh + h_{t-1}·W_hh + b_h,  h_t = f(a_t),  y_t = h_t·W_hy + b_y,  p_t = softmax(y_t)
// Shapes: W_xh V×H, W_hh H×H, W_hy H×V, b_h H, b_y V (row-major).
// x_t is one-hot, so x_t·W_xh is row ids[t] of W_xh.

import type { CellModel } from '../../../../src/core/model';
import { Sequence } from './sequence';
import { place, rnnLayout } from '../../../../src/core/layout';
import { transpose } from '../../../../src/core/kernels';

export class RnnSequence extends Sequence {
  /** ∂L/∂a_t, summed over the outputs that reach step t. maxT×H */
  readonly da: Float64Array;
  private readonly WhhT: Float64Array;
  private readonly step: Float64Array;
  private readonly relu: boolean;

  constructor(model: CellModel, maxT: number) {
    super(model, maxT);
    const b = place(this.arena, rnnLayout(this.dims, maxT));
    this.da = b.da;
    this.WhhT = new Float64Array(model.H * model.H);
    this.step = b.step;
    this.relu = model.activation === 'relu';
  }

  protected loadState(state: Float64Array | null): void {
    if (state) this.hs.set(state.subarray(0, this.H), 0);
    else this.hs.fill(0, 0, this.H);
  }

  protected recur(ids: Int32Array, T: number): void {
    const { H, activation } = this.model;
    const Wxh = this.model.Wxh.w;
    const bh = this.model.bh.w;
    const hs = this.hs;
    const WhhT = this.WhhT;
    // W_hhᵀ so that each a_t[j] is a contiguous dot product over h_{t−1}.
    transpose(WhhT, this.model.Whh.w, H, H);
    for (let t = 0; t < T; t++) {
      const prev = t * H;
      const cur = prev + H;
      const xrow = ids[t] * H;
      for (let j = 0; j < H; j++) hs[cur + j] = Wxh[xrow + j] + bh[j];
      this.k.matVec(hs, cur, WhhT, H, H, hs, prev, hs, cur);
      if (activation === 'tanh') for (let j = 0; j < H; j++) hs[cur + j] = Math.tanh(hs[cur + j]);
      else for (let j = 0; j < H; j++) if (hs[cur + j] < 0) hs[cur + j] = 0;
    }
  }

  stateAfter(t: number, out: Float64Array): void {
    out.set(this.hs.subarray((t + 1) * this.H, (t + 2) * this.H));
  }

  addStepSlopes(meanOut: Float64Array, maxOut: Float64Array | null): void {
    const H = this.H;
    const T = this.T;
    const hs = this.hs;
    // From h_t alone, exactly as backStep forms it: tanh′ = 1 − h², ReLU′ = [h > 0].
    for (let t = 0; t < T; t++) {
      const h = (t + 1) * H;
      let sum = 0;
      let max = 0;
      for (let j = 0; j < H; j++) {
        const s = this.relu ? (hs[h + j] > 0 ? 1 : 0) : 1 - hs[h + j] * hs[h + j];
        sum += s;
        if (s > max) max = s;
      }
      meanOut[t] += sum / H;
      if (maxOut) maxOut[t] += max;
    }
  }

  protected beginBackward(): void {
    this.da.fill(0, 0, this.T * this.H);
  }

  protected backStep(t: number, dh: Float64Array, _dc: Float64Array | null, dhPrev: Float64Array, accumulate: boolean, needPrev: boolean): void {
    const H = this.H;
    const h = (t + 1) * H;
    const hs = this.hs;
    const step = this.step;
    // da = dh ⊙ f'(a_t), written from h_t alone: tanh' = 1 − h², ReLU' = [h > 0]
    if (this.model.activation === 'tanh') for (let j = 0; j < H; j++) step[j] = dh[j] * (1 - hs[h + j] * hs[h + j]);
    else for (let j = 0; j < H; j++) step[j] = hs[h + j] > 0 ? dh[j] : 0;
    if (accumulate) {
      const d = t * H;
      for (let j = 0; j < H; j++) this.da[d + j] += step[j];
    }
    // dh_{t−1} = da·W_hhᵀ
    if (needPrev) this.k.matVec(dhPrev, 0, this.model.Whh.w, H, H, step, 0, null, 0);
  }

  protected accumulateParamGrads(): void {
    const H = this.H;
    const T = this.T;
    const ids = this.ids;
    const da = this.da;
    const dWxh = this.model.Wxh.dw;
    const dbh = this.model.bh.dw;
    // x_t is one-hot: dW_xh gains da_t in row ids[t] only.
    for (let t = 0; t < T; t++) {
      const d = t * H;
      const xrow = ids[t] * H;
      for (let j = 0; j < H; j++) {
        dWxh[xrow + j] += da[d + j];
        dbh[j] += da[d + j];
      }
    }
    // dW_hh += [h_0 … h_{T−1}]ᵀ · [da_1 … da_T]   (H×T · T×H); h_{t−1} lives at hs[t·H].
    this.addRecurrentGrad(da);
  }
}
