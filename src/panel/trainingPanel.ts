// The webview panel of one run. Thin on purpose: the run logic lives in TrainingRun (no vscode);
// this class wires a WebviewPanel to it, validates what the webview sends, and owns the run so
// that closing the panel ends the worker.
import * as vscode from 'vscode';
import type { TrainConfig } from '../core/types';
import { Disposable, toDisposable } from '../dispose';
import type { HostToWebview, WebviewToHost } from '../shared/protocol';
import { parseWebviewMessage, type PersistedRun } from '../shared/validate';
import { TrainingRun, type RunDescription, type WorkerFactory } from '../host/run';
import type { RunOwner, RunRegistry } from '../host/runRegistry';
import { runTitle } from '../host/format';
import { makeNonce, renderWebviewHtml } from './html';

export const VIEW_TYPE = 'rnnLab.training';

export interface PanelServices {
  extensionUri: vscode.Uri;
  registry: RunRegistry<RunOwner>;
  createWorker: WorkerFactory;
  log(line: string): void;
  newRunId(): string;
  exportWeights(run: TrainingRun): Promise<unknown>;
  exportMetrics(run: TrainingRun, format: 'csv' | 'json'): Promise<unknown>;
}

/** What a panel needs to start (or restart) a run besides the config. */
export interface RunSource {
  text: string;
  printEvery: number;
  /** Notes about the text's origin; kept across restarts. */
  sourceNotes: string[];
  /** Weights file JSON to continue from; a restart continues from it again. */
  initWeights?: string;
}

export class TrainingPanel extends Disposable {
  private static readonly panels = new Set<TrainingPanel>();

  private run!: TrainingRun;
  private panelDisposed = false;

  static all(): TrainingPanel[] {
    return [...TrainingPanel.panels];
  }

  static byRunId(runId: string): TrainingPanel | undefined {
    return TrainingPanel.all().find((p) => p.run.runId === runId);
  }

  static active(): TrainingPanel | undefined {
    return TrainingPanel.all().find((p) => p.panel.active);
  }

  /** Opens a new panel beside the editor and starts training in a fresh worker. */
  static create(services: PanelServices, source: RunSource, config: TrainConfig, planNotes: string[]): TrainingPanel {
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'RNN Lab', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, TrainingPanel.options(services.extensionUri));
    const p = new TrainingPanel(panel, services, source);
    p.startRun(config, planNotes);
    return p;
  }

  /** Rebuilds a panel VS Code kept across a reload, from the history its webview persisted. */
  static revive(services: PanelServices, panel: vscode.WebviewPanel, persisted: PersistedRun): TrainingPanel {
    panel.webview.options = TrainingPanel.options(services.extensionUri);
    const info = persisted.run;
    const p = new TrainingPanel(panel, services, { text: info.chars.join(''), printEvery: info.printEvery, sourceNotes: info.notes });
    // A restored run keeps its id unless this session already uses it (two restored copies of one panel).
    const runId = services.registry.get(info.runId) ? services.newRunId() : info.runId;
    p.attach(TrainingRun.restore({ ...info, runId }, persisted.history, persisted.state, p.hooks()));
    return p;
  }

  private static options(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      // The webview keeps its own state (setState) and the host resends the history on `ready`.
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly services: PanelServices,
    private readonly source: RunSource,
  ) {
    super();
    TrainingPanel.panels.add(this);
    this._register(toDisposable(() => TrainingPanel.panels.delete(this)));
    this._register(panel.onDidDispose(() => this.onPanelDisposed()));
    this._register(panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)));
    this._register(
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.run.webviewDidUnload();
        if (panel.active) services.registry.setActive(this.run.runId);
      }),
    );
  }

  get runId(): string {
    return this.run.runId;
  }

  get currentRun(): TrainingRun {
    return this.run;
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  override dispose(): void {
    if (!this.panelDisposed) this.panel.dispose(); // ends in onPanelDisposed
    super.dispose();
  }

  /** Resolves when the current run's worker has exited (deactivate waits for it). */
  async close(): Promise<void> {
    const run = this.run;
    this.dispose();
    await run.dispose();
  }

  private onPanelDisposed(): void {
    if (this.panelDisposed) return;
    this.panelDisposed = true;
    const run = this.run;
    void run.dispose().finally(() => this.services.registry.closed(run.runId));
    this.dispose();
  }

  private hooks() {
    return {
      // The delivery promise lets the run slow its stream to what the webview transport carries.
      post: (msg: HostToWebview): PromiseLike<boolean> | undefined => (this.panelDisposed ? undefined : this.panel.webview.postMessage(msg)),
      log: (line: string) => this.services.log(line),
      changed: (run: TrainingRun) => this.services.registry.changed(run),
    };
  }

  private startRun(config: TrainConfig, planNotes: string[]): void {
    const desc: RunDescription = {
      runId: this.services.newRunId(),
      title: runTitle(this.source.text, config),
      text: this.source.text,
      config,
      printEvery: this.source.printEvery,
      notes: [...this.source.sourceNotes, ...planNotes],
      initWeights: this.source.initWeights,
    };
    this.services.log(`[${desc.runId}] start "${desc.title}": ${JSON.stringify(config)}`);
    for (const note of desc.notes) this.services.log(`[${desc.runId}] note: ${note}`);
    this.attach(TrainingRun.start(desc, this.services.createWorker, this.hooks()));
  }

  private attach(run: TrainingRun): void {
    const previous = this.run as TrainingRun | undefined;
    this.run = run;
    const isOpenFor = (r: TrainingRun) => this.isOpenFor(r);
    this.services.registry.add(run, {
      get panelOpen() {
        return isOpenFor(run);
      },
    });
    this.panel.title = run.title;
    if (previous) {
      void previous.dispose().finally(() => this.services.registry.closed(previous.runId));
      // A restart comes from the loaded webview, which resets itself on the new run's `init`;
      // re-rendering would race the new document's listener against that message.
      run.webviewDidLoad();
    } else {
      this.render();
    }
  }

  private isOpenFor(run: TrainingRun): boolean {
    return !this.panelDisposed && this.run === run;
  }

  private render(): void {
    const webview = this.panel.webview;
    const root = vscode.Uri.joinPath(this.services.extensionUri, 'dist', 'webview');
    webview.html = renderWebviewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'webview.css')).toString(),
      nonce: makeNonce(),
      title: this.run.title,
    });
  }

  private notice(level: 'info' | 'warning' | 'error', text: string): void {
    this.hooks().post({ type: 'notice', level, text });
  }

  private receive(raw: unknown): void {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.services.log(`[${this.run.runId}] ignored an invalid message from the webview: ${parsed.error}`);
      return;
    }
    void this.handle(parsed.value).catch((err: unknown) => {
      const text = err instanceof Error ? err.message : String(err);
      this.services.log(`[${this.run.runId}] ${parsed.value.type} failed: ${text}`);
      this.notice('error', text);
    });
  }

  private async handle(msg: WebviewToHost): Promise<void> {
    const run = this.run;
    switch (msg.type) {
      case 'ready':
        run.webviewDidLoad();
        return;
      case 'control': {
        const problem = run.control(msg.action);
        if (problem) this.notice('info', problem);
        return;
      }
      case 'restart':
        this.startRun(msg.config, []);
        return;
      case 'exportWeights':
        await this.services.exportWeights(run);
        return;
      case 'exportMetrics':
        await this.services.exportMetrics(run, msg.format);
        return;
      case 'requestMatrix': {
        const reply = await run.requestMatrix(msg.epoch);
        // The answer is for the run that asked; a restart in between makes it stale.
        if (this.run === run) this.hooks().post(reply);
        return;
      }
    }
  }
}
