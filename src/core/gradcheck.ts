// A gradient check you can press: central finite differences of the loss the run's mode
// differentiates, against the gradient the cells' backward computes, for a random sample of
// entries of every parameter. Both sides run the trainer's own code (createModel/createSequence
// with the sequence in the model's memory, as a Trainer has it), so what is checked is what trains.

import type { BpttMode } from './types';
import type { WeightsFile } from './weights';
import type { NetWeights } from './inspect';
import type { Param } from './param';
import { zeroGrads } from './param';
import { createModel, createSequence } from './cells';
import type { Sequence } from './sequence';
import { Rng } from './rng';
import { Vocabulary, codePoints, describeChar } from './vocab';
import { TextError } from './errors';
import { t } from './l10n';

/** The checked loss covers at most this many steps (see gradCheckSequence for which). */
export const GRADCHECK_MAX_STEPS = 256;
export const GRADCHECK_DEFAULT_SAMPLES = 100;
export const GRADCHECK_MAX_SAMPLES = 100_000;
/** Step of the central difference for entry θ: h = GRADCHECK_STEP · max(1, |θ|). */
export const GRADCHECK_STEP = 1e-5;
/**
 * Smallest denominator of the relative error. With h = 1e-5 the difference quotient carries
 * round-off of about ε·|L|/h ≈ 1e-10 for a loss of a few nats; an entry whose gradient is
 * smaller than this floor is judged by its absolute error over the floor instead.
 */
export const GRADCHECK_FLOOR = 1e-6;

export interface GradCheckOptions {
  /** Default: full. */
  mode?: BpttMode;
  /** Entries per parameter (all of a smaller parameter); default 100. */
  samples?: number;
  /** Seed of the sample (sfc32, as everywhere); default 1. */
  seed?: number;
}

export interface ParamCheck {
  param: string;
  shape: number[];
  /** Entries compared: min(samples, the parameter's size). */
  checked: number;
  /** max over the checked entries of |a − n| / max(|a|, |n|, GRADCHECK_FLOOR). */
  maxRelError: number;
  /** max over the checked entries of |a − n|. */
  maxAbsError: number;
  /** The entry with the largest relative error (row-major index), its analytic and numeric values. */
  worst: { index: number; analytic: number; numeric: number };
}

export interface GradCheckReport {
  mode: BpttMode;
  /** Position (code points) of the first checked step's input, and the number of steps. */
  start: number;
  steps: number;
  params: ParamCheck[];
}

/**
 * Central differences for `samples` entries of every parameter, drawn without replacement:
 * numeric = (L(θ + h) − L(θ − h)) / ((θ + h) − (θ − h)), the denominator as the floats have it.
 * `analytic` holds each parameter's gradient (same order as params); `loss` evaluates L with the
 * parameters as they are (the check moves one entry at a time and puts it back exactly).
 */
export function compareGradients(params: readonly Param[], analytic: readonly Float64Array[], loss: () => number, samples: number, seed: number): ParamCheck[] {
  const rng = new Rng(seed);
  return params.map((p, pi) => {
    const chosen = sampleIndices(p.w.length, samples, rng);
    let maxRel = -1;
    let maxAbs = 0;
    let worst = { index: 0, analytic: 0, numeric: 0 };
    for (const i of chosen) {
      const orig = p.w[i];
      const h = GRADCHECK_STEP * Math.max(1, Math.abs(orig));
      const up = orig + h;
      const down = orig - h;
      p.w[i] = up;
      const lUp = loss();
      p.w[i] = down;
      const lDown = loss();
      p.w[i] = orig;
      const numeric = (lUp - lDown) / (up - down);
      const a = analytic[pi][i];
      const abs = Math.abs(a - numeric);
      // A NaN compares false with everything: count it as infinitely wrong rather than skip it.
      const rel = Number.isNaN(abs) ? Infinity : abs / Math.max(Math.abs(a), Math.abs(numeric), GRADCHECK_FLOOR);
      if (rel > maxRel) {
        maxRel = rel;
        worst = { index: i, analytic: a, numeric };
      }
      maxAbs = Math.max(maxAbs, Number.isNaN(abs) ? Infinity : abs);
    }
    return { param: p.name, shape: [...p.shape], checked: chosen.length, maxRelError: Math.max(maxRel, 0), maxAbsError: maxAbs, worst };
  });
}

/** min(samples, n) distinct indices of [0, n), ascending: a partial Fisher–Yates shuffle. */
function sampleIndices(n: number, samples: number, rng: Rng): Int32Array {
  const m = Math.min(samples, n);
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng.uniform() * (n - i));
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.slice(0, m).sort();
}

/** A saved model on a text: the mode is the file's training mode unless options name one. */
export function gradCheck(w: WeightsFile, text: string, options: GradCheckOptions = {}): GradCheckReport {
  const chars = codePoints(text);
  if (chars.length < 2) throw new TextError(t('the gradient check needs a text of at least two characters (one input and its next character).'));
  const vocab = new Vocabulary(w.vocab);
  const missing = vocab.missing(text);
  if (missing.length > 0) throw new TextError(t("The text has characters the model's vocabulary lacks: {0}", missing.map(describeChar).join(', ')));
  const params: Record<string, ArrayLike<number>> = {};
  for (const [name, t] of Object.entries(w.params)) params[name] = t.data;
  const ids = vocab.encode(text);
  const net: NetWeights = { cell: w.cell, activation: w.activation, hiddenSize: w.hiddenSize, vocab: w.vocab, params };
  return gradCheckSequence(net, ids.subarray(0, ids.length - 1), ids.subarray(1), { mode: w.training?.config?.mode ?? { kind: 'full' }, ...options });
}

/**
 * What each mode's update differentiates, and so what is checked (S = GRADCHECK_MAX_STEPS):
 * - full: the mean cross-entropy of the first min(N, S) steps from a zero state, through the
 *   full depth (backwardFull);
 * - truncate K: over the same steps, the loss whose exact gradient truncated BPTT is: output t
 *   sees the parameters only through its last K steps; the state K steps back is held at its
 *   value under the unperturbed parameters (backwardTruncated(K));
 * - window K: the mean loss of one window, the second ([K, 2K), or its first S steps) when the
 *   text has one, else the first, from the state the window before carries into it (computed
 *   with the same parameters and then held fixed: window mode carries state without gradient).
 * The parameters are copied; the caller's are not touched.
 */
export function gradCheckSequence(net: NetWeights, inputs: Int32Array, targets: Int32Array, options: GradCheckOptions = {}): GradCheckReport {
  const mode = options.mode ?? { kind: 'full' };
  const samples = options.samples ?? GRADCHECK_DEFAULT_SAMPLES;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(samples) || samples < 1 || samples > GRADCHECK_MAX_SAMPLES) throw new RangeError(t('samples must be an integer from 1 to {0} (got {1})', GRADCHECK_MAX_SAMPLES, samples));
  const N = inputs.length;
  if (N < 1) throw new RangeError(t('the gradient check needs at least one step'));
  const start = mode.kind === 'window' && N > mode.k ? mode.k : 0;
  const steps = Math.min(GRADCHECK_MAX_STEPS, mode.kind === 'window' ? Math.min(mode.k, N - start) : N);
  const V = net.vocab.length;
  const model = createModel(net.cell, V, net.hiddenSize, net.activation, steps);
  for (const p of model.params) p.w.set(net.params[p.name]);
  const seq = createSequence(model, steps);
  const ids = inputs.subarray(start, start + steps);
  const tg = targets.subarray(start, start + steps);

  // Window mode: the state carried into the window, as data.
  const carried = start > 0 ? stateAfter(seq, inputs.subarray(0, start), targets.subarray(0, start), model.stateSize) : null;

  seq.forward(ids, tg, steps, carried);
  zeroGrads(model.params);
  seq.backwardOutput(tg, 1 / steps);
  if (mode.kind === 'truncate') seq.backwardTruncated(mode.k);
  else seq.backwardFull();
  const analytic = model.params.map((p) => p.dw.slice());

  const loss = mode.kind === 'truncate' ? truncatedLoss(seq, ids, tg, steps, mode.k, model.stateSize) : () => seq.forward(ids, tg, steps, carried).lossSum / steps;
  return { mode, start, steps, params: compareGradients(model.params, analytic, loss, samples, seed) };
}

/** The final state of a forward over ids from zeros, in pieces of the sequence's length. */
function stateAfter(seq: Sequence, ids: Int32Array, targets: Int32Array, size: number): Float64Array {
  const state = new Float64Array(size);
  for (let at = 0; at < ids.length; at += seq.maxT) {
    const n = Math.min(seq.maxT, ids.length - at);
    seq.forward(ids.subarray(at, at + n), targets.subarray(at, at + n), n, at === 0 ? null : state);
    seq.finalState(state);
  }
  return state;
}

/**
 * (1/T) Σ_t CE_t, where output t's forward starts K − 1 steps before it from the state the
 * unperturbed parameters reach there (zeros for t < K, whose outputs share one forward).
 */
function truncatedLoss(seq: Sequence, ids: Int32Array, targets: Int32Array, T: number, K: number, size: number): () => number {
  seq.forward(ids, targets, T, null);
  const frozen: Float64Array[] = [];
  for (let t = K; t < T; t++) {
    const s = new Float64Array(size);
    seq.stateAfter(t - K, s); // the state before step t − K + 1
    frozen.push(s);
  }
  const V = seq.model.V;
  const head = Math.min(K, T);
  return () => {
    let total = seq.forward(ids, targets, head, null).lossSum;
    for (let t = K; t < T; t++) {
      const from = t - K + 1;
      seq.forward(ids.subarray(from, t + 1), targets.subarray(from, t + 1), K, frozen[t - K]);
      total -= Math.log(seq.probs[(K - 1) * V + targets[t]]);
    }
    return total / T;
  };
}
