// The vocabulary is the set of distinct Unicode code points, sorted by code point, so the
// index of a character never depends on hash order or insertion order.
import { t } from './l10n';

/** Splits text into code points (an emoji is one entry, not two UTF-16 units). */
export function codePoints(text: string): string[] {
  return Array.from(text);
}

export class Vocabulary {
  readonly chars: readonly string[];
  private readonly index: Map<string, number>;

  constructor(chars: readonly string[]) {
    this.chars = chars;
    this.index = new Map(chars.map((c, i) => [c, i]));
  }

  static fromText(text: string): Vocabulary {
    const distinct = [...new Set(codePoints(text))];
    distinct.sort((x, y) => x.codePointAt(0)! - y.codePointAt(0)!);
    return new Vocabulary(distinct);
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
    const cps = codePoints(text);
    const ids = new Int32Array(cps.length);
    for (let i = 0; i < cps.length; i++) ids[i] = this.indexOf(cps[i]);
    return ids;
  }

  /** Distinct characters of `text` that this vocabulary lacks, in order of first appearance. */
  missing(text: string): string[] {
    return [...new Set(codePoints(text))].filter((c) => !this.index.has(c));
  }
}

/** Shows a character so that whitespace and control characters are visible in messages. */
export function describeChar(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const hex = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  if (cp < 0x20 || cp === 0x7f || ch.trim() === '') return hex;
  return `"${ch}" (${hex})`;
}
