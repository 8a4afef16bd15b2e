// What every "train on the selection" command decides before it opens anything: the argument,
// the settings (scoped to the document), the text (selection rules), the text check, the
// argument's config overrides, and the run plan (window mode for long texts).
import * as vscode from 'vscode';
import type { CommandResult } from '../api';
import { checkRunLimits, checkTrainingText, TextError, type TextCounts } from '../core';
import type { TrainConfig } from '../core/types';
import { resolveTrainingText, type TrainingSource } from '../selection';
import { planRun, readSettings, SECTION, type RunPlan, type RunSettings, type SettingKey } from '../settings';
import { mergeConfig, parseTrainArgs, type WhenBusy } from '../shared/validate';
import { fail } from './result';
import { t } from '../core/l10n';
import { TextMap } from '../host/textMap';
import type { OverlayTarget } from '../panel/editorOverlay';

export interface TrainingInput {
  source: TrainingSource;
  /** Where the text sits in its editor, for the editor overlay; absent for a text given as an argument. */
  overlayTarget?: OverlayTarget;
  settings: RunSettings;
  plan: RunPlan;
  whenBusy: WhenBusy | undefined;
}

/**
 * `arg` is `{ text?, config? }` from tests and automation; from the editor context menu VS Code
 * passes the document's Uri instead, which means "use the editor". `check` may refuse the
 * argument's overrides (e.g. a cell where the command chooses it) with a message.
 */
export function resolveTrainingInput(arg: unknown, check?: (overrides: Partial<TrainConfig>) => string | undefined): CommandResult<TrainingInput> {
  const parsedArgs = parseTrainArgs(arg instanceof vscode.Uri ? undefined : arg);
  if (!parsedArgs.ok) return fail(t('RNN Lab: invalid argument: {0}', parsedArgs.error));
  const args = parsedArgs.value;
  const editor = args.text === undefined ? vscode.window.activeTextEditor : undefined;

  // Scoped to the document so folder-level settings of a multi-root workspace apply.
  const configuration = vscode.workspace.getConfiguration(SECTION, editor?.document.uri);
  const read = readSettings((key: SettingKey) => configuration.get(key));
  if (!read.ok) return fail(t('Invalid setting: {0}', read.error));
  let settings = read.settings;

  let source: TrainingSource;
  let overlayTarget: OverlayTarget | undefined;
  if (args.text !== undefined) {
    source = { text: args.text, notes: [], spans: [] };
  } else {
    if (!editor) return fail(t('Open a file and select the text to train on.'));
    const found = editorSource(editor);
    source = found.source;
    overlayTarget = found.overlayTarget;
  }

  let counts: TextCounts;
  try {
    counts = checkTrainingText(source.text);
  } catch (err) {
    if (err instanceof TextError) return fail(err.message);
    throw err;
  }

  if (args.config) {
    const refused = check?.(args.config);
    if (refused) return fail(t('RNN Lab: invalid argument: {0}', refused));
    const merged = mergeConfig(settings.config, args.config);
    if (!merged.ok) return fail(t('RNN Lab: {0}', merged.error));
    settings = { ...settings, config: merged.value };
  }
  const plan = planRun(source.text, settings, args.config?.mode !== undefined);
  const limit = runLimitProblem(counts, plan.config);
  if (limit) return fail(limit);
  return { ok: true, value: { source, settings, plan, whenBusy: args.whenBusy, ...(overlayTarget ? { overlayTarget } : {}) } };
}

/**
 * The core's run limits, checked before any panel or worker exists, on the counts the text check
 * made. The weights file counts as written: every run can be exported, and an export the loader
 * would refuse must not be possible. A continued run passes the file's vocabulary as `distinct`.
 */
export function runLimitProblem(counts: TextCounts, config: TrainConfig, firstEpoch = 0): string | undefined {
  try {
    checkRunLimits({ ...counts, config, firstEpoch, writesWeights: true });
    return undefined;
  } catch (err) {
    if (err instanceof TextError) return err.message;
    throw err;
  }
}

/** The training text of an editor's selections, and where it sits there (the editor overlay's map). */
export function editorSource(editor: vscode.TextEditor): { source: TrainingSource; overlayTarget: OverlayTarget } {
  const doc = editor.document;
  const documentText = doc.getText();
  const source = resolveTrainingText(
    documentText,
    editor.selections.map((s) => ({ start: doc.offsetAt(s.start), end: doc.offsetAt(s.end) })),
  );
  return { source, overlayTarget: { uri: doc.uri.toString(), map: TextMap.build(documentText, source.spans) } };
}
