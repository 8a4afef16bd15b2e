// The models loaded from weights files, keyed by the file's URI. One entry per open model panel:
// the panel adds it and removes it when it closes, so what the commands can pick is what the
// user sees. Free of `vscode` (URIs as strings) so it is unit-tested.
import type { WeightsFile } from '../core';

export interface LoadedModel {
  /** The file's URI as a string; loading the same file again replaces the entry. */
  id: string;
  /** File name, for picks and titles. */
  name: string;
  /** Path or URI for the user. */
  location: string;
  weights: WeightsFile;
  json: string;
}

export class ModelRegistry {
  private readonly models = new Map<string, LoadedModel>();
  private readonly listeners = new Set<() => void>();

  set(model: LoadedModel): void {
    // Re-inserting moves a reloaded file to the end: list() is in order of last load.
    this.models.delete(model.id);
    this.models.set(model.id, model);
    this.notify();
  }

  delete(id: string): void {
    if (this.models.delete(id)) this.notify();
  }

  get(id: string): LoadedModel | undefined {
    return this.models.get(id);
  }

  list(): LoadedModel[] {
    return [...this.models.values()];
  }

  get size(): number {
    return this.models.size;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.models.clear();
    this.listeners.clear();
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}

/** One line for a quick pick: architecture and how far it trained. */
export function describeModel(w: WeightsFile): string {
  const t = w.training;
  const epochs = t?.epochsDone === undefined ? '' : ` · ${t.epochsDone} epochs`;
  const loss = typeof t?.finalMetrics?.loss === 'number' ? ` · loss ${t.finalMetrics.loss.toFixed(4)}` : '';
  return `${w.cell} h${w.hiddenSize} · ${w.vocab.length} characters${epochs}${loss}`;
}
