// Epochs as column blocks: the one shape in which metrics travel from the training worker to the
// host and on to the webview. Scalars are typed columns, each per-step row kind is one
// epochs × steps block, strings stay strings. Typed arrays cross worker `postMessage` as
// transferables and VS Code's `webview.postMessage` as binary (extensions targeting 1.57+), so a
// 10,000-epoch × 200-step run costs no JSON on the extension host's main thread.
//
// Every array of a block owns its whole ArrayBuffer (no views into a larger buffer): both
// transports send the entire `.buffer` behind a view.
import type { EpochMetrics } from '../core/types';
import { t } from '../core/l10n';

/** Per-epoch numbers, one Float64Array column each. A null field of EpochMetrics is stored as NaN. */
export const SCALAR_KEYS = ['loss', 'accuracy', 'sigmaMaxWhh', 'shrinkPerStep', 'reach1pct', 'valLoss', 'valAccuracy'] as const;
export type ScalarKey = (typeof SCALAR_KEYS)[number];

/** Per-step rows, one epochs × rowLength block each. */
export const ROW_KEYS = ['gradNorm', 'lastLossGradNorm', 'cellGradNorm', 'lastLossCellGradNorm', 'activationSlope', 'stepBound'] as const;
export type RowKey = (typeof ROW_KEYS)[number];

/** Scalars every run reports; the others appear when the cell or the config produces them. */
export const REQUIRED_SCALARS: readonly ScalarKey[] = ['loss', 'accuracy', 'sigmaMaxWhh'];
/** Rows every run reports. */
export const REQUIRED_ROWS: readonly RowKey[] = ['gradNorm', 'lastLossGradNorm'];

/** A row of S steps has S numbers, except the bound on the step t+1 → t, which has S − 1. */
export function rowLength(key: RowKey, steps: number): number {
  return key === 'stepBound' ? Math.max(0, steps - 1) : steps;
}

/** What is constant over a run's blocks: which columns and rows exist, and their sizes. */
export interface BlockLayout {
  steps: number;
  scalars: ScalarKey[];
  rows: RowKey[];
  /** Names of the paramGradNorm columns, in the cell's parameter order. */
  params: string[];
}

export interface EpochBlock {
  /** Epoch number of the block's first epoch; the others follow one by one. */
  first: number;
  count: number;
  /** Length S of the run's per-step rows. */
  steps: number;
  /** Names of the paramGradNorm columns, in the cell's parameter order. */
  params: string[];
  scalars: Partial<Record<ScalarKey, Float64Array>>;
  /** 1 where gradient clipping scaled an update of the epoch. */
  clipped: Uint8Array;
  /** count × params.length, row-major: the gradient's Frobenius norm per parameter. */
  paramGradNorm: Float64Array;
  /**
   * Offsets (0 ≤ offset < count, increasing) of the epochs that carry per-step rows. A block made
   * by the worker lists every epoch; the host's budget or a slimmed saved state drops rows, and
   * this says which epochs kept them.
   */
  rowEpochs: Int32Array;
  /** rowEpochs.length × rowLength(key) numbers for every row kind of the layout. */
  rows: Partial<Record<RowKey, Float64Array>>;
  /** The prediction of each epoch; null where it was not kept or not sent (long texts). */
  predicted: (string | null)[];
}

/** The layout an epoch's report implies (the same for every epoch of a run). */
export function layoutOf(m: EpochMetrics, steps: number): BlockLayout {
  const rec = m as unknown as Record<string, unknown>;
  return {
    steps,
    scalars: SCALAR_KEYS.filter((k) => REQUIRED_SCALARS.includes(k) || rec[k] !== undefined),
    rows: ROW_KEYS.filter((k) => Array.isArray(rec[k])),
    params: Object.keys(m.paramGradNorm),
  };
}

/** The layout a block carries: its columns and rows say which exist. */
export function layoutOfBlock(b: EpochBlock): BlockLayout {
  return {
    steps: b.steps,
    scalars: SCALAR_KEYS.filter((k) => b.scalars[k] !== undefined),
    rows: ROW_KEYS.filter((k) => b.rows[k] !== undefined),
    params: [...b.params],
  };
}

/** Packs epochs (consecutive, in order, at least one) into one block; every epoch carries its rows. */
export function blockFromEpochs(epochs: readonly EpochMetrics[], steps: number): EpochBlock {
  const n = epochs.length;
  const layout = layoutOf(epochs[0], steps);
  const scalars: Partial<Record<ScalarKey, Float64Array>> = {};
  for (const key of layout.scalars) {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = (epochs[i] as unknown as Record<string, number | null | undefined>)[key];
      col[i] = typeof v === 'number' ? v : NaN;
    }
    scalars[key] = col;
  }
  const P = layout.params.length;
  const paramGradNorm = new Float64Array(n * P);
  const clipped = new Uint8Array(n);
  const rowEpochs = new Int32Array(n);
  const predicted: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const m = epochs[i];
    for (let p = 0; p < P; p++) paramGradNorm[i * P + p] = m.paramGradNorm[layout.params[p]] ?? NaN;
    clipped[i] = m.clipped ? 1 : 0;
    rowEpochs[i] = i;
    predicted[i] = m.predicted;
  }
  const rows: Partial<Record<RowKey, Float64Array>> = {};
  for (const key of layout.rows) {
    const len = rowLength(key, layout.steps);
    const block = new Float64Array(n * len);
    for (let i = 0; i < n; i++) {
      const row = (epochs[i] as unknown as Record<string, readonly (number | null)[] | undefined>)[key];
      for (let t = 0; t < len; t++) {
        const v = row?.[t];
        block[i * len + t] = typeof v === 'number' ? v : NaN;
      }
    }
    rows[key] = block;
  }
  return { first: epochs[0].epoch, count: n, steps, params: layout.params, scalars, clipped, paramGradNorm, rowEpochs, rows, predicted };
}

/** Joins consecutive blocks into one (the host does it for a webview that is still busy). */
export function concatBlocks(blocks: readonly EpochBlock[]): EpochBlock {
  if (blocks.length === 1) return blocks[0];
  if (blocks.length === 0) throw new RangeError(t('concatBlocks needs at least one block'));
  const count = blocks.reduce((n, b) => n + b.count, 0);
  const first = blocks[0].first;
  const cat = (arrays: Float64Array[]): Float64Array => {
    const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
    let at = 0;
    for (const a of arrays) {
      out.set(a, at);
      at += a.length;
    }
    return out;
  };
  const scalars: Partial<Record<ScalarKey, Float64Array>> = {};
  for (const key of SCALAR_KEYS) {
    if (blocks[0].scalars[key]) scalars[key] = cat(blocks.map((b) => b.scalars[key] ?? new Float64Array(b.count).fill(NaN)));
  }
  const rows: Partial<Record<RowKey, Float64Array>> = {};
  for (const key of ROW_KEYS) {
    if (blocks[0].rows[key]) rows[key] = cat(blocks.map((b) => b.rows[key] ?? new Float64Array(0)));
  }
  const clipped = new Uint8Array(count);
  const rowEpochs = new Int32Array(blocks.reduce((n, b) => n + b.rowEpochs.length, 0));
  let offset = 0;
  let r = 0;
  for (const b of blocks) {
    clipped.set(b.clipped, offset);
    for (let i = 0; i < b.rowEpochs.length; i++) rowEpochs[r++] = b.rowEpochs[i] + offset;
    offset += b.count;
  }
  return {
    first,
    count,
    steps: blocks[0].steps,
    params: blocks[0].params,
    scalars,
    clipped,
    paramGradNorm: cat(blocks.map((b) => b.paramGradNorm)),
    rowEpochs,
    rows,
    predicted: blocks.flatMap((b) => b.predicted),
  };
}

/** The block without its predictions (what the webview gets for a long text). */
export function withoutPredictions(b: EpochBlock): EpochBlock {
  return { ...b, predicted: new Array<null>(b.count).fill(null) };
}

/** Bytes of the block's typed arrays (what the budget counts). */
export function blockBytes(b: EpochBlock): number {
  let n = b.clipped.byteLength + b.paramGradNorm.byteLength + b.rowEpochs.byteLength;
  for (const a of Object.values(b.scalars)) n += a.byteLength;
  for (const a of Object.values(b.rows)) n += a.byteLength;
  return n;
}

/** Every typed array's buffer, for a worker's transfer list. */
export function blockBuffers(b: EpochBlock): ArrayBuffer[] {
  const out: ArrayBuffer[] = [b.clipped.buffer as ArrayBuffer, b.paramGradNorm.buffer as ArrayBuffer, b.rowEpochs.buffer as ArrayBuffer];
  for (const a of Object.values(b.scalars)) out.push(a.buffer as ArrayBuffer);
  for (const a of Object.values(b.rows)) out.push(a.buffer as ArrayBuffer);
  return out;
}
