// What the editor overlay paints, computed without `vscode`: for the characters in view, runs of
// document offsets per colour bucket (log10 ‖∂L_T/∂h_t‖ on the heatmap's viridis scale, or, with
// a unit picked in the panel's "Inside the network", that unit's activation on the diverging
// scale for −1…1 and viridis for gates in 0…1) and runs of wrongly predicted characters. A small fixed number of buckets means a fixed set of
// decoration types: moving the playhead only hands VS Code new ranges, never new styles.
import { DIVERGING, VIRIDIS, type Rgb } from '../shared/colormap';
import type { LogScale } from '../shared/protocol';
import { TextMap } from './textMap';

/** Colour buckets (decoration types) of the overlay. */
export const BUCKETS = 16;
/** Characters coloured per editor at most, from the first one in view: a 1 MB line stays cheap. */
export const MAX_PAINTED_CHARS = 50_000;

/** The bucket of a norm on [lo, hi] (log10), the heatmap's arithmetic cut into BUCKETS; −1 for no colour (zero, NaN, ∞). */
export function bucketOf(norm: number, scale: LogScale): number {
  if (!(norm > 0) || norm === Infinity) return -1;
  const span = scale.hi - scale.lo;
  // A flat scale sits in the middle, as in colorIndex.
  if (!(span > 0)) return BUCKETS >> 1;
  const b = Math.floor(((Math.log10(norm) - scale.lo) / span) * BUCKETS);
  return b < 0 ? 0 : b >= BUCKETS ? BUCKETS - 1 : b;
}

/** The viridis colour at the middle of bucket b (the same table as the heatmap). */
export function bucketColor(b: number): Rgb {
  return VIRIDIS[Math.round(((b + 0.5) / BUCKETS) * (VIRIDIS.length - 1))];
}

/** Which colour scale an overlay paint uses: the gradient norms (viridis, log), an activation in −1…1 (diverging) or in 0…1 (viridis). */
export type Palette = 'gradient' | 'signed' | 'unit';

/** The bucket of an activation on −1…1 (signed) or 0…1 (unit), clipped at the ends (cell states can pass 1); −1 for NaN. */
export function activationBucket(v: number, scale: 'signed' | 'unit'): number {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? -1 : v > 0 ? BUCKETS - 1 : 0;
  const f = scale === 'signed' ? (v + 1) / 2 : v;
  const b = Math.floor(f * BUCKETS);
  return b < 0 ? 0 : b >= BUCKETS ? BUCKETS - 1 : b;
}

/** The diverging colour at the middle of bucket b (the panel's activation table: blue −1, light 0, red +1). */
export function divergingBucketColor(b: number): Rgb {
  return DIVERGING[Math.round(((b + 0.5) / BUCKETS) * (DIVERGING.length - 1))];
}

/** log10 range of the row's positive finite values: the scale when the panel has sent none. */
export function rowScale(row: ArrayLike<number>): LogScale | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (v > 0 && v !== Infinity) {
      const l = Math.log10(v);
      if (l < lo) lo = l;
      if (l > hi) hi = l;
    }
  }
  return lo <= hi ? { lo, hi } : null;
}

/** How positions of the training text map onto a row of per-step values. */
export interface StepLayout {
  /** Predicted positions of the training part (its code points − 1): position p < this is step p's input. */
  positions: number;
  /** Window mode: K (position p uses entry p mod K of the row, which is averaged per position in the window); else null. */
  window: number | null;
}

/** The row entry of position p, or −1 when p is no step's input. */
export function stepOf(p: number, layout: StepLayout): number {
  if (p < 0 || p >= layout.positions) return -1;
  return layout.window === null ? p : p % layout.window;
}

export interface PaintInput {
  map: TextMap;
  /** The training text (what `map` maps). */
  text: string;
  layout: StepLayout;
  /** ‖∂L_T/∂h_t‖ of the shown epoch. */
  row: ArrayLike<number>;
  scale: LogScale;
  /** The epoch's prediction (first character, then each step's argmax), or null when not kept. */
  predicted: string | null;
  /** Document offsets [start, end) in view. */
  visible: readonly { start: number; end: number }[];
  maxChars?: number;
  /**
   * A picked unit: colour position start + t by values[t] on `scale` instead of by the row;
   * positions outside [start, start + values.length) (other windows) get no colour.
   */
  unit?: { start: number; values: ArrayLike<number>; scale: 'signed' | 'unit' };
}

export interface Paint {
  /** Per bucket, flat [start, end, start, end, …] document offsets. */
  buckets: number[][];
  /** Runs of wrongly predicted characters, flat like the buckets. */
  wrong: number[];
  /** Characters coloured / underlined. */
  coloured: number;
  underlined: number;
}

/** Per predicted string, the UTF-16 offset of each code point (only built when it has surrogate pairs). */
let lastPredicted: { s: string; offsets: Uint32Array | null } | null = null;

function predictedOffsets(s: string): Uint32Array | null {
  if (lastPredicted?.s === s) return lastPredicted.offsets;
  let offsets: Uint32Array | null = null;
  if (/[\ud800-\udfff]/.test(s)) {
    const out: number[] = [];
    for (let i = 0; i < s.length; ) {
      out.push(i);
      const c = s.charCodeAt(i);
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
    }
    offsets = Uint32Array.from(out);
  }
  lastPredicted = { s, offsets };
  return offsets;
}

function mergeWindows(visible: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const sorted = visible.filter((v) => v.end > v.start).sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v.start <= last.end) last.end = Math.max(last.end, v.end);
    else out.push({ ...v });
  }
  return out;
}

/**
 * The ranges to decorate. Line breaks are never painted (a background on a line end shows
 * nothing, and a run across one would paint to the edge), so every run stays on one line.
 */
export function paint(input: PaintInput): Paint {
  const { map, text, layout, row, scale } = input;
  const picked = input.unit;
  const maxChars = input.maxChars ?? MAX_PAINTED_CHARS;
  const buckets: number[][] = Array.from({ length: BUCKETS }, () => []);
  const wrong: number[] = [];
  let coloured = 0;
  let underlined = 0;
  const pred = input.predicted;
  const predOffsets = pred === null ? null : predictedOffsets(pred);
  // Open runs: per bucket the end of its last run is buckets[b].at(-1); the last bucket written decides merging.
  let runBucket = -1;
  let runEnd = -1;
  let wrongEnd = -1;

  for (const win of mergeWindows(input.visible)) {
    let s = map.segmentAtOffset(win.start);
    if (s < 0) s = map.segments.findIndex((seg) => seg.docStart >= win.start);
    if (s < 0) continue;
    for (; s < map.segments.length && coloured < maxChars; s++) {
      const seg = map.segments[s];
      if (seg.docStart >= win.end) break;
      const from = Math.max(win.start, seg.docStart);
      const to = Math.min(win.end, seg.docEnd);
      if (to <= from) continue;
      let k = TextMap.pointAt(seg, from);
      let unit = TextMap.unitOf(seg, k);
      let a = 0;
      const astral = seg.astral;
      while (a < astral.length && astral[a] < k) a++;
      for (; unit < to && k < seg.length && coloured < maxChars; k++) {
        const units = a < astral.length && astral[a] === k ? 2 : 1;
        if (units === 2) a++;
        const textUnit = seg.textUnitStart + (unit - seg.docStart);
        const code = text.charCodeAt(textUnit);
        const start = unit;
        unit += units;
        if (code === 10 || code === 13) continue;
        const p = seg.textStart + k;
        const step = stepOf(p, layout);
        let b: number;
        if (step < 0) b = -1;
        else if (picked) {
          const t = p - picked.start;
          b = t >= 0 && t < picked.values.length ? activationBucket(picked.values[t], picked.scale) : -1;
        } else b = bucketOf(row[step], scale);
        if (b >= 0) {
          coloured++;
          const runs = buckets[b];
          if (runBucket === b && runEnd === start) runs[runs.length - 1] = unit;
          else runs.push(start, unit);
          runBucket = b;
          runEnd = unit;
        }
        // Position p was predicted by step p − 1; the first character is given, not predicted.
        if (pred !== null && p >= 1 && p <= layout.positions) {
          const pu = predOffsets ? predOffsets[p] : p;
          if (pu !== undefined && pu < pred.length && pred.codePointAt(pu) !== text.codePointAt(textUnit)) {
            underlined++;
            if (wrongEnd === start) wrong[wrong.length - 1] = unit;
            else wrong.push(start, unit);
            wrongEnd = unit;
          }
        }
      }
    }
  }
  return { buckets, wrong, coloured, underlined };
}

/** The editor overlay's shortest time between repaints (at most ten a second). */
export const REPAINT_MS = 100;

/**
 * Repaint spacing after a paint that coloured `characters` characters: ten a second for a
 * sentence, about one a second for a screenful of a long text, whose thousands of ranges the
 * workbench redraws on every paint.
 */
export function repaintGap(characters: number): number {
  return REPAINT_MS + Math.min(1400, Math.floor(characters / 4));
}
