// Pure helpers of the compare view (no DOM), unit-tested in node: the one colour range the three
// heatmaps share, the curves drawn for each run, and which gradient row each cell shows.
import type { CellKind } from '../../src/core/types';
import type { MetricsStore } from '../../src/shared/metricsStore';
import type { GradKey } from '../state';
import { t } from '../l10n';

export interface LogRange {
  lo: number;
  hi: number;
}

/** The smallest log10 range covering every heatmap's data; null while none has data. */
export function sharedRange(ranges: readonly LogRange[]): LogRange | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of ranges) {
    if (Number.isFinite(r.lo) && r.lo < lo) lo = r.lo;
    if (Number.isFinite(r.hi) && r.hi > hi) hi = r.hi;
  }
  return lo <= hi ? { lo, hi } : null;
}

/** A move smaller than one of the 256 colour steps changes no visible colour, so it can wait. */
export function movedVisibly(prev: LogRange | null, next: LogRange | null): boolean {
  if (prev === null || next === null) return prev !== next;
  const step = (next.hi - next.lo) / 255;
  if (!(step > 0)) return prev.lo !== next.lo || prev.hi !== next.hi;
  return Math.abs(prev.lo - next.lo) >= step || Math.abs(prev.hi - next.hi) >= step;
}

/** The views the toggle offers. `memory` is each cell's long-term state: c_t for the LSTM, h_t for the others. */
export type CompareView = 'total' | 'last' | 'memory';

export const COMPARE_VIEWS: readonly { view: CompareView; label: string }[] = [
  { view: 'total', label: t('‖∂L/∂h_t‖ (total loss)') },
  { view: 'last', label: t('‖∂L_T/∂h_t‖ (last loss: vanishing view)') },
  { view: 'memory', label: t('memory state, last loss: ‖∂L_T/∂c_t‖ for the LSTM, ‖∂L_T/∂h_t‖ for RNN and GRU') },
];

export function gradKeyFor(view: CompareView, cell: CellKind): GradKey {
  if (view === 'total') return 'gradNorm';
  if (view === 'memory' && cell === 'lstm') return 'lastLossCellGradNorm';
  return 'lastLossGradNorm';
}

export interface Point {
  x: number;
  y: number;
}

/** Loss or accuracy against the epoch number, for epoch indexes [from, length). */
export function curve(store: MetricsStore | undefined, field: 'loss' | 'accuracy', from = 0): Point[] {
  if (!store) return [];
  const col = store.scalar(field);
  const out: Point[] = [];
  for (let i = from; i < col.length; i++) out.push({ x: store.epochAt(i), y: col[i] });
  return out;
}

/** One gradient row against the timestep; an epoch without kept rows gives no points. */
export function rowPoints(store: MetricsStore | undefined, index: number, key: GradKey): Point[] {
  const row = store?.row(key, index);
  return row ? Array.from(row, (y, x) => ({ x, y })) : [];
}

/** The newest epoch index that still carries gradient rows, or −1. */
export function latestWithRows(store: MetricsStore | undefined): number {
  return store ? store.rowsAtOrBefore(store.length - 1) : -1;
}
