// "Load Weights…", "Continue Training on Selection" and "Generate Text": the commands that work
// on a trained model rather than on a run. Each returns a CommandResult; every failure is shown
// to the user in one line and nothing else happens.
import * as vscode from 'vscode';
import type { CommandResult } from '../api';
import { checkTrainingText, parseWeights, TextError, type WeightsFile } from '../core';
import type { TrainingRun } from '../host/run';
import { ModelPanel, type ModelPanelServices } from '../panel/modelPanel';
import { toUri, writeAtomically } from '../panel/exports';
import { weightsFileName } from '../host/export';
import { toTorchLayout, torchFileName } from '../weights/torchLayout';
import { TrainingPanel, type PanelServices } from '../panel/trainingPanel';
import { editorSource } from './trainingInput';
import type { OverlayTarget } from '../panel/editorOverlay';
import { planRun, readSettings, SECTION, type SettingKey } from '../settings';
import { admitRun } from './admission';
import { runLimitProblem } from './trainingInput';
import { continueConfig, parseContinueArgs, vocabularyProblem } from '../weights/continueOptions';
import {
  checkLength,
  checkPrefix,
  checkSeed,
  checkTemperature,
  DEFAULT_LENGTH,
  DEFAULT_SEED,
  DEFAULT_TEMPERATURE,
  defaultPrefix,
  LENGTH_MAX,
  parseGenerateArgs,
  parseNumberInput,
  SEED_MAX,
  TEMPERATURE_MAX,
  type GenerateOptions,
  type GenerateTarget,
} from '../weights/generateOptions';
import type { LastTextEditor } from '../weights/lastEditor';
import { describeModel, type LoadedModel } from '../weights/modelRegistry';
import { readWeightsFile } from '../weights/readWeights';
import { SampleCancelled, startSample } from '../weights/sampleRunner';
import { fail } from './result';
import { stateLabel } from '../host/format';
import { t } from '../core/l10n';

export interface WeightsServices extends ModelPanelServices {
  panels: PanelServices;
  lastEditor: LastTextEditor;
  sampleWorkerPath: string;
}

export interface LoadedModelInfo {
  modelId: string;
  name: string;
  title: string;
}

export interface GeneratedText {
  text: string;
  target: GenerateTarget;
  /** The untitled document's URI, or the document inserted into. */
  uri: string;
}

/** A model to work with: a loaded file, a file read just for this command, or a live run's weights. */
interface ModelSource {
  name: string;
  weights: WeightsFile;
  json: string;
  /** Where it came from, when a file: the folder for a save dialog. */
  id?: string;
  /** A weights file name for it (the file's own, or the export name of a run). */
  fileName?: string;
}

const cancelled = (what: string): CommandResult<never> => ({ ok: false, error: t('{0} cancelled.', what) });

const noModelOrRun = (): string => t('No model is loaded and no training run is open. Run "{0}" or train one first.', t('RNN Lab: Load Weights…'));

function toLoaded(uri: vscode.Uri, name: string, weights: WeightsFile, json: string): LoadedModel {
  return { id: uri.toString(), name, location: uri.scheme === 'file' ? uri.fsPath : uri.toString(), weights, json };
}

export async function loadWeightsCommand(s: WeightsServices, arg: unknown): Promise<CommandResult<LoadedModelInfo>> {
  let uri: vscode.Uri | undefined;
  if (arg instanceof vscode.Uri) {
    uri = arg; // Explorer context menu
  } else if (arg !== undefined && arg !== null) {
    const a = arg as Record<string, unknown>;
    if (typeof arg !== 'object' || Array.isArray(arg) || Object.keys(a).some((k) => k !== 'uri')) return fail(t('RNN Lab: the argument must be an object {0}', '{ uri }'));
    if (a.uri !== undefined) {
      if (!(a.uri instanceof vscode.Uri) && (typeof a.uri !== 'string' || a.uri.length === 0)) return fail(t('RNN Lab: uri must be a Uri or a non-empty string'));
      uri = toUri(a.uri as vscode.Uri | string);
    }
  }
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      filters: { [t('RNN weights')]: ['json'] },
      openLabel: t('Load Weights'),
      title: t('Load Weights'),
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    if (!picked || picked.length === 0) return cancelled(t('Loading'));
    uri = picked[0];
  }
  const read = await readWeightsFile(uri);
  if (!read.ok) return fail(read.error);
  const { name, weights, json } = read.value;
  const panel = ModelPanel.show(s, toLoaded(uri, name, weights, json));
  s.log(`loaded ${uri.toString()}: ${describeModel(weights)}`);
  return { ok: true, value: { modelId: panel.modelId, name, title: panel.title } };
}

/**
 * The model named by `weightsUri` (loaded, or read now), else the focused model panel's, else the
 * only one, else the user's pick. `runs` adds open training runs whose worker can hand out weights.
 */
async function chooseModel(
  s: WeightsServices,
  weightsUri: string | undefined,
  placeHolder: string,
  runs: TrainingRun[] = [],
  noneMessage = t('No model is loaded. Run "{0}" first.', t('RNN Lab: Load Weights…')),
): Promise<CommandResult<ModelSource>> {
  if (weightsUri !== undefined) {
    const uri = toUri(weightsUri);
    const loaded = s.models.get(uri.toString());
    if (loaded) return { ok: true, value: loaded };
    const read = await readWeightsFile(uri);
    return read.ok ? { ok: true, value: { ...read.value, id: uri.toString() } } : fail(read.error);
  }
  const focused = ModelPanel.active();
  const focusedModel = focused && s.models.get(focused.modelId);
  if (focusedModel) return { ok: true, value: focusedModel };
  type Item = vscode.QuickPickItem & { pick: () => Promise<ModelSource> };
  const items: Item[] = [
    ...s.models.list().map((m) => ({ label: m.name, description: describeModel(m.weights), detail: m.location, pick: async () => m })),
    ...runs.map((run) => ({
      label: `$(pulse) ${run.title}`,
      description: `${t('training run')} · ${stateLabel(run.state)}${run.last ? ` · ${t('epoch {0}', run.last.epoch)}` : ''}`,
      pick: async (): Promise<ModelSource> => {
        const json = await run.exportWeights();
        return { name: t('run "{0}"', run.title), weights: parseWeights(json), json, fileName: weightsFileName(run.text, run.config, run.epochsDone) };
      },
    })),
  ];
  if (items.length === 0) return fail(noneMessage);
  const chosen = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true });
  if (!chosen) return cancelled(t('Choosing a model'));
  try {
    return { ok: true, value: await chosen.pick() };
  } catch (err) {
    return fail(t('Could not get the weights: {0}', err instanceof Error ? err.message : String(err)));
  }
}

export async function continueTrainingCommand(s: WeightsServices, arg: unknown): Promise<CommandResult<string>> {
  const parsed = parseContinueArgs(arg);
  if (!parsed.ok) return fail(t('RNN Lab: invalid argument: {0}', parsed.error));
  const args = parsed.value;
  const editor = args.text === undefined ? s.lastEditor.get() : undefined;
  if (args.text === undefined && !editor) return fail(t('Open a file and select the text to continue training on.'));

  const chosen = await chooseModel(s, args.weightsUri, t('Continue training which model?'));
  if (!chosen.ok) return chosen;
  const model = chosen.value;

  let text: string;
  let notes: string[] = [];
  let overlayTarget: OverlayTarget | undefined;
  if (args.text !== undefined) {
    text = args.text;
  } else {
    const found = editorSource(editor!);
    text = found.source.text;
    notes = found.source.notes;
    overlayTarget = found.overlayTarget;
  }
  let counts: { chars: number };
  try {
    counts = checkTrainingText(text);
  } catch (err) {
    if (err instanceof TextError) return fail(err.message);
    throw err;
  }
  const problem = vocabularyProblem(model.weights, text, model.name);
  if (problem) return fail(problem);

  const configuration = vscode.workspace.getConfiguration(SECTION, editor?.document.uri);
  const read = readSettings((key: SettingKey) => configuration.get(key));
  if (!read.ok) return fail(t('Invalid setting: {0}', read.error));
  const config = continueConfig(read.settings.config, model.weights, args.config);
  if (!config.ok) return fail(t('RNN Lab: {0}', config.error));
  const plan = planRun(text, { ...read.settings, config: config.value }, args.config?.mode !== undefined);
  const from = model.weights.training?.epochsDone ?? 0;
  const sourceNotes = [
    ...notes,
    model.weights.optimizerState
      ? t('Continuing {0} from epoch {1} with its saved optimizer state.', model.name, from)
      : t('Continuing {0} from epoch {1} (the file has no optimizer state: the optimizer starts fresh).', model.name, from),
  ];
  // The model's vocabulary, not the text's, sizes the weights file a continued run writes.
  const limit = runLimitProblem({ chars: counts.chars, distinct: model.weights.vocab.length }, plan.config, from);
  if (limit) return fail(limit);
  const admitted = await admitRun(s.panels.slots, s.panels.registry, args.whenBusy);
  if (!admitted.ok) return admitted;
  const panel = TrainingPanel.create(s.panels, { text, printEvery: read.settings.printEvery, sourceNotes, initWeights: model.json, epochsPerSecond: read.settings.epochsPerSecond, overlayTarget }, plan.config, plan.notes);
  return { ok: true, value: panel.runId };
}

export async function generateTextCommand(s: WeightsServices, arg: unknown): Promise<CommandResult<GeneratedText>> {
  const parsed = parseGenerateArgs(arg);
  if (!parsed.ok) return fail(t('RNN Lab: invalid argument: {0}', parsed.error));
  const args = parsed.value;
  const liveRuns = s.panels.registry.open().filter((r) => r.workerAlive && r.last !== undefined);
  const chosen = await chooseModel(s, args.weightsUri, t('Generate text with which model?'), liveRuns, noModelOrRun());
  if (!chosen.ok) return chosen;
  const model = chosen.value;
  const vocab = model.weights.vocab;
  // An argument with any generation parameter is a scripted call: what it leaves out takes its
  // default rather than opening a prompt nobody will answer. Only { weightsUri } (the model
  // panel's button) or nothing at all asks the user.
  const scripted = (['prefix', 'length', 'temperature', 'seed', 'target'] as const).some((k) => args[k] !== undefined);
  if (scripted) {
    args.prefix ??= defaultPrefix(model.weights);
    args.length ??= DEFAULT_LENGTH;
    args.temperature ??= DEFAULT_TEMPERATURE;
    args.seed ??= DEFAULT_SEED;
    args.target ??= 'newEditor';
  }

  let prefix = args.prefix;
  if (prefix === undefined) {
    prefix = await vscode.window.showInputBox({
      title: t('Generate Text with {0} (1/4)', model.name),
      prompt: t('Prefix: the text the model reads before it generates (only characters of its vocabulary)'),
      value: defaultPrefix(model.weights),
      validateInput: (v) => checkPrefix(v, vocab),
    });
    if (prefix === undefined) return cancelled(t('Generation'));
  } else {
    const problem = checkPrefix(prefix, vocab);
    if (problem) return fail(problem);
  }
  const length = args.length ?? (await askNumber(t('Generate Text (2/4)'), t('Length: characters to generate after the prefix (1 to {0})', LENGTH_MAX), DEFAULT_LENGTH, checkLength));
  if (length === undefined) return cancelled(t('Generation'));
  const temperature =
    args.temperature ??
    (await askNumber(t('Generate Text (3/4)'), t("Temperature: 0 always picks the likeliest character, 1 samples the model's distribution, higher is more random (up to {0})", TEMPERATURE_MAX), DEFAULT_TEMPERATURE, checkTemperature));
  if (temperature === undefined) return cancelled(t('Generation'));
  // At temperature 0 every step is an argmax and the seed changes nothing, so it is not asked for.
  const seed = args.seed ?? (temperature === 0 ? DEFAULT_SEED : await askNumber(t('Generate Text (4/4)'), t('Seed of the random draws (0 to {0}): the same seed gives the same text', SEED_MAX), DEFAULT_SEED, checkSeed));
  if (seed === undefined) return cancelled(t('Generation'));
  const target = args.target ?? (await askTarget());
  if (!target) return cancelled(t('Generation'));
  // Checked before the work, so the user does not wait for text that has nowhere to go.
  const editor = target === 'insert' ? s.lastEditor.get() : undefined;
  if (target === 'insert' && !editor) return fail(t('No editor to insert into: open a file and place the cursor, or choose "{0}".', t('Open in new editor')));

  const options: GenerateOptions = { prefix, length, temperature, seed };
  let text: string;
  try {
    text = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: t('RNN Lab: generating {0} characters…', length), cancellable: true },
      async (_progress, token) => {
        const job = startSample(s.sampleWorkerPath, { json: model.json, options, l10n: vscode.l10n.bundle });
        token.onCancellationRequested(() => job.cancel());
        return job.result;
      },
    );
  } catch (err) {
    if (err instanceof SampleCancelled) return cancelled(t('Generation'));
    return fail(t('Could not generate text: {0}', err instanceof Error ? err.message : String(err)));
  }

  if (target === 'newEditor') {
    const doc = await vscode.workspace.openTextDocument({ content: text, language: 'plaintext' });
    await vscode.window.showTextDocument(doc, { preview: false });
    return { ok: true, value: { text, target, uri: doc.uri.toString() } };
  }
  const into = await s.lastEditor.editable();
  if (!into) return fail(t('No editor to insert into: the editor was closed while the text was generated.'));
  const at = into.selection.active;
  const inserted = await into.edit((b) => b.insert(at, text));
  if (!inserted) return fail(t('Could not insert the text: the editor refused the edit (is it read-only?).'));
  return { ok: true, value: { text, target, uri: into.document.uri.toString() } };
}

async function askNumber(title: string, prompt: string, value: number, check: (n: number) => string | undefined): Promise<number | undefined> {
  const typed = await vscode.window.showInputBox({
    title,
    prompt,
    value: String(value),
    validateInput: (v) => {
      const r = parseNumberInput(v, check);
      return r.ok ? undefined : r.error;
    },
  });
  if (typed === undefined) return undefined;
  const r = parseNumberInput(typed, check);
  return r.ok ? r.value : undefined;
}

async function askTarget(): Promise<GenerateTarget | undefined> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: t('Open in new editor'), description: t('an untitled document'), target: 'newEditor' as const },
      { label: t('Insert at cursor'), description: t('in the editor you came from'), target: 'insert' as const },
    ],
    { title: t('Generate Text'), placeHolder: t('Where should the text go?') },
  );
  return pick?.target;
}

/**
 * "Export Weights for PyTorch": the model in PyTorch's names and orientations (see
 * src/weights/torchLayout.ts), from a run (`runId`), a file (`weightsUri`) or a pick.
 */
export async function exportTorchCommand(s: WeightsServices, arg: unknown): Promise<CommandResult<string>> {
  const a = (arg ?? {}) as Record<string, unknown>;
  if (typeof a !== 'object' || Array.isArray(a) || Object.keys(a).some((k) => !['weightsUri', 'runId', 'uri'].includes(k))) {
    return fail(t('RNN Lab: the argument must be an object {0}', '{ weightsUri?, runId?, uri? }'));
  }
  if (a.weightsUri !== undefined && (typeof a.weightsUri !== 'string' || a.weightsUri.length === 0)) return fail(t('RNN Lab: weightsUri must be a non-empty string'));
  if (a.uri !== undefined && !(a.uri instanceof vscode.Uri) && (typeof a.uri !== 'string' || a.uri.length === 0)) return fail(t('RNN Lab: uri must be a Uri or a non-empty string'));
  let source: ModelSource;
  if (a.runId !== undefined) {
    const run = typeof a.runId === 'string' ? s.panels.registry.get(a.runId) : undefined;
    if (!run) return fail(t('RNN Lab: no run {0}', JSON.stringify(a.runId)));
    try {
      const json = await run.exportWeights();
      source = { name: run.title, weights: parseWeights(json), json, fileName: weightsFileName(run.text, run.config, run.epochsDone) };
    } catch (err) {
      return fail(t('Could not get the weights: {0}', err instanceof Error ? err.message : String(err)));
    }
  } else {
    const liveRuns = s.panels.registry.open().filter((r) => r.workerAlive && r.last !== undefined);
    const chosen = await chooseModel(s, a.weightsUri as string | undefined, t('Export which model for PyTorch?'), liveRuns, noModelOrRun());
    if (!chosen.ok) return chosen;
    source = chosen.value;
  }
  let target = a.uri === undefined ? undefined : toUri(a.uri as vscode.Uri | string);
  if (!target) {
    const name = torchFileName(source.fileName ?? source.name);
    const folder = source.id ? vscode.Uri.joinPath(vscode.Uri.parse(source.id), '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
    target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { [t('PyTorch weights (JSON)')]: ['json'] },
      title: t('Export Weights for PyTorch'),
      saveLabel: t('Export'),
    });
    if (!target) return cancelled(t('Export'));
  }
  try {
    await writeAtomically(target, JSON.stringify(toTorchLayout(source.weights)));
  } catch (err) {
    return fail(t('Could not export the weights: {0}', err instanceof Error ? err.message : String(err)));
  }
  void vscode.window.showInformationMessage(t('Weights for PyTorch exported to {0}', target.scheme === 'file' ? target.fsPath : target.toString()));
  return { ok: true, value: target.toString() };
}
