// The training procedure: one epoch (full / truncate K) or one window (window K) at a time,
// with the metrics each epoch reports. Deterministic: the same text, config and seed give the
// same numbers, which is also what lets gradMatrix() replay a past epoch exactly.

import type { EpochMetrics, EpochProgress, GradMatrix, TrainConfig } from './types';
import type { CellModel } from './model';
import type { Sequence } from './sequence';
import { createModel, createSequence } from './cells';
import { Optimizer, clipGlobalNorm, type OptimizerSnapshot } from './optimizers';
import { zeroGrads } from './param';
import { SigmaMaxSolver } from './spectral';
import { Rng } from './rng';
import { Vocabulary, describeChar, forEachCodePoint } from './vocab';
import { checkTrainingText } from './text';
import { TextError } from './errors';
import { validateConfig } from './config';
import { deriveShrink } from './why';
import { checkTrainingPart, splitText } from './validation';
import { InspectedSequence, type Connectivity, type Inspection, type InspectOptions } from './inspect';
import { gradCheckSequence, type GradCheckOptions, type GradCheckReport } from './gradcheck';
import { WEIGHTS_FORMAT, WEIGHTS_VERSION, type WeightsFile } from './weights';
import { t } from './l10n';
import { checkRunLimits } from './limits';
import type { DivergenceContext } from './loop';
import { kernelPartner, splitsTraining } from './partner';

/** The on-demand matrix ‖∂L_t/∂h_k‖ covers at most this many steps (its cost is T²·H²). */
export const GRAD_MATRIX_MAX_STEPS = 512;

/** Memory the trainer may spend on parameter snapshots for replaying past epochs. */
const SNAPSHOT_BUDGET_BYTES = 48 * 1024 * 1024;
/** Replaying to any epoch costs at most epochs/64 epochs of training; more snapshots only add GC work. */
const MAX_SNAPSHOTS = 64;

/** Trainer.inspect's options: the Inspection's, and which window (window mode). */
export interface EpochInspectOptions extends InspectOptions {
  /** Window mode: a code-point position of the training part (0 ≤ position < steps of the text); its window is inspected. Default 0. */
  position?: number;
}

/** An Inspection of one epoch's weights; `initialState` is the state the epoch carried into the window. */
export interface EpochInspection extends Inspection {
  epoch: number;
}

/** The last inspection's forward pass: kept so that hovering over one epoch replays and runs it once. */
interface InspectedEpoch {
  epoch: number;
  window: number;
  seq: InspectedSequence;
}

/** Raw copies taken at an epoch start; turned into a WeightsFile only when a replay needs it. */
interface Snapshot {
  epoch: number;
  params: Float64Array[];
  optimizer: OptimizerSnapshot;
}

export class Trainer {
  readonly config: TrainConfig;
  readonly text: string;
  readonly vocab: Vocabulary;
  /** Length of the per-timestep rows: T in full/truncate mode, K (capped at T) in window mode. */
  readonly steps: number;
  /** The input character of each per-timestep column. */
  readonly stepLabels: string[];
  /** Epoch number of this run's first epoch (non-zero when continuing a loaded model). */
  readonly firstEpoch: number;
  epochsDone: number;
  /**
   * Set when a loss or gradient became NaN/∞, or the loss exploded past `explodedLoss`; the update
   * that would have used it is not applied.
   */
  diverged = false;
  /**
   * 20 × ln V: twenty times the loss of guessing uniformly. With tanh and a stable log-softmax the
   * loss of a run whose learning rate is far too high stays finite but grows without use, so this
   * is where we call it diverged rather than train on.
   */
  readonly explodedLoss: number;
  /** With validationSplit on: the held-out code points [start, start + length), the text's end. */
  readonly heldOut: { start: number; length: number } | null;

  /** The text's first character (the prediction's given first character, the weights' firstChar). */
  private readonly firstChar: string;
  private readonly inputs: Int32Array;
  private readonly targets: Int32Array;
  /** Number of predicted positions of the training part: its length − 1. */
  private readonly N: number;
  /** The held-out part's inputs and targets (the first input is the training part's last character). */
  private readonly valInputs: Int32Array | null;
  private readonly valTargets: Int32Array | null;
  private readonly valState: Float64Array;
  private valLossSum = 0;
  private valCorrect = 0;
  private readonly model: CellModel;
  private readonly seq: Sequence;
  private readonly opt: Optimizer;
  private readonly sigmaSolver: SigmaMaxSolver;
  private readonly snapshots: Snapshot[] = [];
  private readonly snapshotEvery: number;
  private lastMetrics: EpochMetrics | null = null;
  /** State at the start of the current epoch (window mode), for exports taken mid-epoch. */
  private epochStart: Snapshot | null = null;
  private inspected: InspectedEpoch | null = null;

  // State of the epoch in progress (window mode spans several advance() calls).
  private pos = 0;
  private readonly hCarry: Float64Array;
  private lossSum = 0;
  private correct = 0;
  private readonly pred: Int32Array;
  private readonly predUnits: Uint16Array;
  private readonly gradSum: Float64Array;
  private readonly lastSum: Float64Array;
  /** LSTM only: the same two rows for the cell state. */
  private readonly cellSum: Float64Array | null;
  private readonly lastCellSum: Float64Array | null;
  /** Per-step backward factor: its mean over units, and (plain RNN) its max, summed over windows. */
  private readonly slopeSum: Float64Array;
  private readonly maxSlopeSum: Float64Array | null;
  private readonly counts: Float64Array;
  private readonly paramNormSum: Float64Array;
  private updates = 0;
  private clipped = false;
  private sigma = 0;

  constructor(text: string, config: TrainConfig, init?: WeightsFile) {
    checkTrainingText(text);
    this.text = text;
    let cfg = validateConfig(config);
    if (init) {
      // The architecture comes from the file; the rest of the config (lr, mode, epochs) from the caller.
      cfg = validateConfig({ ...cfg, cell: init.cell, activation: init.activation, hiddenSize: init.hiddenSize });
      this.vocab = new Vocabulary(init.vocab);
      const missing = this.vocab.missing(text);
      if (missing.length > 0) {
        throw new TextError(t("The text has characters the model's vocabulary lacks: {0}", missing.map(describeChar).join(', ')));
      }
    } else {
      this.vocab = Vocabulary.fromText(text);
    }
    // The activation setting belongs to the plain RNN; gated cells always use sigmoid and tanh.
    if (cfg.cell !== 'rnn') cfg = { ...cfg, activation: 'tanh' };
    this.config = cfg;
    // Counted, not split into strings: a 1 MB text would be a million of them.
    let chars = 0;
    forEachCodePoint(text, () => chars++);
    // Before any buffer is allocated: a run past a limit gets its one-line reason, not an arena error.
    checkRunLimits({ chars, distinct: this.vocab.size, config: cfg, firstEpoch: init?.training?.epochsDone ?? 0 });
    const ids = this.vocab.encode(text);
    // The vocabulary is the whole text's, so a character met only in the held-out part still
    // has its output unit; training sees the first trainChars code points.
    const split = splitText(ids.length, cfg.validationSplit ?? 0);
    checkTrainingPart(ids.subarray(0, split.trainChars), split, cfg.validationSplit ?? 0);
    this.firstChar = this.vocab.chars[ids[0]];
    this.N = split.trainChars - 1;
    this.inputs = ids.subarray(0, this.N);
    this.targets = ids.subarray(1, split.trainChars);
    this.heldOut = split.heldOutChars > 0 ? { start: split.trainChars, length: split.heldOutChars } : null;
    this.valInputs = this.heldOut ? ids.subarray(this.N, ids.length - 1) : null;
    this.valTargets = this.heldOut ? ids.subarray(split.trainChars) : null;

    const H = cfg.hiddenSize;
    const V = this.vocab.size;
    const mode = cfg.mode;
    this.steps = mode.kind === 'window' ? Math.min(mode.k, this.N) : this.N;
    // One memory for the parameters, the optimizer's slots and the sequence buffers: the kernels
    // then read weights and write gradients in place. The one sequence serves training, the
    // held-out part and the gradient matrix alike.
    // A large RNN trains in two threads when the host has given the core a partner (partner.ts).
    const partner = splitsTraining(cfg.cell, H) ? kernelPartner() : null;
    this.model = createModel(cfg.cell, V, H, cfg.activation, this.steps, partner);
    this.explodedLoss = 20 * Math.log(V);
    this.stepLabels = Array.from(ids.subarray(0, this.steps), (id) => this.vocab.chars[id]);
    this.seq = createSequence(this.model, this.steps);
    // With a partner thread, the output layer's weight is its own: it updates it too.
    const partnerParams = this.model.partner ? [this.model.params.indexOf(this.model.Why)] : [];
    this.opt = new Optimizer(cfg.optimizer, cfg.learningRate, this.model.params, this.model.arena, this.model.partner, partnerParams);
    this.sigmaSolver = new SigmaMaxSolver(H, this.model.G);
    this.hCarry = new Float64Array(this.model.stateSize);
    this.valState = new Float64Array(this.model.stateSize);
    this.pred = new Int32Array(this.N);
    this.predUnits = new Uint16Array(2 * (this.N + 1)); // a code point is at most two units
    this.gradSum = new Float64Array(this.steps);
    this.lastSum = new Float64Array(this.steps);
    this.cellSum = cfg.cell === 'lstm' ? new Float64Array(this.steps) : null;
    this.lastCellSum = cfg.cell === 'lstm' ? new Float64Array(this.steps) : null;
    this.slopeSum = new Float64Array(this.steps);
    this.maxSlopeSum = cfg.cell === 'rnn' ? new Float64Array(this.steps) : null;
    this.counts = new Float64Array(this.steps);
    this.paramNormSum = new Float64Array(this.model.params.length);

    if (init) {
      for (const p of this.model.params) p.w.set(init.params[p.name].data);
      if (init.optimizerState && init.optimizerState.name === cfg.optimizer) this.opt.setState(init.optimizerState);
      this.firstEpoch = init.training?.epochsDone ?? 0;
    } else {
      this.model.initialize(new Rng(cfg.seed));
      this.firstEpoch = 0;
    }
    this.epochsDone = this.firstEpoch;

    let floats = 0;
    for (const p of this.model.params) floats += p.w.length;
    const perSnapshot = floats * 8 * 3; // params + up to two optimizer slots
    const maxSnapshots = Math.max(1, Math.min(MAX_SNAPSHOTS, Math.floor(SNAPSHOT_BUDGET_BYTES / perSnapshot)));
    this.snapshotEvery = Math.max(1, Math.ceil(cfg.epochs / maxSnapshots));
  }

  /**
   * Why a diverged epoch exploded: whether any update had ever been applied to these weights (none
   * in this run, and none counted by the file it came from), and σ_max(W_hh) then.
   */
  divergenceContext(m: EpochMetrics): DivergenceContext {
    return {
      untrained: this.opt.step === 0 && this.firstEpoch === 0,
      cell: this.config.cell,
      activation: this.config.activation,
      sigmaMaxWhh: m.sigmaMaxWhh,
      steps: this.steps,
    };
  }

  /** This run's configured number of epochs is done (or it diverged). */
  get finished(): boolean {
    return this.diverged || this.epochsDone - this.firstEpoch >= this.config.epochs;
  }

  /** True while a window-mode epoch is part-way through. */
  get midEpoch(): boolean {
    return this.pos > 0;
  }

  /** The epoch part-way through (window mode), or null between epochs. */
  progress(): EpochProgress | null {
    if (this.pos === 0) return null;
    return { epoch: this.epochsDone, done: this.pos, total: this.N, loss: this.lossSum / this.pos, accuracy: this.correct / this.pos };
  }

  get last(): EpochMetrics | null {
    return this.lastMetrics;
  }

  /**
   * One unit of work: a whole epoch in full/truncate mode, one window in window mode.
   * Returns the epoch's metrics when an epoch completes, otherwise null.
   */
  advance(): EpochMetrics | null {
    if (this.diverged) throw new Error(t('the run diverged; start a new one'));
    if (this.pos === 0) this.beginEpoch();
    const mode = this.config.mode;
    const n = mode.kind === 'window' ? Math.min(mode.k, this.N - this.pos) : this.N;
    const start = this.pos;
    const ids = this.inputs.subarray(start, start + n);
    const targets = this.targets.subarray(start, start + n);
    const seq = this.seq;

    zeroGrads(this.model.params);
    // The forward and the output layer's backward (which, with a partner thread, overlap).
    const { lossSum, correct } = seq.forwardTrain(ids, targets, n, mode.kind === 'window' ? this.hCarry : null, 1 / n);
    if (mode.kind === 'window') seq.finalState(this.hCarry);
    this.lossSum += lossSum;
    this.correct += correct;
    for (let t = 0; t < n; t++) this.pred[start + t] = seq.argmax[t];
    seq.addStepSlopes(this.slopeSum, this.maxSlopeSum);

    if (mode.kind === 'truncate') {
      seq.sourceNorms(n - 1, this.lastSum, 0, true, this.lastCellSum);
      seq.backwardTruncated(mode.k);
    } else {
      seq.backwardFullWithLast(this.lastSum, this.lastCellSum);
    }
    seq.addTotalNorms(this.gradSum, this.cellSum);
    for (let t = 0; t < n; t++) this.counts[t] += 1;

    const params = this.model.params;
    // One pass over the gradients gives both the per-parameter norms and the global one.
    const kernels = this.model.arena.kernels;
    let total = 0;
    for (let i = 0; i < params.length; i++) {
      const sq = kernels.squaredSum(params[i].dw);
      this.paramNormSum[i] += Math.sqrt(sq);
      total += sq;
    }
    const gnorm = Math.sqrt(total);
    this.updates++;
    this.pos = start + n;
    // After the backward (which needed this forward's buffers) and before the update.
    if (this.pos === this.N && this.valInputs) this.evaluateHeldOut();

    if (!Number.isFinite(lossSum) || !Number.isFinite(gnorm) || lossSum / n > this.explodedLoss) {
      this.diverged = true;
      return this.finishEpoch(this.lossSum / this.pos);
    }
    if (clipGlobalNorm(params, gnorm, this.config.clip)) this.clipped = true;
    this.opt.update();

    if (this.pos < this.N) return null;
    return this.finishEpoch(this.lossSum / this.N);
  }

  /**
   * The held-out part, forward only: continues from the state the forward just run ended in,
   * with the weights that ran it, in pieces of at most the sequence's length.
   */
  private evaluateHeldOut(): void {
    const seq = this.seq;
    const ids = this.valInputs!;
    const targets = this.valTargets!;
    const state = this.valState;
    seq.finalState(state);
    this.valLossSum = 0;
    this.valCorrect = 0;
    for (let at = 0; at < ids.length; at += seq.maxT) {
      const n = Math.min(seq.maxT, ids.length - at);
      const r = seq.forward(ids.subarray(at, at + n), targets.subarray(at, at + n), n, state);
      seq.finalState(state);
      this.valLossSum += r.lossSum;
      this.valCorrect += r.correct;
    }
  }

  /** Runs units until an epoch completes and returns its metrics. */
  runEpoch(): EpochMetrics {
    for (;;) {
      const m = this.advance();
      if (m) return m;
    }
  }

  private beginEpoch(): void {
    this.sigma = this.sigmaSolver.solve(this.model.Whh.w);
    const takeSnapshot = (this.epochsDone - this.firstEpoch) % this.snapshotEvery === 0;
    // Window mode updates within the epoch; keep the epoch-start state so an export taken
    // between windows (or after a diverging window) is a consistent, resumable point.
    if (takeSnapshot || this.config.mode.kind === 'window') {
      // One backing store per snapshot rather than one per array: a 600-epoch run of the seed
      // sentence takes 60 of them, and thousands of small ArrayBuffers made every young-generation
      // GC pass slow enough to show in the epoch rate.
      const params = this.model.params;
      const packed = new Float64Array(params.reduce((n, p) => n + p.w.length, 0) + this.opt.snapshotSize);
      let at = 0;
      const copy = (a: Float64Array): Float64Array => {
        const view = packed.subarray(at, at + a.length);
        view.set(a);
        at += a.length;
        return view;
      };
      const snap: Snapshot = { epoch: this.epochsDone, params: params.map((p) => copy(p.w)), optimizer: this.opt.snapshot(copy) };
      if (takeSnapshot) this.snapshots.push(snap);
      this.epochStart = snap;
    }
    this.hCarry.fill(0);
    this.lossSum = 0;
    this.correct = 0;
    this.gradSum.fill(0);
    this.lastSum.fill(0);
    this.cellSum?.fill(0);
    this.lastCellSum?.fill(0);
    this.slopeSum.fill(0);
    this.maxSlopeSum?.fill(0);
    this.counts.fill(0);
    this.paramNormSum.fill(0);
    this.updates = 0;
    this.clipped = false;
  }

  private finishEpoch(loss: number): EpochMetrics {
    // Plain loops rather than Array.from with a callback: this runs every epoch, and for a short
    // text the epoch itself takes only a few times longer than building its report.
    const predicted = this.predictedString();
    const paramGradNorm: Record<string, number> = {};
    const params = this.model.params;
    for (let i = 0; i < params.length; i++) paramGradNorm[params[i].name] = this.paramNormSum[i] / this.updates;
    const lastLossGradNorm = this.meanRow(this.lastSum);
    const { stepShrink, shrinkPerStep, reach1pct } = deriveShrink(lastLossGradNorm);
    const metrics: EpochMetrics = {
      epoch: this.epochsDone,
      loss,
      accuracy: this.correct / this.N,
      predicted,
      gradNorm: this.meanRow(this.gradSum),
      lastLossGradNorm,
      stepShrink,
      shrinkPerStep,
      reach1pct,
      activationSlope: this.meanRow(this.slopeSum),
      stepBound: this.stepBound(),
      paramGradNorm,
      sigmaMaxWhh: this.sigma,
    };
    if (this.cellSum && this.lastCellSum) {
      metrics.cellGradNorm = this.meanRow(this.cellSum);
      metrics.lastLossCellGradNorm = this.meanRow(this.lastCellSum);
    }
    if (this.clipped) metrics.clipped = true;
    if (this.valInputs && this.pos === this.N) {
      metrics.valLoss = this.valLossSum / this.valInputs.length;
      metrics.valAccuracy = this.valCorrect / this.valInputs.length;
    }
    this.pos = 0;
    if (!this.diverged) {
      this.epochsDone++;
      this.lastMetrics = metrics;
    }
    return metrics;
  }

  /**
   * The first character, then the argmax of every step, built from UTF-16 code units in one
   * buffer: concatenating one character at a time left a chain of small strings per epoch for
   * the garbage collector.
   */
  private predictedString(): string {
    const units = this.predUnits;
    let n = 0;
    const put = (s: string) => {
      for (let k = 0; k < s.length; k++) units[n++] = s.charCodeAt(k);
    };
    put(this.firstChar);
    const vocab = this.vocab.chars;
    for (let i = 0; i < this.N; i++) put(vocab[this.pred[i]]);
    let out = '';
    // fromCharCode takes its units as arguments; chunks keep long texts under the engines' limits.
    for (let at = 0; at < n; at += 8192) out += String.fromCharCode.apply(null, units.subarray(at, Math.min(n, at + 8192)) as unknown as number[]);
    return out;
  }

  /** A per-timestep row summed over the epoch's windows, divided by how many reached each step. */
  private meanRow(sum: Float64Array): number[] {
    const row = new Array<number>(sum.length);
    for (let t = 0; t < sum.length; t++) row[t] = sum[t] / this.counts[t];
    return row;
  }

  /**
   * σ_max(W_hh)·max_j f′(a_{t+1}) for t = 0..S−2: the bound on the step back from t+1 to t, with
   * the σ_max of the weights that ran this epoch's forward (its start; window mode: see EpochMetrics).
   */
  private stepBound(): number[] | null {
    const max = this.maxSlopeSum;
    if (!max) return null;
    const row = new Array<number>(Math.max(0, max.length - 1));
    for (let t = 0; t < row.length; t++) row[t] = this.sigma * (max[t + 1] / this.counts[t + 1]);
    return row;
  }

  /**
   * ‖∂L_t/∂h_k‖ (k ≤ t) with the parameters as they were at the start of `epoch`, over the
   * whole text (full/truncate) or the epoch's first window (window mode), at most
   * GRAD_MATRIX_MAX_STEPS steps. Past epochs are replayed from the nearest snapshot.
   */
  gradMatrix(epoch: number): GradMatrix {
    this.checkEpoch(epoch);
    if (epoch === this.epochsDone && !this.midEpoch) return this.matrixNow(epoch);
    return this.replayTo(epoch).matrixNow(epoch);
  }

  private checkEpoch(epoch: number): void {
    if (!Number.isInteger(epoch) || epoch < this.firstEpoch || epoch > this.epochsDone) {
      throw new RangeError(t('epoch {0} is not in this run ({1}..{2})', epoch, this.firstEpoch, this.epochsDone));
    }
  }

  /** A new Trainer standing at the start of `epoch`, replayed from the nearest snapshot (or the current state). */
  private replayTo(epoch: number): Trainer {
    const weights = this.toWeights();
    // The current epoch's start: the live state between epochs, its own snapshot while mid-epoch.
    const now = epoch === this.epochsDone && (!this.midEpoch || this.epochStart?.epoch === epoch);
    if (!(now && !this.midEpoch)) {
      let snap = this.snapshots[0];
      for (const s of this.snapshots) if (s.epoch <= epoch) snap = s;
      if (now) snap = this.epochStart!;
      this.model.params.forEach((p, i) => (weights.params[p.name].data = Array.from(snap.params[i])));
      weights.optimizerState = this.opt.snapshotState(snap.optimizer);
      weights.training = { ...weights.training, epochsDone: snap.epoch };
    }
    const from = weights.training?.epochsDone ?? epoch;
    const replay = new Trainer(this.text, { ...this.config, epochs: epoch - from + 1 }, weights);
    while (replay.epochsDone < epoch) replay.runEpoch();
    return replay;
  }

  /**
   * Inside the network at the start of `epoch` (the same weights as gradMatrix): hidden states,
   * cell states and gates, the likeliest next characters, and on request connectivity(t). Full
   * and truncate mode: the whole training part from a zero state, as the epoch's forward ran it.
   *
   * Window mode: the window holding `position`, with the epoch-start weights and, as its initial
   * state, the state that epoch's training carried into the window — the final state of its
   * forward over the window before, run with the weights as the epoch's earlier updates had left
   * them. That carried state is the context the epoch actually gave the window; recomputing it
   * with the start weights would show a context no pass ever had. The first window therefore is
   * exactly the training forward, and a later one differs from it only by the weights' drift
   * within the epoch. Reaching window w replays the epoch's first w windows (forward, backward,
   * update) from a snapshot. The last (epoch, window)'s forward pass is kept (one, not one per
   * epoch), so asking again — another top k, another connectivity step — costs only the copy of
   * the results or the one backward pass.
   */
  inspect(epoch: number, options: EpochInspectOptions = {}): EpochInspection {
    return { ...this.inspectedAt(epoch, options.position).result(options), epoch };
  }

  /** connectivity(t) of inspect(epoch, { position }), reusing its forward pass when it is the last one inspected. */
  connectivity(epoch: number, t: number, position?: number): Connectivity {
    return this.inspectedAt(epoch, position).connectivity(t);
  }

  /** One unit's activations in inspect(epoch, { position }) ('h', 'c' or a gate name), with where its steps start. */
  unitValues(epoch: number, array: string, unit: number, position?: number): { start: number; steps: number; values: Float64Array } {
    const seq = this.inspectedAt(epoch, position);
    return { start: seq.start, steps: seq.steps, values: seq.unitValues(array, unit) };
  }

  private inspectedAt(epoch: number, position = 0): InspectedSequence {
    this.checkEpoch(epoch);
    const mode = this.config.mode;
    if (!Number.isInteger(position) || position < 0 || position >= this.N) {
      throw new RangeError(t('position must be an integer from 0 to {0} (got {1})', this.N - 1, position));
    }
    const window = mode.kind === 'window' ? Math.floor(position / mode.k) : 0;
    const last = this.inspected;
    if (last && last.epoch === epoch && last.window === window) return last.seq;
    const start = mode.kind === 'window' ? window * mode.k : 0;
    const n = mode.kind === 'window' ? Math.min(mode.k, this.N - start) : this.N;
    const live = epoch === this.epochsDone && !this.midEpoch && window === 0;
    const from = live ? this : this.replayTo(epoch);
    // Copies: the replay's weights move with each window it advances; the inspection keeps the epoch's start.
    const params = Object.fromEntries(from.model.params.map((p) => [p.name, p.w.slice()]));
    for (let w = 0; w < window; w++) from.advance();
    const state = window > 0 ? from.hCarry.slice() : null;
    const net = { cell: this.config.cell, activation: this.config.activation, hiddenSize: this.config.hiddenSize, vocab: this.vocab.chars, params };
    const seq = new InspectedSequence(net, this.inputs.subarray(start, start + n), this.targets.subarray(start, start + n), state, start);
    this.inspected = { epoch, window, seq };
    return seq;
  }

  /**
   * The gradient check (gradcheck.ts) at the live weights, over the training part, in the run's
   * mode. Between windows of a window-mode epoch the live weights are those the next window
   * trains with. Changes nothing in the trainer.
   */
  gradCheck(options: Omit<GradCheckOptions, 'mode'> = {}): GradCheckReport {
    const params = Object.fromEntries(this.model.params.map((p) => [p.name, p.w]));
    const net = { cell: this.config.cell, activation: this.config.activation, hiddenSize: this.config.hiddenSize, vocab: this.vocab.chars, params };
    return gradCheckSequence(net, this.inputs, this.targets, { ...options, mode: this.config.mode });
  }


  private matrixNow(epoch: number): GradMatrix {
    const T = this.steps;
    // The training sequence itself: this runs only between epochs (gradMatrix replays anything
    // else), and every advance() starts with a forward that overwrites what is left here.
    const seq = this.seq;
    const ids = this.inputs.subarray(0, T);
    const targets = this.targets.subarray(0, T);
    seq.forward(ids, targets, T, null);
    // backwardOutput accumulates into dw; save and restore so a mid-run call changes nothing.
    const saved = this.model.params.map((p) => p.dw.slice());
    seq.backwardOutput(targets, 1 / T);
    this.model.params.forEach((p, i) => p.dw.set(saved[i]));
    const size = Math.min(T, GRAD_MATRIX_MAX_STEPS);
    const row = new Float64Array(T);
    const values: (number | null)[] = new Array(size * size).fill(null);
    for (let t = 0; t < size; t++) {
      seq.sourceNorms(t, row, 0, false);
      for (let k = 0; k <= t; k++) values[t * size + k] = row[k];
    }
    return { epoch, size, values };
  }

  /** The model in the weights format, with optimizer state so training resumes exactly. */
  toWeights(): WeightsFile {
    const params: WeightsFile['params'] = {};
    // Between windows, or after a diverging window, the live weights are part-way through an
    // epoch: export the epoch's starting point, which resumes exactly.
    const start = (this.midEpoch || this.diverged) && this.epochStart?.epoch === this.epochsDone ? this.epochStart : null;
    this.model.params.forEach((p, i) => (params[p.name] = { shape: [...p.shape], data: Array.from(start ? start.params[i] : p.w) }));
    const last = this.lastMetrics;
    return {
      format: WEIGHTS_FORMAT,
      version: WEIGHTS_VERSION,
      cell: this.config.cell,
      activation: this.config.activation,
      hiddenSize: this.config.hiddenSize,
      vocab: [...this.vocab.chars],
      params,
      training: {
        config: { ...this.config, mode: { ...this.config.mode } },
        seed: this.config.seed,
        epochsDone: this.epochsDone,
        firstChar: this.firstChar,
        ...(last ? { finalMetrics: { loss: last.loss, accuracy: last.accuracy } } : {}),
      },
      optimizerState: start ? this.opt.snapshotState(start.optimizer) : this.opt.getState(),
    };
  }
}
