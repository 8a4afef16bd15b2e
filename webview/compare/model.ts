// Pure helpers of the compare view (no DOM), unit-tested in node: the one colour range the three
// heatmaps share, the curves drawn for each run, and which gradient row each cell shows.
import type { CellKind, EpochMetrics } from '../../src/core/types';
import type { GradKey } from '../state';

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
  { view: 'total', label: '‖∂L/∂h_t‖ (total loss)' },
  { view: 'last', label: '‖∂L_T/∂h_t‖ (last loss: vanishing view)' },
  { view: 'memory', label: 'memory state, last loss: ‖∂L_T/∂c_t‖ for the LSTM, ‖∂L_T/∂h_t‖ for RNN and GRU' },
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

/** Loss or accuracy against the epoch number. */
export function curve(epochs: readonly EpochMetrics[], field: 'loss' | 'accuracy'): Point[] {
  return epochs.map((m) => ({ x: m.epoch, y: m[field] }));
}

/** One gradient row against the timestep; rows trimmed from old epochs give no points. */
export function rowPoints(m: EpochMetrics | undefined, key: GradKey): Point[] {
  const row = (m?.[key] as number[] | undefined) ?? [];
  return row.map((y, x) => ({ x, y }));
}

/** The newest epoch that still carries gradient rows (the host trims rows of old epochs). */
export function latestWithRows(history: readonly EpochMetrics[]): EpochMetrics | undefined {
  for (let i = history.length - 1; i >= 0; i--) if (history[i].lastLossGradNorm.length > 0) return history[i];
  return undefined;
}
