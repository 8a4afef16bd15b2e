// How many runs may train at once (rnnLab.maxConcurrentRuns). Each run trains in its own worker
// thread; on a 2-core machine five of them at once made every start take 4–8 s and the
// workbench sluggish, so runs beyond the limit wait in a queue, first come first served.
// A run holds its slot from start until its training ends (a paused run keeps it: it can resume
// at any moment); its worker may live on after that for matrix and weights requests.
import { t } from '../core/l10n';

export interface SlotGrant {
  /** Called once when the run may start (synchronously from acquire() when a slot is free). */
  (): void;
}

export class RunSlots {
  private readonly holders: string[] = [];
  private readonly queue: { runId: string; grant: SlotGrant; moved?: () => void }[] = [];
  private readonly listeners = new Set<() => void>();

  /**
   * `limit` is read on every decision, so a changed setting applies to the next start. `cores`:
   * how many the host may use, for threadsPerRun().
   */
  constructor(
    private readonly limit: () => number,
    private readonly cores: () => number = () => 1,
  ) {}

  /**
   * Threads each training run may use now: 2 (a large RNN's output layer in a second thread,
   * src/core/partner.ts) while there are two cores for every run training, else 1, so that runs
   * side by side do not make a second thread wait for a core.
   */
  threadsPerRun(): 1 | 2 {
    return this.cores() >= 2 * Math.max(1, this.holders.length) ? 2 : 1;
  }

  /** `listener` runs whenever the runs training change; returns its removal. */
  onTrainingChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private trainingChanged(): void {
    for (const l of [...this.listeners]) l();
  }

  get full(): boolean {
    return this.holders.length >= this.max();
  }

  /** Runs training now, oldest first. */
  get training(): readonly string[] {
    return this.holders;
  }

  get waiting(): readonly string[] {
    return this.queue.map((q) => q.runId);
  }

  /** 1-based place of a queued run, or 0 when it is not queued. */
  placeOf(runId: string): number {
    return this.queue.findIndex((q) => q.runId === runId) + 1;
  }

  max(): number {
    return Math.max(1, Math.floor(this.limit()));
  }

  /**
   * Grants a slot now or queues the run; returns true when it was granted at once. `moved` is
   * called while the run waits whenever the runs training or queued before it change (its
   * panel says how many there are).
   */
  acquire(runId: string, grant: SlotGrant, moved?: () => void): boolean {
    if (this.holders.includes(runId) || this.placeOf(runId) > 0) throw new Error(t('run {0} already asked for a slot', runId));
    if (!this.full) {
      this.holders.push(runId);
      this.trainingChanged();
      grant();
      return true;
    }
    this.queue.push({ runId, grant, moved });
    return false;
  }

  /** The run ended, was stopped while queued, or was disposed; idempotent. */
  release(runId: string): void {
    const held = this.holders.indexOf(runId);
    if (held >= 0) this.holders.splice(held, 1);
    const queued = this.queue.findIndex((q) => q.runId === runId);
    if (queued >= 0) this.queue.splice(queued, 1);
    this.pump();
    if (held >= 0) this.trainingChanged();
    if (held >= 0 || queued >= 0) for (const q of [...this.queue]) q.moved?.();
  }

  private pump(): void {
    while (!this.full && this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.holders.push(next.runId);
      this.trainingChanged();
      next.grant();
    }
  }
}
