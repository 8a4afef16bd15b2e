// LSTM, row-vector layout, gate blocks [i f g o] as in PyTorch:
//   z_t = x_t·W_xh + h_{t−1}·W_hh + b_h                       (4H)
//   i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o)
//   c_t = f ⊙ c_{t−1} + i ⊙ g,   h_t = o ⊙ tanh(c_t)
// The gradient reaching c_t flows on to c_{t−1} multiplied only by f: that is where it survives.

import type { CellModel } from './model';
import { Sequence } from './sequence';
import { gatedScratchLayout, lstmLayout, place } from './layout';
import type { GatedScratch } from './wasm/arena';

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
  private readonly scratch: GatedScratch;

  constructor(model: CellModel, maxT: number) {
    super(model, maxT);
    const b = place(this.arena, lstmLayout(this.dims, maxT));
    this.cs = b.cs;
    this.gates = b.gates;
    this.tc = b.tc;
    this.dz = b.dz;
    this.step = b.step;
    this.scratch = place(this.arena, gatedScratchLayout(this.dims, maxT));
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

  protected recur(T: number): void {
    const { hs, cs, gates, tc } = this;
    this.fused.lstmForward(hs, cs, gates, tc, this.model.Wxh.w, this.model.bh.w, this.model.Whh.w, this.idsM, T, this.H);
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

  /** Truncated BPTT in one WebAssembly call: the same sums as the step loop, in its order. */
  override backwardTruncated(K: number): void {
    const { dhOut, dhTotal, cs, gates, tc } = this;
    this.fused.lstmBackwardTruncated(dhOut, dhTotal, this.dcTotal!, this.dz, cs, gates, tc, this.model.Whh.w, this.gA, this.gB, this.cA!, this.dcAt!, this.step, this.T, this.H, K);
    this.accumulateParamGrads();
  }

  override sourceNorms(src: number, out: Float64Array, outOffset: number, add: boolean, cellOut: Float64Array | null = null): void {
    const s = this.scratch;
    const state = { hs: this.hs, cs: this.cs, gates: this.gates, tc: this.tc, cache: null };
    this.fused.gatedSourceNorms('lstm', this.dhOut, src, state, this.model.Whh.w, this.gA, this.gB, this.cB!, this.dcAt!, this.step, s.wide, this.normsBuf, cellOut ? s.cellNorms : null, this.H);
    this.copyNorms(this.normsBuf, src, out, outOffset, add);
    if (cellOut) this.copyNorms(s.cellNorms, src, cellOut, outOffset, add);
  }

  /** The whole window in one WebAssembly call. */
  override backwardFull(): void {
    this.fused.lstmBackwardFull(this.dhOut, this.dhTotal, this.dcTotal!, this.dz, this.hs, this.cs, this.gates, this.tc, this.model.Whh.w, this.scratch, false, this.T, this.H);
    this.accumulateParamGrads();
  }

  /** Both chains in one sweep, each row of W_hh read once for the two. */
  override backwardFullWithLast(lastOut: Float64Array, lastCellOut: Float64Array | null): void {
    const s = this.scratch;
    this.fused.lstmBackwardFull(this.dhOut, this.dhTotal, this.dcTotal!, this.dz, this.hs, this.cs, this.gates, this.tc, this.model.Whh.w, s, true, this.T, this.H);
    for (let k = 0; k < this.T; k++) lastOut[k] += s.norms[k];
    if (lastCellOut) for (let k = 0; k < this.T; k++) lastCellOut[k] += s.cellNorms[k];
    this.accumulateParamGrads();
  }

  protected accumulateParamGrads(): void {
    this.fused.inputGrads(this.model.Wxh.dw, this.model.bh.dw, this.dz, this.idsM, this.T, 4 * this.H);
    this.addRecurrentGrad(this.dz);
  }
}
