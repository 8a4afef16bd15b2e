// Brings training and compare panels back after a window reload. Training is not resumed (the
// workers and their weights are gone); the panels show the histories their webviews saved.
import type * as vscode from 'vscode';
import type { Parsed } from '../shared/check';
import { parsePersistedCompare, parsePersistedRun } from '../shared/persist';
import { ComparePanel } from './comparePanel';
import { TrainingPanel, type PanelServices } from './trainingPanel';

/** A serializer that checks the saved state in full before anything is revived from it. */
class CheckedSerializer<T> implements vscode.WebviewPanelSerializer {
  constructor(
    private readonly services: PanelServices,
    private readonly what: string,
    private readonly parse: (state: unknown) => Parsed<T>,
    private readonly revive: (panel: vscode.WebviewPanel, saved: T) => void,
  ) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const parsed = this.parse(state);
    if (!parsed.ok) {
      // A panel closed before its first `init`, or state from an incompatible build: nothing to show.
      this.services.log(`could not restore a ${this.what}: ${parsed.error}`);
      panel.dispose();
      return;
    }
    this.revive(panel, parsed.value);
  }
}

export function trainingPanelSerializer(services: PanelServices): vscode.WebviewPanelSerializer {
  return new CheckedSerializer(services, 'training panel', parsePersistedRun, (panel, saved) => TrainingPanel.revive(services, panel, saved));
}

export function comparePanelSerializer(services: PanelServices): vscode.WebviewPanelSerializer {
  return new CheckedSerializer(services, 'compare panel', parsePersistedCompare, (panel, saved) => ComparePanel.revive(services, panel, saved.title, saved.runs));
}
