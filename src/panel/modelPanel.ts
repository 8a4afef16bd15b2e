// The panel of one loaded weights file: what the model is (cell, vocabulary, parameter shapes,
// σ_max(W_hh), how it was trained) and buttons for what can be done with it. The panel owns the
// model's registry entry, so closing it unloads the model.
import * as vscode from 'vscode';
import { toDisposable } from '../dispose';
import type { Parsed } from '../shared/check';
import { parseModelWebviewMessage, type ModelHostToWebview, type ModelSummary, type ModelWebviewToHost } from '../shared/modelProtocol';
import { summarizeModel } from '../weights/display';
import type { LoadedModel, ModelRegistry } from '../weights/modelRegistry';
import { PanelBase, panelOptions } from './panelBase';
import { t } from '../core/l10n';

export const MODEL_VIEW_TYPE = 'rnnLab.model';

export interface ModelPanelServices {
  extensionUri: vscode.Uri;
  models: ModelRegistry;
  log(line: string): void;
}

function parse(raw: unknown): Parsed<ModelWebviewToHost> {
  const msg = parseModelWebviewMessage(raw);
  return msg ? { ok: true, value: msg } : { ok: false, error: t('not a model panel message') };
}

export class ModelPanel extends PanelBase<ModelWebviewToHost, ModelHostToWebview> {
  private static readonly panels = new Map<string, ModelPanel>();
  private summary: ModelSummary;

  static all(): ModelPanel[] {
    return [...ModelPanel.panels.values()];
  }

  static byModelId(id: string): ModelPanel | undefined {
    return ModelPanel.panels.get(id);
  }

  static active(): ModelPanel | undefined {
    return ModelPanel.all().find((p) => p.active);
  }

  /** Opens the model's panel, or shows the file's existing panel with the freshly read contents. */
  static show(services: ModelPanelServices, model: LoadedModel): ModelPanel {
    services.models.set(model);
    const existing = ModelPanel.panels.get(model.id);
    if (existing) {
      existing.update(model);
      existing.reveal();
      return existing;
    }
    // Beside, so the editor with the text to continue on or insert into stays visible.
    const panel = vscode.window.createWebviewPanel(MODEL_VIEW_TYPE, model.name, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, panelOptions(services.extensionUri));
    return new ModelPanel(panel, services, model);
  }

  private constructor(
    panel: vscode.WebviewPanel,
    services: ModelPanelServices,
    private model: LoadedModel,
  ) {
    super(panel, services, { script: 'model.js', style: 'model.css' }, parse);
    this.summary = summarizeModel(model.weights, model.name, model.location);
    ModelPanel.panels.set(model.id, this);
    this._register(
      toDisposable(() => {
        if (ModelPanel.panels.get(model.id) === this) ModelPanel.panels.delete(model.id);
        services.models.delete(model.id);
      }),
    );
    panel.title = t('Model: {0}', model.name);
    this.render();
  }

  protected get logTag(): string {
    return `model ${this.model.name}`;
  }

  get modelId(): string {
    return this.model.id;
  }

  protected onClosed(): void {
    // The registry entry goes with the panel (registered above).
  }

  private update(model: LoadedModel): void {
    this.model = model;
    this.summary = summarizeModel(model.weights, model.name, model.location);
    void this.post({ type: 'model', model: this.summary });
  }

  protected onReady(): void {
    void this.post({ type: 'model', model: this.summary });
  }

  protected onMessage(msg: Exclude<ModelWebviewToHost, { type: 'ready' }>): void {
    // The buttons run the palette commands for this file, so both paths behave the same.
    const weightsUri = this.model.id;
    switch (msg.type) {
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
