// What of an epoch the webview needs to draw it. Every epoch is delivered with its scalars
// (loss, accuracy, σmax, clipping: the charts), but a fast run (1,500 epochs/s on the seed
// sentence) produces far more gradient rows and predictions than a panel can draw or the
// webview transport can carry: in code-server the panel fell a minute behind the run and
// Pause seemed to do nothing. Rows and predictions are therefore kept within a budget,
// spread evenly, the newest epoch always complete. The host keeps everything for exports and
// the gradient matrix; the webview already shows a thinned epoch with the previous kept row.
import type { EpochMetrics } from '../core/types';

export interface ThinOptions {
  printEvery: number;
  /** Per-timestep numbers to keep across the given epochs (at least the last epoch's). */
  rowValues: number;
}

function rowCount(m: EpochMetrics): number {
  return m.gradNorm.length + m.lastLossGradNorm.length + (m.cellGradNorm?.length ?? 0) + (m.lastLossCellGradNorm?.length ?? 0);
}

/** Returns the epochs in order; untouched ones are the same objects, thinned ones are copies. */
export function thinForDisplay(epochs: readonly EpochMetrics[], o: ThinOptions): EpochMetrics[] {
  const n = epochs.length;
  if (n === 0) return [];
  const perEpoch = Math.max(1, rowCount(epochs[n - 1]));
  const keepRows = Math.max(1, Math.floor(o.rowValues / perEpoch));
  const rowKept = new Uint8Array(n);
  if (keepRows >= n) rowKept.fill(1);
  else for (let j = 1; j <= keepRows; j++) rowKept[Math.round((j * n) / keepRows) - 1] = 1;

  const out = new Array<EpochMetrics>(n);
  for (let i = 0; i < n; i++) {
    const m = epochs[i];
    const keepPrediction = i === n - 1 || m.epoch % o.printEvery === 0;
    if (rowKept[i] && (keepPrediction || m.predicted === '')) {
      out[i] = m;
      continue;
    }
    const copy: EpochMetrics = { ...m };
    if (!keepPrediction) copy.predicted = '';
    if (!rowKept[i] && rowCount(m) > 0) {
      copy.gradNorm = [];
      copy.lastLossGradNorm = [];
      if (m.cellGradNorm) copy.cellGradNorm = [];
      if (m.lastLossCellGradNorm) copy.lastLossCellGradNorm = [];
      copy.paramGradNorm = {};
    }
    out[i] = copy;
  }
  return out;
}
