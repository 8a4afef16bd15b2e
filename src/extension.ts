// Entry point: registers the commands, the panel serializer and the status bar, and returns
// the RnnLabApi that integration tests read.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { TextStore } from './host/textStore';
import type { CommandResult, RnnLabApi } from './api';
import { exportFigureCommand, exportMetricsCommand, exportWeightsCommand } from './commands/exportCommands';
import { trainOnSelection } from './commands/trainOnSelection';
import { compareCells } from './commands/compareCells';
import { openSample } from './commands/openSample';
import { openLesson, saveLesson } from './commands/lessonCommands';
import { COMPARE_VIEW_TYPE } from './panel/comparePanel';
import { registerWeightsCommands } from './commands/registerWeights';
import { DisposableStore, toDisposable } from './dispose';
import { RunRegistry } from './host/runRegistry';
import { RunSlots } from './host/runSlots';
import { WorkerBridge } from './host/workerBridge';
import { DEFAULT_EPOCHS_PER_SECOND } from './host/run';
import { SECTION, checkSetting, maxConcurrentRuns } from './settings';
import { exportMetrics, exportWeights } from './panel/exports';
import { comparePanelSerializer, trainingPanelSerializer } from './panel/serializer';
import { RunStatusBar } from './panel/statusBar';
import { VIEW_TYPE, type PanelServices } from './panel/trainingPanel';
import { setTranslator, t } from './core/l10n';
import { OverlayManager } from './panel/overlayManager';
import { toggleEditorGradients } from './commands/toggleEditorGradients';

let store: DisposableStore | undefined;
/** Kept for deactivate(), which must close every panel's workers. */
let activeRegistry: RunRegistry | undefined;

export function activate(context: vscode.ExtensionContext): RnnLabApi {
  store = new DisposableStore();
  // Every message of src/ (core included) goes through core/l10n's t(); here it learns the language.
  setTranslator((message, args) => vscode.l10n.t(message, ...args));
  const output = store.add(vscode.window.createOutputChannel('RNN Lab'));
  const registry = (activeRegistry = new RunRegistry());
  store.add(toDisposable(() => registry.dispose()));

  const slots = new RunSlots(() => maxConcurrentRuns(vscode.workspace.getConfiguration(SECTION).get('maxConcurrentRuns'), availableParallelism()), availableParallelism);
  const workerPath = vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath;
  // Run ids must not collide with those of panels restored from an earlier session.
  const session = randomBytes(3).toString('hex');
  let runCounter = 0;

  const overlays = store.add(new OverlayManager());
  const texts = new TextStore(join(context.globalStorageUri.fsPath, 'texts'), (line) => output.appendLine(line));
  void texts.prune();
  const services: PanelServices = {
    overlays,
    texts,
    extensionUri: context.extensionUri,
    registry,
    slots,
    createWorker: (events) => new WorkerBridge(workerPath, events, vscode.l10n.bundle),
    log: (line) => output.appendLine(line),
    newRunId: () => `run-${session}-${++runCounter}`,
    epochsPerSecond: () => {
      const value = vscode.workspace.getConfiguration(SECTION).get('playback.epochsPerSecond');
      // A revived panel falls back to the default rather than failing on a bad setting; a new run reports it.
      return checkSetting('playback.epochsPerSecond', value) === undefined ? (value as number) : DEFAULT_EPOCHS_PER_SECOND;
    },
    exportWeights: (run) => exportWeights(run),
    exportMetrics: (run, format) => exportMetrics(run, format),
  };

  store.add(new RunStatusBar(registry));
  store.add(vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, trainingPanelSerializer(services)));
  store.add(vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, comparePanelSerializer(services)));

  /** Every command returns a CommandResult, even when it throws, so callers never get undefined. */
  const command = <T>(id: string, fn: (arg?: unknown) => Promise<CommandResult<T>>) =>
    store!.add(
      vscode.commands.registerCommand(id, async (arg?: unknown): Promise<CommandResult<T>> => {
        try {
          return await fn(arg);
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          output.appendLine(`${id} failed: ${err instanceof Error && err.stack ? err.stack : error}`);
          void vscode.window.showErrorMessage(t('RNN Lab: {0}', error));
          return { ok: false, error };
        }
      }),
    );

  command('rnnLab.trainOnSelection', (arg) => trainOnSelection(services, arg));
  command('rnnLab.exportWeights', (arg) => exportWeightsCommand(registry, arg));
  command('rnnLab.exportMetrics', (arg) => exportMetricsCommand(registry, arg));
  command('rnnLab.exportFigure', (arg) => exportFigureCommand(registry, arg));
  command('rnnLab.showPanel', async (arg) => {
    const runId = typeof arg === 'object' && arg !== null && typeof (arg as { runId?: unknown }).runId === 'string' ? (arg as { runId: string }).runId : registry.active?.runId;
    // The run's owner (a training panel, or the Compare Cells panel for one of its three) reveals itself.
    if (runId === undefined || !registry.reveal(runId)) return { ok: false, error: t('No training panel is open.') };
    return { ok: true, value: runId };
  });

  store.add(registerWeightsCommands(services, command));
  command('rnnLab.compareCells', (arg) => compareCells(services, arg));
  command('rnnLab.toggleEditorGradients', async (arg) => toggleEditorGradients(registry, overlays, arg));
  command('rnnLab.openSample', (arg) => openSample(context.extensionUri, arg));
  command('rnnLab.openLesson', (arg) => openLesson(services, arg));
  command('rnnLab.saveLesson', (arg) => saveLesson(registry, arg));

  // Added last so it is disposed first (the store disposes in reverse): panels end their workers.
  store.add(toDisposable(() => void registry.closeAll()));
  context.subscriptions.push(store);
  return {
    runs: () => registry.runs(),
    waitForState: (runId, states, timeoutMs) => registry.waitForState(runId, states, timeoutMs),
  };
}

/** Ends every worker; VS Code waits for the returned promise before tearing down the host. */
export async function deactivate(): Promise<void> {
  await activeRegistry?.closeAll();
  activeRegistry = undefined;
  store?.dispose();
  store = undefined;
  setTranslator(undefined);
}
