// "RNN Lab: Train RNN on Selection": decides the text and the configuration, refuses bad input
// before anything opens, then opens a panel whose worker trains.
import * as vscode from 'vscode';
import type { CommandResult } from '../api';
import { checkTrainingText, TextError } from '../core';
import { TrainingPanel, type PanelServices } from '../panel/trainingPanel';
import { resolveTrainingText, type TrainingSource } from '../selection';
import { planRun, readSettings, SECTION, type SettingKey } from '../settings';
import { mergeConfig, parseTrainArgs } from '../shared/validate';
import { fail } from './result';

/**
 * `arg` is `{ text?, config? }` from tests and automation; from the editor context menu VS Code
 * passes the document's Uri instead, which means "use the editor".
 */
export async function trainOnSelection(services: PanelServices, arg: unknown): Promise<CommandResult<string>> {
  const parsedArgs = parseTrainArgs(arg instanceof vscode.Uri ? undefined : arg);
  if (!parsedArgs.ok) return fail(`RNN Lab: invalid argument: ${parsedArgs.error}`);
  const args = parsedArgs.value;
  const editor = args.text === undefined ? vscode.window.activeTextEditor : undefined;

  // Scoped to the document so folder-level settings of a multi-root workspace apply.
  const configuration = vscode.workspace.getConfiguration(SECTION, editor?.document.uri);
  const read = readSettings((key: SettingKey) => configuration.get(key));
  if (!read.ok) return fail(`Invalid setting: ${read.error}`);
  let settings = read.settings;

  let source: TrainingSource;
  if (args.text !== undefined) {
    source = { text: args.text, notes: [] };
  } else {
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
