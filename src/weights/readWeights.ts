// Reads and validates a weights file through workspace.fs (local, remote and virtual folders
// alike). The size is checked from stat before a byte is read, so a huge file costs nothing.
import * as vscode from 'vscode';
import { MAX_WEIGHTS_BYTES, parseWeights, WeightsError, type WeightsFile } from '../core';
import { baseName } from './display';
import type { Checked } from './generateOptions';
import { t } from '../core/l10n';

export interface WeightsOnDisk {
  uri: vscode.Uri;
  name: string;
  weights: WeightsFile;
  /** The file's text, handed to workers as is (they parse it again on their side). */
  json: string;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export async function readWeightsFile(uri: vscode.Uri): Promise<Checked<WeightsOnDisk>> {
  const name = baseName(uri.path);
  const problem = (why: string): Checked<WeightsOnDisk> => ({ ok: false, error: t('Cannot load {0}: {1}', name, why) });
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch (err) {
    return problem(err instanceof vscode.FileSystemError && err.code === 'FileNotFound' ? t('the file does not exist') : errorText(err));
  }
  if (stat.type & vscode.FileType.Directory) return problem(t('it is a folder, not a file'));
  if (stat.size > MAX_WEIGHTS_BYTES) return problem(t('the file is {0}, larger than the {1} MB a weights file may have', megabytes(stat.size), MAX_WEIGHTS_BYTES / 1024 / 1024));
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (err) {
    return problem(errorText(err));
  }
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return problem(t('not a text file (it is not valid UTF-8)'));
  }
  try {
    return { ok: true, value: { uri, name, weights: parseWeights(json), json } };
  } catch (err) {
    if (err instanceof WeightsError) return problem(err.message);
    throw err;
  }
}

function errorText(err: unknown): string {
  // FileSystemError messages carry the code in parentheses after a long path; the first line is enough.
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
