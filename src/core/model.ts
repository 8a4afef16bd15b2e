// The parameters of each cell, with their names and shapes as stored in the weights file.
// Row-vector layout throughout: the gate blocks of W_xh, W_hh and b_h sit side by side as columns.
//
//   rnn   W_xh V×H    W_hh H×H    b_h H
//   lstm  W_xh V×4H   W_hh H×4H   b_h 4H     gate blocks [i f g o] (PyTorch's order)
//   gru   W_xh V×3H   W_hh H×3H   b_h 3H     gate blocks [r z n] (PyTorch's order), and
//         b_hn H: the recurrent bias of the candidate n, which PyTorch keeps inside r ⊙ (…)
//   all   W_hy H×V    b_y V

import type { Activation, CellKind } from './types';
import { makeParam, type Param } from './param';
import type { Rng } from './rng';
import { Arena } from './wasm/arena';
import type { KernelPartner } from './partner';

/** Optimizer slots the model's arena keeps room for (Adam's m and v). */
const OPTIMIZER_SLOTS = 2;

export const GATES: Record<CellKind, number> = { rnn: 1, lstm: 4, gru: 3 };

/**
 * W_hh of a ReLU RNN starts as this times the identity: σ_max = 0.1, so the untrained state
 * cannot grow along the text. Measured on the seed sentence (600 epochs of Adam at 0.001,
 * seeds 1–40): 0.1 reached accuracy 1 with every seed and never diverged; the plain identity
 * reached it with one seed of ten in 600 epochs, 0.25 diverged with two of twenty.
 */
export const RELU_WHH_SCALE = 0.1;

/** Names and shapes of a cell's parameters, in file order. */
export function parameterShapes(cell: CellKind, V: number, H: number): Record<string, number[]> {
  const G = GATES[cell] * H;
  const shapes: Record<string, number[]> = { W_xh: [V, G], W_hh: [H, G], W_hy: [H, V], b_h: [G], b_y: [V] };
  if (cell === 'gru') shapes.b_hn = [H];
  return shapes;
}

export class CellModel {
  readonly Wxh: Param;
  readonly Whh: Param;
  readonly Why: Param;
  readonly bh: Param;
  readonly by: Param;
  /** GRU only: recurrent bias of the candidate. */
  readonly bhn: Param | null;
  readonly params: readonly Param[];
  /** Width of the gate blocks together: H, 4H or 3H. */
  readonly G: number;
  /** Size of the recurrent state carried between windows: h, plus c for the LSTM. */
  readonly stateSize: number;
  /** Holds every w and dw, and room for the optimizer's slots, in one WebAssembly memory. */
  readonly arena: Arena;
  /** The thread that runs parts of this model's training (partner.ts), on its shared arena; or null. */
  readonly partner: KernelPartner | null;

  constructor(
    readonly cell: CellKind,
    readonly V: number,
    readonly H: number,
    /** Used by the plain RNN only; LSTM and GRU have fixed sigmoid gates and tanh. */
    readonly activation: Activation,
    /** Extra doubles to keep free in the arena: room for a Sequence (see sequenceCapacity). */
    reserve = 0,
    partner: KernelPartner | null = null,
  ) {
    const shapes = parameterShapes(cell, V, H);
    this.G = shapes.W_xh[1];
    const sizes = Object.values(shapes).map((s) => s.reduce((a, b) => a * b, 1));
    // w, dw and the slots of each parameter, plus one double of alignment padding per buffer.
    this.arena = new Arena(sizes.reduce((sum, n) => sum + (2 + OPTIMIZER_SLOTS) * (n + 1), 0) + reserve, partner !== null);
    this.partner = partner;
    const alloc = (n: number) => this.arena.f64(n);
    this.Wxh = makeParam('W_xh', shapes.W_xh, alloc);
    this.Whh = makeParam('W_hh', shapes.W_hh, alloc);
    this.Why = makeParam('W_hy', shapes.W_hy, alloc);
    this.bh = makeParam('b_h', shapes.b_h, alloc);
    this.by = makeParam('b_y', shapes.b_y, alloc);
    this.bhn = cell === 'gru' ? makeParam('b_hn', shapes.b_hn, alloc) : null;
    this.params = this.bhn ? [this.Wxh, this.Whh, this.Why, this.bh, this.by, this.bhn] : [this.Wxh, this.Whh, this.Why, this.bh, this.by];
    this.stateSize = cell === 'lstm' ? 2 * H : H;
  }

  /**
   * N(0, 1/fan_in) weights, biases 0, except the LSTM's forget-gate bias, which starts at 1 so the
   * cell state is kept by default early in training (Gers et al. 2000; Jozefowicz et al. 2015).
   * Draw order is fixed: W_xh, W_hh, W_hy, row-major.
   *
   * A ReLU RNN instead starts from a scaled identity, W_hh = RELU_WHH_SCALE·I (Le, Jaitly &
   * Hinton 2015, "A Simple Way to Initialize Recurrent Networks of Rectified Linear Units", who
   * scale the identity down for tasks with short dependencies), with He's N(0, 2/V) for W_xh and
   * N(0, 1/H) for W_hy; W_hh takes no draws (order W_xh, W_hy). A random W_hh with He's variance
   * has σ_max ≈ 2√2 at H = 20, and ReLU does not saturate, so the untrained forward pass could grow
   * ~2.8× per step and explode before the first update (seeds 2, 3 and 6 of the seed sentence).
   */
  initialize(rng: Rng): void {
    const fill = (p: Param, variance: number) => {
      const std = Math.sqrt(variance);
      for (let i = 0; i < p.w.length; i++) p.w[i] = rng.normal() * std;
    };
    if (this.cell === 'rnn' && this.activation === 'relu') {
      fill(this.Wxh, 2 / this.V);
      this.Whh.w.fill(0);
      for (let i = 0; i < this.H; i++) this.Whh.w[i * this.H + i] = RELU_WHH_SCALE;
      fill(this.Why, 1 / this.H);
    } else {
      fill(this.Wxh, 1 / this.V);
      fill(this.Whh, 1 / this.H);
      fill(this.Why, 1 / this.H);
    }
    this.bh.w.fill(0);
    this.by.w.fill(0);
    this.bhn?.w.fill(0);
    if (this.cell === 'lstm') this.bh.w.fill(1, this.H, 2 * this.H);
  }
}
