// Text shown to the user outside the webview: output-channel log lines, status bar, titles.
import { formatSeedLine } from '../core';
import type { EpochMetrics, TrainConfig } from '../core/types';
import { snippet } from '../selection';

/**
 * The seed program's progress line (`#30, Loss: 1.234567, Acc: 0.511111, Test_string: "h..."`),
 * formatted by the core; line breaks in the prediction are escaped so one epoch stays one line.
 */
export function formatEpochLine(m: Pick<EpochMetrics, 'epoch' | 'loss' | 'accuracy' | 'predicted'>): string {
  return formatSeedLine({ ...m, predicted: m.predicted.replace(/\r/g, '\\r').replace(/\n/g, '\\n') });
}

/** Log every printEvery-th epoch (counting from 0 like the seed program) and the run's last one. */
export function shouldLogEpoch(epoch: number, printEvery: number, lastEpoch: number): boolean {
  return epoch % printEvery === 0 || epoch === lastEpoch;
}

/** Panel title: the start of the text and the settings that tell side-by-side runs apart. */
export function runTitle(text: string, config: TrainConfig): string {
  const mode = config.mode.kind === 'full' ? '' : ` ${config.mode.kind} k${config.mode.k}`;
  return `${snippet(text, 20)} · ${config.cell} h${config.hiddenSize} e${config.epochs}${mode}`;
}

export function statusText(state: string, last?: Pick<EpochMetrics, 'epoch' | 'loss'>): string {
  const icon = state === 'running' || state === 'starting' ? '$(sync~spin)' : '$(pulse)';
  if (!last) return `${icon} RNN ${state}`;
  const suffix = state === 'running' ? '' : ` (${state})`;
  return `${icon} RNN #${last.epoch} loss ${formatLoss(last.loss)}${suffix}`;
}

function formatLoss(loss: number): string {
  return Math.abs(loss) >= 100 ? loss.toFixed(1) : loss.toFixed(4);
}
