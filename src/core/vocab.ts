// The vocabulary is the set of distinct Unicode code points, sorted by code point, so the
// index of a character never depends on hash order or insertion order.
import { t } from './l10n';

/** Splits text into code points (an emoji is one entry, not two UTF-16 units). */
export function codePoints(text: string): string[] {
  return Array.from(text);
}

/**
 * Calls fn with each code point's number, in order, without making a string per character (a
 * 1 MB text split into an array costs ~150 ms and a million strings; this costs a few ms). A lone
 * surrogate counts as one code point, as in Array.from.
 */
export function forEachCodePoint(text: string, fn: (cp: number) => void): void {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        fn(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        i++;
        continue;
      }
    }
    fn(c);
  }
}

/** The distinct code points of a text, and how many code points it has. */
export function distinctCodePoints(text: string): { count: number; distinct: Set<number> } {
  const distinct = new Set<number>();
  let count = 0;
  forEachCodePoint(text, (cp) => {
    count++;
    distinct.add(cp);
  });
  return { count, distinct };
}

export class Vocabulary {
  readonly chars: readonly string[];
  private readonly index: Map<string, number>;

  constructor(chars: readonly string[]) {
    this.chars = chars;
    this.index = new Map(chars.map((c, i) => [c, i]));
  }

  static fromText(text: string): Vocabulary {
    const distinct = [...distinctCodePoints(text).distinct].sort((x, y) => x - y);
    return new Vocabulary(distinct.map((cp) => String.fromCodePoint(cp)));
  }

  get size(): number {
    return this.chars.length;
  }

  has(ch: string): boolean {
    return this.index.has(ch);
  }

  indexOf(ch: string): number {
    const i = this.index.get(ch);
    if (i === undefined) throw new Error(t('character {0} is not in the vocabulary', JSON.stringify(ch)));
    return i;
  }

  encode(text: string): Int32Array {
    // By code point number: no string per character (see forEachCodePoint).
    const byNumber = new Map<number, number>();
    this.chars.forEach((c, i) => byNumber.set(c.codePointAt(0)!, i));
    const ids = new Int32Array(text.length);
    let n = 0;
    forEachCodePoint(text, (cp) => {
      const id = byNumber.get(cp);
      if (id === undefined) this.indexOf(String.fromCodePoint(cp)); // throws, naming the character
      ids[n++] = id!;
    });
    return ids.slice(0, n);
  }

  /** Distinct characters of `text` that this vocabulary lacks, in order of first appearance. */
  missing(text: string): string[] {
    const out: string[] = [];
    const seen = new Set<number>();
    forEachCodePoint(text, (cp) => {
      if (seen.has(cp)) return;
      seen.add(cp);
      const c = String.fromCodePoint(cp);
      if (!this.index.has(c)) out.push(c);
    });
    return out;
  }
}

/** Shows a character so that whitespace and control characters are visible in messages. */
export function describeChar(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const hex = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  if (cp < 0x20 || cp === 0x7f || ch.trim() === '') return hex;
  return `"${ch}" (${hex})`;
}
