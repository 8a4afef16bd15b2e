// A value as a one-line message shows it. JSON.stringify alone would print a number that
// overflowed to ±Infinity while parsing (1e309 in a file) as "null", which says the opposite.

/** JSON text of `v`, except that non-finite numbers are named as what they are; long texts are cut. */
export function showValue(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : `a number out of range (${v > 0 ? 'above 1.8e308' : 'below -1.8e308'}, read as ${v})`;
  if (Array.isArray(v) && v.length > 8) return `[${v.slice(0, 4).map(showValue).join(',')},… (${v.length} items)]`;
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
