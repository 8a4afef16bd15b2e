// The panel's model of one run, and the slimmed copy of it kept in vscode.setState so a panel
// that is hidden and shown again draws its charts before the host answers `ready`.
import type { EpochMetrics } from '../src/core/types';
import type { RunInfo, RunState } from '../src/shared/protocol';

export type GradKey = 'gradNorm' | 'lastLossGradNorm' | 'cellGradNorm' | 'lastLossCellGradNorm';

export const GRAD_KEYS: readonly { key: GradKey; label: string; short: string }[] = [
  { key: 'gradNorm', label: '‖∂L/∂h_t‖ (total loss)', short: '‖∂L/∂h_t‖' },
  { key: 'lastLossGradNorm', label: '‖∂L_T/∂h_t‖ (last loss only: vanishing view)', short: '‖∂L_T/∂h_t‖' },
  { key: 'cellGradNorm', label: '‖∂L/∂c_t‖ (LSTM cell state)', short: '‖∂L/∂c_t‖' },
  { key: 'lastLossCellGradNorm', label: '‖∂L_T/∂c_t‖ (LSTM cell state, last loss)', short: '‖∂L_T/∂c_t‖' },
];

export interface Prefs {
  lossLog: boolean;
  gradKey: GradKey;
}

export interface PersistedState {
  version: 1;
  run: RunInfo;
  history: EpochMetrics[];
  state: RunState;
  message?: string;
  restored: boolean;
  prefs: Prefs;
}

export class RunModel {
  run: RunInfo | undefined;
  history: EpochMetrics[] = [];
  state: RunState = 'starting';
  message: string | undefined;
  /** The epoch the last `state` message was about (e.g. where it diverged). */
  stateEpoch: number | undefined;
  restored = false;
  prefs: Prefs = { lossLog: false, gradKey: 'gradNorm' };

  reset(run: RunInfo, history: EpochMetrics[], state: RunState, message: string | undefined, restored: boolean): void {
    this.run = run;
    this.history = history.slice();
    this.state = state;
    this.message = message;
    this.stateEpoch = undefined;
    this.restored = restored;
  }

  get latest(): EpochMetrics | undefined {
    return this.history[this.history.length - 1];
  }

  /** Index of an epoch number in the history (epochs arrive in increasing order). */
  indexOf(epoch: number): number {
    let lo = 0;
    let hi = this.history.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = this.history[mid].epoch;
      if (e === epoch) return mid;
      if (e < epoch) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  hasCellRows(): boolean {
    const m = this.latest;
    return !!m && Array.isArray(m.cellGradNorm) && m.cellGradNorm.length > 0;
  }

  /**
   * The copy for setState. `withRows` adds gradient rows (within GRAD_BUDGET); without it only
   * the scalars, the printed predictions and the last epoch are kept, which is cheap enough to
   * save every second while a run streams. A paused or finished run saves its rows, so a panel
   * restored after a reload still shows the heatmap.
   */
  snapshot(withRows: boolean): PersistedState | undefined {
    if (!this.run) return undefined;
    return {
      version: 1,
      run: this.run,
      history: slimHistory(this.history, this.run.printEvery, withRows ? GRAD_BUDGET : 0),
      state: this.state,
      message: this.message,
      restored: this.restored,
      prefs: { ...this.prefs },
    };
  }
}

/** Gradient values kept in a saved state (the host's `init` brings the full history when it has it). */
const GRAD_BUDGET = 500_000;

const finite = (v: number): number => (Number.isFinite(v) ? v : 0);

/** Four significant digits are plenty for a colour and halve the size of the saved JSON. */
function compactRow(row: readonly number[] | undefined): number[] | undefined {
  return row?.map((v) => (Number.isFinite(v) ? Number(v.toPrecision(4)) : 0));
}

/**
 * Slims the history for setState. Every epoch keeps its scalars (the charts); gradient rows are
 * kept for evenly spaced epochs (and the last) within `budget` values, empty otherwise;
 * predictions only where the printed history needs them. Non-finite numbers, which JSON would
 * turn into null, become 0 ("no data" in the heatmap), so the host's validator accepts the state.
 */
export function slimHistory(history: readonly EpochMetrics[], printEvery: number, budget: number): EpochMetrics[] {
  const n = history.length;
  const perEpoch = n > 0 ? rowValues(history[n - 1]) : 0;
  const keepEvery = perEpoch > 0 && budget >= perEpoch ? Math.max(1, Math.ceil((n * perEpoch) / budget)) : Infinity;
  const out: EpochMetrics[] = [];
  for (let i = 0; i < n; i++) {
    const m = history[i];
    if (!Number.isFinite(m.loss) || !Number.isFinite(m.accuracy)) continue;
    const last = i === n - 1;
    const keepRows = (last && budget > 0) || (n - 1 - i) % keepEvery === 0;
    const keepPrediction = last || (printEvery > 0 && m.epoch % printEvery === 0);
    const e: EpochMetrics = {
      epoch: m.epoch,
      loss: m.loss,
      accuracy: m.accuracy,
      predicted: keepPrediction ? m.predicted : '',
      gradNorm: keepRows || last ? compactRow(m.gradNorm)! : [],
      lastLossGradNorm: keepRows || last ? compactRow(m.lastLossGradNorm)! : [],
      paramGradNorm: {},
      sigmaMaxWhh: finite(m.sigmaMaxWhh),
    };
    if ((keepRows || last) && m.cellGradNorm) e.cellGradNorm = compactRow(m.cellGradNorm);
    if ((keepRows || last) && m.lastLossCellGradNorm) e.lastLossCellGradNorm = compactRow(m.lastLossCellGradNorm);
    if (m.clipped) e.clipped = true;
    out.push(e);
  }
  return out;
}

function rowValues(m: EpochMetrics): number {
  return m.gradNorm.length + m.lastLossGradNorm.length + (m.cellGradNorm?.length ?? 0) + (m.lastLossCellGradNorm?.length ?? 0);
}

/** Guards what getState() returns: an older build's state, or garbage, is ignored. */
export function isPersistedState(v: unknown): v is PersistedState {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<PersistedState>;
  return s.version === 1 && typeof s.run === 'object' && s.run !== null && Array.isArray(s.run.chars) && Array.isArray(s.history) && typeof s.state === 'string';
}
