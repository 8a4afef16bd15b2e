// Wires the weights commands into the extension: the loaded-model registry, the context key
// that shows "Continue Training" and "Generate Text" in the palette, and the model panels'
// lifetime. extension.ts calls this once, so its own edit stays one line.
import * as vscode from 'vscode';
import type { CommandResult } from '../api';
import { DisposableStore, toDisposable, type IDisposable } from '../dispose';
import { ModelPanel } from '../panel/modelPanel';
import type { PanelServices } from '../panel/trainingPanel';
import { LastTextEditor } from '../weights/lastEditor';
import { ModelRegistry } from '../weights/modelRegistry';
import { continueTrainingCommand, exportTorchCommand, generateTextCommand, loadWeightsCommand, type WeightsServices } from './weightsCommands';

export type CommandRegistrar = <T>(id: string, fn: (arg?: unknown) => Promise<CommandResult<T>>) => unknown;

/** Context key: true while at least one model is loaded (a model panel is open). */
export const HAS_MODELS_KEY = 'rnnLab.hasModels';

export function registerWeightsCommands(panels: PanelServices, command: CommandRegistrar): IDisposable {
  const store = new DisposableStore();
  const models = new ModelRegistry();
  store.add(toDisposable(() => models.dispose()));
  const services: WeightsServices = {
    extensionUri: panels.extensionUri,
    models,
    log: panels.log,
    panels,
    lastEditor: store.add(new LastTextEditor()),
    sampleWorkerPath: vscode.Uri.joinPath(panels.extensionUri, 'dist', 'sampleWorker.js').fsPath,
  };
  let hasModels: boolean | undefined;
  const updateContext = () => {
    const value = models.size > 0;
    if (value === hasModels) return;
    hasModels = value;
    void vscode.commands.executeCommand('setContext', HAS_MODELS_KEY, value);
  };
  store.add(models.onDidChange(updateContext));
  updateContext();

  command('rnnLab.loadWeights', (arg) => loadWeightsCommand(services, arg));
  command('rnnLab.continueTraining', (arg) => continueTrainingCommand(services, arg));
  command('rnnLab.generateText', (arg) => generateTextCommand(services, arg));
  command('rnnLab.exportForPyTorch', (arg) => exportTorchCommand(services, arg));

  // Added last so it is disposed first: the panels remove their models from the registry.
  store.add(toDisposable(() => ModelPanel.all().forEach((p) => p.dispose())));
  return store;
}
