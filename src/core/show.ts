// A value as a one-line message shows it. JSON.stringify alone would print a number that
// overflowed to ±Infinity while parsing (1e309 in a file) as "null", which says the opposite.
import { t } from './l10n';

/** JSON text of `v`, except that non-finite numbers are named as what they are; long texts are cut. */
export function showValue(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : t('a number out of range ({0}, read as {1})', v > 0 ? t('above 1.8e308') : t('below -1.8e308'), String(v));
  if (Array.isArray(v) && v.length > 8) return `[${v.slice(0, 4).map(showValue).join(',')},… (${v.length} items)]`;
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
