// "Export Trained Weights" and "Export Metrics" from the palette: find the run (argument, active
// panel, the only open run, or a pick), then the same flows the panel buttons use.
import * as vscode from 'vscode';
import type { CommandResult } from '../api';
import type { TrainingRun } from '../host/run';
import type { RunRegistry } from '../host/runRegistry';
import { exportFigure, exportMetrics, exportWeights, figureFileName, toUri } from '../panel/exports';
import { figureName, wrapCheck } from '../shared/validate';
import { fail } from './result';
import { stateLabel } from '../host/format';
import { t } from '../core/l10n';

interface ExportTarget {
  runId?: string;
  uri?: vscode.Uri;
  format?: 'csv' | 'json';
}

type Registry = RunRegistry;

export async function exportWeightsCommand(registry: Registry, arg: unknown): Promise<CommandResult<string>> {
  const target = parseExportArgs(arg, registry, false);
  if (!target.ok) return fail(target.error);
  const run = await chooseRun(registry, target.value.runId, t('Export the weights of which run?'));
  if (!run) return { ok: false, error: t('No training run to export.') };
  return exportWeights(run, target.value.uri);
}

export async function exportMetricsCommand(registry: Registry, arg: unknown): Promise<CommandResult<string>> {
  const target = parseExportArgs(arg, registry, true);
  if (!target.ok) return fail(target.error);
  const run = await chooseRun(registry, target.value.runId, t('Export the metrics of which run?'));
  if (!run) return { ok: false, error: t('No training run to export.') };
  const format = target.value.format ?? formatFromUri(target.value.uri) ?? (await pickFormat());
  if (!format) return { ok: false, error: t('Export cancelled.') };
  return exportMetrics(run, format, target.value.uri);
}

function parseExportArgs(arg: unknown, registry: Registry, withFormat: boolean): { ok: true; value: ExportTarget } | { ok: false; error: string } {
  if (arg === undefined || arg === null || arg instanceof vscode.Uri) return { ok: true, value: {} };
  const shape = withFormat ? '{ runId?, uri?, format? }' : '{ runId?, uri? }';
  if (typeof arg !== 'object' || Array.isArray(arg)) return { ok: false, error: t('RNN Lab: the export argument must be an object {0}', shape) };
  const a = arg as Record<string, unknown>;
  const allowed = withFormat ? ['runId', 'uri', 'format'] : ['runId', 'uri'];
  const unknownKey = Object.keys(a).find((k) => !allowed.includes(k));
  if (unknownKey) return { ok: false, error: t('RNN Lab: unexpected field "{0}" in the export argument {1}', unknownKey, shape) };
  const out: ExportTarget = {};
  if (a.runId !== undefined) {
    if (typeof a.runId !== 'string' || !registry.get(a.runId)) return { ok: false, error: t('RNN Lab: no run {0}', JSON.stringify(a.runId)) };
    out.runId = a.runId;
  }
  if (a.uri !== undefined) {
    if (!(a.uri instanceof vscode.Uri) && (typeof a.uri !== 'string' || a.uri.length === 0)) return { ok: false, error: t('RNN Lab: uri must be a Uri or a non-empty string') };
    out.uri = toUri(a.uri as vscode.Uri | string);
  }
  if (a.format !== undefined) {
    if (a.format !== 'csv' && a.format !== 'json') return { ok: false, error: t('RNN Lab: format must be "csv" or "json"') };
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
      { label: 'CSV', description: t('epoch, loss, accuracy, σmax(W_hh), prediction'), format: 'csv' as const },
      { label: 'JSON', description: t('every metric of every epoch, with the run configuration'), format: 'json' as const },
    ],
    { title: t('Export Metrics'), placeHolder: t('File format') },
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
    void vscode.window.showErrorMessage(t('No training run is open. Run "{0}" first.', t('RNN Lab: Train RNN on Selection')));
    return undefined;
  }
  if (open.length === 1) return open[0];
  const pick = await vscode.window.showQuickPick(
    open.map((run) => ({ label: run.title, description: `${stateLabel(run.state)}${run.last ? ` · ${t('epoch {0} · loss {1}', run.last.epoch, run.last.loss.toFixed(4))}` : ''}`, run })),
    { placeHolder },
  );
  return pick?.run;
}

interface FigureTarget {
  runId?: string;
  figure: string;
  uri?: vscode.Uri;
}

function parseFigureArgs(arg: unknown, registry: Registry): { ok: true; value: FigureTarget } | { ok: false; error: string } {
  const shape = '{ runId?, figure, uri? }';
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) return { ok: false, error: t('RNN Lab: the argument must be an object {0}', shape) };
  const a = arg as Record<string, unknown>;
  const unknownKey = Object.keys(a).find((k) => !['runId', 'figure', 'uri'].includes(k));
  if (unknownKey) return { ok: false, error: t('RNN Lab: unexpected field "{0}" in the argument {1}', unknownKey, shape) };
  const figure = wrapCheck(() => figureName(a.figure, 'argument'));
  if (!figure.ok) return { ok: false, error: t('RNN Lab: {0}', figure.error) };
  const out: FigureTarget = { figure: figure.value };
  if (a.runId !== undefined) {
    if (typeof a.runId !== 'string' || !registry.get(a.runId)) return { ok: false, error: t('RNN Lab: no run {0}', JSON.stringify(a.runId)) };
    out.runId = a.runId;
  }
  if (a.uri !== undefined) {
    if (!(a.uri instanceof vscode.Uri) && (typeof a.uri !== 'string' || a.uri.length === 0)) return { ok: false, error: t('RNN Lab: uri must be a Uri or a non-empty string') };
    out.uri = toUri(a.uri as vscode.Uri | string);
  }
  return { ok: true, value: out };
}

/** `rnnLab.exportFigure { runId?, figure, uri? }` → `{ uri, width, height }`: one of a panel's figures as a PNG. */
export async function exportFigureCommand(registry: Registry, arg: unknown): Promise<CommandResult<{ uri: string; width: number; height: number }>> {
  const target = parseFigureArgs(arg, registry);
  if (!target.ok) return fail(target.error);
  const run = await chooseRun(registry, target.value.runId, t('Save a figure of which run?'));
  if (!run) return { ok: false, error: t('No training run to take a figure from.') };
  const owner = registry.ownerOf(run.runId);
  if (!owner?.renderFigure) return { ok: false, error: t('The panel of run {0} is closed.', run.runId) };
  const rendered = await owner.renderFigure(target.value.figure);
  const written = await exportFigure(figureFileName(run, target.value.figure), rendered, target.value.uri);
  if (!written.ok) return written;
  return { ok: true, value: { uri: written.value, width: rendered.width, height: rendered.height } };
}
