// The webview's saved state (vscode.setState), its one type and its one validator. The webview
// writes it so a hidden panel redraws before the host answers `ready`; after a window reload VS
// Code hands it to the host's serializer, which rebuilds the run from it. Metrics are saved as
// one EpochBlock with every typed array in base64: exact bits, NaN and ±Infinity included.
import { validateConfig } from '../core/config';
import type { TrainConfig } from '../core/types';
import { decodeTyped, encodeTyped } from './base64';
import { codePointLength } from './codePoints';
import { checkLessonInfo } from '../lessons/info';
import { exactKeys, fail, isObject, nonNegativeInteger, stringArray, wrap, type Obj, type Parsed } from './check';
import { ROW_KEYS, SCALAR_KEYS, REQUIRED_ROWS, REQUIRED_SCALARS, rowLength, type EpochBlock, type RowKey, type ScalarKey } from './epochBlock';
import type { MetricsStore } from './metricsStore';
import { INLINE_PREDICTION_MAX, RUN_STATES, TEXT_HEAD_CHARS, type RunInfo, type RunState } from './protocol';
import { t } from '../core/l10n';

export const PERSIST_VERSION = 2;

/**
 * Row numbers a saved state keeps: rows of evenly spaced epochs (and the newest) up to this
 * many numbers, so that saving stays cheap enough to repeat every second while a run streams.
 */
export const PERSIST_ROW_VALUES = 300_000;
/** Characters of predictions a saved state keeps (the printed epochs' and the newest). */
export const PERSIST_PREDICTED_CHARS = 1_000_000;

/** An EpochBlock in text form. */
export interface PersistedBlock {
  first: number;
  count: number;
  steps: number;
  params: string[];
  scalars: Partial<Record<ScalarKey, string>>;
  clipped: string;
  paramGradNorm: string;
  rowEpochs: string;
  rows: Partial<Record<RowKey, string>>;
  /** [offset, prediction] for the kept predictions only. */
  predicted: [number, string][];
}

/** One run as saved by a training panel (and, three times, by the compare panel). */
export interface PersistedRun {
  version: typeof PERSIST_VERSION;
  run: RunInfo;
  state: RunState;
  message?: string;
  restored: boolean;
  history: PersistedBlock | null;
  /** The panel's own view state (playback, toggles); the webview checks it, the host ignores it. */
  view?: unknown;
}

export interface PersistedCompare {
  version: typeof PERSIST_VERSION;
  kind: 'compare';
  title: string;
  runs: PersistedRun[];
  view?: unknown;
}

/** A saved run after checking: its metrics as a block the stores take directly. */
export interface RestoredRun {
  run: RunInfo;
  state: RunState;
  message?: string;
  restored: boolean;
  history: EpochBlock | null;
  view?: unknown;
}

export function encodeBlock(b: EpochBlock): PersistedBlock {
  const scalars: Partial<Record<ScalarKey, string>> = {};
  for (const key of SCALAR_KEYS) if (b.scalars[key]) scalars[key] = encodeTyped(b.scalars[key]!);
  const rows: Partial<Record<RowKey, string>> = {};
  for (const key of ROW_KEYS) if (b.rows[key]) rows[key] = encodeTyped(b.rows[key]!);
  const predicted: [number, string][] = [];
  b.predicted.forEach((p, i) => {
    if (p !== null) predicted.push([i, p]);
  });
  return {
    first: b.first,
    count: b.count,
    steps: b.steps,
    params: [...b.params],
    scalars,
    clipped: encodeTyped(b.clipped),
    paramGradNorm: encodeTyped(b.paramGradNorm),
    rowEpochs: encodeTyped(b.rowEpochs),
    rows,
    predicted,
  };
}

/** The store slimmed for saving: every epoch's scalars, rows of an even spread, the printed predictions. */
export function persistStore(store: MetricsStore, printEvery: number, rowValues = PERSIST_ROW_VALUES, predictedChars = PERSIST_PREDICTED_CHARS): PersistedBlock | null {
  if (store.length === 0) return null;
  const perEpoch = store.layout.rows.reduce((s, k) => s + rowLength(k, store.steps), 0);
  const kept = Math.max(1, Math.floor(rowValues / Math.max(1, perEpoch)));
  const rowEvery = Math.max(1, Math.ceil(store.length / kept));
  const newest = store.length - 1;
  let budget = predictedChars;
  const keep = (i: number): boolean => {
    if (i !== newest && store.epochAt(i) % printEvery !== 0) return false;
    const p = store.predicted(i);
    if (p === null || p.length > budget) return i === newest;
    budget -= p.length;
    return true;
  };
  const [block] = store.toBlocks({ rowEvery, predictions: keep });
  return encodeBlock(block);
}

function decodeField<T extends Float64Array | Int32Array | Uint8Array>(v: unknown, where: string, Kind: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number): T {
  if (typeof v !== 'string') fail(t('{0} must be a base64 string', where));
  let a: T;
  try {
    a = decodeTyped(v, Kind);
  } catch (err) {
    fail(`${where}: ${(err as Error).message}`);
  }
  if (a.length !== length) fail(t('{0} holds {1} values, expected {2}', where, a.length, length));
  return a;
}

/** Longest saved history accepted: beyond the host's own budget a saved state is not genuine. */
const MAX_PERSISTED_EPOCHS = 10_000_000;

export function decodeBlock(v: unknown, steps: number): EpochBlock {
  if (!isObject(v)) fail(t('history must be an object'));
  exactKeys(v, 'history', ['first', 'count', 'steps', 'params', 'scalars', 'clipped', 'paramGradNorm', 'rowEpochs', 'rows', 'predicted']);
  const first = nonNegativeInteger(v.first, 'history.first');
  const count = nonNegativeInteger(v.count, 'history.count');
  if (count > MAX_PERSISTED_EPOCHS) fail(t('history.count is above {0}', MAX_PERSISTED_EPOCHS));
  if (v.steps !== steps) fail(t('history.steps must equal run.steps ({0})', steps));
  const params = stringArray(v.params, 'history.params');
  if (!isObject(v.scalars)) fail(t('history.scalars must be an object'));
  if (!isObject(v.rows)) fail(t('history.rows must be an object'));
  const scalars: Partial<Record<ScalarKey, Float64Array>> = {};
  for (const key of Object.keys(v.scalars)) {
    if (!(SCALAR_KEYS as readonly string[]).includes(key)) fail(t('history.scalars: unknown column "{0}"', key));
    scalars[key as ScalarKey] = decodeField((v.scalars as Obj)[key], `history.scalars.${key}`, Float64Array, count);
  }
  for (const key of REQUIRED_SCALARS) if (!scalars[key]) fail(t('history.scalars: missing column "{0}"', key));
  const rowEpochs = decodeField(v.rowEpochs, 'history.rowEpochs', Int32Array, decodedLength(v.rowEpochs, 4));
  for (let k = 0; k < rowEpochs.length; k++) {
    if (rowEpochs[k] < 0 || rowEpochs[k] >= count || (k > 0 && rowEpochs[k] <= rowEpochs[k - 1])) fail(t('history.rowEpochs must be increasing offsets within the history'));
  }
  const rows: Partial<Record<RowKey, Float64Array>> = {};
  for (const key of Object.keys(v.rows)) {
    if (!(ROW_KEYS as readonly string[]).includes(key)) fail(t('history.rows: unknown row "{0}"', key));
    rows[key as RowKey] = decodeField((v.rows as Obj)[key], `history.rows.${key}`, Float64Array, rowEpochs.length * rowLength(key as RowKey, steps));
  }
  for (const key of REQUIRED_ROWS) if (!rows[key]) fail(t('history.rows: missing row "{0}"', key));
  if (!Array.isArray(v.predicted)) fail(t('history.predicted must be an array'));
  const predicted: (string | null)[] = new Array<string | null>(count).fill(null);
  let last = -1;
  for (const entry of v.predicted) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[1] !== 'string') fail(t('history.predicted must hold [offset, string] pairs'));
    const at = nonNegativeInteger(entry[0], t('history.predicted offset'));
    if (at >= count || at <= last) fail(t('history.predicted offsets must be increasing and within the history'));
    predicted[at] = entry[1];
    last = at;
  }
  return {
    first,
    count,
    steps,
    params,
    scalars,
    clipped: decodeField(v.clipped, 'history.clipped', Uint8Array, count),
    paramGradNorm: decodeField(v.paramGradNorm, 'history.paramGradNorm', Float64Array, count * params.length),
    rowEpochs,
    rows,
    predicted,
  };
}

/** Element count a base64 field decodes to (its own length decides; other fields are checked against it). */
function decodedLength(v: unknown, bytesPer: number): number {
  if (typeof v !== 'string') return -1;
  const pad = v.endsWith('==') ? 2 : v.endsWith('=') ? 1 : 0;
  return ((v.length / 4) * 3 - pad) / bytesPer;
}

function trainConfig(v: unknown): TrainConfig {
  if (!isObject(v)) fail(t('config must be an object'));
  return validateConfig(v);
}

export function runInfo(v: unknown): RunInfo {
  if (!isObject(v)) fail(t('run must be an object'));
  exactKeys(v, 'run', ['runId', 'title', 'text', 'textLength', 'config', 'firstEpoch', 'steps', 'stepLabels', 'printEvery', 'notes'], ['lesson', 'textKey']);
  if (typeof v.runId !== 'string' || v.runId.length === 0) fail(t('run.runId must be a non-empty string'));
  if (typeof v.title !== 'string') fail(t('run.title must be a string'));
  if (typeof v.text !== 'string') fail(t('run.text must be a string'));
  const textLength = nonNegativeInteger(v.textLength, 'run.textLength');
  if (textLength < 2) fail(t('run.textLength must be at least 2'));
  // A long text's panel holds only its head (RunInfo.text).
  const long = textLength > INLINE_PREDICTION_MAX;
  if (codePointLength(v.text) !== (long ? TEXT_HEAD_CHARS : textLength)) {
    fail(long ? t('run.text must be the first {0} characters of a text of run.textLength characters', TEXT_HEAD_CHARS) : t("run.textLength must be the text's length in characters"));
  }
  // A file name in the host's storage: hexadecimal only, so a changed state cannot name another file.
  if (v.textKey !== undefined && (!long || typeof v.textKey !== 'string' || !/^[0-9a-f]{64}$/.test(v.textKey))) fail(t('run.textKey must be 64 hexadecimal digits, and only for a long text'));
  const printEvery = nonNegativeInteger(v.printEvery, 'run.printEvery');
  if (printEvery < 1) fail(t('run.printEvery must be at least 1'));
  const steps = nonNegativeInteger(v.steps, 'run.steps');
  const stepLabels = stringArray(v.stepLabels, 'run.stepLabels');
  if (stepLabels.length !== steps) fail(t('run.stepLabels must have run.steps labels'));
  return {
    runId: v.runId,
    title: v.title,
    text: v.text,
    textLength,
    config: trainConfig(v.config),
    firstEpoch: nonNegativeInteger(v.firstEpoch, 'run.firstEpoch'),
    steps,
    stepLabels,
    printEvery,
    notes: stringArray(v.notes, 'run.notes'),
    ...(v.textKey === undefined ? {} : { textKey: v.textKey as string }),
    ...(v.lesson === undefined ? {} : { lesson: checkLessonInfo(v.lesson, 'run.lesson') }),
  };
}

function restoredRun(v: unknown, where: string): RestoredRun {
  if (!isObject(v)) fail(t('{0} must be an object', where));
  if (v.version !== PERSIST_VERSION) fail(t('{0}.version must be {1} (a state saved by another build)', where, PERSIST_VERSION));
  const run = runInfo(v.run);
  const state = v.state;
  if (!RUN_STATES.includes(state as RunState)) fail(t('{0}.state must be one of {1}', where, RUN_STATES.join(', ')));
  if (v.message !== undefined && typeof v.message !== 'string') fail(t('{0}.message must be a string', where));
  if (typeof v.restored !== 'boolean') fail(t('{0}.restored must be a boolean', where));
  const history = v.history === null ? null : decodeBlock(v.history, run.steps);
  if (history && history.count > 0 && history.first < run.firstEpoch) fail(t('{0}.history starts before run.firstEpoch', where));
  return { run, state: state as RunState, message: v.message as string | undefined, restored: v.restored, history, view: v.view };
}

/** Checks a training panel's saved state in full; any problem is one line naming the field. */
export function parsePersistedRun(v: unknown): Parsed<RestoredRun> {
  return wrap(() => restoredRun(v, 'state'));
}

export function parsePersistedCompare(v: unknown): Parsed<{ title: string; runs: RestoredRun[]; view?: unknown }> {
  return wrap(() => {
    if (!isObject(v)) fail(t('state must be an object'));
    if (v.version !== PERSIST_VERSION || v.kind !== 'compare') fail(t("state must be a compare panel's state of version {0}", PERSIST_VERSION));
    if (typeof v.title !== 'string') fail(t('state.title must be a string'));
    if (!Array.isArray(v.runs) || v.runs.length === 0 || v.runs.length > 3) fail(t('state.runs must hold one to three runs'));
    return { title: v.title, runs: v.runs.map((r, i) => restoredRun(r, `state.runs[${i}]`)), view: v.view };
  });
}

