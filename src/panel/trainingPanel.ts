// The webview panel of one run. Thin on purpose: the run logic lives in TrainingRun (no vscode)
// and the webview plumbing in PanelBase; this class says what the training panel's messages
// mean, and owns its run so that closing the panel (or restarting) ends the worker.
import * as vscode from 'vscode';
import type { TrainConfig } from '../core/types';
import { DisposableValue } from '../dispose';
import type { HostToWebview, LessonInfo, PanelRequests, PanelView, WebviewToHost } from '../shared/protocol';
import { inlinePredictions } from '../shared/protocol';
import { codePointLength } from '../shared/codePoints';
import { t } from '../core/l10n';
import type { TextStore } from '../host/textStore';
import type { RestoredRun } from '../shared/persist';
import { parseWebviewMessage } from '../shared/validate';
import { TrainingRun, type RunDescription, type RunHooks, type WorkerFactory } from '../host/run';
import type { RunOwner, RunRegistry } from '../host/runRegistry';
import type { RunSlots } from '../host/runSlots';
import { runTitle } from '../host/format';
import { exportFigure, figureFileName } from './exports';
import { PanelBase, panelOptions } from './panelBase';
import { EditorOverlay, restoredReason, type OverlaySnapshot, type OverlayTarget } from './editorOverlay';
import type { OverlayManager } from './overlayManager';

export const VIEW_TYPE = 'rnnLab.training';

export interface PanelServices {
  extensionUri: vscode.Uri;
  registry: RunRegistry;
  /** rnnLab.maxConcurrentRuns: new runs wait for a slot. */
  slots: RunSlots;
  createWorker: WorkerFactory;
  log(line: string): void;
  newRunId(): string;
  /** The current rnnLab.playback.epochsPerSecond (for panels revived after a reload). */
  epochsPerSecond(): number;
  exportWeights(run: TrainingRun): Promise<{ ok: boolean; value?: string; error?: string }>;
  exportMetrics(run: TrainingRun, format: 'csv' | 'json'): Promise<{ ok: boolean; value?: string; error?: string }>;
  /** The editor overlays of all panels (decoration types, editor events, hover). */
  overlays: OverlayManager;
  /** Whole copies of long texts, whose panels hold only the head. */
  texts: TextStore;
}

/** What a panel needs to start (or restart) a run besides the config. */
export interface RunSource {
  text: string;
  printEvery: number;
  /** Notes about the text's origin; kept across restarts. */
  sourceNotes: string[];
  /** Weights file JSON to continue from; a restart continues from it again. */
  initWeights?: string;
  /** Playback speed 1× (rnnLab.playback.epochsPerSecond). */
  epochsPerSecond?: number;
  /** Where the text sits in its editor (the editor overlay); absent when it came from elsewhere. */
  overlayTarget?: OverlayTarget;
  /** A lesson's title (the panel's) and words; kept across restarts. */
  lesson?: { title: string; info: LessonInfo };
}

type Request = Extract<WebviewToHost, { type: 'request' }>;

export class TrainingPanel extends PanelBase<WebviewToHost, HostToWebview> implements RunOwner {
  private readonly current = this._register(new DisposableValue<TrainingRun>());
  private readonly overlay: EditorOverlay;
  /** What the webview last reported it shows ("Save as Lesson"); undefined until it has. */
  private view: PanelView | undefined;
  /** A restored long run's whole text: loaded from the host's copy, or lost; 'here' otherwise. */
  private wholeText: 'here' | 'loading' | 'lost' = 'here';
  private textLoad: Promise<void> | undefined;

  /** Opens a new panel beside the editor and starts training in a fresh worker. */
  static create(services: PanelServices, source: RunSource, config: TrainConfig, planNotes: string[]): TrainingPanel {
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'RNN Lab', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, panelOptions(services.extensionUri));
    const p = new TrainingPanel(panel, services, source);
    p.startRun(config, planNotes);
    p.render();
    p.run.webviewWillLoad();
    return p;
  }

  /** Rebuilds a panel VS Code kept across a reload, from the history its webview saved. */
  static revive(services: PanelServices, panel: vscode.WebviewPanel, saved: RestoredRun): TrainingPanel {
    const info = saved.run;
    const p = new TrainingPanel(panel, services, { text: info.text, printEvery: info.printEvery, sourceNotes: info.notes, epochsPerSecond: services.epochsPerSecond(), lesson: info.lesson ? { title: info.title, info: info.lesson } : undefined }, restoredReason());
    // A long text's panel saved only its head: the whole comes back from the host's copy.
    if (!inlinePredictions(info)) {
      p.wholeText = 'loading';
      p.textLoad = (info.textKey ? services.texts.load(info.textKey) : Promise.resolve(undefined)).then((text) => {
        p.wholeText = text === undefined ? 'lost' : 'here';
        if (text !== undefined) p.source = { ...p.source, text };
      });
    }
    // A restored run keeps its id unless this session already uses it (two restored copies of one panel).
    const runId = services.registry.get(info.runId) ? services.newRunId() : info.runId;
    p.attach(TrainingRun.restore({ ...info, runId }, saved.history, saved.state, p.hooks(), { epochsPerSecond: p.source.epochsPerSecond }));
    // The toggle was saved with the panel's view; the host reads only that one boolean of it.
    const prefs = (saved.view as { prefs?: { overlay?: unknown } } | undefined)?.prefs;
    if (prefs?.overlay === false) p.overlay.setOn(false);
    p.render();
    return p;
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly services: PanelServices,
    private source: RunSource,
    overlayUnavailable?: string,
  ) {
    super(panel, services, { script: 'webview.js', style: 'webview.css' }, parseWebviewMessage);
    const overlays = services.overlays;
    this.overlay = new EditorOverlay(
      {
        run: () => this.current.value,
        postState: (state) => void this.post({ type: 'overlayState', ...state }),
        repaint: () => overlays.repaint(),
        postPosition: (position) => void this.post({ type: 'insidePosition', position }),
      },
      source.overlayTarget,
      overlayUnavailable,
    );
    overlays.add(this.overlay);
    this._register({ dispose: () => overlays.remove(this.overlay) });
  }

  /** The editor overlay's state (the API snapshot). */
  overlaySnapshot(): OverlaySnapshot {
    return this.overlay.snapshot();
  }

  /** Turns the editor overlay on or off (the command; the panel's toggle sends `overlay`). */
  setOverlay(on: boolean): void {
    this.overlay.setOn(on);
  }

  /**
   * Colours the editor by a unit (null: the gradients again), picking it in the panel's "Inside
   * the network" too, so that both show the same; `array` is h, c or a gate name.
   */
  pickUnit(unit: number | null, array?: string): void {
    void this.post({ type: 'insidePick', unit, ...(array === undefined ? {} : { array }) });
  }

  get overlayOn(): boolean {
    return this.overlay.on;
  }

  protected get logTag(): string {
    return this.current.value?.runId ?? 'training panel';
  }

  get runId(): string {
    return this.run.runId;
  }

  get currentRun(): TrainingRun {
    return this.run;
  }

  /** Why the panel cannot train again (a restored long run whose whole text was not kept); undefined when it can. */
  async wholeTextProblem(): Promise<string | undefined> {
    await this.textLoad;
    if (this.wholeText !== 'lost') return undefined;
    return t('This panel was restored after a reload, and the copy of its whole training text ({0} characters) is gone. Select the text again and run "Train RNN on Selection".', this.run.textLength);
  }

  /** The run as "Save as Lesson" writes it: the source, and the view the webview last reported. */
  get lessonSource(): { source: RunSource; view: PanelView | undefined } {
    return { source: this.source, view: this.view };
  }

  private get run(): TrainingRun {
    return this.current.value!;
  }

  owns(runId: string): boolean {
    return this.isOpen && this.current.value?.runId === runId;
  }

  /** Resolves when the current run's worker has exited (deactivate waits for it). */
  async close(): Promise<void> {
    const run = this.current.value;
    this.dispose();
    await run?.dispose();
  }

  protected onClosed(): void {
    // The holder disposes the run with the panel; the registry hears of it through the run's hooks.
    this.current.value = undefined;
  }

  protected override onHidden(): void {
    this.current.value?.webviewDidUnload();
  }

  protected override onActive(): void {
    if (this.current.value) this.services.registry.setActive(this.current.value.runId);
    this.services.overlays.promote(this.overlay);
  }

  protected onReady(): void {
    this.run.webviewDidLoad();
    this.overlay.announce();
    // A (re)loaded webview has no unit picked (it does not keep one), so the editor shows the gradients until it picks one.
    this.overlay.setUnit(null);
  }

  private hooks(): RunHooks {
    return {
      // The delivery promise lets the run slow its stream to what the webview transport carries.
      post: (msg: HostToWebview) => this.post(msg),
      log: (line: string) => this.services.log(line),
      changed: (run: TrainingRun) => {
        this.services.registry.changed(run);
        if (run === this.current.value) this.overlay.runAdvanced();
        if (run.isDisposed) this.services.registry.closed(run.runId);
      },
    };
  }

  private startRun(config: TrainConfig, planNotes: string[]): void {
    const desc: RunDescription = {
      runId: this.services.newRunId(),
      title: this.source.lesson?.title ?? runTitle(this.source.text, config),
      text: this.source.text,
      ...(inlinePredictions({ textLength: codePointLength(this.source.text) }) ? {} : { textKey: this.services.texts.keep(this.source.text) }),
      config,
      printEvery: this.source.printEvery,
      notes: [...this.source.sourceNotes, ...planNotes],
      initWeights: this.source.initWeights,
      lesson: this.source.lesson?.info,
    };
    this.services.log(`[${desc.runId}] start "${desc.title}": ${JSON.stringify(config)}`);
    for (const note of desc.notes) this.services.log(`[${desc.runId}] note: ${note}`);
    this.attach(TrainingRun.start(desc, this.services.createWorker, this.hooks(), { epochsPerSecond: this.source.epochsPerSecond, slots: this.services.slots }));
  }

  /** Makes `run` the panel's run; the one it replaces is disposed by the holder. */
  private attach(run: TrainingRun): void {
    const restart = this.current.value !== undefined;
    this.current.value = run;
    if (restart) this.overlay.runChanged();
    this.services.registry.add(run, this);
    this.panel.title = run.title;
    // A restart comes from the loaded webview, which resets itself on the new run's `init`.
    if (restart) run.webviewDidLoad();
  }

  protected async onMessage(msg: Exclude<WebviewToHost, { type: 'ready' } | { type: 'request' }>): Promise<void> {
    switch (msg.type) {
      case 'control': {
        const problem = this.run.control(msg.action);
        if (problem) this.notice('info', problem);
        return;
      }
      case 'restart': {
        const problem = await this.wholeTextProblem();
        if (problem) this.notice('error', problem);
        else this.startRun(msg.config, []);
        return;
      }
      case 'view':
        this.view = msg.view;
        return;
      case 'playhead':
        this.overlay.setPlayhead(msg.epoch, msg.scale);
        return;
      case 'overlay':
        this.overlay.setOn(msg.on);
        return;
      case 'insideUnit':
        this.overlay.setUnit(msg.unit === null ? null : { unit: msg.unit, array: msg.array, position: msg.position });
        return;
    }
  }

  protected override async onRequest(req: Request): Promise<PanelRequests[Request['kind']]['result']> {
    const run = this.run;
    switch (req.kind) {
      case 'matrix':
        return run.requestMatrix(req.params.epoch);
      case 'prediction':
        return run.prediction(req.params.epoch, req.params.start, req.params.length);
      // Inside the network: computed by the worker, passed through.
      case 'inspect':
        return run.askInside('inspect', req.params);
      case 'connectivity':
        return run.askInside('connectivity', req.params);
      case 'gradCheck':
        return run.askInside('gradCheck', req.params);
      case 'unit':
        return run.askInside('unit', req.params);
      case 'compareConnectivity':
        throw new Error(t('only the Compare Cells panel compares connectivity'));
      // The export flows show their own messages (written, cancelled, failed); the panel only learns where.
      case 'exportWeights': {
        const r = await this.services.exportWeights(run);
        return { uri: r.ok ? (r.value ?? null) : null };
      }
      case 'exportMetrics': {
        const r = await this.services.exportMetrics(run, req.params.format);
        return { uri: r.ok ? (r.value ?? null) : null };
      }
      case 'saveFigure': {
        const { figure, ...rendered } = req.params;
        const r = await exportFigure(figureFileName(run, figure), rendered);
        return { uri: r.ok ? r.value : null };
      }
    }
  }
}
