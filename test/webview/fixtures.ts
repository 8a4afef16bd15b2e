// Deterministic runs and epochs for the webview tests.
import type { EpochMetrics, TrainConfig } from '../../src/core/types';
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
  const chars = Array.from(over.chars ?? TEXT);
  const steps = over.steps ?? chars.length - 1;
  return {
    runId: 'run-1',
    title: 'hello',
    chars,
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
  return { type: 'init', run, history, state: 'running', restored: false, ...over };
}
