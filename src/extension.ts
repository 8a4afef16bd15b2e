// Entry point: registers the commands, the panel serializer and the status bar, and returns
// the RnnLabApi that integration tests read.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { CommandResult, RnnLabApi } from './api';
import { checkTrainingText, TextError } from './core';
import { DisposableStore, toDisposable } from './dispose';
import { RunRegistry, type RunOwner } from './host/runRegistry';
import type { TrainingRun } from './host/run';
import { WorkerBridge } from './host/workerBridge';
import { exportMetrics, exportWeights, toUri } from './panel/exports';
import { TrainingPanelSerializer } from './panel/serializer';
import { RunStatusBar } from './panel/statusBar';
import { TrainingPanel, VIEW_TYPE, type PanelServices } from './panel/trainingPanel';
import { resolveTrainingText, type TrainingSource } from './selection';
import { planRun, readSettings, SECTION, type SettingKey } from './settings';
import { mergeConfig, parseTrainArgs } from './shared/validate';

let store: DisposableStore | undefined;

export function activate(context: vscode.ExtensionContext): RnnLabApi {
  store = new DisposableStore();
  const output = store.add(vscode.window.createOutputChannel('RNN Lab'));
  const registry = new RunRegistry<RunOwner>();
  store.add(toDisposable(() => registry.dispose()));

  const workerPath = vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath;
  const session = randomBytes(3).toString('hex');
  let runCounter = 0;

  const services: PanelServices = {
    extensionUri: context.extensionUri,
    registry,
    createWorker: (events) => new WorkerBridge(workerPath, events),
    log: (line) => output.appendLine(line),
    newRunId: () => `run-${session}-${++runCounter}`,
    exportWeights: (run) => exportWeights(run),
    exportMetrics: (run, format) => exportMetrics(run, format),
  };

  store.add(new RunStatusBar(registry));
  store.add(vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, new TrainingPanelSerializer(services)));
  const command = <A extends unknown[], T>(id: string, fn: (...args: A) => Promise<CommandResult<T>> | CommandResult<T>) =>
    store!.add(vscode.commands.registerCommand(id, async (...args: A) => {
      try {
        return await fn(...args);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        output.appendLine(`${id} failed: ${err instanceof Error && err.stack ? err.stack : error}`);
        void vscode.window.showErrorMessage(`RNN Lab: ${error}`);
        return { ok: false, error } satisfies CommandResult<T>;
      }
    }));

  command('rnnLab.trainOnSelection', (arg?: unknown) => trainOnSelection(services, arg));
  command('rnnLab.exportWeights', async (arg?: unknown) => {
    const target = parseExportArgs(arg, registry);
    if (!target.ok) return fail(target.error);
    const run = await chooseRun(registry, target.value.runId, 'Export the weights of which run?');
    if (!run) return { ok: false, error: 'No training run to export.' };
    return exportWeights(run, target.value.uri);
  });
  command('rnnLab.exportMetrics', async (arg?: unknown) => {
    const target = parseExportArgs(arg, registry);
    if (!target.ok) return fail(target.error);
    const run = await chooseRun(registry, target.value.runId, 'Export the metrics of which run?');
    if (!run) return { ok: false, error: 'No training run to export.' };
    const format = target.value.format ?? formatFromUri(target.value.uri) ?? (await pickFormat());
    if (!format) return { ok: false, error: 'Export cancelled.' };
    return exportMetrics(run, format, target.value.uri);
  });
  command('rnnLab.showPanel', async (arg?: unknown) => {
    const runId = typeof arg === 'object' && arg !== null && typeof (arg as { runId?: unknown }).runId === 'string' ? (arg as { runId: string }).runId : undefined;
    const panel = runId ? TrainingPanel.byRunId(runId) : (TrainingPanel.active() ?? (registry.active && TrainingPanel.byRunId(registry.active.runId)));
    if (!panel) return { ok: false, error: 'No training panel is open.' };
    panel.reveal();
    return { ok: true, value: panel.runId };
  });

  // Added last so it is disposed first (the store disposes in reverse): panels end their workers.
  store.add(toDisposable(() => TrainingPanel.all().forEach((p) => p.dispose())));
  context.subscriptions.push(store);
  return { runs: () => registry.runs(), waitForState: (runId, states, timeoutMs) => registry.waitForState(runId, states, timeoutMs) };
}

/** Ends every worker; VS Code waits for the returned promise before tearing down the host. */
export async function deactivate(): Promise<void> {
  const panels = TrainingPanel.all();
  await Promise.allSettled(panels.map((p) => p.close()));
  store?.dispose();
  store = undefined;
}

function fail(error: string): CommandResult<never> {
  void vscode.window.showErrorMessage(error);
  return { ok: false, error };
}

async function trainOnSelection(services: PanelServices, arg: unknown): Promise<CommandResult<string>> {
  // From the editor context menu VS Code passes the document's Uri; only a plain object is an argument.
  const parsedArgs = parseTrainArgs(arg instanceof vscode.Uri ? undefined : arg);
  if (!parsedArgs.ok) return fail(`RNN Lab: invalid argument: ${parsedArgs.error}`);
  const args = parsedArgs.value;

  const configuration = vscode.workspace.getConfiguration(SECTION);
  const read = readSettings((key: SettingKey) => configuration.get(key));
  if (!read.ok) return fail(`Invalid setting: ${read.error}`);
  let settings = read.settings;

  let source: TrainingSource;
  if (args.text !== undefined) {
    source = { text: args.text, notes: [] };
  } else {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return fail('Open a file and select the text to train on.');
    const doc = editor.document;
    source = resolveTrainingText(
      doc.getText(),
      editor.selections.map((s) => ({ start: doc.offsetAt(s.start), end: doc.offsetAt(s.end) })),
    );
  }

  try {
    checkTrainingText(source.text);
  } catch (err) {
    if (err instanceof TextError) return fail(err.message);
    throw err;
  }

  if (args.config) {
    const merged = mergeConfig(settings.config, args.config);
    if (!merged.ok) return fail(`RNN Lab: ${merged.error}`);
    settings = { ...settings, config: merged.value };
  }
  const plan = planRun(source.text, settings, args.config?.mode !== undefined);
  const panel = TrainingPanel.create(services, { text: source.text, printEvery: settings.printEvery, sourceNotes: source.notes }, plan.config, plan.notes);
  return { ok: true, value: panel.runId };
}

interface ExportTarget {
  runId?: string;
  uri?: vscode.Uri;
  format?: 'csv' | 'json';
}

function parseExportArgs(arg: unknown, registry: RunRegistry<RunOwner>): { ok: true; value: ExportTarget } | { ok: false; error: string } {
  if (arg === undefined || arg === null || arg instanceof vscode.Uri) return { ok: true, value: {} };
  if (typeof arg !== 'object' || Array.isArray(arg)) return { ok: false, error: 'RNN Lab: the export argument must be an object { runId?, uri?, format? }' };
  const a = arg as Record<string, unknown>;
  const unknownKey = Object.keys(a).find((k) => !['runId', 'uri', 'format'].includes(k));
  if (unknownKey) return { ok: false, error: `RNN Lab: unexpected field "${unknownKey}" in the export argument` };
  const out: ExportTarget = {};
  if (a.runId !== undefined) {
    if (typeof a.runId !== 'string' || !registry.get(a.runId)) return { ok: false, error: `RNN Lab: no run ${JSON.stringify(a.runId)}` };
    out.runId = a.runId;
  }
  if (a.uri !== undefined) {
    if (!(a.uri instanceof vscode.Uri) && (typeof a.uri !== 'string' || a.uri.length === 0)) return { ok: false, error: 'RNN Lab: uri must be a Uri or a non-empty string' };
    out.uri = toUri(a.uri as vscode.Uri | string);
  }
  if (a.format !== undefined) {
    if (a.format !== 'csv' && a.format !== 'json') return { ok: false, error: 'RNN Lab: format must be "csv" or "json"' };
    out.format = a.format;
  }
  return { ok: true, value: out };
}

function formatFromUri(uri: vscode.Uri | undefined): 'csv' | 'json' | undefined {
  const ext = uri?.path.toLowerCase().split('.').pop();
  return ext === 'csv' || ext === 'json' ? ext : undefined;
}

async function pickFormat(): Promise<'csv' | 'json' | undefined> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'CSV', description: 'epoch, loss, accuracy, σmax(W_hh), prediction', format: 'csv' as const },
      { label: 'JSON', description: 'every metric of every epoch, with the run configuration', format: 'json' as const },
    ],
    { title: 'Export Metrics', placeHolder: 'File format' },
  );
  return pick?.format;
}

/** The run named by id, else the active panel's, else the only open one, else the user's pick. */
async function chooseRun(registry: RunRegistry<RunOwner>, runId: string | undefined, placeHolder: string): Promise<TrainingRun | undefined> {
  if (runId) return registry.get(runId);
  const active = TrainingPanel.active();
  if (active) return active.currentRun;
  const open = registry.open();
  if (open.length === 0) {
    void vscode.window.showErrorMessage('No training run is open. Run "RNN Lab: Train RNN on Selection" first.');
    return undefined;
  }
  if (open.length === 1) return open[0];
  const pick = await vscode.window.showQuickPick(
    open.map((run) => ({ label: run.title, description: `${run.state}${run.last ? ` · epoch ${run.last.epoch} · loss ${run.last.loss.toFixed(4)}` : ''}`, run })),
    { placeHolder },
  );
  return pick?.run;
}
