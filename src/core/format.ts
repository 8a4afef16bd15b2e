import type { EpochMetrics } from './types';

/** The seed's progress line: `#30, Loss: 1.234567, Acc: 0.511111, Test_string: "h..."`. */
export function formatSeedLine(m: Pick<EpochMetrics, 'epoch' | 'loss' | 'accuracy' | 'predicted'>): string {
  return `#${m.epoch}, Loss: ${m.loss.toFixed(6)}, Acc: ${m.accuracy.toFixed(6)}, Test_string: "${m.predicted}"`;
}
