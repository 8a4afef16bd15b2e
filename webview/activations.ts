// The numbers behind the "Inside the network" views, free of the DOM so they are unit-tested:
// the colour scales (a diverging map for values in −1…1, viridis for 0…1), the orders the units
// can be sorted in, the gate saturation fractions of Karpathy, Johnson & Fei-Fei (2015), and the
// log scale of a connectivity row.
import { DIVERGING, VIRIDIS, colorIndex, type Rgb } from './colormap';
export { DIVERGING, DIVERGING_ENDS } from './colormap';
import { t } from './l10n';
import { arrayScale } from '../src/shared/inside';

/** Which range a T×H array lives in: tanh outputs (h, the LSTM's g, the GRU's n; c clipped) or sigmoid gates. */
export type ValueScale = 'signed' | 'unit';

/** What the activation heatmap can show: h, c and each gate by its name. */
export type InsideTab = 'h' | 'c' | string;

export type UnitSort = 'unit' | 'variance' | 'saturation';

export const UNIT_SORTS: readonly { value: UnitSort; label: string }[] = [
  { value: 'unit', label: t('unit number') },
  { value: 'variance', label: t('variance over time') },
  { value: 'saturation', label: t('saturation') },
];

/** h, c and the gates squashed by tanh (g, n) span −1…1, the sigmoid gates 0…1 (the editor overlay uses the same rule). */
export function scaleOf(tab: InsideTab): ValueScale {
  return arrayScale(tab);
}

/** Saturated: within 0.1 of either end of the scale (|v| > 0.9, or v < 0.1 or v > 0.9). */
export const SATURATION_MARGIN = 0.1;

function pack(table: readonly Rgb[]): Uint32Array {
  const out = new Uint32Array(table.length);
  const bytes = new Uint8ClampedArray(out.buffer);
  table.forEach(([r, g, b], i) => bytes.set([r, g, b, 255], i * 4));
  return out;
}

export const DIVERGING_PACKED = pack(DIVERGING);
const VIRIDIS_PACKED_LOCAL = pack(VIRIDIS);

/** Colour-table index of an activation: −1…1 or 0…1 across the table, clipped beyond (cell states can exceed 1). */
export function activationIndex(v: number, scale: ValueScale): number {
  return scale === 'signed' ? colorIndex(v, -1, 1) : colorIndex(v, 0, 1);
}

export function activationColor(v: number, scale: ValueScale): Rgb {
  return (scale === 'signed' ? DIVERGING : VIRIDIS)[activationIndex(v, scale)];
}

export function packedTable(scale: ValueScale): Uint32Array {
  return scale === 'signed' ? DIVERGING_PACKED : VIRIDIS_PACKED_LOCAL;
}

/** Dark or light text over a background colour, whichever reads better (relative luminance). */
export function textOn([r, g, b]: Rgb): string {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const y = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return y > 0.3 ? '#111' : '#fff';
}

function saturated(v: number, scale: ValueScale): boolean {
  return scale === 'signed' ? Math.abs(v) > 1 - SATURATION_MARGIN : v < SATURATION_MARGIN || v > 1 - SATURATION_MARGIN;
}

/** Per unit of a T×H array (row t = step t): variance over time and the fraction of saturated steps. */
export function unitStats(values: Float64Array, T: number, H: number, scale: ValueScale): { variance: Float64Array; saturation: Float64Array } {
  const mean = new Float64Array(H);
  const variance = new Float64Array(H);
  const saturation = new Float64Array(H);
  for (let t = 0; t < T; t++) for (let j = 0; j < H; j++) mean[j] += values[t * H + j] / T;
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < H; j++) {
      const v = values[t * H + j];
      variance[j] += (v - mean[j]) ** 2 / T;
      if (saturated(v, scale)) saturation[j] += 1 / T;
    }
  }
  return { variance, saturation };
}

/** The units in the order asked for: by number, or by variance / saturation, largest first (ties by number). */
export function unitOrder(values: Float64Array, T: number, H: number, by: UnitSort, scale: ValueScale): number[] {
  const units = Array.from({ length: H }, (_, j) => j);
  if (by === 'unit') return units;
  const stats = unitStats(values, T, H, scale);
  const key = by === 'variance' ? stats.variance : stats.saturation;
  return units.sort((a, b) => key[b] - key[a] || a - b);
}

/** Karpathy et al.'s gate saturation: per unit the fraction of steps with the gate < 0.1 (left) and > 0.9 (right). */
export function gateSaturation(gate: Float64Array, T: number, H: number): { left: Float64Array; right: Float64Array } {
  const left = new Float64Array(H);
  const right = new Float64Array(H);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < H; j++) {
      const v = gate[t * H + j];
      if (v < SATURATION_MARGIN) left[j] += 1 / T;
      else if (v > 1 - SATURATION_MARGIN) right[j] += 1 / T;
    }
  }
  return { left, right };
}

/** The sigmoid gates of the saturation plot: the LSTM's forget, input and output, the GRU's reset and update. */
export const SATURATION_GATES: Readonly<Record<string, readonly { gate: string; label: string }[]>> = {
  rnn: [],
  lstm: [
    { gate: 'f', label: t('forget f') },
    { gate: 'i', label: t('input i') },
    { gate: 'o', label: t('output o') },
  ],
  gru: [
    { gate: 'r', label: t('reset r') },
    { gate: 'z', label: t('update z') },
  ],
};

/** log10 range of the positive finite values, or null when there are none. */
export function logRange(values: ArrayLike<number>): { lo: number; hi: number } | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > 0 && v < Infinity) {
      const l = Math.log10(v);
      if (l < lo) lo = l;
      if (l > hi) hi = l;
    }
  }
  return hi >= lo ? { lo, hi } : null;
}

/** Viridis index of a norm on a log10 range (a flat range sits in the middle, as in the heatmap). */
export function logIndex(v: number, range: { lo: number; hi: number }): number {
  return v > 0 && v < Infinity ? colorIndex(Math.log10(v), range.lo, range.hi) : -1;
}
