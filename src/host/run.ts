// One training run as the host sees it: the worker that trains, the metrics that reached the
// host (a MetricsStore under its byte budget), the run's state, and the stream of blocks to its
// webview. Free of `vscode` so the whole relay (worker → store → webview) is tested with fakes.
import type { EpochProgress, TrainConfig } from '../core/types';
import type { ControlAction, GuessesReply, HostToWebview, LessonInfo, MatrixReply, PredictionSlice, RunInfo, RunState, WorkerToHost } from '../shared/protocol';
import { inlinePredictions, isEnded, panelText } from '../shared/protocol';
import { withoutPredictions, type EpochBlock } from '../shared/epochBlock';
import { DEFAULT_BUDGET, MetricsStore, type EpochRecord, type MetricsBudget } from '../shared/metricsStore';
import type { RunSnapshot } from '../api';
import type { IDisposable } from '../dispose';
import { BlockStream, MAX_MESSAGE_BYTES } from './blockStream';
import { systemClock, type Clock } from './clock';
import { formatEpochLine, shouldLogEpoch } from './format';
import { codePointLength, sliceCodePoints } from '../shared/codePoints';
import type { WorkerEvents, WorkerHandle } from './workerBridge';
import { t } from '../core/l10n';
import type { RunSlots } from './runSlots';
import { GRADCHECK_TIMEOUT_MS, type InsideRequests } from '../shared/inside';

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
  /** The lesson the run comes from, if any. */
  lesson?: LessonInfo;
  /** The name of the host's stored copy of a long text (RunInfo.textKey). */
  textKey?: string;
  /**
   * A restored run's whole length, when `text` is only the head its panel saved; otherwise the
   * length of `text`.
   */
  textLength?: number;
}

export interface RunHooks {
  /**
   * Delivers a message to the run's webview (only called while the webview is ready); returns
   * the delivery when the transport reports it, so a slow webview slows the stream down.
   */
  post(msg: HostToWebview): void | PromiseLike<unknown>;
  /** One line for the output channel. */
  log(line: string): void;
  /** Something the status bar or an API waiter may care about changed (at most once a block). */
  changed(run: TrainingRun): void;
}

export interface RunOptions {
  clock?: Clock;
  budget?: MetricsBudget;
  /** The panel's playback speed 1× (rnnLab.playback.epochsPerSecond), handed to the webview in `init`. */
  epochsPerSecond?: number;
  /** The slots of rnnLab.maxConcurrentRuns: without a free one the run waits, queued, before its worker exists. */
  slots?: RunSlots;
}

export const DEFAULT_EPOCHS_PER_SECOND = 60;


/** What a panel revived after a reload says about its run (in the display language). */
export const restoredMessage = (): string => t("Restored after reload: showing the run's history; training is not resumed.");

export class TrainingRun implements IDisposable {
  readonly runId: string;
  readonly title: string;
  readonly text: string;
  readonly config: TrainConfig;
  readonly printEvery: number;
  readonly notes: string[];
  readonly lesson: LessonInfo | undefined;
  readonly restored: boolean;

  private _state: RunState = 'starting';
  private _message: string | undefined;
  private _info: RunInfo | undefined;
  private _store: MetricsStore | undefined;
  private worker: WorkerHandle | undefined;
  private readonly stream: BlockStream;
  private readonly budget: MetricsBudget;
  /** The whole text's length in code points. */
  readonly textLength: number;
  private readonly textKey: string | undefined;
  private readonly epochsPerSecond: number;
  private webviewReady = false;
  /**
   * The document was just set and has not said `ready`: VS Code holds what is posted to it until
   * its script listens, so the run posts without waiting for the round trip (the first epoch
   * reaches a new panel ~0.3 s sooner). Its `ready` then needs no second init.
   */
  private earlyDocument = false;
  /** An init went to the current document. */
  private initSent = false;
  private disposed = false;
  private disposing: Promise<void> | undefined;
  private disposeDone = false;
  private lastLogged = -1;
  private slots: RunSlots | undefined;
  /** Stops following the slots' thread count (set once the worker starts). */
  private unwatchSlots: (() => void) | undefined;
  /** Where the first epoch's time goes on the host (ms from the run's creation), logged once it reaches the panel. */
  private readonly clock: Clock;
  private readonly born: number;
  private readonly firstTimes: { worker?: number; started?: number; ready?: number; firstEpoch?: number } = {};
  private firstLogged = false;
  /** The newest report of a long epoch part-way through; a document loaded meanwhile gets it after its init. */
  private progress: EpochProgress | undefined;

  private constructor(
    desc: RunDescription,
    private readonly hooks: RunHooks,
    options: RunOptions & { restored: boolean },
  ) {
    this.runId = desc.runId;
    this.title = desc.title;
    this.text = desc.text;
    this.textLength = desc.textLength ?? codePointLength(desc.text);
    this.textKey = desc.textKey;
    this.config = desc.config;
    this.printEvery = desc.printEvery;
    this.notes = desc.notes;
    this.lesson = desc.lesson;
    this.restored = options.restored;
    this.budget = options.budget ?? DEFAULT_BUDGET;
    this.epochsPerSecond = options.epochsPerSecond ?? DEFAULT_EPOCHS_PER_SECOND;
    this.clock = options.clock ?? systemClock;
    this.born = this.clock.now();
    this.stream = new BlockStream((block) => {
      this.logFirstTimes('epochs');
      return this.hooks.post({ type: 'epochs', runId: this.runId, block, droppedRows: this._store?.droppedRows ?? 0 });
    }, this.clock);
  }

  /** Spawns the worker and starts training; the webview gets `init` once it is ready and the worker has started. */
  static start(desc: RunDescription, createWorker: WorkerFactory, hooks: RunHooks, options: RunOptions = {}): TrainingRun {
    const run = new TrainingRun(desc, hooks, { ...options, restored: false });
    const begin = () => {
      if (run.disposed) return;
      run.firstTimes.worker = run.clock.now() - run.born;
      run.worker = createWorker({
        onMessage: (msg) => run.receive(msg),
        onCrash: (message) => run.crashed(message),
      });
      const threads = options.slots?.threadsPerRun() ?? 1;
      run.worker.post({ type: 'start', text: desc.text, config: desc.config, threads, ...(desc.initWeights === undefined ? {} : { initWeights: desc.initWeights }) });
      // A second thread only while the cores are not needed by other runs (RunSlots.threadsPerRun).
      if (options.slots) {
        let posted = threads;
        run.unwatchSlots = options.slots.onTrainingChanged(() => {
          const now = options.slots!.threadsPerRun();
          if (now === posted || run.disposed || !run.worker) return;
          posted = now;
          run.worker.post({ type: 'threads', threads: now });
        });
      }
      if (run._state === 'queued') {
        run._state = 'starting';
        run._message = undefined;
        if (run.webviewReady) run.sendInit();
        run.hooks.changed(run);
      }
    };
    if (!options.slots) {
      begin();
      return run;
    }
    run.slots = options.slots;
    run._state = 'queued';
    if (!options.slots.acquire(run.runId, begin, () => run.queueMoved())) run._message = run.queuedMessage();
    return run;
  }

  /** Runs ahead of this queued one ended or left the queue: its panel's count follows. */
  private queueMoved(): void {
    if (this.disposed || this._state !== 'queued') return;
    this._message = this.queuedMessage();
    if (this.webviewReady) this.hooks.post({ type: 'state', runId: this.runId, state: 'queued', message: this._message });
    this.hooks.changed(this);
  }

  private queuedMessage(): string {
    const slots = this.slots!;
    const ahead = slots.placeOf(this.runId) - 1;
    const n = slots.training.length;
    // Whole sentences, so a translation can order them freely.
    if (n === 1) {
      return ahead > 0
        ? t('Queued: 1 run is training, the most rnnLab.maxConcurrentRuns ({0}) allows, and {1} queued before this one. Training starts when one ends; Stop cancels.', slots.max(), ahead)
        : t('Queued: 1 run is training, the most rnnLab.maxConcurrentRuns ({0}) allows. Training starts when one ends; Stop cancels.', slots.max());
    }
    return ahead > 0
      ? t('Queued: {0} runs are training, the most rnnLab.maxConcurrentRuns ({1}) allows, and {2} queued before this one. Training starts when one ends; Stop cancels.', n, slots.max(), ahead)
      : t('Queued: {0} runs are training, the most rnnLab.maxConcurrentRuns ({1}) allows. Training starts when one ends; Stop cancels.', n, slots.max());
  }

  /** A run rebuilt from a webview's saved state after a reload: history only, no worker. */
  static restore(info: RunInfo, history: EpochBlock | null, state: RunState, hooks: RunHooks, options: RunOptions = {}): TrainingRun {
    const run = new TrainingRun(
      { runId: info.runId, title: info.title, text: info.text, textLength: info.textLength, textKey: info.textKey, config: info.config, printEvery: info.printEvery, notes: info.notes, lesson: info.lesson },
      hooks,
      { ...options, restored: true },
    );
    run._info = info;
    if (history && history.count > 0) run._store = run.newStore(history);
    run._state = state === 'done' ? 'done' : 'stopped';
    run._message = restoredMessage();
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

  /** The run's metrics; undefined until the first epoch arrives. */
  get store(): MetricsStore | undefined {
    return this._store;
  }

  /** True once dispose() has finished: the worker is gone. */
  get isDisposed(): boolean {
    return this.disposeDone;
  }

  get workerAlive(): boolean {
    return this.worker?.alive ?? false;
  }

  get ended(): boolean {
    return isEnded(this._state);
  }

  get last(): EpochRecord | undefined {
    const s = this._store;
    return s && s.length > 0 ? s.record(s.length - 1) : undefined;
  }

  /** Epochs the model has trained in all (a continued run counts its file's epochs too). */
  get epochsDone(): number {
    return this._store && this._store.length > 0 ? this._store.nextEpoch : (this._info?.firstEpoch ?? 0);
  }

  snapshot(panelOpen: boolean): RunSnapshot {
    return {
      runId: this.runId,
      title: this.title,
      state: this._state,
      config: this.config,
      epochsDone: this.epochsDone,
      last: this.last,
      panelOpen,
      workerAlive: this.workerAlive,
      message: this._message,
      ...(this.lesson ? { lesson: this.lesson } : {}),
    };
  }

  /** The webview (re)loaded: it gets the whole history (`init`, then further blocks if large). */
  /** The panel's HTML was just set: post to the new document now (see earlyDocument). */
  webviewWillLoad(): void {
    this.stream.discard();
    this.earlyDocument = true;
    this.initSent = false;
    this.webviewReady = true;
    this.sendInit();
  }

  webviewDidLoad(): void {
    this.firstTimes.ready ??= this.clock.now() - this.born;
    const early = this.earlyDocument;
    this.earlyDocument = false;
    // The document's queued init and epochs are being delivered to it in order; nothing to resend,
    // unless they went to a document replaced before its script ran (seen once in ~10 starts of a
    // 1 MB run in code-server: the panel stayed at "Starting…"). `sync` lets the page tell: one
    // without an init by then says `ready` again, and gets a fresh init below.
    if (early && this.initSent) {
      this.hooks.post({ type: 'sync' });
      return;
    }
    this.stream.discard();
    this.webviewReady = true;
    this.sendInit();
  }

  /** The webview was hidden or disposed; nothing is posted until it says `ready` again. */
  webviewDidUnload(): void {
    this.webviewReady = false;
    this.earlyDocument = false;
    this.initSent = false;
    this.stream.discard();
  }

  control(action: ControlAction): string | undefined {
    if (this._state === 'queued') {
      if (action !== 'stop') return t('This run is queued and has not started training yet.');
      this.setState('stopped', t('Stopped while queued: it never trained.'));
      return undefined;
    }
    if (!this.worker?.alive) return this.restored ? restoredMessage() : t('This run has no training worker any more.');
    this.worker.post({ type: 'control', action });
    return undefined;
  }

  async requestMatrix(epoch: number): Promise<MatrixReply> {
    if (!this.worker?.alive) throw new Error(t('The gradient matrix needs the training worker, which is no longer running for this run.'));
    return this.worker.request('matrix', { epoch });
  }

  /** The likeliest next characters of every step of `epoch` (window mode: of the window holding `position`). */
  async requestGuesses(epoch: number, position: number, top: number): Promise<GuessesReply> {
    if (!this.worker?.alive) throw new Error(t('The guesses need the training worker, which is no longer running for this run.'));
    return this.worker.request('guesses', { epoch, position, top });
  }

  /** An inside-the-network request (inspection, connectivity, gradient check), answered by the worker. */
  async askInside<K extends keyof InsideRequests>(kind: K, params: InsideRequests[K]['params']): Promise<InsideRequests[K]['result']> {
    if (!this.worker?.alive) throw new Error(this.restored ? t('This run was restored after a reload; looking inside the network needs its training worker. Restart it to train again.') : t('Looking inside the network needs the training worker, which is no longer running for this run.'));
    return this.worker.request(kind, params, kind === 'gradCheck' ? GRADCHECK_TIMEOUT_MS : undefined);
  }

  async exportWeights(): Promise<string> {
    if (!this.worker?.alive) {
      throw new Error(this.restored ? t('This run was restored after a reload; its weights were not kept. Restart it to train again.') : t('The training worker of this run is no longer running.'));
    }
    return (await this.worker.request('weights', {})).json;
  }

  /** Code points [start, start+length) of an epoch's prediction, or of the nearest earlier epoch that kept one. */
  prediction(epoch: number, start: number, length: number): PredictionSlice {
    const s = this._store;
    let i = s ? s.indexOf(epoch) : -1;
    if (!s || i < 0) throw new RangeError(t("epoch {0} is not in this run's history", epoch));
    while (i >= 0 && s.predicted(i) === null) i--;
    if (i < 0) return { epoch, shownEpoch: null, start, predicted: '' };
    return { epoch, shownEpoch: s.epochAt(i), start, predicted: sliceCodePoints(s.predicted(i)!, start, length) };
  }

  /** Terminates the worker; resolves once the thread is gone. */
  dispose(): Promise<void> {
    // Every caller (panel close, restart, deactivate) gets the same promise, so each can wait for the thread to end.
    this.disposing ??= (async () => {
      this.disposed = true;
      this.unwatchSlots?.();
      this.slots?.release(this.runId);
      this.stream.dispose();
      this.webviewReady = false;
      if (this.worker) await this.worker.terminate();
      this.disposeDone = true;
      this.hooks.changed(this);
    })();
    return this.disposing;
  }

  private newStore(first: EpochBlock): MetricsStore {
    const printEvery = this.printEvery;
    return MetricsStore.fromBlock(first, this.budget, (epoch) => epoch % printEvery === 0);
  }

  private receive(msg: Exclude<WorkerToHost, { type: 'reply' }>): void {
    if (this.disposed) return;
    switch (msg.type) {
      case 'started':
        this.firstTimes.started ??= this.clock.now() - this.born;
        this._info = {
          runId: this.runId,
          title: this.title,
          ...this.panelTextFields(),
          config: this.config,
          firstEpoch: msg.firstEpoch,
          steps: msg.steps,
          stepLabels: msg.stepLabels,
          printEvery: this.printEvery,
          notes: this.notes,
          ...(this.lesson ? { lesson: this.lesson } : {}),
        };
        this._state = 'running';
        if (this.webviewReady) this.sendInit();
        this.hooks.changed(this);
        return;
      case 'epochs':
        this.firstTimes.firstEpoch ??= this.clock.now() - this.born;
        if (this._store) this._store.append(msg.block);
        else this._store = this.newStore(msg.block);
        this.logBlock(msg.block);
        if (this.webviewReady && this._info) this.stream.push(this.forWebview(msg.block));
        this.hooks.changed(this);
        return;
      case 'progress':
        // Small and a few a second: posted directly, not through the block stream.
        this.progress = msg.progress;
        if (this.webviewReady && this._info) this.hooks.post({ type: 'progress', runId: this.runId, progress: msg.progress });
        return;
      case 'state':
        this.setState(msg.state, msg.message, msg.epoch);
        return;
      case 'error':
        // An error outside a request means the run could not start or continue.
        this.crashed(msg.message);
        return;
    }
  }

  /** Long texts' predictions stay on the host; the panel asks for the window it shows. */
  private forWebview(block: EpochBlock): EpochBlock {
    return inlinePredictions({ textLength: this.textLength }) ? block : withoutPredictions(block);
  }

  private crashed(message: string): void {
    if (this.disposed) return;
    this.setState('crashed', message);
  }

  private setState(state: RunState, message?: string, epoch?: number): void {
    // The last epoch must reach the webview before the state that ends or pauses the run.
    this.stream.flush();
    this._state = state;
    this._message = message;
    const ended = isEnded(state);
    // The slot frees when training ends, not when the worker exits (it stays for matrix requests).
    if (ended) this.unwatchSlots?.();
    if (ended) this.slots?.release(this.runId);
    if (ended) this.logLast();
    if (message && ended) this.hooks.log(`[${this.runId}] ${state}: ${message}`);
    if (this.webviewReady) {
      if (this._info) this.hooks.post({ type: 'state', runId: this.runId, state, message, epoch });
      else this.sendInit();
    }
    this.hooks.changed(this);
  }

  private logBlock(b: EpochBlock): void {
    const lastEpoch = (this._info?.firstEpoch ?? 0) + this.config.epochs - 1;
    const loss = b.scalars.loss!;
    const accuracy = b.scalars.accuracy!;
    for (let k = 0; k < b.count; k++) {
      const epoch = b.first + k;
      if (epoch > this.lastLogged && shouldLogEpoch(epoch, this.printEvery, lastEpoch)) {
        this.lastLogged = epoch;
        this.hooks.log(`[${this.runId}] ${formatEpochLine({ epoch, loss: loss[k], accuracy: accuracy[k], predicted: b.predicted[k] ?? '' })}`);
      }
    }
  }

  /** A run that ends early still logs its last epoch. */
  private logLast(): void {
    const s = this._store;
    if (!s || s.length === 0) return;
    const i = s.length - 1;
    const epoch = s.epochAt(i);
    if (epoch <= this.lastLogged) return;
    this.lastLogged = epoch;
    this.hooks.log(`[${this.runId}] ${formatEpochLine({ epoch, loss: s.value('loss', i), accuracy: s.value('accuracy', i), predicted: s.predicted(i) ?? '' })}`);
  }

  private sendInit(): void {
    // Before the worker reports its step layout there is nothing to draw, unless it already failed.
    const info = this._info ?? (this.ended || this._state === 'queued' ? this.placeholderInfo() : undefined);
    if (!info) return;
    // The whole history in one message when it fits: the panel's playback treats an ended run's
    // init as complete (a small first message made a finished run's film stop at its last epoch).
    const blocks = this._store ? this._store.toBlocks({ maxBytes: MAX_MESSAGE_BYTES }).map((b) => this.forWebview(b)) : [];
    if (blocks.length > 0) this.logFirstTimes('init');
    this.initSent = true;
    this.hooks.post({
      type: 'init',
      run: info,
      history: blocks.slice(0, 1),
      droppedRows: this._store?.droppedRows ?? 0,
      state: this._state,
      message: this._message,
      restored: this.restored,
      epochsPerSecond: this.epochsPerSecond,
    });
    // A history larger than one message follows in blocks, each after the previous one landed.
    for (const b of blocks.slice(1)) this.stream.push(b);
    const p = this.progress;
    if (p && this._info && !this.ended && p.epoch >= (this._store?.nextEpoch ?? 0)) this.hooks.post({ type: 'progress', runId: this.runId, progress: p });
  }

  /** One line per run: which of worker start-up, the panel's loading and the first epoch held the first epoch back. */
  private logFirstTimes(via: 'init' | 'epochs'): void {
    if (this.firstLogged || this.restored) return;
    this.firstLogged = true;
    const f = this.firstTimes;
    const ms = (v: number | undefined) => (v === undefined ? '–' : `${Math.round(v)} ms`);
    this.hooks.log(
      `[${this.runId}] first epoch sent to the panel (${via}) ${ms(this.clock.now() - this.born)} after the run was created: worker spawned ${ms(f.worker)}, training started ${ms(f.started)}, epoch 0 done ${ms(f.firstEpoch)}, panel ready ${ms(f.ready)}`,
    );
  }

  /** What of the text the panel gets: all of a short one; the head of a long one and the key of its stored copy. */
  private panelTextFields(): Pick<RunInfo, 'text' | 'textLength' | 'textKey'> {
    return { text: panelText(this.text, this.textLength), textLength: this.textLength, ...(!inlinePredictions({ textLength: this.textLength }) && this.textKey ? { textKey: this.textKey } : {}) };
  }

  private placeholderInfo(): RunInfo {
    return {
      runId: this.runId,
      title: this.title,
      ...this.panelTextFields(),
      config: this.config,
      firstEpoch: 0,
      steps: 0,
      stepLabels: [],
      printEvery: this.printEvery,
      notes: this.notes,
    };
  }
}

