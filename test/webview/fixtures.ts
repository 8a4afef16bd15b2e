// Deterministic runs and epochs for the webview tests.
import type { EpochMetrics, TrainConfig } from '../../src/core/types';
import { blockFromEpochs } from '../../src/shared/epochBlock';
import type { HostToWebview, RunInfo } from '../../src/shared/protocol';

export const TEXT = 'hello world! nice to meet you! i love iron-man';

export const CONFIG: TrainConfig = {
  cell: 'rnn',
  activation: 'tanh',
  hiddenSize: 20,
  epochs: 600,
  learningRate: 0.001,
  optimizer: 'adam',
  clip: 0,
  mode: { kind: 'full' },
  seed: 1,
};

export function runInfo(over: Partial<RunInfo> = {}): RunInfo {
  const text = over.text ?? TEXT;
  const chars = Array.from(text);
  const steps = over.steps ?? chars.length - 1;
  return {
    runId: 'run-1',
    title: 'hello',
    text,
    textLength: chars.length,
    config: CONFIG,
    firstEpoch: 0,
    steps,
    stepLabels: chars.slice(0, steps),
    printEvery: 10,
    notes: [],
    ...over,
  };
}

/** An epoch whose gradient row decays geometrically from the last step backwards. */
export function epoch(n: number, steps: number, over: Partial<EpochMetrics> = {}): EpochMetrics {
  const row = Array.from({ length: steps }, (_, t) => 0.5 * Math.pow(0.8, steps - 1 - t) * (1 + n / 100));
  return {
    epoch: n,
    loss: 3 / (1 + n / 20),
    accuracy: Math.min(1, n / 100),
    predicted: 'h' + 'e'.repeat(Math.max(0, TEXT.length - 1)),
    gradNorm: row,
    lastLossGradNorm: row.map((v) => v / 2),
    paramGradNorm: { Whh: 1, Wxh: 1 },
    sigmaMaxWhh: 0.9 + n / 1000,
    ...over,
  };
}

export function init(run: RunInfo, history: EpochMetrics[], over: Partial<Extract<HostToWebview, { type: 'init' }>> = {}): HostToWebview {
  // Live playback (epochsPerSecond 0): the panel shows the newest epoch, as tests of the views expect.
  return { type: 'init', run, history: history.length ? [blockFromEpochs(history, run.steps)] : [], droppedRows: 0, state: 'running', restored: false, epochsPerSecond: 0, ...over };
}

/** The init of a history whose rows were kept only for the epochs at `kept` (the host's budget, a slimmed saved state). */
export function initKeeping(run: RunInfo, history: EpochMetrics[], kept: number[], over: Partial<Extract<HostToWebview, { type: 'init' }>> = {}): HostToWebview {
  const b = blockFromEpochs(history, run.steps);
  const rows: typeof b.rows = {};
  for (const [key, data] of Object.entries(b.rows) as [keyof typeof b.rows, Float64Array][]) {
    const len = data.length / history.length;
    const out = new Float64Array(kept.length * len);
    kept.forEach((i, k) => out.set(data.subarray(i * len, (i + 1) * len), k * len));
    rows[key] = out;
  }
  return { type: 'init', run, history: [{ ...b, rowEpochs: Int32Array.from(kept), rows }], droppedRows: 0, state: 'running', restored: false, epochsPerSecond: 0, ...over };
}

/** Epochs as the host streams them: one block. */
export function epochs(run: RunInfo, list: EpochMetrics[], droppedRows = 0): HostToWebview {
  return { type: 'epochs', runId: run.runId, block: blockFromEpochs(list, run.steps), droppedRows };
}

/** ‖∂L_t/∂h_k‖ as the worker replies: size × size, NaN above the diagonal. */
export function matrixValues(size: number): Float64Array {
  const v = new Float64Array(size * size);
  for (let t = 0; t < size; t++) for (let k = 0; k < size; k++) v[t * size + k] = k > t ? NaN : Math.pow(0.8, t - k);
  return v;
}
