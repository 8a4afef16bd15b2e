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
  /** LSTM only: the same two rows for the cell state c_t. */
  cellGradNorm?: number[];
  lastLossCellGradNorm?: number[];
  /** Frobenius norm of each parameter's gradient (before clipping), by parameter name. */
  paramGradNorm: Record<string, number>;
  /** Largest singular value of the recurrent matrix (W_hh for the RNN) at the epoch's start. */
  sigmaMaxWhh: number;
  /** True when gradient clipping scaled at least one update of this epoch. */
  clipped?: boolean;
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
