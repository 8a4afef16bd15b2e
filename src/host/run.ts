// One training run as the host sees it: the worker that trains, the history of epochs that
// reached the host, the run's state, and the stream to its webview. Free of `vscode` so the
// whole relay (worker → history → batches → webview) can be tested with fakes.
import type { EpochMetrics, TrainConfig } from '../core/types';
import type { ControlAction, HostToWebview, HostToWorker, RunInfo, RunState, WorkerToHost } from '../shared/protocol';
import type { RunSnapshot } from '../api';
import type { IDisposable } from '../dispose';
import { Batcher, type Clock } from './batcher';
import { formatEpochLine, shouldLogEpoch } from './format';
import { RunHistory, type HistoryBudget } from './history';
import type { WorkerEvents } from './workerBridge';

/** The part of WorkerBridge a run uses; tests substitute a fake. */
export interface WorkerHandle {
  readonly alive: boolean;
  post(msg: HostToWorker): void;
  requestMatrix(epoch: number): Promise<Extract<WorkerToHost, { type: 'matrix' }>>;
  requestWeights(): Promise<string>;
  terminate(): Promise<void>;
}

export type WorkerFactory = (events: WorkerEvents) => WorkerHandle;

export interface RunDescription {
  runId: string;
  title: string;
  text: string;
  config: TrainConfig;
  printEvery: number;
  notes: string[];
  /** A weights file's JSON to continue from (its optimizer state and epoch count included). */
  initWeights?: string;
}

export interface RunHooks {
  /** Delivers a message to the run's webview (only called while the webview is ready). */
  post(msg: HostToWebview): void;
  /** One line for the output channel. */
  log(line: string): void;
  /** Something the status bar or an API waiter may care about changed (throttled like the epochs). */
  changed(run: TrainingRun): void;
}

export interface RunOptions {
  clock?: Clock;
  batchIntervalMs?: number;
  historyBudget?: HistoryBudget;
}

export const RESTORED_MESSAGE = "Restored after reload: showing the run's history; training is not resumed.";
const ENDED: readonly RunState[] = ['stopped', 'done', 'diverged', 'crashed'];

export class TrainingRun implements IDisposable {
  readonly runId: string;
  readonly title: string;
  readonly text: string;
  readonly config: TrainConfig;
  readonly printEvery: number;
  readonly notes: string[];
  readonly restored: boolean;

  private _state: RunState = 'starting';
  private _message: string | undefined;
  private _info: RunInfo | undefined;
  private worker: WorkerHandle | undefined;
  private readonly batcher: Batcher<EpochMetrics>;
  private webviewReady = false;
  private disposed = false;
  private disposing: Promise<void> | undefined;
  private lastLogged = -1;
  private readonly kept: RunHistory;

  private constructor(
    desc: RunDescription,
    private readonly hooks: RunHooks,
    options: RunOptions & { restored: boolean },
  ) {
    this.kept = new RunHistory(desc.printEvery, options.historyBudget);
    this.runId = desc.runId;
    this.title = desc.title;
    this.text = desc.text;
    this.config = desc.config;
    this.printEvery = desc.printEvery;
    this.notes = desc.notes;
    this.restored = options.restored;
    this.batcher = new Batcher<EpochMetrics>((epochs) => this.sendEpochs(epochs), {
      clock: options.clock,
      intervalMs: options.batchIntervalMs,
    });
  }

  /** Spawns the worker and starts training; the webview gets `init` once it is ready and the worker has started. */
  static start(desc: RunDescription, createWorker: WorkerFactory, hooks: RunHooks, options: RunOptions = {}): TrainingRun {
    const run = new TrainingRun(desc, hooks, { ...options, restored: false });
    run.worker = createWorker({
      onMessage: (msg) => run.receive(msg),
      onCrash: (message) => run.crashed(message),
    });
    run.worker.post({ type: 'start', text: desc.text, config: desc.config, ...(desc.initWeights === undefined ? {} : { initWeights: desc.initWeights }) });
    return run;
  }

  /** A run rebuilt from a webview's persisted state after a reload: history only, no worker. */
  static restore(info: RunInfo, history: EpochMetrics[], state: RunState, hooks: RunHooks): TrainingRun {
    const run = new TrainingRun(
      { runId: info.runId, title: info.title, text: info.chars.join(''), config: info.config, printEvery: info.printEvery, notes: info.notes },
      hooks,
      { restored: true },
    );
    run._info = info;
    for (const m of history) run.kept.push(m);
    run._state = state === 'done' ? 'done' : 'stopped';
    run._message = RESTORED_MESSAGE;
    return run;
  }

  get state(): RunState {
    return this._state;
  }

  get message(): string | undefined {
    return this._message;
  }

  get info(): RunInfo | undefined {
    return this._info;
  }

  get workerAlive(): boolean {
    return this.worker?.alive ?? false;
  }

  get ended(): boolean {
    return ENDED.includes(this._state);
  }

  get last(): EpochMetrics | undefined {
    return this.kept.last;
  }

  /** Every epoch that reached the host, oldest first (old ones trimmed to scalars beyond the budget). */
  get history(): readonly EpochMetrics[] {
    return this.kept.epochs;
  }

  snapshot(panelOpen: boolean): RunSnapshot {
    const firstEpoch = this._info?.firstEpoch ?? 0;
    return {
      runId: this.runId,
      title: this.title,
      state: this._state,
      config: this.config,
      epochsDone: firstEpoch + this.history.length,
      last: this.last,
      panelOpen,
      workerAlive: this.workerAlive,
      message: this._message,
    };
  }

  /** The webview (re)loaded: it gets the full history in one `init`, so anything batched for it is dropped. */
  webviewDidLoad(): void {
    this.batcher.flush();
    this.webviewReady = true;
    this.sendInit();
  }

  /** The webview was hidden or disposed; nothing is posted until it says `ready` again. */
  webviewDidUnload(): void {
    this.webviewReady = false;
  }

  control(action: ControlAction): string | undefined {
    if (!this.worker?.alive) return this.restored ? RESTORED_MESSAGE : 'This run has no training worker any more.';
    this.worker.post({ type: 'control', action });
    return undefined;
  }

  async requestMatrix(epoch: number): Promise<Extract<HostToWebview, { type: 'matrix' }>> {
    if (!this.worker?.alive) throw new Error('The gradient matrix needs the training worker, which is no longer running for this run.');
    const reply = await this.worker.requestMatrix(epoch);
    return { type: 'matrix', runId: this.runId, epoch: reply.epoch, size: reply.size, values: reply.values };
  }

  async exportWeights(): Promise<string> {
    if (!this.worker?.alive) {
      throw new Error(this.restored ? 'This run was restored after a reload; its weights were not kept. Restart it to train again.' : 'The training worker of this run is no longer running.');
    }
    return this.worker.requestWeights();
  }

  /** Terminates the worker; resolves once the thread is gone. */
  dispose(): Promise<void> {
    // Every caller (panel close, restart, deactivate) gets the same promise, so each can wait for the thread to end.
    this.disposing ??= (async () => {
      this.disposed = true;
      this.batcher.dispose();
      this.webviewReady = false;
      if (this.worker) await this.worker.terminate();
      this.hooks.changed(this);
    })();
    return this.disposing;
  }

  private receive(msg: WorkerToHost): void {
    if (this.disposed) return;
    switch (msg.type) {
      case 'started':
        this._info = {
          runId: this.runId,
          title: this.title,
          chars: Array.from(this.text),
          config: this.config,
          firstEpoch: msg.firstEpoch,
          steps: msg.steps,
          stepLabels: msg.stepLabels,
          printEvery: this.printEvery,
          notes: this.notes,
        };
        this._state = 'running';
        if (this.webviewReady) this.sendInit();
        this.hooks.changed(this);
        return;
      case 'epoch':
        this.kept.push(msg.metrics);
        this.logEpoch(msg.metrics, false);
        this.batcher.push(msg.metrics);
        return;
      case 'state':
        this.setState(msg.state, msg.message, msg.epoch);
        return;
      case 'error':
        // An error outside a request means the run could not start or continue.
        this.crashed(msg.message);
        return;
      case 'matrix':
      case 'weights':
        // Replies whose request already timed out; nothing waits for them.
        return;
    }
  }

  private crashed(message: string): void {
    if (this.disposed) return;
    this.setState('crashed', message);
  }

  private setState(state: RunState, message?: string, epoch?: number): void {
    // The last epoch must reach the webview before the state that ends or pauses the run.
    this.batcher.flush();
    this._state = state;
    this._message = message;
    const ended = ENDED.includes(state);
    if (ended && this.last) this.logEpoch(this.last, true);
    if (message && ended) this.hooks.log(`[${this.runId}] ${state}: ${message}`);
    if (this.webviewReady) {
      if (this._info) this.hooks.post({ type: 'state', runId: this.runId, state, message, epoch });
      else this.sendInit();
    }
    this.hooks.changed(this);
  }

  private logEpoch(m: EpochMetrics, force: boolean): void {
    if (m.epoch <= this.lastLogged) return;
    const lastEpoch = (this._info?.firstEpoch ?? 0) + this.config.epochs - 1;
    if (force || shouldLogEpoch(m.epoch, this.printEvery, lastEpoch)) {
      this.lastLogged = m.epoch;
      this.hooks.log(`[${this.runId}] ${formatEpochLine(m)}`);
    }
  }

  private sendEpochs(epochs: EpochMetrics[]): void {
    if (this.webviewReady && this._info) this.hooks.post({ type: 'epochs', runId: this.runId, epochs });
    this.hooks.changed(this);
  }

  private sendInit(): void {
    // Before the worker reports its step layout there is nothing to draw, unless it already failed.
    const info = this._info ?? (this.ended ? this.placeholderInfo() : undefined);
    if (!info) return;
    this.hooks.post({
      type: 'init',
      run: info,
      history: this.history.slice(),
      state: this._state,
      message: this._message,
      restored: this.restored,
    });
  }

  private placeholderInfo(): RunInfo {
    return {
      runId: this.runId,
      title: this.title,
      chars: Array.from(this.text),
      config: this.config,
      firstEpoch: 0,
      steps: 0,
      stepLabels: [],
      printEvery: this.printEvery,
      notes: this.notes,
    };
  }
}
