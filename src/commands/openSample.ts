// "RNN Lab: Open Sample Text": opens one of the shipped texts in an untitled editor with the
// whole text selected, so "Train RNN on Selection" or "Compare Cells" can run on it right away.
import * as vscode from 'vscode';
import type { CommandResult } from '../api';
import { findSample, SAMPLES, SAMPLES_DIR, type SampleText } from '../host/samples';
import { fail } from './result';
import { t } from '../core/l10n';

export interface OpenedSample {
  id: string;
  /** The untitled document's URI, so callers find its editor without relying on focus. */
  uri: string;
}

/** `arg` `{ id }` (tests, automation) skips the quick pick. */
export async function openSample(extensionUri: vscode.Uri, arg: unknown): Promise<CommandResult<OpenedSample>> {
  let sample: SampleText | undefined;
  if (arg !== undefined && arg !== null) {
    const id = typeof arg === 'object' ? (arg as { id?: unknown }).id : undefined;
    if (typeof id !== 'string') return fail(t('RNN Lab: invalid argument: {0}', 'expected { id: string }'));
    sample = findSample(id);
    if (!sample) return fail(t('RNN Lab: no sample "{0}" (samples: {1})', id, SAMPLES.map((s) => s.id).join(', ')));
  } else {
    const picked = await vscode.window.showQuickPick(
      SAMPLES.map((s) => ({ label: t(s.label), description: t(s.description), detail: t(s.detail), sample: s })),
      { title: t('RNN Lab: Open Sample Text'), placeHolder: t('A text to train on'), matchOnDescription: true, matchOnDetail: true },
    );
    if (!picked) return { ok: false, error: 'cancelled' };
    sample = picked.sample;
  }
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, ...SAMPLES_DIR, sample.file));
  const content = new TextDecoder('utf-8').decode(bytes);
  const doc = await vscode.workspace.openTextDocument({ content, language: 'plaintext' });
  // Seen in the integration suite: right after an untitled editor was reverted and closed, the new
  // document reused its name and came back with the old text. Make the content what was asked for.
  if (doc.getText() !== content) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), content);
    if (!(await vscode.workspace.applyEdit(edit))) return fail(t('RNN Lab: could not fill the editor with the sample "{0}"', sample.id));
  }
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  editor.selection = new vscode.Selection(doc.positionAt(0), doc.positionAt(content.length));
  return { ok: true, value: { id: sample.id, uri: doc.uri.toString() } };
}
