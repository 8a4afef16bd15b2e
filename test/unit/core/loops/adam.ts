// Adam's update as the JS loop src/core/optimizers.ts ran where the parameters were outside a
// WebAssembly arena: the reference its WebAssembly kernel is held to, bit for bit.
import { OPTIMIZER_DEFAULTS } from '../../../../src/core/optimizers';

export class ReferenceAdam {
  step = 0;
  readonly m: Float64Array[];
  readonly v: Float64Array[];

  constructor(
    private readonly lr: number,
    private readonly params: readonly { w: Float64Array; dw: Float64Array }[],
  ) {
    this.m = params.map((p) => new Float64Array(p.w.length));
    this.v = params.map((p) => new Float64Array(p.w.length));
  }

  update(): void {
    this.step++;
    const { beta1, beta2, eps } = OPTIMIZER_DEFAULTS.adam;
    const lr = this.lr;
    const inv1 = 1 / (1 - Math.pow(beta1, this.step));
    const inv2 = 1 / (1 - Math.pow(beta2, this.step));
    for (let k = 0; k < this.params.length; k++) {
      const { w, dw } = this.params[k];
      const m = this.m[k];
      const v = this.v[k];
      for (let i = 0; i < w.length; i++) {
        const g = dw[i];
        const mi = beta1 * m[i] + (1 - beta1) * g;
        const vi = beta2 * v[i] + (1 - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        w[i] -= (lr * (mi * inv1)) / (Math.sqrt(vi * inv2) + eps);
      }
    }
  }
}
