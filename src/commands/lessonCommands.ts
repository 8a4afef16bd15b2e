// "RNN Lab: Open Lesson…" and "RNN Lab: Save as Lesson…". A lesson opens its text in an editor and
// a panel that trains with the lesson's settings over the defaults; the user's settings are only
// read for nothing and never written. Saving writes a training panel's run back as a lesson file.
import * as vscode from 'vscode';
import type { CommandResult } from '../api';
import { checkTrainingText, parseWeights, TextError } from '../core';
import type { RunRegistry } from '../host/runRegistry';
import { LESSONS_DIR, SHIPPED_LESSONS, findLesson } from '../lessons/catalog';
import { lessonInfo } from '../lessons/info';
import { LESSON_SUFFIX, MAX_LESSON_BYTES, lessonLanguage, lessonRun, parseLesson, pick, type Lesson, type LessonSection } from '../lessons/lesson';
import { DEFAULT_EPOCHS_PER_SECOND } from '../host/run';
import type { PanelView } from '../shared/protocol';
import { lessonFromRun, serializeLesson } from '../lessons/save';
import { ComparePanel } from '../panel/comparePanel';
import { TrainingPanel, type PanelServices } from '../panel/trainingPanel';
import { vocabularyProblem } from '../weights/continueOptions';
import { fail } from './result';
import { t } from '../core/l10n';

/**
 * User-facing words of the two commands, in one place. Getters, so each is translated when it is
 * shown: the display language's translator is installed at activation, after this module loads.
 */
const MESSAGES = {
  get pickTitle() {
    return t('RNN Lab: Open Lesson');
  },
  get pickPlaceholder() {
    return t('A lesson to open: its text, its settings and what to watch');
  },
  get badArgument() {
    return t('RNN Lab: invalid argument: expected a lesson file Uri, { uri: string } or { id: string }');
  },
  unknownLesson: (id: string) => t('RNN Lab: no lesson "{0}" (lessons: {1})', id, SHIPPED_LESSONS.map((l) => l.id).join(', ')),
  cannotOpen: (name: string, why: string) => t('RNN Lab: cannot open the lesson {0}: {1}', name, why),
  get tooLarge() {
    return t('the file is larger than {0} MB: a lesson holds a text and a few settings', MAX_LESSON_BYTES / 1024 / 1024);
  },
  get noPanel() {
    return t('RNN Lab: Save as Lesson needs an open training panel (Compare Cells panels are not saved as lessons yet).');
  },
  get saveTitle() {
    return t('RNN Lab: Save as Lesson');
  },
  get titlePrompt() {
    return t("The lesson's title (the panel's heading)");
  },
  get summaryPrompt() {
    return t('One or two sentences: what to look at and why (Markdown; edit the file for more)');
  },
  get defaultSummary() {
    return t('Train and watch the panel.');
  },
  saved: (path: string) => t('RNN Lab: lesson saved to {0}. Open it with "RNN Lab: Open Lesson…".', path),
};

export interface OpenedLesson {
  /** The run ids: one, or RNN, LSTM, GRU for a compare lesson. */
  runIds: string[];
  title: string;
  /** The editor's document with the lesson's text. */
  documentUri: string;
}

function lessonName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.toString();
}

async function readLesson(uri: vscode.Uri): Promise<CommandResult<Lesson>> {
  let bytes: Uint8Array;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_LESSON_BYTES) return fail(MESSAGES.cannotOpen(lessonName(uri), MESSAGES.tooLarge));
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (err) {
    return fail(MESSAGES.cannotOpen(lessonName(uri), (err as Error).message));
  }
  const parsed = parseLesson(new TextDecoder('utf-8').decode(bytes));
  return parsed.ok ? parsed : fail(MESSAGES.cannotOpen(lessonName(uri), parsed.error));
}

/** The lesson file from the argument, or the user's pick among the shipped ones. */
async function lessonUri(extensionUri: vscode.Uri, arg: unknown, lang: string): Promise<CommandResult<vscode.Uri>> {
  const shipped = (file: string) => vscode.Uri.joinPath(extensionUri, ...LESSONS_DIR, file);
  if (arg instanceof vscode.Uri) return { ok: true, value: arg };
  if (arg !== undefined && arg !== null) {
    if (typeof arg !== 'object') return fail(MESSAGES.badArgument);
    const { uri, id } = arg as { uri?: unknown; id?: unknown };
    if (typeof uri === 'string') return { ok: true, value: vscode.Uri.parse(uri) };
    if (typeof id !== 'string') return fail(MESSAGES.badArgument);
    const entry = findLesson(id);
    return entry ? { ok: true, value: shipped(entry.file) } : fail(MESSAGES.unknownLesson(id));
  }
  const items: (vscode.QuickPickItem & { uri: vscode.Uri })[] = [];
  for (const l of SHIPPED_LESSONS) {
    const read = await readLesson(shipped(l.file));
    if (!read.ok) continue;
    const summary = pick(read.value.summary, lang);
    items.push({ label: pick(read.value.title, lang), detail: summary.split('\n')[0].replace(/[*`]/g, ''), uri: shipped(l.file) });
  }
  const picked = await vscode.window.showQuickPick(items, { title: MESSAGES.pickTitle, placeHolder: MESSAGES.pickPlaceholder, matchOnDetail: true });
  return picked ? { ok: true, value: picked.uri } : { ok: false, error: 'cancelled' };
}

/** `arg`: the lesson's Uri (Explorer), `{ uri }` or `{ id }` of a shipped lesson; none: a quick pick. */
export async function openLesson(services: PanelServices, arg: unknown): Promise<CommandResult<OpenedLesson>> {
  const lang = lessonLanguage(vscode.env.language);
  const where = await lessonUri(services.extensionUri, arg, lang);
  if (!where.ok) return where;
  const uri = where.value;
  const read = await readLesson(uri);
  if (!read.ok) return read;
  const lesson = read.value;
  const folder = vscode.Uri.joinPath(uri, '..');

  let text: string;
  let document: vscode.TextDocument;
  try {
    if (typeof lesson.text === 'string') {
      text = lesson.text;
      document = await vscode.workspace.openTextDocument({ content: text, language: 'plaintext' });
    } else {
      const textUri = vscode.Uri.joinPath(folder, lesson.text.file);
      text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(textUri));
      document = await vscode.workspace.openTextDocument(textUri);
    }
  } catch (err) {
    return fail(MESSAGES.cannotOpen(lessonName(uri), `text.file: ${(err as Error).message}`));
  }
  try {
    checkTrainingText(text);
  } catch (err) {
    if (err instanceof TextError) return fail(MESSAGES.cannotOpen(lessonName(uri), `text: ${err.message}`));
    throw err;
  }
  let initWeights: string | undefined;
  if (lesson.init !== undefined) {
    try {
      initWeights = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, lesson.init)));
      parseWeights(initWeights);
    } catch (err) {
      return fail(MESSAGES.cannotOpen(lessonName(uri), `init: ${(err as Error).message}`));
    }
  }
  const run = lessonRun(lesson, text);
  if (!run.ok) return fail(MESSAGES.cannotOpen(lessonName(uri), run.error));
  const { settings, plan } = run;
  if (initWeights !== undefined) {
    // The weights decide the architecture; a lesson that says otherwise is refused, not silently changed.
    const w = parseWeights(initWeights);
    for (const key of ['cell', 'activation', 'hiddenSize'] as const) {
      if (plan.config[key] !== w[key]) return fail(MESSAGES.cannotOpen(lessonName(uri), t('init: the weights have {0} {1}, config.{0} is {2}', key, JSON.stringify(w[key]), JSON.stringify(plan.config[key]))));
    }
    const unknown = vocabularyProblem(w, text, t('the init weights'));
    if (unknown) return fail(MESSAGES.cannotOpen(lessonName(uri), `init: ${unknown}`));
  }

  const editor = await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.One });
  editor.selection = new vscode.Selection(document.positionAt(0), document.positionAt(document.getText().length));
  const title = pick(lesson.title, lang);
  const info = lessonInfo(lesson, lang);
  if (lesson.compare) {
    const panel = ComparePanel.create(services, { text, printEvery: settings.printEvery, notes: plan.notes, epochsPerSecond: settings.epochsPerSecond, lesson: { title, info } }, plan.config);
    return { ok: true, value: { runIds: panel.runIds, title, documentUri: document.uri.toString() } };
  }
  const panel = TrainingPanel.create(
    services,
    { text, printEvery: settings.printEvery, sourceNotes: [], initWeights, epochsPerSecond: settings.epochsPerSecond, lesson: { title, info } },
    plan.config,
    plan.notes,
  );
  return { ok: true, value: { runIds: [panel.runId], title, documentUri: document.uri.toString() } };
}

/** A view as a lesson writes it (the section names were checked against the lesson's list on the way in). */
function lessonView(v: { heatmap: PanelView['heatmap']; epochsPerSecond: number; open?: string[] }): Lesson['view'] {
  return { heatmap: v.heatmap, epochsPerSecond: v.epochsPerSecond, ...(v.open ? { open: v.open as LessonSection[] } : {}) };
}

function slug(title: string): string {
  const s = title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return s || 'lesson';
}

/**
 * `arg` `{ runId?, uri?, title?, summary? }`: the run (default: the active one), where to write
 * (default: a save dialog) and the words (default: asked, the lesson's own for a lesson's run).
 */
export async function saveLesson(registry: RunRegistry, arg: unknown): Promise<CommandResult<string>> {
  const a = (typeof arg === 'object' && arg !== null ? arg : {}) as { runId?: unknown; uri?: unknown; title?: unknown; summary?: unknown };
  const runId = typeof a.runId === 'string' ? a.runId : registry.active?.runId;
  const owner = runId === undefined ? undefined : registry.ownerOf(runId);
  if (!(owner instanceof TrainingPanel)) return fail(MESSAGES.noPanel);
  const run = owner.currentRun;
  const lost = await owner.wholeTextProblem();
  if (lost) return fail(lost);
  const { source, view } = owner.lessonSource;
  const scripted = typeof a.uri === 'string';

  let title = typeof a.title === 'string' ? a.title : (source.lesson?.title ?? run.title);
  let summary = typeof a.summary === 'string' ? a.summary : (source.lesson?.info.summary ?? MESSAGES.defaultSummary);
  if (!scripted) {
    const typed = await vscode.window.showInputBox({ title: MESSAGES.saveTitle, prompt: MESSAGES.titlePrompt, value: title, validateInput: (v) => (v.trim() ? undefined : MESSAGES.titlePrompt) });
    if (typed === undefined) return { ok: false, error: 'cancelled' };
    const s = await vscode.window.showInputBox({ title: MESSAGES.saveTitle, prompt: MESSAGES.summaryPrompt, value: summary });
    if (s === undefined) return { ok: false, error: 'cancelled' };
    title = typed.trim();
    summary = s.trim() || MESSAGES.defaultSummary;
  }
  const lessonOf = (init?: string) => lessonFromRun({
    title,
    summary,
    text: run.text,
    config: run.config,
    printEvery: run.printEvery,
    compare: false,
    view: lessonView(view ?? { heatmap: source.lesson?.info.heatmap ?? 'lastLossGradNorm', epochsPerSecond: source.epochsPerSecond ?? DEFAULT_EPOCHS_PER_SECOND, open: source.lesson?.info.open }),
    notes: (source.lesson?.info.notes ?? []).map((n) => (n.epoch === null ? { text: n.text } : { epoch: n.epoch, text: n.text })),
    init,
  });

  let target: vscode.Uri | undefined;
  if (scripted) target = vscode.Uri.parse(a.uri as string);
  else {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `${slug(title)}${LESSON_SUFFIX}`;
    target = await vscode.window.showSaveDialog({ title: MESSAGES.saveTitle, defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters: { [t('RNN Lab lesson')]: ['rnnlab-lesson.json'] } });
    if (!target) return { ok: false, error: 'cancelled' };
  }
  // A run that continued from weights needs them to run again: they go beside the lesson, named after it.
  let init: string | undefined;
  if (source.initWeights !== undefined) {
    init = `${lessonName(target).replace(/\.rnnlab-lesson\.json$|\.json$/, '')}.init-weights.json`;
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(target, '..', init), new TextEncoder().encode(source.initWeights));
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(serializeLesson(lessonOf(init))));
  if (!scripted) void vscode.window.showInformationMessage(MESSAGES.saved(target.fsPath));
  return { ok: true, value: target.toString() };
}
