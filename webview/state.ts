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

  snapshot(): PersistedState | undefined {
    if (!this.run) return undefined;
    return {
      version: 1,
      run: this.run,
      history: slimHistory(this.history, this.run.printEvery),
      state: this.state,
      message: this.message,
      restored: this.restored,
      prefs: { ...this.prefs },
    };
  }
}

/** Gradient values kept in the saved state; the host's `init` brings the full history anyway. */
const GRAD_BUDGET = 100_000;

/**
 * Keeps every scalar (the charts) but drops what makes a long run's state huge: gradient rows
 * beyond a budget (newest kept) and predictions other than the printed history and the last.
 */
export function slimHistory(history: EpochMetrics[], printEvery: number): EpochMetrics[] {
  const out: EpochMetrics[] = new Array(history.length);
  let budget = GRAD_BUDGET;
  for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i];
    const cells = m.gradNorm.length + m.lastLossGradNorm.length + (m.cellGradNorm?.length ?? 0) + (m.lastLossCellGradNorm?.length ?? 0);
    const keepRows = budget >= cells;
    if (keepRows) budget -= cells;
    const keepPrediction = i === history.length - 1 || (printEvery > 0 && m.epoch % printEvery === 0);
    out[i] = {
      epoch: m.epoch,
      loss: m.loss,
      accuracy: m.accuracy,
      predicted: keepPrediction ? m.predicted : '',
      gradNorm: keepRows ? m.gradNorm : [],
      lastLossGradNorm: keepRows ? m.lastLossGradNorm : [],
      ...(keepRows && m.cellGradNorm ? { cellGradNorm: m.cellGradNorm } : {}),
      ...(keepRows && m.lastLossCellGradNorm ? { lastLossCellGradNorm: m.lastLossCellGradNorm } : {}),
      paramGradNorm: {},
      sigmaMaxWhh: m.sigmaMaxWhh,
      ...(m.clipped ? { clipped: true } : {}),
    };
  }
  return out;
}

/** Guards what getState() returns: an older build's state, or garbage, is ignored. */
export function isPersistedState(v: unknown): v is PersistedState {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<PersistedState>;
  return s.version === 1 && typeof s.run === 'object' && s.run !== null && Array.isArray(s.run.chars) && Array.isArray(s.history) && typeof s.state === 'string';
}
