// LSTM, row-vector layout, gate blocks [i f g o] as in PyTorch:
//   z_t = x_t·W_xh + h_{t−1}·W_hh + b_h                       (4H)
//   i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o)
//   c_t = f ⊙ c_{t−1} + i ⊙ g,   h_t = o ⊙ tanh(c_t)
// The gradient reaching c_t flows on to c_{t−1} multiplied only by f: that is where it survives.

import type { CellModel } from '../../../../src/core/model';
import { Sequence } from './sequence';
import { lstmLayout, place } from '../../../../src/core/layout';

export class LstmSequence extends Sequence {
  /** cs[0..H) is c before step 0, cs[(t+1)H ..] is c_t. (maxT+1)×H */
  readonly cs: Float64Array;
  /** Gate activations i, f, g, o per step. maxT×4H */
  private readonly gates: Float64Array;
  /** tanh(c_t). maxT×H */
  private readonly tc: Float64Array;
  /** ∂L/∂z_t summed over the outputs that reach step t. maxT×4H */
  private readonly dz: Float64Array;
  private readonly step: Float64Array;

  constructor(model: CellModel, maxT: number) {
    super(model, maxT);
    const b = place(this.arena, lstmLayout(this.dims, maxT));
    this.cs = b.cs;
    this.gates = b.gates;
    this.tc = b.tc;
    this.dz = b.dz;
    this.step = b.step;
  }

  protected loadState(state: Float64Array | null): void {
    const H = this.H;
    if (state) {
      this.hs.set(state.subarray(0, H), 0);
      this.cs.set(state.subarray(H, 2 * H), 0);
    } else {
      this.hs.fill(0, 0, H);
      this.cs.fill(0, 0, H);
    }
  }

  protected recur(ids: Int32Array, T: number): void {
    const H = this.H;
    const G = 4 * H;
    const Wxh = this.model.Wxh.w;
    const bh = this.model.bh.w;
    const { hs, cs, gates, tc } = this;
    for (let t = 0; t < T; t++) {
      const z = t * G;
      const xrow = ids[t] * G;
      for (let k = 0; k < G; k++) gates[z + k] = Wxh[xrow + k] + bh[k];
      this.k.vecMatAdd(gates, z, hs, t * H, this.model.Whh.w, H, G); // += h_{t−1}·W_hh, W_hh read row by row
      // Gate nonlinearities a block at a time: [i f] and o through σ, g through tanh.
      this.k.sigmoid(gates, z, 2 * H);
      this.k.tanh(gates, z + 2 * H, H);
      this.k.sigmoid(gates, z + 3 * H, H);
      const cPrev = t * H;
      const cur = cPrev + H;
      for (let j = 0; j < H; j++) {
        const c = gates[z + H + j] * cs[cPrev + j] + gates[z + j] * gates[z + 2 * H + j];
        cs[cur + j] = c;
        tc[cPrev + j] = c;
      }
      this.k.tanh(tc, cPrev, H);
      for (let j = 0; j < H; j++) hs[cur + j] = gates[z + 3 * H + j] * tc[cPrev + j];
    }
  }

  stateAfter(t: number, out: Float64Array): void {
    const H = this.H;
    out.set(this.hs.subarray((t + 1) * H, (t + 2) * H), 0);
    out.set(this.cs.subarray((t + 1) * H, (t + 2) * H), H);
  }

  /** The cell path's factor: ∂c_t/∂c_{t−1} = f_t. */
  addStepSlopes(meanOut: Float64Array): void {
    const H = this.H;
    const G = 4 * H;
    const gates = this.gates;
    for (let t = 0; t < this.T; t++) {
      let sum = 0;
      for (let j = 0; j < H; j++) sum += gates[t * G + H + j];
      meanOut[t] += sum / H;
    }
  }

  protected beginBackward(): void {
    this.dz.fill(0, 0, this.T * 4 * this.H);
  }

  protected backStep(t: number, dh: Float64Array, dc: Float64Array | null, dhPrev: Float64Array, accumulate: boolean, needPrev: boolean): void {
    const H = this.H;
    const G = 4 * H;
    const z = t * G;
    const { gates, tc, cs, step } = this;
    const dcAt = this.dcAt!;
    const dcIn = dc!;
    for (let j = 0; j < H; j++) {
      const i = gates[z + j];
      const f = gates[z + H + j];
      const g = gates[z + 2 * H + j];
      const o = gates[z + 3 * H + j];
      const tcj = tc[t * H + j];
      const c = dcIn[j] + dh[j] * o * (1 - tcj * tcj); // ∂L/∂c_t
      dcAt[j] = c;
      step[j] = c * g * i * (1 - i);
      step[H + j] = c * cs[t * H + j] * f * (1 - f);
      step[2 * H + j] = c * i * (1 - g * g);
      step[3 * H + j] = dh[j] * tcj * o * (1 - o);
      dcIn[j] = c * f; // ∂L/∂c_{t−1}, in place
    }
    if (accumulate) for (let k = 0; k < G; k++) this.dz[z + k] += step[k];
    // dh_{t−1} = dz·W_hhᵀ   (W_hh is H×4H)
    if (needPrev) this.k.matVec(dhPrev, 0, this.model.Whh.w, H, G, step, 0, null, 0);
  }

  protected accumulateParamGrads(): void {
    const H = this.H;
    const G = 4 * H;
    const T = this.T;
    const dWxh = this.model.Wxh.dw;
    const dbh = this.model.bh.dw;

    for (let t = 0; t < T; t++) {
      const z = t * G;
      const xrow = this.ids[t] * G;
      for (let k = 0; k < G; k++) {
        dWxh[xrow + k] += this.dz[z + k];
        dbh[k] += this.dz[z + k];
      }
    }
    this.addRecurrentGrad(this.dz);
  }
}
