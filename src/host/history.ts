// The epochs of a run kept by the host. A long run (100,000 epochs over a 400-character text)
// would otherwise hold gigabytes of per-timestep rows and send them all in every `init`, so
// beyond a budget the oldest epochs keep only their scalars: every epoch stays on the loss and
// accuracy charts, the recent ones keep their gradient rows and predictions.
import type { EpochMetrics } from '../core/types';

export interface HistoryBudget {
  /** Numbers in per-timestep rows (gradNorm, lastLossGradNorm and the LSTM cell rows). */
  rowValues: number;
  /** Characters of predictions; those of printEvery epochs are always kept. */
  predictedChars: number;
}

export const DEFAULT_HISTORY_BUDGET: HistoryBudget = { rowValues: 1_000_000, predictedChars: 2_000_000 };

function rowCount(m: EpochMetrics): number {
  return m.gradNorm.length + m.lastLossGradNorm.length + (m.cellGradNorm?.length ?? 0) + (m.lastLossCellGradNorm?.length ?? 0);
}

export class RunHistory {
  readonly epochs: EpochMetrics[] = [];
  private rowValues = 0;
  private predictedChars = 0;
  /** Epochs before these indexes are already trimmed. */
  private rowCursor = 0;
  private predictedCursor = 0;

  constructor(
    private readonly printEvery: number,
    private readonly budget: HistoryBudget = DEFAULT_HISTORY_BUDGET,
  ) {}

  get length(): number {
    return this.epochs.length;
  }

  get last(): EpochMetrics | undefined {
    return this.epochs[this.epochs.length - 1];
  }

  push(m: EpochMetrics): void {
    this.epochs.push(m);
    this.rowValues += rowCount(m);
    this.predictedChars += m.predicted.length;
    this.trim();
  }

  /**
   * Trimmed epochs are replaced by copies, never mutated: the original object may still be on
   * its way to the webview in a pending batch. The newest epoch is never trimmed.
   */
  private trim(): void {
    const newest = this.epochs.length - 1;
    while (this.rowValues > this.budget.rowValues && this.rowCursor < newest) {
      const m = this.epochs[this.rowCursor];
      this.rowValues -= rowCount(m);
      const { cellGradNorm, lastLossCellGradNorm, ...rest } = m;
      this.epochs[this.rowCursor] = {
        ...rest,
        gradNorm: [],
        lastLossGradNorm: [],
        ...(cellGradNorm ? { cellGradNorm: [] } : {}),
        ...(lastLossCellGradNorm ? { lastLossCellGradNorm: [] } : {}),
      };
      this.rowCursor++;
    }
    while (this.predictedChars > this.budget.predictedChars && this.predictedCursor < newest) {
      const m = this.epochs[this.predictedCursor];
      if (m.epoch % this.printEvery !== 0 && m.predicted.length > 0) {
        this.predictedChars -= m.predicted.length;
        this.epochs[this.predictedCursor] = { ...m, predicted: '' };
      }
      this.predictedCursor++;
    }
  }
}
