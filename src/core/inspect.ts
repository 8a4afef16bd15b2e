// Inside the network: one forward pass that keeps what the training passes do not hand out —
// every hidden state, the LSTM's cell states and gates, the GRU's gates, the likeliest next
// characters of each step — and, for one output step t, Distill's connectivity ‖∂L_t/∂x_k‖₂ for
// every k ≤ t ("Visualizing memorization in RNNs", Madsen 2019), for one-hot inputs x_k.
//
// The forward and the output layer are the training's own WebAssembly kernels (one call each
// for the whole window); the one-output backward of connectivity is its own loop on the same
// kernels (matVec, σ, tanh), since the training backward sums every output's gradient.
// test/unit/core/inspect.test.ts holds all of it to the training forward, to PyTorch's modules
// and to a plain Python backward.
//
// Results are flat Float64Arrays (T×H row-major, row t = step t) so that a worker can post them
// to a webview without building arrays of arrays.

import type { Activation, CellKind } from './types';
import type { WeightsFile } from './weights';
import { GATES } from './model';
import { Vocabulary, codePoints, describeChar } from './vocab';
import { TextError } from './errors';
import { Arena, type FusedKernels, type Kernels } from './wasm/arena';
import { productPartner, splitsInspection, type ProductPartner } from './split';
import { t } from './l10n';

/** An inspection covers at most this many steps… */
export const INSPECT_MAX_STEPS = 10_000;
/** …and at most this many numbers per T×H array (steps × hidden size): 3,906 steps at H = 256. */
export const INSPECT_MAX_VALUES = 1_000_000;
export const INSPECT_DEFAULT_TOP = 5;
/** Steps whose input gradients connectivity() collects before multiplying them by W_xhᵀ. */
const CHUNK = 32;

/** The gate arrays of each cell, in the order of its gate blocks. */
export const GATE_NAMES: Readonly<Record<CellKind, readonly string[]>> = { rnn: [], lstm: ['i', 'f', 'g', 'o'], gru: ['r', 'z', 'n'] };

export interface InspectOptions {
  /** How many of the likeliest next characters to list per step: an integer ≥ 1 (default 5), capped at V. */
  top?: number;
  /** An output step t (0 ≤ t < steps, counted from the first inspected step): adds connectivity(t). */
  connectivity?: number;
}

/** Per step, the k likeliest next characters: likeliest first, ties in vocabulary order. */
export interface TopK {
  k: number;
  /** T×k vocabulary indices. */
  ids: Int32Array;
  /** T×k probabilities, row t decreasing. */
  p: Float64Array;
}

/**
 * values[k] = ‖∂L_t/∂x_k‖₂ for k = 0..t, where L_t is output t's cross-entropy divided by the
 * number of inspected steps (the scale of the T×T matrix ‖∂L_t/∂h_k‖) and x_k is step k's input
 * vector treated as continuous: (∂L_t/∂a_k)·W_xhᵀ, a V-vector, with a_k the (stacked gate)
 * pre-activation of step k.
 */
export interface Connectivity {
  t: number;
  values: Float64Array;
}

export interface Inspection {
  cell: CellKind;
  activation: Activation;
  hiddenSize: number;
  vocab: readonly string[];
  /** T. Step t reads inputs[t] and predicts targets[t] (vocabulary indices). */
  steps: number;
  /** Code-point position in the text of step 0's input. */
  start: number;
  inputs: Int32Array;
  targets: Int32Array;
  /** The state before step 0 (h, then c for the LSTM); null for a zero state. */
  initialState: Float64Array | null;
  /** T×H: row t is h_t. */
  h: Float64Array;
  /** LSTM only, T×H: row t is c_t. */
  c: Float64Array | null;
  /** GATE_NAMES[cell]. */
  gateNames: readonly string[];
  /** LSTM i, f, g, o; GRU r, z, n (activations, T×H each); null for the plain RNN. */
  gates: Record<string, Float64Array> | null;
  top: TopK;
  /** T: the probability given to each step's target. */
  targetP: Float64Array;
  /** Mean cross-entropy over the T steps (log-sum-exp, finite when a probability underflows). */
  loss: number;
  connectivity: Connectivity | null;
}

/** A network's parameters by weights-file name (row-major), and its shape. */
export interface NetWeights {
  cell: CellKind;
  activation: Activation;
  hiddenSize: number;
  vocab: readonly string[];
  params: Readonly<Record<string, ArrayLike<number>>>;
}

/** Rejects steps × hidden sizes beyond the documented limits, naming them. */
export function checkInspectSize(steps: number, hiddenSize: number): void {
  if (steps > INSPECT_MAX_STEPS) throw new TextError(t('inspection covers at most {0} steps (got {1}): use a shorter text.', INSPECT_MAX_STEPS, steps));
  if (steps * hiddenSize > INSPECT_MAX_VALUES) {
    const most = Math.floor(INSPECT_MAX_VALUES / hiddenSize);
    throw new TextError(t('inspection keeps at most {0} numbers per state array (steps × hidden size): at hidden size {1} that is {2} steps (got {3}); use a shorter text.', INSPECT_MAX_VALUES, hiddenSize, most, steps));
  }
}

function checkOptions(o: InspectOptions, steps: number): void {
  if (o.top !== undefined && (!Number.isInteger(o.top) || o.top < 1)) throw new RangeError(t('top must be an integer ≥ 1 (got {0})', o.top));
  const step = o.connectivity;
  if (step !== undefined && (!Number.isInteger(step) || step < 0 || step >= steps)) throw new RangeError(t('connectivity step must be an integer from 0 to {0} (got {1})', steps - 1, step));
}

/**
 * Saved weights over a whole text: one forward pass from a zero state with the weights as they
 * are, every character of `text` but the last an input (steps = its code points − 1). At most
 * INSPECT_MAX_STEPS steps and INSPECT_MAX_VALUES for steps × hidden size; the text may use only
 * the model's vocabulary. Throws TextError (user-facing) for the text, RangeError for options.
 */
export function inspectWeights(w: WeightsFile, text: string, options: InspectOptions = {}): Inspection {
  const chars = codePoints(text);
  if (chars.length < 2) throw new TextError(t('inspection needs a text of at least two characters (one input and its next character).'));
  const vocab = new Vocabulary(w.vocab);
  const missing = vocab.missing(text);
  if (missing.length > 0) throw new TextError(t("The text has characters the model's vocabulary lacks: {0}", missing.map(describeChar).join(', ')));
  const T = chars.length - 1;
  checkInspectSize(T, w.hiddenSize);
  const params: Record<string, ArrayLike<number>> = {};
  for (const [name, t] of Object.entries(w.params)) params[name] = t.data;
  const ids = vocab.encode(text);
  return inspectSequence({ cell: w.cell, activation: w.activation, hiddenSize: w.hiddenSize, vocab: w.vocab, params }, ids.subarray(0, T), ids.subarray(1), null, 0, options);
}

/**
 * The inspection of T = inputs.length steps from `state` (h then c for the LSTM; null = zeros).
 * `start` only labels the result. The trainer's `inspect` and inspectWeights both end here.
 */
export function inspectSequence(net: NetWeights, inputs: Int32Array, targets: Int32Array, state: Float64Array | null, start: number, options: InspectOptions = {}): Inspection {
  return new InspectedSequence(net, inputs, targets, state, start).result(options);
}

/**
 * One forward pass over T steps with everything kept, from which results (any top k) and
 * connectivity rows (any output step) are read off without running the forward again: what a
 * panel hovering over the outputs of one epoch needs. Holds its own copy of the weights.
 */
export class InspectedSequence {
  readonly steps: number;
  private readonly pass: InspectionPass;
  private readonly loss: number;
  private readonly targetP: Float64Array;

  constructor(
    private readonly net: NetWeights,
    private readonly inputs: Int32Array,
    private readonly targets: Int32Array,
    private readonly state: Float64Array | null,
    readonly start: number,
  ) {
    const T = inputs.length;
    if (T < 1 || targets.length < T) throw new RangeError(t('inspection needs at least one step and a target for each'));
    checkInspectSize(T, net.hiddenSize);
    this.steps = T;
    this.pass = new InspectionPass(net, T);
    this.pass.forward(inputs, state);
    const { targetP, loss } = this.pass.softmax(targets);
    this.targetP = targetP;
    this.loss = loss;
  }

  result(options: InspectOptions = {}): Inspection {
    const T = this.steps;
    checkOptions(options, T);
    const net = this.net;
    return {
      cell: net.cell,
      activation: net.activation,
      hiddenSize: net.hiddenSize,
      vocab: net.vocab,
      steps: T,
      start: this.start,
      inputs: this.inputs.slice(0, T),
      targets: this.targets.slice(0, T),
      initialState: this.state ? this.state.slice() : null,
      h: this.pass.hidden(),
      c: this.pass.cells(),
      gateNames: GATE_NAMES[net.cell],
      gates: this.pass.gateArrays(),
      top: this.pass.top(Math.min(options.top ?? INSPECT_DEFAULT_TOP, net.vocab.length)),
      targetP: this.targetP.slice(),
      loss: this.loss,
      connectivity: options.connectivity === undefined ? null : this.connectivity(options.connectivity),
    };
  }

  /**
   * One unit's activations over the T steps: `array` is 'h', 'c' (LSTM) or a gate name of
   * GATE_NAMES[cell]; what the editor overlay colours the text by (T numbers rather than T×H).
   */
  unitValues(array: string, unit: number): Float64Array {
    if (!Number.isInteger(unit) || unit < 0 || unit >= this.net.hiddenSize) throw new RangeError(t('unit must be an integer from 0 to {0} (got {1})', this.net.hiddenSize - 1, unit));
    return this.pass.unitValues(array, unit);
  }

  /** connectivity(t): one backward pass from output t, t + 1 steps deep. */
  connectivity(t: number): Connectivity {
    checkOptions({ connectivity: t }, this.steps);
    return { t, values: this.pass.connectivity(t, this.targets) };
  }
}

/** One forward over T steps with everything kept, and backward passes from single outputs. */
class InspectionPass {
  private readonly k: Kernels;
  /**
   * The training's own fused forward and output kernels (one WebAssembly call for the whole
   * recurrence, in the very layout of these buffers).
   */
  private readonly fused: FusedKernels;
  /** The inputs and targets in the kernels' memory, the argmax and the loss terms (2T) they write. */
  private readonly idsM: Int32Array;
  private readonly targetsM: Int32Array;
  private readonly argmaxM: Int32Array;
  private readonly terms: Float64Array;
  private readonly cell: CellKind;
  private readonly relu: boolean;
  private readonly H: number;
  private readonly V: number;
  /** Width of the stacked gate pre-activation: H, 4H or 3H. */
  private readonly G: number;
  private readonly T: number;
  private readonly Wxh: Float64Array; // V×G
  private readonly Whh: Float64Array; // H×G
  private readonly Why: Float64Array; // H×V
  private readonly bh: Float64Array; // G
  private readonly by: Float64Array; // V
  private readonly bhn: Float64Array | null; // H (GRU)
  /** (T+1)×H; row 0 is the state before step 0, row t+1 is h_t. */
  private readonly hs: Float64Array;
  /** LSTM: (T+1)×H cell states like hs, T×H tanh(c_t). */
  private readonly cs: Float64Array | null;
  private readonly tc: Float64Array | null;
  /** LSTM: T×4H activations [i f g o]; GRU: T×4H [r z n, h_{t−1}·W_hn + b_hn]. */
  private readonly acts: Float64Array | null;
  /** T×V: logits, then probabilities. */
  private readonly probs: Float64Array;
  private readonly rec: Float64Array;
  private readonly g: Float64Array;
  private readonly gPrev: Float64Array;
  private readonly dc: Float64Array;
  /** ∂L/∂a_k of up to CHUNK steps, row by row (CHUNK×G). */
  private readonly da: Float64Array;
  private readonly daRec: Float64Array;
  private readonly dx: Float64Array;
  private readonly dy: Float64Array;
  /**
   * LSTM with H×4H ≥ SPLIT_MIN_ENTRIES, when the host gave the core a second thread: that thread
   * multiplies W_hh's columns C.. (forward) and rows R.. (backward), this one the rest; WhhLeft
   * is the H×C copy of columns 0..C that vecMatAdd reads contiguously. Same bits (split.ts).
   */
  private readonly partner: ProductPartner | null;
  private readonly C: number;
  private readonly R: number;
  private readonly WhhLeft: Float64Array | null;

  constructor(net: NetWeights, T: number) {
    const H = net.hiddenSize;
    const V = net.vocab.length;
    const G = GATES[net.cell] * H;
    this.cell = net.cell;
    this.relu = net.cell === 'rnn' && net.activation === 'relu';
    this.H = H;
    this.V = V;
    this.G = G;
    this.T = T;
    const gated = net.cell !== 'rnn';
    const lstm = net.cell === 'lstm';
    const partner = splitsInspection(net.cell, H) ? productPartner() : null;
    this.partner = partner;
    // Halves on even boundaries; the columns of the second half are the gates [g o] at any H.
    this.C = 2 * H;
    this.R = 2 * Math.floor(H / 4);
    const split = partner ? H * this.C : 0;
    const capacity = V * G + H * G + H * V + G + V + H + (T + 1) * H * (lstm ? 2 : 1) + (lstm ? T * H : 0) + (gated ? T * 4 * H : 0) + T * V + (CHUNK + 2) * G + 4 * H + 2 * V + 64 + 4 * T + 16 + split;
    // The kernels read and write one memory, so the weights are copied into this pass's own.
    const arena = new Arena(capacity);
    this.k = arena.kernels;
    this.fused = arena.fused;
    this.idsM = arena.i32(T);
    this.targetsM = arena.i32(T);
    this.argmaxM = arena.i32(T);
    this.terms = arena.f64(2 * T);
    const copy = (name: string, n: number) => {
      const data = net.params[name];
      if (!data || data.length !== n) throw new RangeError(t('parameter {0} must have {1} numbers', name, n));
      const a = arena.f64(n);
      a.set(data);
      return a;
    };
    this.Wxh = copy('W_xh', V * G);
    this.Whh = copy('W_hh', H * G);
    this.Why = copy('W_hy', H * V);
    this.bh = copy('b_h', G);
    this.by = copy('b_y', V);
    this.bhn = net.cell === 'gru' ? copy('b_hn', H) : null;
    this.hs = arena.f64((T + 1) * H);
    this.cs = lstm ? arena.f64((T + 1) * H) : null;
    this.tc = lstm ? arena.f64(T * H) : null;
    this.acts = gated ? arena.f64(T * 4 * H) : null;
    this.probs = arena.f64(T * V);
    this.rec = arena.f64(G);
    this.g = arena.f64(H);
    this.gPrev = arena.f64(H);
    this.dc = arena.f64(H);
    this.da = arena.f64(CHUNK * G);
    this.daRec = arena.f64(G);
    this.dx = arena.f64(V);
    this.dy = arena.f64(V);
    this.WhhLeft = partner ? arena.f64(split) : null;
    if (this.WhhLeft) for (let r = 0; r < H; r++) this.WhhLeft.set(this.Whh.subarray(r * G, r * G + this.C), r * this.C);
  }

  /** The partner with this pass's W_hh loaded, or null to compute alone (not a split size, none, or it stopped answering). */
  private loadedPartner(): ProductPartner | null {
    const p = this.partner;
    if (!p || !p.usable) return null;
    try {
      p.load(this, this.Whh, this.H, this.G, this.C, this.R);
      return p;
    } catch {
      return null;
    }
  }

  forward(ids: Int32Array, state: Float64Array | null): void {
    const { H, T } = this;
    if (state) {
      this.hs.set(state.subarray(0, H));
      if (this.cs) this.cs.set(state.subarray(H, 2 * H));
    }
    // The training forward itself: the same kernel, so the same bits as the epoch's pass.
    const f = this.fused;
    const idsM = this.idsM;
    idsM.set(ids.subarray(0, T));
    const partner = this.loadedPartner();
    if (partner) {
      try {
        this.lstmForwardSplit(partner, ids);
        return;
      } catch (err) {
        // The partner stopped answering (and is now unusable): the fused loop below overwrites
        // whatever the split pass wrote. Any other error is a bug and goes up.
        if (partner.usable) throw err;
      }
    }
    if (this.cell === 'rnn') f.rnnForward(this.hs, this.Wxh, this.bh, this.Whh, idsM, T, H, this.relu);
    else if (this.cell === 'lstm') f.lstmForward(this.hs, this.cs!, this.acts!, this.tc!, this.Wxh, this.bh, this.Whh, idsM, T, H);
    else f.gruForward(this.hs, this.acts!, this.rec, this.Wxh, this.bh, this.bhn!, this.Whh, idsM, T, H);
  }

  /**
   * lstmForward's steps with the recurrent product in two halves at once: z_t's columns C.. in the
   * partner, 0..C here, then the same gate step (lstmActivate) as the fused loop.
   */
  private lstmForwardSplit(partner: ProductPartner, ids: Int32Array): void {
    const { H, G, C, T, Wxh, bh, hs } = this;
    const z = this.acts!;
    const left = this.WhhLeft!;
    for (let t = 0; t < T; t++) {
      const zo = t * G;
      const xo = ids[t] * G;
      for (let g = 0; g < G; g++) z[zo + g] = Wxh[xo + g] + bh[g];
      partner.startVecMat(hs, t * H, z, zo + C);
      this.k.vecMatAdd(z, zo, hs, t * H, left, H, C);
      partner.finish(z, zo + C, G - C);
      this.fused.lstmActivate(z, zo, this.cs!, t * H, this.tc!, t * H, hs, (t + 1) * H, H);
    }
  }

  /** y_t = h_t·W_hy + b_y and its softmax (in probs), each target's probability and the mean loss. */
  softmax(targets: Int32Array): { targetP: Float64Array; loss: number } {
    const { H, V, T, probs } = this;
    const targetP = new Float64Array(T);
    let lossSum = 0;
    // The training's output kernel: logits, softmax and the loss terms of all T steps in one call.
    const targetsM = this.targetsM;
    const terms = this.terms;
    targetsM.set(targets.subarray(0, T));
    this.fused.outputForward(probs, this.hs, this.Why, this.by, targetsM, this.argmaxM, terms, T, H, V);
    for (let t = 0; t < T; t++) {
      lossSum += Math.log(terms[2 * t]) - terms[2 * t + 1];
      targetP[t] = probs[t * V + targets[t]];
    }
    return { targetP, loss: lossSum / T };
  }

  top(k: number): TopK {
    const { V, T } = this;
    const ids = new Int32Array(T * k);
    const p = new Float64Array(T * k);
    for (let t = 0; t < T; t++) topOf(this.probs, t * V, V, k, ids, p, t * k);
    return { k, ids, p };
  }

  /** ‖∂L_t/∂x_k‖ for k = src..0, L_t = CE_src / T; call softmax() first. */
  connectivity(src: number, targets: Int32Array): Float64Array {
    const partner = this.loadedPartner();
    if (partner) {
      try {
        return this.connectivityPass(src, targets, partner);
      } catch (err) {
        if (partner.usable) throw err; // as in forward(): a partner that stopped is given up
      }
    }
    return this.connectivityPass(src, targets, null);
  }

  /** partner: multiplies the LSTM's lower rows of da·W_hhᵀ (null: all here). */
  private connectivityPass(src: number, targets: Int32Array, partner: ProductPartner | null): Float64Array {
    const { H, V, G, T, dy, da } = this;
    const out = new Float64Array(src + 1);
    // dy = (p − onehot(target))/T, then ∂L/∂h_src = dy·W_hyᵀ.
    for (let v = 0; v < V; v++) dy[v] = this.probs[src * V + v] / T;
    dy[targets[src]] -= 1 / T;
    this.k.matVec(this.g, 0, this.Why, H, V, dy, 0, null, 0);
    this.dc.fill(0);
    let g = this.g;
    let gPrev = this.gPrev;
    // ∂L_t/∂x_k = ∂L_t/∂a_k · W_xhᵀ (W_xh is V×G), for CHUNK steps at a time after their backward
    // steps: interleaved with them, W_xh would push W_hh out of the cache at every step.
    for (let top = src; top >= 0; top -= CHUNK) {
      const bottom = Math.max(0, top - CHUNK + 1);
      for (let k = top; k >= bottom; k--) {
        this.backStep(k, g, gPrev, k > 0, (top - k) * G, partner);
        const swap = g;
        g = gPrev;
        gPrev = swap;
      }
      for (let k = top; k >= bottom; k--) {
        this.k.matVec(this.dx, 0, this.Wxh, V, G, da, (top - k) * G, null, 0);
        let s = 0;
        for (let v = 0; v < V; v++) s += this.dx[v] * this.dx[v];
        out[k] = Math.sqrt(s);
      }
    }
    return out;
  }


  /**
   * From dh = ∂L/∂h_k (and this.dc = ∂L/∂c_k from later steps, LSTM) to da[d ..] = ∂L/∂a_k
   * (input side) and, when needPrev, dhPrev = ∂L/∂h_{k−1} (and dc ← ∂L/∂c_{k−1}).
   */
  private backStep(k: number, dh: Float64Array, dhPrev: Float64Array, needPrev: boolean, d: number, partner: ProductPartner | null): void {
    const { H, G, hs, da } = this;
    if (this.cell === 'rnn') {
      const h = (k + 1) * H;
      if (this.relu) for (let j = 0; j < H; j++) da[d + j] = hs[h + j] > 0 ? dh[j] : 0;
      else for (let j = 0; j < H; j++) da[d + j] = dh[j] * (1 - hs[h + j] * hs[h + j]);
      if (needPrev) this.k.matVec(dhPrev, 0, this.Whh, H, H, da, d, null, 0); // da·W_hhᵀ
      return;
    }
    const a = this.acts!;
    if (this.cell === 'lstm') {
      const z = k * G;
      const tc = this.tc!;
      const cs = this.cs!;
      const dc = this.dc;
      for (let j = 0; j < H; j++) {
        const i = a[z + j];
        const f = a[z + H + j];
        const gg = a[z + 2 * H + j];
        const o = a[z + 3 * H + j];
        const tcj = tc[k * H + j];
        const c = dc[j] + dh[j] * o * (1 - tcj * tcj); // ∂L/∂c_k
        da[d + j] = c * gg * i * (1 - i);
        da[d + H + j] = c * cs[k * H + j] * f * (1 - f);
        da[d + 2 * H + j] = c * i * (1 - gg * gg);
        da[d + 3 * H + j] = dh[j] * tcj * o * (1 - o);
        dc[j] = c * f;
      }
      if (!needPrev) return;
      if (partner) {
        // Rows R.. of da·W_hhᵀ in the partner, 0..R here.
        partner.startMatVec(da, d);
        this.k.matVec(dhPrev, 0, this.Whh, this.R, G, da, d, null, 0);
        partner.finish(dhPrev, this.R, H - this.R);
      } else this.k.matVec(dhPrev, 0, this.Whh, H, G, da, d, null, 0);
      return;
    }
    // GRU: the input side sees [da_r da_z da_n]; the recurrent side [da_r da_z r⊙da_n], plus z⊙dh directly.
    const c = k * 4 * H;
    const rec = this.daRec;
    for (let j = 0; j < H; j++) {
      const r = a[c + j];
      const z = a[c + H + j];
      const n = a[c + 2 * H + j];
      const hn = a[c + 3 * H + j];
      const dan = dh[j] * (1 - z) * (1 - n * n);
      const daz = dh[j] * (hs[k * H + j] - n) * z * (1 - z);
      const dar = dan * hn * r * (1 - r);
      da[d + j] = dar;
      da[d + H + j] = daz;
      da[d + 2 * H + j] = dan;
      rec[j] = dar;
      rec[H + j] = daz;
      rec[2 * H + j] = dan * r;
    }
    if (needPrev) {
      this.k.matVec(dhPrev, 0, this.Whh, H, G, rec, 0, null, 0);
      for (let j = 0; j < H; j++) dhPrev[j] += dh[j] * a[c + H + j];
    }
  }

  unitValues(array: string, unit: number): Float64Array {
    const { H, T } = this;
    const out = new Float64Array(T);
    if (array === 'h' || (array === 'c' && this.cs)) {
      const src = array === 'h' ? this.hs : this.cs!;
      for (let t = 0; t < T; t++) out[t] = src[(t + 1) * H + unit];
      return out;
    }
    const b = GATE_NAMES[this.cell].indexOf(array);
    if (b < 0 || !this.acts) throw new RangeError(t('no array {0} in a {1} (it has {2})', JSON.stringify(array), this.cell.toUpperCase(), ['h', ...(this.cs ? ['c'] : []), ...GATE_NAMES[this.cell]].join(', ')));
    for (let t = 0; t < T; t++) out[t] = this.acts[t * 4 * H + b * H + unit];
    return out;
  }

  hidden(): Float64Array {
    return this.hs.slice(this.H, (this.T + 1) * this.H);
  }

  cells(): Float64Array | null {
    return this.cs ? this.cs.slice(this.H, (this.T + 1) * this.H) : null;
  }

  /** De-interleaves the stored gate blocks into one T×H array per gate. */
  gateArrays(): Record<string, Float64Array> | null {
    const a = this.acts;
    if (!a) return null;
    const { H, T } = this;
    const stride = 4 * H; // both cells store four H-blocks per step
    const out: Record<string, Float64Array> = {};
    GATE_NAMES[this.cell].forEach((name, b) => {
      const m = new Float64Array(T * H);
      for (let t = 0; t < T; t++) m.set(a.subarray(t * stride + b * H, t * stride + (b + 1) * H), t * H);
      out[name] = m;
    });
    return out;
  }
}

/** The k largest of p[off .. off+V) into ids/out at at..at+k: insertion into a sorted list, ties by index. */
function topOf(p: Float64Array, off: number, V: number, k: number, ids: Int32Array, out: Float64Array, at: number): void {
  let n = 0;
  for (let v = 0; v < V; v++) {
    const x = p[off + v];
    if (n === k && x <= out[at + k - 1]) continue;
    let i = n < k ? n++ : k - 1;
    while (i > 0 && out[at + i - 1] < x) {
      out[at + i] = out[at + i - 1];
      ids[at + i] = ids[at + i - 1];
      i--;
    }
    out[at + i] = x;
    ids[at + i] = v;
  }
}
