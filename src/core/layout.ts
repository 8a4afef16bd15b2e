// Every buffer a Sequence uses, declared once per cell: the same tables size the arena (the
// trainer reserves that much in the model's memory, and the run limits count it) and place the
// buffers (each constructor takes exactly its table), so the two cannot drift apart.

import type { Arena } from './wasm/arena';
import type { CellKind } from './types';

export interface SequenceDims {
  cell: CellKind;
  H: number;
  V: number;
  /** Width of the gate blocks together: H, 4H or 3H. */
  G: number;
}

/** A buffer's length in doubles, or in 32-bit integers as `{ i32: n }`. */
export type BufferSpec = number | { i32: number };
export type Layout = Record<string, BufferSpec>;
export type Placed<L extends Layout> = { [K in keyof L]: L[K] extends { i32: number } ? Int32Array : Float64Array };

/** The buffers of every cell: states, the output layer, the backward's totals and scratch. */
export function sharedLayout(d: SequenceDims, maxT: number) {
  const { H, V } = d;
  const cellState = d.cell === 'lstm' ? H : 0;
  return {
    /** hs[0..H) is the initial state, hs[(t+1)H ..] is h_t. */
    hs: (maxT + 1) * H,
    /** Softmax probabilities, then (in backward) dy_t = (p_t − onehot)·scale. */
    probs: maxT * V,
    dhOut: maxT * H,
    dhTotal: maxT * H,
    /** LSTM only: ∂L/∂c_t in total. */
    dcTotal: maxT * cellState,
    argmax: { i32: maxT },
    ids: { i32: maxT },
    targets: { i32: maxT },
    /** LSTM only: ∂L/∂c_t at the step just taken back. */
    dcAt: cellState,
    /** Per step: Σ exp(y − max) and y_target − max, from the fused output layer. */
    lossTerms: 2 * maxT,
    norms: maxT,
    gA: H,
    gB: H,
    cA: cellState,
    cB: cellState,
  };
}

/** The RNN's own buffers. */
export function rnnLayout(d: SequenceDims, maxT: number) {
  const { H } = d;
  /** da: ∂L/∂a_t; slopes: the mean and the max of f′(a_t) per step. */
  return { da: maxT * H, step: H, slopes: 2 * maxT };
}

/** Scratch of the gated cells' whole-window backward kernels (GatedScratch). */
export function gatedScratchLayout(d: SequenceDims, maxT: number) {
  const { H, G } = d;
  return { dhNext: H, dc: H, g: H, gNext: H, dc2: H, dcAt2: H, wide: G, wide2: G, norms: maxT, cellNorms: maxT };
}

/** The LSTM's own buffers: c per step, the gate activations, tanh(c_t), ∂L/∂z_t. */
export function lstmLayout(d: SequenceDims, maxT: number) {
  const { H, G } = d;
  return { cs: (maxT + 1) * H, gates: maxT * G, tc: maxT * H, dz: maxT * G, step: G };
}

/** The GRU's own buffers: r, z, n and h·W_hn + b_hn per step, and the two sides' gradients. */
export function gruLayout(d: SequenceDims, maxT: number) {
  const { H, G } = d;
  return { cache: maxT * 4 * H, dx: maxT * G, dhh: maxT * G, rec: G, stepX: G, stepH: G };
}

/** The cell's own tables beside sharedLayout. */
function cellLayouts(d: SequenceDims, maxT: number): Layout[] {
  switch (d.cell) {
    case 'rnn':
      return [rnnLayout(d, maxT)];
    case 'lstm':
      return [lstmLayout(d, maxT), gatedScratchLayout(d, maxT)];
    case 'gru':
      return [gruLayout(d, maxT), gatedScratchLayout(d, maxT)];
  }
}

/** Doubles the arena hands out for `layout`: each buffer plus at most one of alignment padding. */
export function layoutDoubles(layout: Layout): number {
  let n = 0;
  for (const spec of Object.values(layout)) n += (typeof spec === 'number' ? spec : Math.ceil(spec.i32 / 2)) + 1;
  return n;
}

/** Doubles a Sequence of maxT steps takes from the model's arena, this class and its cell together. */
export function sequenceCapacity(d: SequenceDims, maxT: number): number {
  let n = layoutDoubles(sharedLayout(d, maxT));
  for (const l of cellLayouts(d, maxT)) n += layoutDoubles(l);
  return n;
}

/** Takes every buffer of `layout` from `arena`, in the table's order. */
export function place<L extends Layout>(arena: Arena, layout: L): Placed<L> {
  const out: Record<string, Float64Array | Int32Array> = {};
  for (const [name, spec] of Object.entries(layout)) out[name] = typeof spec === 'number' ? arena.f64(spec) : arena.i32(spec.i32);
  return out as Placed<L>;
}
