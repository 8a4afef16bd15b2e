// Characters as the panel shows them: whitespace and control characters get a visible stand-in,
// so a prediction of "\n" or " " can be seen and compared.
const VISIBLE: Record<string, string> = { ' ': '␣', '\n': '↵', '\r': '␍', '\t': '→' };

export function visibleChar(ch: string): string {
  if (ch === '') return '';
  if (ch in VISIBLE) return VISIBLE[ch];
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x20 || cp === 0x7f) return '�';
  return ch;
}

/** Code points of a string (surrogate pairs and emoji count as one character, as in RunInfo.chars). */
export function codePointsOf(s: string): string[] {
  return Array.from(s);
}
