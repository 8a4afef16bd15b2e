// One training run as the host sees it: the worker that trains, the history of epochs that
// reached the host, the run's state, and the stream to its webview. Free of `vscode` so the
// whole relay (worker → history → batches → webview) can be tested with fakes.
import type { EpochMetrics, TrainConfig } from '../core/types';
import type { ControlAction, HostToWebview, HostToWorker, RunInfo, RunState, WorkerToHost } from '../shared/protocol';
import type { RunSnapshot } from '../api';
import type { IDisposable } from '../dispose';
import { Batcher, systemClock, type Clock } from './batcher';
import { formatEpochLine, shouldLogEpoch } from './format';
import { thinForDisplay } from './displayThinning';
import { DEFAULT_HISTORY_BUDGET, RunHistory, type HistoryBudget } from './history';
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
  /**
   * Delivers a message to the run's webview (only called while the webview is ready); returns
   * the delivery when the transport reports it, so a slow webview slows the stream down.
   */
  post(msg: HostToWebview): void | PromiseLike<unknown>;
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

/**
 * Per-timestep numbers per message when the history is (re)sent to a loaded webview. VS Code
 * serialises webview messages on the extension host's main thread; one `init` carrying a long
 * run's whole history blocked it for seconds, so long histories go out in slices with a yield
 * between them.
 */
export const REPLAY_CHUNK_VALUES = 60_000;
/** Gradient-row numbers per second streamed to the webview (see displayThinning). */
export const LIVE_ROW_VALUES_PER_SECOND = 10_000;
/**
 * Gradient-row numbers in a history resent to a (re)loaded webview (or to a fast run's panel when
 * it stops): as many as the host keeps, so the picture left on screen is every row the host has.
 * It goes out in slices (REPLAY_CHUNK_VALUES), so a large resend takes longer but never blocks.
 */
export const REPLAY_ROW_VALUES = DEFAULT_HISTORY_BUDGET.rowValues;

function chunkEnd(history: readonly EpochMetrics[], start: number): number {
  let values = 0;
  let i = start;
  while (i < history.length) {
    const m = history[i];
    // The scalars and the prediction weigh about as much as a dozen numbers.
    values += m.gradNorm.length + m.lastLossGradNorm.length + (m.cellGradNorm?.length ?? 0) + (m.lastLossCellGradNorm?.length ?? 0) + 12;
    if (values > REPLAY_CHUNK_VALUES && i > start) break;
    i++;
  }
  return i;
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
  private readonly clock: Clock;
  /** Some streamed epochs went out without their gradient rows since the last full send. */
  private liveThinned = false;
  /** While the history is being resent in slices: the index of the next epoch to send. */
  private replayAt: number | undefined;
  private replayTimer: unknown;
  /** The thinned history being replayed, and a token that retires callbacks of a cancelled replay. */
  private replaySource: EpochMetrics[] = [];
  private replayToken = 0;
  private lastEpochsSent = -Infinity;
  /** A state change happened during the replay; it is sent after the last slice. */
  private stateAfterReplay: { epoch?: number } | undefined;

  private constructor(
    desc: RunDescription,
    private readonly hooks: RunHooks,
    options: RunOptions & { restored: boolean },
  ) {
    this.kept = new RunHistory(desc.printEvery, options.historyBudget);
    this.clock = options.clock ?? systemClock;
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

  /** Epochs the model has trained in all (a continued run counts its file's epochs too). */
  get epochsDone(): number {
    return (this._info?.firstEpoch ?? 0) + this.history.length;
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

  /** The webview (re)loaded: it gets the whole history (`init`, then slices), which covers anything batched for it. */
  webviewDidLoad(): void {
    this.batcher.flush();
    this.webviewReady = true;
    this.sendInit();
  }

  /** The webview was hidden or disposed; nothing is posted until it says `ready` again. */
  webviewDidUnload(): void {
    this.webviewReady = false;
    this.cancelReplay();
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
      this.cancelReplay();
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
      // During a replay the state waits for the last slice, so no epoch arrives after it.
      if (this.replayAt !== undefined) this.stateAfterReplay = { epoch };
      // A fast run streamed only some epochs' rows; once it stops moving, the panel gets the
      // history again at the replay budget, so the picture it keeps is the run's, not a
      // stretched copy of a few rows (a 600-epoch run on the seed sentence is then exact).
      else if (this._info && this.liveThinned && (ended || state === 'paused')) this.sendInit();
      else if (this._info) this.hooks.post({ type: 'state', runId: this.runId, state, message, epoch });
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

  private sendEpochs(epochs: EpochMetrics[]): void | PromiseLike<unknown> {
    this.hooks.changed(this);
    // During a replay these epochs are already in the history being resent.
    if (!this.webviewReady || !this._info || this.replayAt !== undefined) return undefined;
    const now = this.clock.now();
    const seconds = Math.min(1, Math.max(0.025, (now - this.lastEpochsSent) / 1000));
    this.lastEpochsSent = now;
    const shown = thinForDisplay(epochs, { printEvery: this.printEvery, rowValues: LIVE_ROW_VALUES_PER_SECOND * seconds });
    if (!this.liveThinned) this.liveThinned = shown.some((m, i) => m.gradNorm.length !== epochs[i].gradNorm.length);
    return this.hooks.post({ type: 'epochs', runId: this.runId, epochs: shown });
  }

  private sendInit(): void {
    // Before the worker reports its step layout there is nothing to draw, unless it already failed.
    const info = this._info ?? (this.ended ? this.placeholderInfo() : undefined);
    if (!info) return;
    this.liveThinned = false;
    this.cancelReplay();
    const source = thinForDisplay(this.history, { printEvery: this.printEvery, rowValues: REPLAY_ROW_VALUES });
    const end = chunkEnd(source, 0);
    const delivery = this.hooks.post({
      type: 'init',
      run: info,
      history: source.slice(0, end),
      state: this._state,
      message: this._message,
      restored: this.restored,
    });
    this.lastEpochsSent = this.clock.now();
    if (end < source.length) {
      this.replaySource = source;
      this.replayAt = end;
      this.afterDelivery(delivery, this.replayToken, () => this.replayNext());
    }
  }

  /** Runs `next` once `delivery` has landed (or on the next turn when there is none to wait for). */
  private afterDelivery(delivery: void | PromiseLike<unknown>, token: number, next: () => void): void {
    const go = () => {
      if (token !== this.replayToken) return;
      // A zero timeout lets worker messages and user actions in between slices.
      this.replayTimer = this.clock.setTimeout(() => {
        this.replayTimer = undefined;
        if (token === this.replayToken) next();
      }, 0);
    };
    if (delivery && typeof delivery.then === 'function') delivery.then(go, go);
    else go();
  }

  private replayNext(): void {
    const start = this.replayAt;
    if (start === undefined || !this.webviewReady || this.disposed) return;
    const source = this.replaySource;
    if (start < source.length) {
      const end = chunkEnd(source, start);
      const delivery = this.hooks.post({ type: 'epochs', runId: this.runId, epochs: source.slice(start, end) });
      this.replayAt = end;
      this.afterDelivery(delivery, this.replayToken, () => this.replayNext());
      return;
    }
    // Caught up with the history as it was at init; epochs that arrived since go in one last
    // message, and whatever the batcher holds is among them.
    const fresh = this.history.slice(source.length);
    this.replayAt = undefined;
    this.replaySource = [];
    this.batcher.discard();
    if (fresh.length > 0) {
      this.hooks.post({ type: 'epochs', runId: this.runId, epochs: thinForDisplay(fresh, { printEvery: this.printEvery, rowValues: LIVE_ROW_VALUES_PER_SECOND }) });
    }
    this.lastEpochsSent = this.clock.now();
    // The state closes every replay, changed or not: it tells the webview its history is whole
    // again (the webview saves its state for a reload on state messages).
    const pending = this.stateAfterReplay;
    this.stateAfterReplay = undefined;
    this.hooks.post({ type: 'state', runId: this.runId, state: this._state, message: this._message, epoch: pending?.epoch });
  }

  private cancelReplay(): void {
    this.replayToken++;
    if (this.replayTimer !== undefined) this.clock.clearTimeout(this.replayTimer);
    this.replayTimer = undefined;
    this.replayAt = undefined;
    this.replaySource = [];
    this.stateAfterReplay = undefined;
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
