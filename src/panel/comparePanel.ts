// The compare panel: one webview, three runs (RNN, LSTM, GRU) each in its own worker thread.
// It owns the runs the way TrainingPanel owns one, so closing the panel ends all three workers;
// after a window reload it comes back with the three histories its webview saved.
import * as vscode from 'vscode';
import type { TrainConfig } from '../core/types';
import { toDisposable } from '../dispose';
import { compareConfigs, compareConnectivity, parseCompareMessage, type CompareWebviewToHost } from '../host/compare';
import type { CompareConnectivityReply } from '../shared/inside';
import { runTitle } from '../host/format';
import { TrainingRun, type RunHooks } from '../host/run';
import type { RunOwner } from '../host/runRegistry';
import type { CompareHostToWebview, LessonInfo } from '../shared/protocol';
import type { RestoredRun } from '../shared/persist';
import { snippet } from '../selection';
import { exportFigure, figureFileName } from './exports';
import { PanelBase, panelOptions } from './panelBase';
import type { PanelServices } from './trainingPanel';
import { t } from '../core/l10n';

export const COMPARE_VIEW_TYPE = 'rnnLab.compare';

export interface CompareSource {
  text: string;
  printEvery: number;
  notes: string[];
  epochsPerSecond?: number;
  /** A compare lesson's title (the panel's) and words, carried by each of the three runs. */
  lesson?: { title: string; info: LessonInfo };
}

type CompareMessage = CompareWebviewToHost;

export class ComparePanel extends PanelBase<CompareMessage, CompareHostToWebview> implements RunOwner {
  private runs: TrainingRun[] = [];

  static create(services: PanelServices, source: CompareSource, base: TrainConfig): ComparePanel {
    const mode = base.mode.kind === 'full' ? '' : ` ${base.mode.kind} k${base.mode.k}`;
    const title = source.lesson?.title ?? t('Compare cells: {0}', `${snippet(source.text, 20)} · h${base.hiddenSize} e${base.epochs}${mode}`);
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, panelOptions(services.extensionUri));
    const p = new ComparePanel(panel, services);
    p.runs = compareConfigs(base).map((config) => {
      const runId = services.newRunId();
      services.log(`[${runId}] compare: start ${config.cell}: ${JSON.stringify(config)}`);
      return TrainingRun.start(
        { runId, title: runTitle(source.text, config), text: source.text, config, printEvery: source.printEvery, notes: source.notes, lesson: source.lesson?.info },
        services.createWorker,
        p.hooks(),
        { epochsPerSecond: source.epochsPerSecond, slots: services.slots },
      );
    });
    p.adopt();
    return p;
  }

  /** Rebuilds a compare panel VS Code kept across a reload, from the three histories its webview saved. */
  static revive(services: PanelServices, panel: vscode.WebviewPanel, title: string, saved: RestoredRun[]): ComparePanel {
    const p = new ComparePanel(panel, services);
    panel.title = title;
    p.runs = saved.map((s) => {
      const runId = services.registry.get(s.run.runId) ? services.newRunId() : s.run.runId;
      return TrainingRun.restore({ ...s.run, runId }, s.history, s.state, p.hooks(), { epochsPerSecond: services.epochsPerSecond() });
    });
    p.adopt();
    return p;
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly services: PanelServices,
  ) {
    super(panel, services, { script: 'compare.js', style: 'compare.css' }, parseCompareMessage);
  }

  private adopt(): void {
    for (const run of this.runs) {
      this.services.registry.add(run, this);
      this._register(toDisposable(() => void run.dispose()));
    }
    this.render();
  }

  protected get logTag(): string {
    return `compare ${this.runIds.join(',')}`;
  }

  get runIds(): string[] {
    return this.runs.map((r) => r.runId);
  }

  owns(runId: string): boolean {
    return this.isOpen && this.runs.some((r) => r.runId === runId);
  }

  /** Resolves once all three workers have exited (deactivate waits for it). */
  async close(): Promise<void> {
    this.dispose();
    await Promise.all(this.runs.map((r) => r.dispose()));
  }

  protected onClosed(): void {
    for (const run of this.runs) void run.dispose();
  }

  protected override onHidden(): void {
    for (const run of this.runs) run.webviewDidUnload();
  }

  protected override onActive(): void {
    const first = this.runs[0];
    if (first) this.services.registry.setActive(first.runId);
  }

  private hooks(): RunHooks {
    return {
      post: (msg) => this.post(msg),
      log: (line) => this.services.log(line),
      changed: (run) => {
        this.services.registry.changed(run);
        if (run.isDisposed) this.services.registry.closed(run.runId);
      },
    };
  }

  protected onReady(): void {
    void this.post({ type: 'compareLayout', title: this.panel.title, runs: this.runs.map((r) => ({ runId: r.runId, cell: r.config.cell })) });
    for (const run of this.runs) run.webviewDidLoad();
  }

  protected override onRequest(req: Extract<CompareMessage, { type: 'request' }>): Promise<{ uri: string | null } | CompareConnectivityReply> {
    if (req.kind === 'compareConnectivity') return compareConnectivity(this.runs, req.params.epoch, req.params.t);
    const { figure, ...rendered } = req.params;
    const run = this.runs[0];
    return exportFigure(figureFileName(run, `compare-${figure}`), rendered).then((r) => ({ uri: r.ok ? r.value : null }));
  }

  protected onMessage(msg: Extract<CompareMessage, { type: 'control' }>): void {
    // Ended runs have no worker; the others still get the action.
    const problems = this.runs.map((r) => (r.ended ? undefined : r.control(msg.action))).filter((p): p is string => p !== undefined);
    if (problems.length > 0) this.notice('info', problems[0]);
  }
}
