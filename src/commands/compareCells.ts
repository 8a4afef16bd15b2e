// "RNN Lab: Compare Cells on Selection": the same text, seed, hidden size and budget trained by
// an RNN, an LSTM and a GRU at once, in one panel. Input rules are trainOnSelection's.
import * as vscode from 'vscode';
import type { CommandResult } from '../api';
import { checkTrainingText, TextError } from '../core';
import { ComparePanel } from '../panel/comparePanel';
import type { PanelServices } from '../panel/trainingPanel';
import { resolveTrainingText, type TrainingSource } from '../selection';
import { planRun, readSettings, SECTION, type SettingKey } from '../settings';
import { mergeConfig, parseTrainArgs } from '../shared/validate';
import { fail } from './result';

/** `arg` is `{ text?, config? }` (tests, automation) or the document's Uri (context menu). Returns the run ids: RNN, LSTM, GRU. */
export async function compareCells(services: PanelServices, arg: unknown): Promise<CommandResult<string[]>> {
  const parsedArgs = parseTrainArgs(arg instanceof vscode.Uri ? undefined : arg);
  if (!parsedArgs.ok) return fail(`RNN Lab: invalid argument: ${parsedArgs.error}`);
  const args = parsedArgs.value;
  const editor = args.text === undefined ? vscode.window.activeTextEditor : undefined;

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
    // The cell is what this command varies; a cell in the argument would be silently overridden.
    if (args.config.cell !== undefined) return fail('RNN Lab: invalid argument: argument.config.cell is chosen by the compare command (it trains all three cells)');
    const merged = mergeConfig(settings.config, args.config);
    if (!merged.ok) return fail(`RNN Lab: ${merged.error}`);
    settings = { ...settings, config: merged.value };
  }
  const plan = planRun(source.text, settings, args.config?.mode !== undefined);
  const panel = ComparePanel.create(services, { text: source.text, printEvery: settings.printEvery, notes: [...source.notes, ...plan.notes] }, plan.config);
  return { ok: true, value: panel.runIds };
}
