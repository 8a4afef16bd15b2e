// "Export Trained Weights" and "Export Metrics" from the palette: find the run (argument, active
// panel, the only open run, or a pick), then the same flows the panel buttons use.
import * as vscode from 'vscode';
import type { CommandResult } from '../api';
import type { TrainingRun } from '../host/run';
import type { RunRegistry } from '../host/runRegistry';
import { exportMetrics, exportWeights, toUri } from '../panel/exports';
import { fail } from './result';

interface ExportTarget {
  runId?: string;
  uri?: vscode.Uri;
  format?: 'csv' | 'json';
}

type Registry = RunRegistry;

export async function exportWeightsCommand(registry: Registry, arg: unknown): Promise<CommandResult<string>> {
  const target = parseExportArgs(arg, registry, false);
  if (!target.ok) return fail(target.error);
  const run = await chooseRun(registry, target.value.runId, 'Export the weights of which run?');
  if (!run) return { ok: false, error: 'No training run to export.' };
  return exportWeights(run, target.value.uri);
}

export async function exportMetricsCommand(registry: Registry, arg: unknown): Promise<CommandResult<string>> {
  const target = parseExportArgs(arg, registry, true);
  if (!target.ok) return fail(target.error);
  const run = await chooseRun(registry, target.value.runId, 'Export the metrics of which run?');
  if (!run) return { ok: false, error: 'No training run to export.' };
  const format = target.value.format ?? formatFromUri(target.value.uri) ?? (await pickFormat());
  if (!format) return { ok: false, error: 'Export cancelled.' };
  return exportMetrics(run, format, target.value.uri);
}

function parseExportArgs(arg: unknown, registry: Registry, withFormat: boolean): { ok: true; value: ExportTarget } | { ok: false; error: string } {
  if (arg === undefined || arg === null || arg instanceof vscode.Uri) return { ok: true, value: {} };
  const shape = withFormat ? '{ runId?, uri?, format? }' : '{ runId?, uri? }';
  if (typeof arg !== 'object' || Array.isArray(arg)) return { ok: false, error: `RNN Lab: the export argument must be an object ${shape}` };
  const a = arg as Record<string, unknown>;
  const allowed = withFormat ? ['runId', 'uri', 'format'] : ['runId', 'uri'];
  const unknownKey = Object.keys(a).find((k) => !allowed.includes(k));
  if (unknownKey) return { ok: false, error: `RNN Lab: unexpected field "${unknownKey}" in the export argument ${shape}` };
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

/** The run named by id, else the active one (the last panel focused), else the only open one, else the user's pick. */
async function chooseRun(registry: Registry, runId: string | undefined, placeHolder: string): Promise<TrainingRun | undefined> {
  if (runId) return registry.get(runId);
  const open = registry.open();
  const active = registry.active;
  if (active && open.includes(active)) return active;
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
