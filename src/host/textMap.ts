// Where each character of a training text sits in its document. The text is the document's
// selected spans joined by '\n' (src/selection.ts); RNN Lab counts characters as code points,
// VS Code counts UTF-16 units, so a character outside the BMP (an emoji) is one index here and
// two units there. Free of `vscode` so the editor overlay's mapping is unit-tested.
//
// A segment keeps only the code-point indices of its surrogate pairs: a 1 MB selection of plain
// text costs a few numbers, and an index ↔ offset lookup is a binary search.
import type { SelectionSpan } from '../selection';

export interface TextSegment {
  /** UTF-16 offsets of the span in the document: [docStart, docEnd). */
  readonly docStart: number;
  readonly docEnd: number;
  /** Code-point index in the training text of the span's first character. */
  readonly textStart: number;
  /** UTF-16 offset in the training text of the same character. */
  readonly textUnitStart: number;
  /** Code points in the span. */
  readonly length: number;
  /** Indices (relative to the segment, ascending) of its characters that take two UTF-16 units. */
  readonly astral: Int32Array;
}

/** One change of a document as VS Code reports it: offsets of the text before the change. */
export interface DocumentEdit {
  offset: number;
  length: number;
  text: string;
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Number of entries of the ascending array below `k`. */
function countBelow(a: Int32Array, k: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class TextMap {
  private constructor(
    readonly segments: readonly TextSegment[],
    /** Code points of the whole training text (the joining '\n's included). */
    readonly length: number,
  ) {}

  /**
   * The map of `resolveTrainingText(documentText, …)`'s text onto `spans` (its merged spans, in
   * document order). The joining newlines belong to no span and map to nothing.
   */
  static build(documentText: string, spans: readonly SelectionSpan[]): TextMap {
    const segments: TextSegment[] = [];
    let textStart = 0;
    let textUnitStart = 0;
    for (const [n, span] of spans.entries()) {
      if (n > 0) {
        textStart++; // the joining '\n'
        textUnitStart++;
      }
      const astral: number[] = [];
      let k = 0;
      for (let u = span.start; u < span.end; k++) {
        if (isHigh(documentText.charCodeAt(u)) && u + 1 < span.end && isLow(documentText.charCodeAt(u + 1))) {
          astral.push(k);
          u += 2;
        } else {
          u += 1;
        }
      }
      segments.push({ docStart: span.start, docEnd: span.end, textStart, textUnitStart, length: k, astral: Int32Array.from(astral) });
      textStart += k;
      textUnitStart += span.end - span.start;
    }
    return new TextMap(segments, textStart);
  }

  /** UTF-16 offset in the document of the segment's k-th character. */
  static unitOf(seg: TextSegment, k: number): number {
    return seg.docStart + k + countBelow(seg.astral, k);
  }

  /** Document offsets [start, end) of code point `index`, or null for a joining newline or an index out of range. */
  docRange(index: number): { start: number; end: number } | null {
    const seg = this.segmentOfIndex(index);
    if (!seg) return null;
    const k = index - seg.textStart;
    const start = TextMap.unitOf(seg, k);
    const astral = countBelow(seg.astral, k + 1) > countBelow(seg.astral, k);
    return { start, end: start + (astral ? 2 : 1) };
  }

  /** The code-point index of the character covering document offset `offset`, or −1 outside the trained text. */
  indexAt(offset: number): number {
    const found = this.segmentAtOffset(offset);
    if (found < 0) return -1;
    const seg = this.segments[found];
    return seg.textStart + TextMap.pointAt(seg, offset);
  }

  /** Index within the segment of the character covering `offset` (docStart ≤ offset < docEnd). */
  static pointAt(seg: TextSegment, offset: number): number {
    // The largest k whose first unit is at or before the offset.
    let lo = 0;
    let hi = seg.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (TextMap.unitOf(seg, mid) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Index of the segment holding document offset `offset`, or −1. */
  segmentAtOffset(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.segments[mid];
      if (offset < s.docStart) hi = mid - 1;
      else if (offset >= s.docEnd) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  /** Document offsets [start, end) from the first trained character to the last. */
  get extent(): { start: number; end: number } | null {
    if (this.segments.length === 0) return null;
    return { start: this.segments[0].docStart, end: this.segments[this.segments.length - 1].docEnd };
  }

  /** True when the document still holds `text` at the mapped spans (checked whenever an editor shows it anew). */
  matches(documentText: string, text: string): boolean {
    let expectedUnits = 0;
    for (const [n, seg] of this.segments.entries()) {
      if (n > 0 && text.charCodeAt(seg.textUnitStart - 1) !== 10) return false;
      const units = seg.docEnd - seg.docStart;
      if (seg.docEnd > documentText.length) return false;
      if (documentText.slice(seg.docStart, seg.docEnd) !== text.slice(seg.textUnitStart, seg.textUnitStart + units)) return false;
      expectedUnits = seg.textUnitStart + units;
    }
    return this.segments.length > 0 && expectedUnits === text.length;
  }

  /**
   * The map after `edits` (one change event: ranges of the text before it, not overlapping), or
   * null when an edit changes a trained character or inserts between two of them. Edits elsewhere
   * only move the spans.
   */
  afterEdits(edits: readonly DocumentEdit[]): TextMap | null {
    const moved: TextSegment[] = [];
    for (const seg of this.segments) {
      let delta = 0;
      for (const e of edits) {
        const end = e.offset + e.length;
        const touches = e.length > 0 ? e.offset < seg.docEnd && end > seg.docStart : e.offset > seg.docStart && e.offset < seg.docEnd;
        if (touches) return null;
        if (end <= seg.docStart) delta += e.text.length - e.length;
      }
      moved.push(delta === 0 ? seg : { ...seg, docStart: seg.docStart + delta, docEnd: seg.docEnd + delta });
    }
    return new TextMap(moved, this.length);
  }

  private segmentOfIndex(index: number): TextSegment | undefined {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.segments[mid];
      if (index < s.textStart) hi = mid - 1;
      else if (index >= s.textStart + s.length) lo = mid + 1;
      else return s;
    }
    return undefined;
  }
}
