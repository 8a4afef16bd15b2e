// The panel of one loaded weights file: what the model is (cell, vocabulary, parameter shapes,
// σ_max(W_hh), how it was trained) and buttons for what can be done with it. The panel owns the
// model's registry entry, so closing it unloads the model.
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../dispose';
import { parseModelWebviewMessage, type ModelHostToWebview, type ModelSummary, type ModelWebviewToHost } from '../shared/modelProtocol';
import { summarizeModel } from '../weights/display';
import type { LoadedModel, ModelRegistry } from '../weights/modelRegistry';
import { makeNonce, renderWebviewHtml } from './html';

export const MODEL_VIEW_TYPE = 'rnnLab.model';

export interface ModelPanelServices {
  extensionUri: vscode.Uri;
  models: ModelRegistry;
  log(line: string): void;
}

export class ModelPanel extends Disposable {
  private static readonly panels = new Map<string, ModelPanel>();
  private summary: ModelSummary;
  private panelDisposed = false;

  static all(): ModelPanel[] {
    return [...ModelPanel.panels.values()];
  }

  static byModelId(id: string): ModelPanel | undefined {
    return ModelPanel.panels.get(id);
  }

  static active(): ModelPanel | undefined {
    return ModelPanel.all().find((p) => p.panel.active);
  }

  /** Opens the model's panel, or shows the file's existing panel with the freshly read contents. */
  static show(services: ModelPanelServices, model: LoadedModel): ModelPanel {
    services.models.set(model);
    const existing = ModelPanel.panels.get(model.id);
    if (existing) {
      existing.update(model);
      existing.panel.reveal(undefined, false);
      return existing;
    }
    // Beside, so the editor with the text to continue on or insert into stays visible.
    const panel = vscode.window.createWebviewPanel(MODEL_VIEW_TYPE, model.name, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(services.extensionUri, 'dist', 'webview')],
    });
    return new ModelPanel(panel, services, model);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly services: ModelPanelServices,
    private model: LoadedModel,
  ) {
    super();
    this.summary = summarizeModel(model.weights, model.name, model.location);
    ModelPanel.panels.set(model.id, this);
    this._register(
      toDisposable(() => {
        if (ModelPanel.panels.get(model.id) === this) ModelPanel.panels.delete(model.id);
        services.models.delete(model.id);
      }),
    );
    this._register(panel.onDidDispose(() => this.onPanelDisposed()));
    this._register(panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)));
    panel.title = `Model: ${model.name}`;
    this.render();
  }

  get modelId(): string {
    return this.model.id;
  }

  get title(): string {
    return this.panel.title;
  }

  override dispose(): void {
    if (!this.panelDisposed) this.panel.dispose(); // ends in onPanelDisposed
    super.dispose();
  }

  private onPanelDisposed(): void {
    if (this.panelDisposed) return;
    this.panelDisposed = true;
    this.dispose();
  }

  private update(model: LoadedModel): void {
    this.model = model;
    this.summary = summarizeModel(model.weights, model.name, model.location);
    this.post({ type: 'model', model: this.summary });
  }

  private render(): void {
    const webview = this.panel.webview;
    const root = vscode.Uri.joinPath(this.services.extensionUri, 'dist', 'webview');
    webview.html = renderWebviewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'model.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'model.css')).toString(),
      nonce: makeNonce(),
      title: this.panel.title,
    });
  }

  private post(msg: ModelHostToWebview): void {
    if (!this.panelDisposed) void this.panel.webview.postMessage(msg);
  }

  private receive(raw: unknown): void {
    const msg = parseModelWebviewMessage(raw);
    if (!msg) {
      this.services.log(`[model ${this.model.name}] ignored an invalid message from the webview`);
      return;
    }
    this.handle(msg);
  }

  private handle(msg: ModelWebviewToHost): void {
    // The buttons run the palette commands for this file, so both paths behave the same.
    const weightsUri = this.model.id;
    switch (msg.type) {
      case 'ready':
        this.post({ type: 'model', model: this.summary });
        return;
      case 'continueTraining':
        void vscode.commands.executeCommand('rnnLab.continueTraining', { weightsUri });
        return;
      case 'generateText':
        void vscode.commands.executeCommand('rnnLab.generateText', { weightsUri });
        return;
      case 'exportTorch':
        void vscode.commands.executeCommand('rnnLab.exportForPyTorch', { weightsUri });
        return;
    }
  }
}
