// Export flows shared by the panel buttons and the palette commands: pick a target, fetch the
// data, write it atomically, tell the user where it went.
import * as vscode from 'vscode';
import type { CommandResult } from '../api';
import { atomicWrite, metricsCsv, metricsFileName, metricsJson, slugify, weightsFileName, type WriteFs } from '../host/export';
import type { RenderedFigure } from '../shared/protocol';
import type { TrainingRun } from '../host/run';
import { t } from '../core/l10n';

/** atomicWrite over workspace.fs, so remote and virtual workspaces work as well as local disks. */
function workspaceFs(target: vscode.Uri): WriteFs {
  const at = (path: string) => target.with({ path });
  return {
    writeFile: async (path, data) => vscode.workspace.fs.writeFile(at(path), data),
    rename: async (from, to) => vscode.workspace.fs.rename(at(from), at(to), { overwrite: true }),
    delete: async (path) => vscode.workspace.fs.delete(at(path)),
  };
}

export async function writeAtomically(target: vscode.Uri, content: string): Promise<void> {
  await atomicWrite(workspaceFs(target), target.path, new TextEncoder().encode(content));
}

/** Accepts a Uri, a URI string with a scheme, or a file-system path. */
export function toUri(value: vscode.Uri | string): vscode.Uri {
  if (typeof value !== 'string') return value;
  if (/^[a-z][a-z0-9+.-]+:/i.test(value) && !/^[a-z]:[\\/]/i.test(value)) return vscode.Uri.parse(value, true);
  return vscode.Uri.file(value);
}

function defaultFolder(): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document.uri;
  if (doc && doc.scheme === 'file') return vscode.Uri.joinPath(doc, '..');
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

async function askTarget(fileName: string, filters: Record<string, string[]>, title: string): Promise<vscode.Uri | undefined> {
  const folder = defaultFolder();
  return vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
    filters,
    title,
    saveLabel: t('Export'),
  });
}

function failure(error: string, show: boolean): CommandResult<string> {
  if (show) void vscode.window.showErrorMessage(error);
  return { ok: false, error };
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function exportWeights(run: TrainingRun, target?: vscode.Uri): Promise<CommandResult<string>> {
  // Fail before the dialog when there is nothing to export.
  if (!run.workerAlive) {
    return failure(
      run.restored
        ? t('This run was restored after a reload; its weights were not kept. Restart it to train again.')
        : t('The trained weights are gone: the training worker of this run is no longer running.'),
      true,
    );
  }
  const uri = target ?? (await askTarget(weightsFileName(run.text, run.config, run.epochsDone), { [t('RNN weights')]: ['json'] }, t('Export Trained Weights')));
  if (!uri) return { ok: false, error: t('Export cancelled.') };
  try {
    const json = await run.exportWeights();
    await writeAtomically(uri, json);
  } catch (err) {
    return failure(t('Could not export the weights: {0}', describeError(err)), true);
  }
  void vscode.window.showInformationMessage(t('Weights exported to {0}', uri.scheme === 'file' ? uri.fsPath : uri.toString()));
  return { ok: true, value: uri.toString() };
}

export async function exportMetrics(run: TrainingRun, format: 'csv' | 'json', target?: vscode.Uri): Promise<CommandResult<string>> {
  const uri =
    target ??
    (await askTarget(metricsFileName(run.text, run.config, format), format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] }, t('Export Metrics')));
  if (!uri) return { ok: false, error: t('Export cancelled.') };
  const info = run.info ?? { title: run.title, text: run.text, config: run.config, firstEpoch: 0, steps: 0, stepLabels: [] };
  const content = format === 'csv' ? metricsCsv(run.store) : metricsJson(info, run.state, run.store);
  try {
    await writeAtomically(uri, content);
  } catch (err) {
    return failure(t('Could not export the metrics: {0}', describeError(err)), true);
  }
  void vscode.window.showInformationMessage(t('Metrics ({0} epochs) exported to {1}', run.store?.length ?? 0, uri.scheme === 'file' ? uri.fsPath : uri.toString()));
  return { ok: true, value: uri.toString() };
}

/** e.g. `rnn-hello-world-h20-e600-heatmap.png`: the run's file name stem and the figure. */
export function figureFileName(run: Pick<TrainingRun, 'text' | 'config'>, figure: string): string {
  return metricsFileName(run.text, run.config, 'csv').replace(/-metrics\.csv$/, `-${slugify(figure, 24)}.png`);
}

/** Writes a figure's PNG to `target`, or where the save dialog says. */
export async function exportFigure(fileName: string, figure: RenderedFigure, target?: vscode.Uri): Promise<CommandResult<string>> {
  const uri = target ?? (await askTarget(fileName, { [t('PNG image')]: ['png'] }, t('Save Figure as PNG')));
  if (!uri) return { ok: false, error: t('Export cancelled.') };
  try {
    await atomicWrite(workspaceFs(uri), uri.path, Uint8Array.from(Buffer.from(figure.png, 'base64')));
  } catch (err) {
    return failure(t('Could not save the figure: {0}', describeError(err)), true);
  }
  if (!target) void vscode.window.showInformationMessage(t('Figure ({0}×{1}) saved to {2}', figure.width, figure.height, uri.scheme === 'file' ? uri.fsPath : uri.toString()));
  return { ok: true, value: uri.toString() };
}
