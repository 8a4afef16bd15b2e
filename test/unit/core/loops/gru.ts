// GRU in PyTorch's formulation, row-vector layout, gate blocks [r z n]:
//   r = σ(x·W_xr + h·W_hr + b_r),   z = σ(x·W_xz + h·W_hz + b_z)
//   n = tanh(x·W_xn + b_n + r ⊙ (h·W_hn + b_hn))
//   h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
// b_h holds [b_r b_z b_n]; b_hn is separate because it sits inside r ⊙ (…).

import type { CellModel } from '../../../../src/core/model';
import { Sequence } from './sequence';
import { gruLayout, place } from '../../../../src/core/layout';

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

  constructor(model: CellModel, maxT: number) {
    super(model, maxT);
    const b = place(this.arena, gruLayout(this.dims, maxT));
    this.cache = b.cache;
    this.dx = b.dx;
    this.dhh = b.dhh;
    this.rec = b.rec;
    this.stepX = b.stepX;
    this.stepH = b.stepH;
  }

  protected loadState(state: Float64Array | null): void {
    if (state) this.hs.set(state.subarray(0, this.H), 0);
    else this.hs.fill(0, 0, this.H);
  }

  protected recur(ids: Int32Array, T: number): void {
    const H = this.H;
    const G = 3 * H;
    const Wxh = this.model.Wxh.w;
    const bh = this.model.bh.w;
    const bhn = this.model.bhn!.w;
    const { hs, cache, rec } = this;
    for (let t = 0; t < T; t++) {
      const prev = t * H;
      const cur = prev + H;
      const xrow = ids[t] * G;
      const c = t * 4 * H;
      rec.fill(0);
      this.k.vecMatAdd(rec, 0, hs, prev, this.model.Whh.w, H, G); // h_{t−1}·W_hh, W_hh read row by row
      // r and z side by side through σ in one call, then n through tanh.
      for (let j = 0; j < 2 * H; j++) cache[c + j] = Wxh[xrow + j] + bh[j] + rec[j];
      this.k.sigmoid(cache, c, 2 * H);
      for (let j = 0; j < H; j++) {
        const hn = rec[2 * H + j] + bhn[j];
        cache[c + 3 * H + j] = hn;
        cache[c + 2 * H + j] = Wxh[xrow + 2 * H + j] + bh[2 * H + j] + cache[c + j] * hn;
      }
      this.k.tanh(cache, c + 2 * H, H);
      for (let j = 0; j < H; j++) {
        const z = cache[c + H + j];
        hs[cur + j] = (1 - z) * cache[c + 2 * H + j] + z * hs[prev + j];
      }
    }
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

  protected beginBackward(): void {
    this.dx.fill(0, 0, this.T * 3 * this.H);
    this.dhh.fill(0, 0, this.T * 3 * this.H);
  }

  protected backStep(t: number, dh: Float64Array, _dc: Float64Array | null, dhPrev: Float64Array, accumulate: boolean, needPrev: boolean): void {
    const H = this.H;
    const G = 3 * H;
    const c = t * 4 * H;
    const prev = t * H;
    const { cache, hs, stepX, stepH } = this;
    for (let j = 0; j < H; j++) {
      const r = cache[c + j];
      const z = cache[c + H + j];
      const n = cache[c + 2 * H + j];
      const hn = cache[c + 3 * H + j];
      const dan = dh[j] * (1 - z) * (1 - n * n);
      const daz = dh[j] * (hs[prev + j] - n) * z * (1 - z);
      const dar = dan * hn * r * (1 - r);
      stepX[j] = dar;
      stepX[H + j] = daz;
      stepX[2 * H + j] = dan;
      stepH[j] = dar;
      stepH[H + j] = daz;
      stepH[2 * H + j] = dan * r;
    }
    if (accumulate) {
      const d = t * G;
      for (let k = 0; k < G; k++) {
        this.dx[d + k] += stepX[k];
        this.dhh[d + k] += stepH[k];
      }
    }
    if (needPrev) {
      // dh_{t−1} = z ⊙ dh_t (the direct path) + [da_r da_z r⊙da_n]·W_hhᵀ
      this.k.matVec(dhPrev, 0, this.model.Whh.w, H, G, stepH, 0, null, 0);
      for (let j = 0; j < H; j++) dhPrev[j] += dh[j] * cache[c + H + j];
    }
  }

  protected accumulateParamGrads(): void {
    const H = this.H;
    const G = 3 * H;
    const T = this.T;
    const dWxh = this.model.Wxh.dw;
    const dbh = this.model.bh.dw;
    const dbhn = this.model.bhn!.dw;
    for (let t = 0; t < T; t++) {
      const d = t * G;
      const xrow = this.ids[t] * G;
      for (let k = 0; k < G; k++) {
        dWxh[xrow + k] += this.dx[d + k];
        dbh[k] += this.dx[d + k];
      }
      for (let j = 0; j < H; j++) dbhn[j] += this.dhh[d + 2 * H + j];
    }
    this.addRecurrentGrad(this.dhh);
  }
}
