// Every run the extension knows about, who owns it (the panel that shows it and can reveal
// itself), which run is "active" (status bar, export commands), and the RnnLabApi that tests
// read. The owner is an interface, so this stays free of `vscode`.
import type { OverlaySnapshot, RunSnapshot, RnnLabApi } from '../api';
import type { RunState } from '../shared/protocol';
import type { TrainingRun } from './run';
import { t } from '../core/l10n';

export interface RunOwner {
  /** True while the owner is open and the run is still its current one (a restart replaces it). */
  owns(runId: string): boolean;
  reveal(): void;
  /** Closes the owner; resolves once its workers have exited. */
  close(): Promise<void>;
  /** Renders one of the owner's figures as a PNG (`rnnLab.exportFigure`). */
  renderFigure?(figure: string): Promise<{ png: string; width: number; height: number }>;
  /** The editor overlay's state, for owners that colour the editor (training panels). */
  overlaySnapshot?(): OverlaySnapshot;
}

interface Entry {
  run: TrainingRun;
  owner: RunOwner;
}

/** Closed runs kept for `runs()`; their histories are the memory this costs. */
const MAX_CLOSED_RUNS = 20;

type Waiter = { runId: string; states: RunState[]; resolve(s: RunSnapshot): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> };

export class RunRegistry implements RnnLabApi {
  private readonly entries = new Map<string, Entry>();
  private readonly waiters = new Set<Waiter>();
  private activeId: string | undefined;
  private readonly listeners = new Set<() => void>();

  add(run: TrainingRun, owner: RunOwner): void {
    this.entries.set(run.runId, { run, owner });
    this.activeId = run.runId;
    this.changed(run);
  }

  /**
   * The run's panel closed (or a restart replaced the run). It stays listed, with panelOpen and
   * workerAlive false, so callers can see how it ended; only the newest closed runs are kept.
   */
  closed(runId: string): void {
    const entry = this.entries.get(runId);
    if (!entry) return;
    if (this.activeId === runId) this.activeId = this.open().pop()?.runId;
    for (const w of [...this.waiters]) {
      if (w.runId === runId) this.settle(w, undefined, new Error(t('run {0} was closed in state {1} before reaching {2}', runId, entry.run.state, w.states.join('/'))));
    }
    const closed = [...this.entries.values()].filter((e) => !this.isOpen(e) || e.run.runId === runId);
    for (const old of closed.slice(0, Math.max(0, closed.length - MAX_CLOSED_RUNS))) this.entries.delete(old.run.runId);
    this.notify();
  }

  /** Runs whose panel is open, oldest first. */
  open(): TrainingRun[] {
    return [...this.entries.values()].filter((e) => this.isOpen(e)).map((e) => e.run);
  }

  /** Shows the panel of a run; false when no open panel has it. */
  reveal(runId: string): boolean {
    const entry = this.entries.get(runId);
    if (!entry || !this.isOpen(entry)) return false;
    entry.owner.reveal();
    return true;
  }

  /** The open owner of a run (a panel), if any. */
  ownerOf(runId: string): RunOwner | undefined {
    const entry = this.entries.get(runId);
    return entry && this.isOpen(entry) ? entry.owner : undefined;
  }

  /** Closes every open owner (deactivation); resolves once all their workers have exited. */
  async closeAll(): Promise<void> {
    const owners = new Set([...this.entries.values()].filter((e) => this.isOpen(e)).map((e) => e.owner));
    await Promise.allSettled([...owners].map((o) => o.close()));
  }

  get(runId: string): TrainingRun | undefined {
    return this.entries.get(runId)?.run;
  }


  all(): TrainingRun[] {
    return [...this.entries.values()].map((e) => e.run);
  }

  setActive(runId: string): void {
    const entry = this.entries.get(runId);
    if (entry && this.isOpen(entry) && this.activeId !== runId) {
      this.activeId = runId;
      this.notify();
    }
  }

  get active(): TrainingRun | undefined {
    return this.activeId === undefined ? undefined : this.get(this.activeId);
  }

  /** Registers a listener for any change of any run (throttled by the runs themselves). */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Called by a run's hooks whenever its state or last epoch changed. */
  changed(run: TrainingRun): void {
    const entry = this.entries.get(run.runId);
    if (entry && entry.run === run) {
      for (const w of [...this.waiters]) {
        if (w.runId === run.runId && w.states.includes(run.state)) this.settle(w, this.snapshotOf(entry));
      }
    }
    this.notify();
  }

  runs(): RunSnapshot[] {
    return [...this.entries.values()].map((e) => this.snapshotOf(e));
  }

  waitForState(runId: string, states: RunState[], timeoutMs: number): Promise<RunSnapshot> {
    const entry = this.entries.get(runId);
    if (!entry) return Promise.reject(new Error(t('no run {0}', runId)));
    if (states.includes(entry.run.state)) return Promise.resolve(this.snapshotOf(entry));
    return new Promise<RunSnapshot>((resolve, reject) => {
      const waiter: Waiter = {
        runId,
        states,
        resolve,
        reject,
        timer: setTimeout(() => {
          const current = this.entries.get(runId)?.run.state ?? 'closed';
          this.settle(waiter, undefined, new Error(t('run {0} did not reach {1} within {2} ms (state: {3})', runId, states.join('/'), timeoutMs, current)));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  dispose(): void {
    for (const w of [...this.waiters]) this.settle(w, undefined, new Error(t('RNN Lab was deactivated')));
    this.entries.clear();
    this.listeners.clear();
  }

  private isOpen(e: Entry): boolean {
    return e.owner.owns(e.run.runId);
  }

  private snapshotOf(entry: Entry): RunSnapshot {
    const open = this.isOpen(entry);
    const snap = entry.run.snapshot(open);
    const overlay = open ? entry.owner.overlaySnapshot?.() : undefined;
    return overlay ? { ...snap, overlay } : snap;
  }

  private settle(w: Waiter, value: RunSnapshot | undefined, err?: Error): void {
    if (!this.waiters.delete(w)) return;
    clearTimeout(w.timer);
    if (err) w.reject(err);
    else w.resolve(value!);
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
