// Runs a Trainer in slices and yields to the event loop between them, so whoever owns the
// thread (a worker, a test, the CLI) can pause, step, resume or stop between units of work.

import type { Activation, CellKind, EpochMetrics, LoopState } from './types';
import type { Trainer } from './trainer';
import { t } from './l10n';

export interface LoopHandlers {
  onEpoch(metrics: EpochMetrics): void;
  onState(state: LoopState, message?: string, epoch?: number): void;
}

export interface LoopOptions {
  /** How long one slice may run before yielding (ms). */
  sliceMs?: number;
  /** Schedules the next slice; defaults to setImmediate where there is one, else setTimeout(fn, 0). */
  schedule?: (fn: () => void) => void;
  /** Clock for slicing; defaults to Date.now. */
  now?: () => number;
}

type Scheduler = (fn: () => void) => void;
/**
 * setImmediate where there is one (Node: the training worker, tests): it runs after pending
 * messages are handled, like setTimeout(0), but without the timer's 1 ms floor, which idled the
 * thread 1 ms in every 21 (a 1 MB epoch took 0.1 s longer). The core names no Node API, so it looks.
 */
const defaultSchedule: Scheduler = (() => {
  const g = globalThis as unknown as { setImmediate?: (cb: () => void) => unknown; setTimeout(cb: () => void, ms: number): unknown };
  const immediate = g.setImmediate;
  if (typeof immediate === 'function') return (fn: () => void) => void immediate(fn);
  return (fn: () => void) => void g.setTimeout(fn, 0);
})();

/** What the divergence message needs to say why a run exploded (Trainer.divergenceContext). */
export interface DivergenceContext {
  /** No update had been applied yet: the network as initialised (or loaded) itself exploded. */
  untrained: boolean;
  cell: CellKind;
  activation: Activation;
  /** σ_max(W_hh) of the weights that ran the diverging pass. */
  sigmaMaxWhh: number;
  /** Steps of that forward pass. */
  steps: number;
}

export function divergenceMessage(epoch: number, loss?: number, context?: DivergenceContext): string {
  const what = loss !== undefined && Number.isFinite(loss) ? t('the loss exploded ({0})', loss.toPrecision(4)) : t('the loss or a gradient became NaN or infinite');
  if (context?.untrained) {
    // No learning rate is involved yet: the initial weights are what explodes.
    const s = context.sigmaMaxWhh.toPrecision(3);
    const why =
      context.cell === 'rnn' && context.activation === 'relu'
        ? t('σ_max(W_hh) = {0} and ReLU does not saturate, so h_t can grow {0}× per step over the {1} steps', s, context.steps)
        : t('σ_max(W_hh) = {0} with {1}', s, context.cell === 'rnn' ? context.activation : context.cell);
    return t('Training diverged at epoch {0}, before any update: the untrained network already explodes, so no learning rate is to blame ({1}; {2}). Start from weights with a smaller σ_max(W_hh), another seed, or the tanh activation.', epoch, what, why);
  }
  return t('Training diverged at epoch {0}: {1}. Try a lower learning rate or enable gradient clipping.', epoch, what);
}

export class TrainingLoop {
  private current: LoopState = 'paused';
  private started = false;
  private scheduled = false;
  /** Epochs still to run before pausing again (for step()). */
  private stepBudget = 0;
  private readonly sliceMs: number;
  private readonly schedule: Scheduler;
  private readonly now: () => number;

  constructor(
    readonly trainer: Trainer,
    private readonly handlers: LoopHandlers,
    options: LoopOptions = {},
  ) {
    this.sliceMs = options.sliceMs ?? 20;
    this.schedule = options.schedule ?? defaultSchedule;
    this.now = options.now ?? Date.now;
  }

  get state(): LoopState {
    return this.current;
  }

  private setState(s: LoopState, message?: string, epoch?: number): void {
    this.current = s;
    this.handlers.onState(s, message, epoch);
  }

  private get ended(): boolean {
    return this.current === 'stopped' || this.current === 'done' || this.current === 'diverged';
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.setState('running');
    this.kick();
  }

  pause(): void {
    if (this.current !== 'running') return;
    this.stepBudget = 0;
    this.setState('paused', undefined, this.trainer.epochsDone);
  }

  resume(): void {
    if (this.ended || this.current === 'running') return;
    this.started = true;
    this.stepBudget = 0;
    this.setState('running');
    this.kick();
  }

  /** Runs exactly one more epoch, then pauses. */
  step(): void {
    if (this.ended) return;
    this.started = true;
    if (this.current === 'running') this.pause();
    this.stepBudget = 1;
    this.kick();
  }

  stop(): void {
    if (this.ended) return;
    this.stepBudget = 0;
    this.setState('stopped', undefined, this.trainer.epochsDone);
  }

  private kick(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      this.slice();
    });
  }

  private slice(): void {
    const deadline = this.now() + this.sliceMs;
    const trainer = this.trainer;
    while (!this.ended && (this.current === 'running' || this.stepBudget > 0)) {
      if (trainer.finished) {
        this.setState('done', undefined, trainer.epochsDone);
        return;
      }
      const m = trainer.advance();
      if (m) {
        if (trainer.diverged) {
          this.setState('diverged', divergenceMessage(m.epoch, m.loss, trainer.divergenceContext(m)), m.epoch);
          return;
        }
        this.handlers.onEpoch(m);
        if (this.stepBudget > 0 && --this.stepBudget === 0) {
          if (trainer.finished) this.setState('done', undefined, trainer.epochsDone);
          else this.setState('paused', undefined, trainer.epochsDone);
          return;
        }
      }
      if (this.now() >= deadline) break;
    }
    if (!this.ended && (this.current === 'running' || this.stepBudget > 0)) this.kick();
  }
}
