// The compare panel: one webview, three runs (RNN, LSTM, GRU) each in its own worker thread.
// It owns the runs the way TrainingPanel owns one, so closing the panel ends all three workers.
import * as vscode from 'vscode';
import type { TrainConfig } from '../core/types';
import { Disposable, toDisposable } from '../dispose';
import { compareConfigs, parseCompareMessage } from '../host/compare';
import { runTitle } from '../host/format';
import { TrainingRun } from '../host/run';
import type { CompareHostToWebview, CompareWebviewToHost } from '../shared/protocol';
import { snippet } from '../selection';
import { makeNonce, renderWebviewHtml } from './html';
import type { PanelServices } from './trainingPanel';

export const COMPARE_VIEW_TYPE = 'rnnLab.compare';

export interface CompareSource {
  text: string;
  printEvery: number;
  notes: string[];
}

export class ComparePanel extends Disposable {
  private static readonly panels = new Set<ComparePanel>();
  private readonly runs: TrainingRun[];
  private panelDisposed = false;

  static all(): ComparePanel[] {
    return [...ComparePanel.panels];
  }

  static create(services: PanelServices, source: CompareSource, base: TrainConfig): ComparePanel {
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, 'RNN Lab: compare cells', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(services.extensionUri, 'dist', 'webview')],
    });
    return new ComparePanel(panel, services, source, base);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly services: PanelServices,
    source: CompareSource,
    base: TrainConfig,
  ) {
    super();
    ComparePanel.panels.add(this);
    this._register(toDisposable(() => ComparePanel.panels.delete(this)));
    this._register(panel.onDidDispose(() => this.onPanelDisposed()));
    this._register(panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)));
    this._register(
      panel.onDidChangeViewState(() => {
        // A hidden webview loses its document; it asks again with `ready` when shown.
        if (!panel.visible) for (const run of this.runs) run.webviewDidUnload();
      }),
    );
    this.runs = compareConfigs(base).map((config) => {
      const runId = services.newRunId();
      const run = TrainingRun.start(
        { runId, title: runTitle(source.text, config), text: source.text, config, printEvery: source.printEvery, notes: source.notes },
        services.createWorker,
        {
          post: (msg) => this.post(msg),
          log: (line) => services.log(line),
          changed: (r) => services.registry.changed(r),
        },
      );
      services.log(`[${runId}] compare: start ${config.cell}: ${JSON.stringify(config)}`);
      const isOpen = () => !this.panelDisposed;
      services.registry.add(run, {
        get panelOpen() {
          return isOpen();
        },
      });
      return run;
    });
    const mode = base.mode.kind === 'full' ? '' : ` ${base.mode.kind} k${base.mode.k}`;
    panel.title = `Compare cells: ${snippet(source.text, 20)} · h${base.hiddenSize} e${base.epochs}${mode}`;
    this.render();
  }

  get runIds(): string[] {
    return this.runs.map((r) => r.runId);
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  override dispose(): void {
    if (!this.panelDisposed) this.panel.dispose(); // ends in onPanelDisposed
    super.dispose();
  }

  /** Resolves once all three workers have exited (deactivate waits for it). */
  async close(): Promise<void> {
    this.dispose();
    await Promise.all(this.runs.map((r) => r.dispose()));
  }

  private onPanelDisposed(): void {
    if (this.panelDisposed) return;
    this.panelDisposed = true;
    for (const run of this.runs) void run.dispose().finally(() => this.services.registry.closed(run.runId));
    this.dispose();
  }

  private post(msg: CompareHostToWebview): void {
    if (!this.panelDisposed) void this.panel.webview.postMessage(msg);
  }

  private render(): void {
    const webview = this.panel.webview;
    const root = vscode.Uri.joinPath(this.services.extensionUri, 'dist', 'webview');
    webview.html = renderWebviewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'compare.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'compare.css')).toString(),
      nonce: makeNonce(),
      title: this.panel.title,
    });
  }

  private receive(raw: unknown): void {
    const parsed = parseCompareMessage(raw);
    if (!parsed.ok) {
      this.services.log(`[compare ${this.runIds.join(',')}] ignored an invalid message from the webview: ${parsed.error}`);
      return;
    }
    this.handle(parsed.value);
  }

  private handle(msg: CompareWebviewToHost): void {
    switch (msg.type) {
      case 'ready':
        this.post({ type: 'compareLayout', title: this.panel.title, runs: this.runs.map((r) => ({ runId: r.runId, cell: r.config.cell })) });
        for (const run of this.runs) run.webviewDidLoad();
        return;
      case 'control': {
        // Ended runs have no worker; the others still get the action.
        const problems = this.runs.map((r) => (r.ended ? undefined : r.control(msg.action))).filter((p): p is string => p !== undefined);
        if (problems.length > 0) this.post({ type: 'notice', level: 'info', text: problems[0] });
        return;
      }
    }
  }
}
