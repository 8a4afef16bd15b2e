// Shared by the panel (heatmap, matrix) and the editor overlay on the host: no DOM here.
// Viridis as a 256-entry lookup table. The table is built here from eleven evenly spaced viridis
// stops, interpolated in OKLab so the steps in between stay perceptually even (interpolating the
// sRGB bytes directly would bunch up lightness in the blue-green middle).

export type Rgb = readonly [number, number, number];

const STOPS = ['#440154', '#482475', '#414487', '#355f8d', '#2a788e', '#21918c', '#22a884', '#44bf70', '#7ad151', '#bddf26', '#fde725'];

type Lab = [number, number, number];

function toLinear(c: number): number {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

function fromLinear(l: number): number {
  const s = l <= 0.0031308 ? 12.92 * l : 1.055 * l ** (1 / 2.4) - 0.055;
  return Math.min(255, Math.max(0, Math.round(s * 255)));
}

function srgbToOklab([r8, g8, b8]: Rgb): Lab {
  const r = toLinear(r8);
  const g = toLinear(g8);
  const b = toLinear(b8);
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ];
}

function oklabToSrgb([L, a, bb]: Lab): Rgb {
  const l = (L + 0.3963377774 * a + 0.2158037573 * bb) ** 3;
  const m = (L - 0.1055613458 * a - 0.0638541728 * bb) ** 3;
  const s = (L - 0.0894841775 * a - 1.291485548 * bb) ** 3;
  return [
    fromLinear(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s),
    fromLinear(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s),
    fromLinear(-0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s),
  ];
}

function parseHex(hex: string): Rgb {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function buildTable(): Rgb[] {
  const labs = STOPS.map((h) => srgbToOklab(parseHex(h)));
  const table: Rgb[] = [];
  const segments = labs.length - 1;
  for (let i = 0; i < 256; i++) {
    const pos = (i / 255) * segments;
    const k = Math.min(segments - 1, Math.floor(pos));
    const f = pos - k;
    const [a, b] = [labs[k], labs[k + 1]];
    table.push(oklabToSrgb([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f]));
  }
  // The ends are pinned to the exact stop colours so "minimum" and "maximum" are unambiguous.
  table[0] = parseHex(STOPS[0]);
  table[255] = parseHex(STOPS[STOPS.length - 1]);
  return table;
}

export const VIRIDIS: readonly Rgb[] = buildTable();

/** The table packed as ImageData words (RGBA byte order on little-endian hosts), for bulk fills. */
export const VIRIDIS_PACKED: Uint32Array = (() => {
  const out = new Uint32Array(256);
  const bytes = new Uint8ClampedArray(out.buffer);
  VIRIDIS.forEach(([r, g, b], i) => bytes.set([r, g, b, 255], i * 4));
  return out;
})();

/** Packs one colour the same way, so "no data" cells share the fast path. */
export function packRgb([r, g, b]: Rgb): number {
  const w = new Uint32Array(1);
  new Uint8ClampedArray(w.buffer).set([r, g, b, 255]);
  return w[0];
}

/** Index into the table for a value on a fixed [lo, hi] scale (a flat scale sits in the middle). */
export function colorIndex(v: number, lo: number, hi: number): number {
  if (!(hi > lo)) return 128;
  const i = Math.round(((v - lo) / (hi - lo)) * 255);
  return i < 0 ? 0 : i > 255 ? 255 : i;
}

// Blue through a light neutral to red (ColorBrewer's RdBu stops), −1 blue, 0 neutral, +1 red.
const DIVERGING_STOPS: readonly Rgb[] = [
  [0x21, 0x66, 0xac],
  [0x67, 0xa9, 0xcf],
  [0xf7, 0xf7, 0xf7],
  [0xef, 0x8a, 0x62],
  [0xb2, 0x18, 0x2b],
];

function buildDiverging(): Rgb[] {
  const out: Rgb[] = [];
  const seg = DIVERGING_STOPS.length - 1;
  for (let i = 0; i < 256; i++) {
    const pos = (i / 255) * seg;
    const k = Math.min(seg - 1, Math.floor(pos));
    const f = pos - k;
    const a = DIVERGING_STOPS[k];
    const b = DIVERGING_STOPS[k + 1];
    out.push([0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f)) as unknown as Rgb);
  }
  return out;
}

export const DIVERGING: readonly Rgb[] = buildDiverging();
export const DIVERGING_ENDS = { low: DIVERGING_STOPS[0], mid: DIVERGING_STOPS[2], high: DIVERGING_STOPS[4] };
