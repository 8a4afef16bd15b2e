// Text shown to the user outside the webview: output-channel log lines, status bar, titles.
import { formatSeedLine } from '../core';
import type { EpochMetrics, TrainConfig } from '../core/types';
import { snippet } from '../selection';
import { t } from '../core/l10n';

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
  if (!last) return `${icon} RNN ${stateLabel(state)}`;
  const suffix = state === 'running' ? '' : ` (${stateLabel(state)})`;
  return `${icon} ${t('RNN #{0} loss {1}', last.epoch, formatLoss(last.loss))}${suffix}`;
}

/** A run state as the user reads it; an unknown one is shown as it is. */
export function stateLabel(state: string): string {
  switch (state) {
    case 'queued':
      return t('queued');
    case 'starting':
      return t('starting');
    case 'running':
      return t('running');
    case 'paused':
      return t('paused');
    case 'done':
      return t('done');
    case 'stopped':
      return t('stopped');
    case 'diverged':
      return t('diverged');
    case 'crashed':
      return t('crashed');
    default:
      return state;
  }
}

function formatLoss(loss: number): string {
  return Math.abs(loss) >= 100 ? loss.toFixed(1) : loss.toFixed(4);
}
