// A lesson file (`*.rnnlab-lesson.json`): a text, settings over the defaults, what the panel shows
// first, and the words a teacher wants beside the run. Described for editors by
// schema/rnnlab-lesson.schema.json; this parser is what the extension trusts, and it names the
// field of every problem in one line. Pure (no vscode, no Node), so tests run it directly.
import { checkSetting, planRun, readSettings, SECTION, SETTING_KEYS, type RunPlan, type RunSettings, type SettingKey } from '../settings';
import { exactKeys, fail, has, isObject, wrap, type Obj, type Parsed } from '../shared/check';
import { LESSON_HEATMAPS, LESSON_LANGUAGES, LESSON_SECTIONS, type LessonHeatmap, type LessonSection, type Localized } from './names';
import { t } from '../core/l10n';

export { LESSON_HEATMAPS, LESSON_LANGUAGES, LESSON_SECTIONS, lessonLanguage, pick, type LessonHeatmap, type LessonLanguage, type LessonSection, type Localized } from './names';

export const LESSON_FORMAT = 'rnn-lab.lesson';
export const LESSON_VERSION = 1;
export const LESSON_SUFFIX = '.rnnlab-lesson.json';
/** A lesson is a small file; anything bigger is not one. */
export const MAX_LESSON_BYTES = 8 * 1024 * 1024;

/** The settings a lesson may set: every `rnnLab.*` setting of a run (the playback speed is part of `view`). */
export type LessonSettingKey = Exclude<SettingKey, 'playback.epochsPerSecond'>;
export const LESSON_SETTING_KEYS: readonly LessonSettingKey[] = SETTING_KEYS.filter((k): k is LessonSettingKey => k !== 'playback.epochsPerSecond');

export interface LessonView {
  heatmap?: LessonHeatmap;
  /** Playback speed 1× in epochs per second (0: Live), like rnnLab.playback.epochsPerSecond. */
  epochsPerSecond?: number;
  /** The folding sections open at the start; the others are folded. Absent: the panel's own choice. */
  open?: LessonSection[];
}

export interface LessonNote {
  /** Shown once the playhead reaches this epoch; without one, from the start. */
  epoch?: number;
  text: Localized;
}

export interface Lesson {
  format: typeof LESSON_FORMAT;
  version: typeof LESSON_VERSION;
  title: Localized;
  /** Markdown. */
  summary: Localized;
  /** The training text itself, or a file relative to the lesson. */
  text: string | { file: string };
  config: Partial<Record<LessonSettingKey, string | number>>;
  /** Train one cell (the config's), or all three side by side. */
  compare: boolean;
  view: LessonView;
  /** A weights file (relative to the lesson) to continue from. */
  init?: string;
  notes: LessonNote[];
}

const TOP_KEYS = ['format', 'version', 'title', 'summary', 'text'] as const;
const OPTIONAL_KEYS = ['$schema', 'config', 'compare', 'view', 'init', 'notes'] as const;

function localized(v: unknown, where: string): Localized {
  if (typeof v === 'string') {
    if (v.trim() === '') fail(t('{0} must not be empty', where));
    return v;
  }
  if (!isObject(v)) fail(t('{0} must be a string or an object { "en": …, "ko": … }', where));
  exactKeys(v, where, ['en'], LESSON_LANGUAGES.filter((l) => l !== 'en'));
  for (const lang of LESSON_LANGUAGES) {
    if (!has(v, lang)) continue;
    if (typeof v[lang] !== 'string' || (v[lang] as string).trim() === '') fail(t('{0}.{1} must be a non-empty string', where, lang));
  }
  return v as Localized;
}

/** A path relative to the lesson: no absolute paths, no URLs, no backslashes (the same on every OS). */
function relativePath(v: unknown, where: string): string {
  if (typeof v !== 'string' || v === '') fail(t('{0} must be a path relative to the lesson file', where));
  if (v.startsWith('/') || v.includes('\\') || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(v)) fail(t('{0} must be a path relative to the lesson file, with forward slashes (got {1})', where, JSON.stringify(v)));
  return v;
}

function config(v: unknown): Lesson['config'] {
  if (v === undefined) return {};
  if (!isObject(v)) fail(t('config must be an object of settings, e.g. { "hiddenSize": 20 }'));
  const out: Lesson['config'] = {};
  for (const key of Object.keys(v)) {
    if (!(LESSON_SETTING_KEYS as readonly string[]).includes(key)) {
      fail(
        key === 'playback.epochsPerSecond'
          ? t('config: unknown setting "{0}" (the playback speed goes in view.epochsPerSecond)', key)
          : t('config: unknown setting "{0}" (settings: {1})', key, LESSON_SETTING_KEYS.join(', ')),
      );
    }
    const problem = checkSetting(key as LessonSettingKey, v[key]);
    if (problem) fail(`config.${problem.slice(SECTION.length + 1)}`);
    out[key as LessonSettingKey] = v[key] as string | number;
  }
  return out;
}

function view(v: unknown): LessonView {
  if (v === undefined) return {};
  if (!isObject(v)) fail(t('view must be an object { heatmap?, epochsPerSecond?, open? }'));
  exactKeys(v, 'view', [], ['heatmap', 'epochsPerSecond', 'open']);
  const out: LessonView = {};
  if (v.heatmap !== undefined) {
    if (!(LESSON_HEATMAPS as readonly unknown[]).includes(v.heatmap)) fail(t('view.heatmap must be one of {0} (got {1})', LESSON_HEATMAPS.map((h) => `"${h}"`).join(', '), JSON.stringify(v.heatmap)));
    out.heatmap = v.heatmap as LessonHeatmap;
  }
  if (v.epochsPerSecond !== undefined) {
    const problem = checkSetting('playback.epochsPerSecond', v.epochsPerSecond);
    if (problem) fail(`view.epochsPerSecond${problem.slice(`${SECTION}.playback.epochsPerSecond`.length)}`);
    out.epochsPerSecond = v.epochsPerSecond as number;
  }
  if (v.open !== undefined) {
    if (!Array.isArray(v.open)) fail(t('view.open must be an array of section names ({0})', LESSON_SECTIONS.join(', ')));
    v.open.forEach((s, i) => {
      if (!(LESSON_SECTIONS as readonly unknown[]).includes(s)) fail(t('view.open[{0}] must be one of {1} (got {2})', i, LESSON_SECTIONS.join(', '), JSON.stringify(s)));
    });
    out.open = [...new Set(v.open as LessonSection[])];
  }
  return out;
}

function notes(v: unknown): LessonNote[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(t('notes must be an array of { "epoch"?, "text" }'));
  return v.map((n: unknown, i): LessonNote => {
    const where = `notes[${i}]`;
    if (!isObject(n)) fail(t('{0} must be an object { "epoch"?, "text" }', where));
    exactKeys(n, where, ['text'], ['epoch']);
    const note: LessonNote = { text: localized(n.text, `${where}.text`) };
    if (n.epoch !== undefined) {
      if (typeof n.epoch !== 'number' || !Number.isSafeInteger(n.epoch) || n.epoch < 0) fail(t('{0}.epoch must be a non-negative integer (got {1})', where, JSON.stringify(n.epoch)));
      note.epoch = n.epoch;
    }
    return note;
  });
}

function lesson(v: unknown): Lesson {
  if (!isObject(v)) fail(t('a lesson must be a JSON object'));
  if (v.format !== LESSON_FORMAT) fail(t('format must be "{0}" (got {1})', LESSON_FORMAT, JSON.stringify(v.format)));
  if (typeof v.version === 'number' && v.version > LESSON_VERSION) fail(t('version {0} is newer than this RNN Lab reads ({1}): update the extension', v.version, LESSON_VERSION));
  if (v.version !== LESSON_VERSION) fail(t('version must be {0} (got {1})', LESSON_VERSION, JSON.stringify(v.version)));
  exactKeys(v, 'lesson', TOP_KEYS, OPTIONAL_KEYS);
  let text: Lesson['text'];
  if (typeof v.text === 'string') text = v.text;
  else if (isObject(v.text)) {
    exactKeys(v.text, 'text', ['file']);
    text = { file: relativePath(v.text.file, 'text.file') };
  } else fail(t('text must be the training text itself or { "file": "path relative to the lesson" }'));
  if (v.compare !== undefined && typeof v.compare !== 'boolean') fail(t('compare must be true (train RNN, LSTM and GRU side by side) or false (one cell)'));
  const cfg = config(v.config);
  if (v.compare === true && cfg.cell !== undefined) fail(t('config.cell must be left out when compare is true (the lesson trains all three cells)'));
  const out: Lesson = {
    format: LESSON_FORMAT,
    version: LESSON_VERSION,
    title: localized(v.title, 'title'),
    summary: localized(v.summary, 'summary'),
    text,
    config: cfg,
    compare: v.compare === true,
    view: view(v.view),
    notes: notes(v.notes),
  };
  if (v.init !== undefined) {
    if (out.compare) fail(t('init must be left out when compare is true (three cells cannot continue from one weights file)'));
    out.init = relativePath(v.init, 'init');
  }
  // The settings must also make a valid run together (e.g. ReLU is for the plain RNN only).
  const settings = lessonSettings(out);
  if (!settings.ok) fail(settings.error);
  return out;
}

/** Checks a parsed JSON value as a lesson; every problem is one line naming its field. */
export function validateLesson(v: unknown): Parsed<Lesson> {
  return wrap(() => lesson(v));
}

/** Parses a lesson file's text. */
export function parseLesson(json: string): Parsed<Lesson> {
  if (json.length > MAX_LESSON_BYTES) return { ok: false, error: t('the file is larger than {0} MB: a lesson holds a text and a few settings', MAX_LESSON_BYTES / 1024 / 1024) };
  let value: unknown;
  try {
    value = JSON.parse(json.charCodeAt(0) === 0xfeff ? json.slice(1) : json);
  } catch (err) {
    return { ok: false, error: t('not JSON: {0}', (err as Error).message) };
  }
  return validateLesson(value);
}

/**
 * The run settings of a lesson: its config over the declared defaults, never the user's settings,
 * so a lesson runs the same for everyone. Messages name the field as `config.<setting>`.
 */
export function lessonSettings(l: Pick<Lesson, 'config' | 'view'>): { ok: true; settings: RunSettings } | { ok: false; error: string } {
  const values: Obj = { ...l.config };
  if (l.view.epochsPerSecond !== undefined) values['playback.epochsPerSecond'] = l.view.epochsPerSecond;
  const read = readSettings((key) => values[key]);
  if (!read.ok) return { ok: false, error: read.error.startsWith(`${SECTION}.`) ? `config.${read.error.slice(SECTION.length + 1)}` : read.error };
  return read;
}

/** Whether the lesson sets the BPTT mode itself (then a long text keeps it instead of switching to window mode). */
export function lessonSetsMode(l: Pick<Lesson, 'config'>): boolean {
  return l.config['bptt.mode'] !== undefined;
}

/** The run a lesson starts on its text: its settings, and window mode for a long text unless the lesson chose the mode. */
export function lessonRun(l: Pick<Lesson, 'config' | 'view'>, text: string): { ok: true; settings: RunSettings; plan: RunPlan } | { ok: false; error: string } {
  const read = lessonSettings(l);
  if (!read.ok) return read;
  return { ok: true, settings: read.settings, plan: planRun(text, read.settings, lessonSetsMode(l)) };
}
