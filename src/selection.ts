// Which text a run trains on, decided from plain offsets so the rules are testable without VS Code.
import { t } from './core/l10n';

/** One editor selection as offsets into the document text (start ≤ end not assumed: selections can be reversed). */
export interface SelectionSpan {
  start: number;
  end: number;
}

export interface TrainingSource {
  text: string;
  /** Sentences for RunInfo.notes explaining where the text came from. */
  notes: string[];
  /**
   * The document spans (UTF-16 offsets, sorted, not overlapping) whose text was joined with '\n'
   * into `text`: what the editor overlay maps the training text back onto (src/host/textMap.ts).
   */
  spans: SelectionSpan[];
}

/**
 * Empty selections (cursors) are ignored when any selection has text; when none has text the whole
 * document is used. Several selections are joined in document order, not in the order they were
 * made, because the order of multi-cursor creation is invisible to the user.
 */
export function resolveTrainingText(documentText: string, selections: readonly SelectionSpan[]): TrainingSource {
  const spans = selections
    .map((s) => normalize(s, documentText.length))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const merged = mergeOverlaps(spans);

  if (merged.length === 0) {
    return {
      text: documentText,
      notes: [t('No text was selected: training on the whole document ({0} characters).', countCodePoints(documentText))],
      spans: [{ start: 0, end: documentText.length }],
    };
  }
  const text = merged.map((s) => documentText.slice(s.start, s.end)).join('\n');
  if (merged.length === 1) return { text, notes: [], spans: merged };
  return {
    text,
    notes: [t('{0} selections joined in document order, separated by line breaks.', merged.length)],
    spans: merged,
  };
}

function normalize(s: SelectionSpan, length: number): SelectionSpan {
  const clamp = (n: number) => Math.max(0, Math.min(length, Math.trunc(n)));
  const a = clamp(s.start);
  const b = clamp(s.end);
  return a <= b ? { start: a, end: b } : { start: b, end: a };
}

/** Overlapping selections would otherwise duplicate the shared characters in the training text. */
function mergeOverlaps(sorted: SelectionSpan[]): SelectionSpan[] {
  const out: SelectionSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

export function countCodePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * The first `max` user-perceived characters of `text`, with whitespace runs collapsed and an
 * ellipsis when cut. Cuts between grapheme clusters so an emoji (surrogate pair or ZWJ sequence)
 * is never split in a title.
 */
export function snippet(text: string, max = 20): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const graphemes = splitGraphemes(flat);
  if (graphemes.length <= max) return flat;
  return graphemes.slice(0, max).join('').trimEnd() + '…';
}

function splitGraphemes(text: string): string[] {
  const Segmenter = (Intl as { Segmenter?: typeof Intl.Segmenter }).Segmenter;
  if (Segmenter) return Array.from(new Segmenter(undefined, { granularity: 'grapheme' }).segment(text), (s) => s.segment);
  return Array.from(text);
}
