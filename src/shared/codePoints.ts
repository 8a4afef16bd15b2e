// Code points (what RNN Lab calls characters: an emoji is one) against UTF-16 units (what
// JavaScript strings and VS Code positions count), without splitting the whole text into an
// array — a 1 MB selection would be a million strings.

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Units of the code point starting at unit i (2 for a surrogate pair, else 1). */
export function unitsAt(s: string, i: number): 1 | 2 {
  return isHigh(s.charCodeAt(i)) && i + 1 < s.length && isLow(s.charCodeAt(i + 1)) ? 2 : 1;
}

export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i += unitsAt(s, i)) n++;
  return n;
}

/** UTF-16 offset of code point `index` (s.length when index ≥ the length). */
export function unitOffset(s: string, index: number, from = { unit: 0, point: 0 }): number {
  let i = from.unit;
  for (let p = from.point; p < index && i < s.length; p++) i += unitsAt(s, i);
  return i;
}

/** Code points [start, start + length) of s. */
export function sliceCodePoints(s: string, start: number, length: number): string {
  const a = unitOffset(s, start);
  const b = unitOffset(s, start + length, { unit: a, point: start });
  return s.slice(a, b);
}
