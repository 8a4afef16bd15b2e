// Brings training panels back after a window reload. Training is not resumed (the worker and
// its weights are gone); the panel shows the history its webview persisted.
import * as vscode from 'vscode';
import { parsePersistedRun } from '../shared/validate';
import { TrainingPanel, type PanelServices } from './trainingPanel';

export class TrainingPanelSerializer implements vscode.WebviewPanelSerializer {
  constructor(private readonly services: PanelServices) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const parsed = parsePersistedRun(state);
    if (!parsed.ok) {
      // A panel closed before its first `init`, or state from an incompatible build: nothing to show.
      this.services.log(`could not restore a training panel: ${parsed.error}`);
      panel.dispose();
      return;
    }
    TrainingPanel.revive(this.services, panel, parsed.value);
  }
}
