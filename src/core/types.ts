// Public types of the trainer core. Everything crossing a boundary (worker, webview,
// CLI, weights file) is described here, so the host and the UI never reach into internals.

export type Activation = 'tanh' | 'relu';
export type CellKind = 'rnn' | 'lstm' | 'gru';
export type OptimizerName = 'adam' | 'sgd' | 'momentum' | 'rmsprop' | 'adagrad';

/** How the backward pass runs through time. */
export type BpttMode =
  | { kind: 'full' }
  | { kind: 'truncate'; k: number }
  | { kind: 'window'; k: number };

export interface TrainConfig {
  cell: CellKind;
  activation: Activation;
  hiddenSize: number;
  epochs: number;
  learningRate: number;
  optimizer: OptimizerName;
  /** Global-norm clipping threshold; 0 disables clipping. */
  clip: number;
  mode: BpttMode;
  seed: number;
  /**
   * Fraction of the text held out at its end (0 or absent = off, at most 0.5): the last
   * round(validationSplit·n) of its n code points are not trained on, and each epoch reports
   * valLoss and valAccuracy on them.
   */
  validationSplit?: number;
}

export const DEFAULT_CONFIG: Readonly<TrainConfig> = Object.freeze({
  cell: 'rnn',
  activation: 'tanh',
  hiddenSize: 20,
  epochs: 600,
  learningRate: 0.001,
  optimizer: 'adam',
  clip: 0,
  mode: Object.freeze({ kind: 'full' }) as BpttMode,
  seed: 1,
});

export const SEED_SENTENCE = 'hello world! nice to meet you! i love iron-man';

/** How far a window-mode epoch has got: what a long text's panel shows before its first epoch ends. */
export interface EpochProgress {
  epoch: number;
  /** Steps trained so far in this epoch, of `total`. */
  done: number;
  total: number;
  /** Mean loss and accuracy over those steps (the epoch's figures so far, not a final metric). */
  loss: number;
  accuracy: number;
}

/** What one epoch reports; every number comes from the forward pass that produced the epoch's update(s). */
export interface EpochMetrics {
  /** 0-based, counted from the start of the model's training (continues after a resume). */
  epoch: number;
  loss: number;
  accuracy: number;
  /** First character of the text followed by the argmax prediction of every step. */
  predicted: string;
  /** ‖∂L/∂h_t‖₂ per timestep, as carried by the mode's backward. Length T (window mode: K). */
  gradNorm: number[];
  /** ‖∂L_T/∂h_t‖₂ per timestep: the last output's term alone, full depth. */
  lastLossGradNorm: number[];
  /**
   * Why it vanishes (Pascanu et al. 2013: ‖∂h_{t+1}/∂h_t‖ ≤ σ_max(W_hh)·max|f′(a_{t+1})|).
   * Always set by the Trainer; optional because stored or slimmed histories may leave them out
   * (the first three follow from lastLossGradNorm through deriveShrink). n_t = lastLossGradNorm[t].
   * stepShrink[t] = n_t / n_{t+1} for t = 0..S−2 (null where n_{t+1} = 0).
   */
  stepShrink?: (number | null)[];
  /** (n_0 / n_{S−1})^(1/(S−1)), the geometric mean of stepShrink; null when S < 2 or undefined. */
  shrinkPerStep?: number | null;
  /** (S−1) − t* for the largest t* < S−1 with n_t* < 0.01·n_{S−1}; null when there is none. */
  reach1pct?: number | null;
  /**
   * Per step (length S), the mean over hidden units of the backward path's per-step factor:
   * f′(a_t) for the RNN (1 − h_t² for tanh, [h_t > 0] for ReLU), the forget gate f_t for the
   * LSTM (the cell path), the update gate z_t for the GRU. Window mode: averaged per position.
   */
  activationSlope?: number[];
  /**
   * Plain RNN only (null for LSTM and GRU), length S−1: σ_max(W_hh)·max over units of f′(a_{t+1}),
   * the bound on stepShrink[t], with the epoch-start σ_max (sigmaMaxWhh). stepShrink[t] ≤
   * stepBound[t] holds in full and truncate modes; in window mode the weights change between
   * windows and the max is averaged per position, so it is a guide, not a promise.
   */
  stepBound?: number[] | null;
  /** LSTM only: the same two rows for the cell state c_t. */
  cellGradNorm?: number[];
  lastLossCellGradNorm?: number[];
  /** Frobenius norm of each parameter's gradient (before clipping), by parameter name. */
  paramGradNorm: Record<string, number>;
  /** Largest singular value of the recurrent matrix (W_hh for the RNN) at the epoch's start. */
  sigmaMaxWhh: number;
  /** True when gradient clipping scaled at least one update of this epoch. */
  clipped?: boolean;
  /**
   * With validationSplit on only: the mean cross-entropy and the accuracy of predicting the
   * held-out characters, by a forward pass (no update) that continues from the state the epoch's
   * last training forward ended in, with the weights that ran that forward (full/truncate: the
   * epoch's start; window: those of the last window, before its update).
   */
  valLoss?: number;
  valAccuracy?: number;
}

/** A dense parameter tensor as stored in a weights file (row-major). */
export interface TensorJson {
  shape: number[];
  data: number[];
}

/** States of a training loop; the host's RunState adds 'starting' and 'crashed'. */
export type LoopState = 'running' | 'paused' | 'stopped' | 'done' | 'diverged';

/** ‖∂L_t/∂h_k‖ for k ≤ t, row-major with t as the row; null above the diagonal (k > t). */
export interface GradMatrix {
  epoch: number;
  size: number;
  values: (number | null)[];
}
