// GRU in PyTorch's formulation, row-vector layout, gate blocks [r z n]:
//   r = σ(x·W_xr + h·W_hr + b_r),   z = σ(x·W_xz + h·W_hz + b_z)
//   n = tanh(x·W_xn + b_n + r ⊙ (h·W_hn + b_hn))
//   h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
// b_h holds [b_r b_z b_n]; b_hn is separate because it sits inside r ⊙ (…).

import type { CellModel } from './model';
import { Sequence } from './sequence';
import { gatedScratchLayout, gruLayout, place } from './layout';
import type { GatedScratch } from './wasm/arena';

export class GruSequence extends Sequence {
  /** r, z, n and h_{t−1}·W_hn + b_hn per step. maxT×4H */
  private readonly cache: Float64Array;
  /** Input-side pre-activation gradients [da_r da_z da_n]. maxT×3H */
  private readonly dx: Float64Array;
  /** Recurrent-side pre-activation gradients [da_r da_z r⊙da_n]. maxT×3H */
  private readonly dhh: Float64Array;
  private readonly rec: Float64Array;
  private readonly stepX: Float64Array;
  private readonly stepH: Float64Array;
  private readonly scratch: GatedScratch;

  constructor(model: CellModel, maxT: number) {
    super(model, maxT);
    const b = place(this.arena, gruLayout(this.dims, maxT));
    this.cache = b.cache;
    this.dx = b.dx;
    this.dhh = b.dhh;
    this.rec = b.rec;
    this.stepX = b.stepX;
    this.stepH = b.stepH;
    this.scratch = place(this.arena, gatedScratchLayout(this.dims, maxT));
  }

  protected loadState(state: Float64Array | null): void {
    if (state) this.hs.set(state.subarray(0, this.H), 0);
    else this.hs.fill(0, 0, this.H);
  }

  protected recur(T: number): void {
    const { hs, cache, rec } = this;
    this.fused.gruForward(hs, cache, rec, this.model.Wxh.w, this.model.bh.w, this.model.bhn!.w, this.model.Whh.w, this.idsM, T, this.H);
  }

  stateAfter(t: number, out: Float64Array): void {
    out.set(this.hs.subarray((t + 1) * this.H, (t + 2) * this.H));
  }

  /** The direct path's factor: h_t = (1 − z)·n + z·h_{t−1}, so z_t carries h_{t−1} through. */
  addStepSlopes(meanOut: Float64Array): void {
    const H = this.H;
    const cache = this.cache;
    for (let t = 0; t < this.T; t++) {
      let sum = 0;
      for (let j = 0; j < H; j++) sum += cache[t * 4 * H + H + j];
      meanOut[t] += sum / H;
    }
  }

  /** Truncated BPTT in one WebAssembly call: the same sums as the step loop, in its order. */
  override backwardTruncated(K: number): void {
    this.fused.gruBackwardTruncated(this.dhOut, this.dhTotal, this.dx, this.dhh, this.hs, this.cache, this.model.Whh.w, this.gA, this.gB, this.stepX, this.stepH, this.T, this.H, K);
    this.accumulateParamGrads();
  }

  override sourceNorms(src: number, out: Float64Array, outOffset: number, add: boolean, _cellOut: Float64Array | null = null): void {
    const s = this.scratch;
    const state = { hs: this.hs, cs: null, gates: null, tc: null, cache: this.cache };
    this.fused.gatedSourceNorms('gru', this.dhOut, src, state, this.model.Whh.w, this.gA, this.gB, s.dc, s.dcAt2, this.stepH, this.stepX, this.normsBuf, null, this.H);
    this.copyNorms(this.normsBuf, src, out, outOffset, add);
  }

  /** The whole window in one WebAssembly call. */
  override backwardFull(): void {
    this.fused.gruBackwardFull(this.dhOut, this.dhTotal, this.dx, this.dhh, this.hs, this.cache, this.model.Whh.w, this.scratch, false, this.T, this.H);
    this.accumulateParamGrads();
  }

  /** Both chains in one sweep, each row of W_hh read once for the two. */
  override backwardFullWithLast(lastOut: Float64Array, _lastCellOut: Float64Array | null): void {
    const s = this.scratch;
    this.fused.gruBackwardFull(this.dhOut, this.dhTotal, this.dx, this.dhh, this.hs, this.cache, this.model.Whh.w, s, true, this.T, this.H);
    for (let k = 0; k < this.T; k++) lastOut[k] += s.norms[k];
    this.accumulateParamGrads();
  }

  protected accumulateParamGrads(): void {
    const H = this.H;
    const G = 3 * H;
    const dbhn = this.model.bhn!.dw;
    this.fused.inputGrads(this.model.Wxh.dw, this.model.bh.dw, this.dx, this.idsM, this.T, G);
    for (let t = 0; t < this.T; t++) {
      const d = t * G;
      for (let j = 0; j < H; j++) dbhn[j] += this.dhh[d + 2 * H + j];
    }
    this.addRecurrentGrad(this.dhh);
  }
}
