// Optimizers with PyTorch's default hyperparameters. Each keeps its slots (moment estimates,
// accumulators) per parameter so a saved state resumes a run exactly.

import type { OptimizerName } from './types';
import type { Param } from './param';
import { WeightsError } from './errors';
import type { Arena, FusedKernels } from './wasm/arena';
import type { KernelPartner } from './partner';
import { t } from './l10n';

export interface OptimizerState {
  name: OptimizerName;
  /** Number of updates applied so far (Adam's t). */
  step: number;
  /** Slot name → parameter name → values (same length as the parameter). */
  slots: Record<string, Record<string, number[]>>;
}

export interface OptimizerSnapshot {
  step: number;
  /** [slot][parameter] copies. */
  slots: Float64Array[][];
}

export const OPTIMIZER_DEFAULTS = {
  adam: { beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  momentum: { mu: 0.9 },
  rmsprop: { alpha: 0.99, eps: 1e-8 },
  adagrad: { eps: 1e-10 },
} as const;

const SLOT_NAMES: Record<OptimizerName, readonly string[]> = {
  adam: ['m', 'v'],
  sgd: [],
  momentum: ['velocity'],
  rmsprop: ['squareAvg'],
  adagrad: ['sum'],
};

export class Optimizer {
  step = 0;
  private readonly slots: Map<string, Float64Array[]>;
  private readonly fused: FusedKernels;

  /**
   * `arena`: the memory holding the parameters (CellModel.arena, which keeps room for two slots
   * per parameter). The slots go beside them, and Adam's update runs as one WebAssembly call per
   * parameter.
   */
  constructor(
    readonly name: OptimizerName,
    public learningRate: number,
    private readonly params: readonly Param[],
    private readonly arena: Arena,
    /** A second thread (partner.ts), on the shared arena, and the parameters whose Adam update it runs. */
    private readonly partner: KernelPartner | null = null,
    private readonly partnerParams: readonly number[] = [],
  ) {
    if (partnerParams.length > 0 && !partner) throw new Error(t('partnerParams without a partner'));
    if (!params.every((p) => arena.owns(p.w) && arena.owns(p.dw))) throw new Error(t('the optimizer needs the parameters in the arena it is given'));
    this.slots = new Map(SLOT_NAMES[name].map((s) => [s, params.map((p) => arena.f64(p.w.length))]));
    this.fused = arena.fused;
  }

  private slot(name: string): Float64Array[] {
    return this.slots.get(name)!;
  }

  /** θ ← θ − update(∇θ) for every parameter, using the gradients in p.dw. */
  update(): void {
    this.step++;
    const lr = this.learningRate;
    const params = this.params;
    switch (this.name) {
      case 'sgd':
        for (const p of params) for (let i = 0; i < p.w.length; i++) p.w[i] -= lr * p.dw[i];
        break;
      case 'momentum': {
        // PyTorch SGD with momentum (dampening 0): v ← μv + g, θ ← θ − lr·v
        const { mu } = OPTIMIZER_DEFAULTS.momentum;
        const vel = this.slot('velocity');
        params.forEach((p, k) => {
          const v = vel[k];
          for (let i = 0; i < p.w.length; i++) {
            v[i] = mu * v[i] + p.dw[i];
            p.w[i] -= lr * v[i];
          }
        });
        break;
      }
      case 'rmsprop': {
        const { alpha, eps } = OPTIMIZER_DEFAULTS.rmsprop;
        const sq = this.slot('squareAvg');
        params.forEach((p, k) => {
          const s = sq[k];
          for (let i = 0; i < p.w.length; i++) {
            const g = p.dw[i];
            s[i] = alpha * s[i] + (1 - alpha) * g * g;
            p.w[i] -= (lr * g) / (Math.sqrt(s[i]) + eps);
          }
        });
        break;
      }
      case 'adagrad': {
        const { eps } = OPTIMIZER_DEFAULTS.adagrad;
        const sums = this.slot('sum');
        params.forEach((p, k) => {
          const s = sums[k];
          for (let i = 0; i < p.w.length; i++) {
            const g = p.dw[i];
            s[i] += g * g;
            p.w[i] -= (lr * g) / (Math.sqrt(s[i]) + eps);
          }
        });
        break;
      }
      case 'adam': {
        // Kingma & Ba, Algorithm 1: bias-corrected m̂ and v̂, θ ← θ − lr·m̂/(√v̂ + ε)
        const { beta1, beta2, eps } = OPTIMIZER_DEFAULTS.adam;
        const ms = this.slot('m');
        const vs = this.slot('v');
        // m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ); dividing once per element instead of three times is
        // what keeps this loop from dominating a large model's update.
        const inv1 = 1 / (1 - Math.pow(beta1, this.step));
        const inv2 = 1 / (1 - Math.pow(beta2, this.step));
        // The JS loop's arithmetic in its order, two lanes at a time: identical results (the JS
        // loop is the tests' reference, test/unit/core/loops/adam.ts).
        // With a partner, the other thread updates its own parameters meanwhile, each number
        // the same way.
        const partner = this.partner;
        for (const k of this.partnerParams) {
          const at = (a: Float64Array) => a.byteOffset;
          partner!.start(this.arena, 'adam', [at(params[k].w), at(params[k].dw), at(ms[k]), at(vs[k]), params[k].w.length, lr, beta1, beta2, 1 - beta1, 1 - beta2, inv1, inv2, eps]);
        }
        for (let k = 0; k < params.length; k++) {
          if (!this.partnerParams.includes(k)) this.fused.adam(params[k].w, params[k].dw, ms[k], vs[k], lr, beta1, beta2, inv1, inv2, eps);
        }
        partner?.finish();
        break;
      }
    }
  }

  /** A cheap copy of the state (typed arrays), for the trainer's replay snapshots; `copy` may place them. */
  snapshot(copy: (a: Float64Array) => Float64Array = (a) => a.slice()): OptimizerSnapshot {
    return { step: this.step, slots: [...this.slots.values()].map((arrays) => arrays.map(copy)) };
  }

  /** Doubles a snapshot holds: every slot of every parameter. */
  get snapshotSize(): number {
    let n = 0;
    for (const arrays of this.slots.values()) for (const a of arrays) n += a.length;
    return n;
  }

  /** The JSON form of a snapshot taken from this optimizer. */
  snapshotState(snap: OptimizerSnapshot): OptimizerState {
    const slots: OptimizerState['slots'] = {};
    [...this.slots.keys()].forEach((slot, s) => {
      slots[slot] = {};
      this.params.forEach((p, k) => (slots[slot][p.name] = Array.from(snap.slots[s][k])));
    });
    return { name: this.name, step: snap.step, slots };
  }

  getState(): OptimizerState {
    return this.snapshotState({ step: this.step, slots: [...this.slots.values()] });
  }

  /** Loads a saved state; throws WeightsError if it does not fit these parameters. */
  setState(state: OptimizerState): void {
    if (state.name !== this.name) {
      throw new WeightsError(t('optimizerState is for "{0}" but this run uses "{1}"', state.name, this.name));
    }
    for (const [slot, arrays] of this.slots) {
      const saved = state.slots[slot];
      if (!saved) throw new WeightsError(t('optimizerState.slots.{0} is missing', slot));
      this.params.forEach((p, k) => {
        const values = saved[p.name];
        if (!Array.isArray(values) || values.length !== p.w.length) {
          throw new WeightsError(t('optimizerState.slots.{0}.{1} must have {2} numbers', slot, p.name, p.w.length));
        }
        arrays[k].set(values);
      });
    }
    this.step = state.step;
  }
}

/** Pascanu et al. 2013: if ‖g‖ > c then g ← c·g/‖g‖. Returns true when it scaled. */
export function clipGlobalNorm(params: readonly Param[], norm: number, threshold: number): boolean {
  if (!(threshold > 0) || norm <= threshold) return false;
  const s = threshold / norm;
  for (const p of params) for (let i = 0; i < p.dw.length; i++) p.dw[i] *= s;
  return true;
}

export function slotNames(name: OptimizerName): readonly string[] {
  return SLOT_NAMES[name];
}
