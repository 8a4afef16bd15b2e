import type { EpochMetrics } from './types';

/** The seed-style line shows this many characters (code points) of the prediction, then "…". */
export const SEED_LINE_MAX_CHARS = 80;

export interface SeedLineOptions {
  /** Print the whole prediction: a 20,000-character text then makes a 20,000-character line. */
  fullStrings?: boolean;
}

/** The first `max` code points of s, plus "…" when s has more; walks no further than that. */
export function cutCodePoints(s: string, max: number): string {
  if (s.length <= max) return s; // UTF-16 units ≥ code points, so nothing to cut
  let at = 0;
  for (let n = 0; n < max && at < s.length; n++) at += s.codePointAt(at)! > 0xffff ? 2 : 1;
  return at < s.length ? s.slice(0, at) + '…' : s;
}

/** The seed's progress line: `#30, Loss: 1.234567, Acc: 0.511111, Test_string: "h..."`. */
export function formatSeedLine(m: Pick<EpochMetrics, 'epoch' | 'loss' | 'accuracy' | 'predicted'>, options: SeedLineOptions = {}): string {
  const shown = options.fullStrings ? m.predicted : cutCodePoints(m.predicted, SEED_LINE_MAX_CHARS);
  return `#${m.epoch}, Loss: ${m.loss.toFixed(6)}, Acc: ${m.accuracy.toFixed(6)}, Test_string: "${shown}"`;
}
