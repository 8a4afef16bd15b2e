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

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Control characters (C0, DEL, C1, and the line and paragraph separators) written as escapes, so
 * that one progress line stays one line on a terminal, in a log and in the Output channel.
 */
export function escapeControls(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The seed's progress line: `#30, Loss: 1.234567, Acc: 0.511111, Test_string: "h..."`. */
export function formatSeedLine(m: Pick<EpochMetrics, 'epoch' | 'loss' | 'accuracy' | 'predicted'>, options: SeedLineOptions = {}): string {
  const shown = escapeControls(options.fullStrings ? m.predicted : cutCodePoints(m.predicted, SEED_LINE_MAX_CHARS));
  return `#${m.epoch}, Loss: ${m.loss.toFixed(6)}, Acc: ${m.accuracy.toFixed(6)}, Test_string: "${shown}"`;
}
