// The weights file, version 1 (schema/weights.schema.json describes the same rules).
// Parsing checks everything a loader relies on and reports the first problem in one line.

import type { Activation, CellKind, TensorJson, TrainConfig } from './types';
import { WeightsError } from './errors';
import { ACTIVATIONS, CELLS, LIMITS, OPTIMIZERS, SUPPORTED_CELLS, validateConfig } from './config';
import { codePoints } from './vocab';
import { slotNames, type OptimizerState } from './optimizers';
import { parameterShapes } from './model';
import { t } from './l10n';
import {
  MAX_DISTINCT_CHARS,
  MAX_EPOCH_COUNT,
  MAX_JSON_CONTAINERS,
  MAX_JSON_DEPTH,
  MAX_JSON_STRINGS,
  MAX_OPTIMIZER_STEPS,
  MAX_WEIGHTS_BYTES,
  MAX_WEIGHTS_NUMBERS,
} from './limits';
import { scanJson } from './jsonScan';
import { showValue } from './show';

export { MAX_WEIGHTS_BYTES };

export const WEIGHTS_FORMAT = 'rnn-lab.weights';
export const WEIGHTS_VERSION = 1;

export interface TrainingSummary {
  config?: TrainConfig;
  seed?: number;
  epochsDone?: number;
  finalMetrics?: { loss: number; accuracy: number };
  /** First character of the training text: the default prefix for generation. */
  firstChar?: string;
  [key: string]: unknown;
}

export interface WeightsFile {
  format: typeof WEIGHTS_FORMAT;
  version: typeof WEIGHTS_VERSION;
  cell: CellKind;
  activation: Activation;
  hiddenSize: number;
  vocab: string[];
  params: Record<string, TensorJson>;
  training?: TrainingSummary;
  optimizerState?: OptimizerState;
}

const TOP_KEYS = new Set(['format', 'version', 'cell', 'activation', 'hiddenSize', 'vocab', 'params', 'training', 'optimizerState']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(msg: string): never {
  throw new WeightsError(msg);
}

function finiteArray(where: string, v: unknown, length?: number): number[] {
  if (!Array.isArray(v)) fail(t('{0} must be an array of numbers', where));
  if (length !== undefined && v.length !== length) fail(t('{0} has {1} numbers but the shape needs {2}', where, v.length, length));
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(t('{0}[{1}] is not a finite number ({2})', where, i, showValue(x)));
  }
  return v as number[];
}

/** An integer field that counts something: exact only while it stays in [0, max]. */
function count(where: string, v: unknown, max: number, limit: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(t('{0} must be a non-negative integer (got {1})', where, showValue(v)));
  if (v > max) fail(t('{0} is {1}, more than the {2} it may count ({3}): set it to 0 or start from fresh weights', where, showValue(v), max.toLocaleString('en-US'), limit));
  return v;
}

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Parses and validates a weights file's text. Throws WeightsError with a one-line message. A
 * leading BOM is dropped (the CLI and VS Code's decoder both do the same). Before JSON.parse a
 * linear pre-scan bounds its depth, arrays and objects, strings and numbers (limits.ts), so a
 * hostile file costs milliseconds and megabytes, not seconds and gigabytes.
 */
export function parseWeights(text: string): WeightsFile {
  if (text.length > MAX_WEIGHTS_BYTES) fail(t('the file is larger than {0} MB', MAX_WEIGHTS_BYTES / 1024 / 1024));
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  scanJson(
    body,
    { depth: MAX_JSON_DEPTH, containers: MAX_JSON_CONTAINERS, strings: MAX_JSON_STRINGS, numbers: MAX_WEIGHTS_NUMBERS },
    { depth: 'MAX_JSON_DEPTH', containers: 'MAX_JSON_CONTAINERS', strings: 'MAX_JSON_STRINGS', numbers: 'MAX_WEIGHTS_NUMBERS' },
  );
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (e) {
    if (/(^|[^A-Za-z"])(NaN|-?Infinity)([^A-Za-z"]|$)/.test(body)) fail(t('the file contains NaN or Infinity, which are not numbers in JSON'));
    fail(t('not JSON: {0}', (e as Error).message.split('\n')[0]));
  }
  return validateWeights(raw);
}

export function validateWeights(raw: unknown): WeightsFile {
  if (!isObject(raw)) fail(t('not a weights file: the top level must be a JSON object'));
  if (raw.format !== WEIGHTS_FORMAT) fail(t('not an RNN Lab weights file: "format" is {0}, expected "{1}"', showValue(raw.format), WEIGHTS_FORMAT));
  if (typeof raw.version !== 'number' || !Number.isInteger(raw.version) || raw.version < 1) fail(t('"version" must be a positive integer (got {0})', showValue(raw.version)));
  if (raw.version > WEIGHTS_VERSION) fail(t('the file is format version {0}, newer than this RNN Lab reads ({1}); update RNN Lab', raw.version, WEIGHTS_VERSION));
  for (const k of Object.keys(raw)) if (!TOP_KEYS.has(k)) fail(t('unknown top-level field "{0}"', k));
  if (typeof raw.cell !== 'string' || !(CELLS as readonly string[]).includes(raw.cell)) fail(t('"cell" must be one of {0} (got {1})', CELLS.join(', '), showValue(raw.cell)));
  const cell = raw.cell as CellKind;
  if (!SUPPORTED_CELLS.includes(cell)) fail(t('cell "{0}" is not supported by this version', cell));
  if (typeof raw.activation !== 'string' || !(ACTIVATIONS as readonly string[]).includes(raw.activation)) fail(t('"activation" must be tanh or relu (got {0})', showValue(raw.activation)));
  const H = raw.hiddenSize;
  if (typeof H !== 'number' || !Number.isInteger(H) || H < 1 || H > 1024) fail(t('"hiddenSize" must be an integer from 1 to 1024 (got {0})', showValue(H)));

  if (!Array.isArray(raw.vocab) || raw.vocab.length < 2) fail(t('"vocab" must be an array of at least two characters'));
  if (raw.vocab.length > MAX_DISTINCT_CHARS) fail(t('"vocab" has {0} characters, more than the {1} a model may have (MAX_DISTINCT_CHARS)', raw.vocab.length, MAX_DISTINCT_CHARS));
  const seen = new Set<string>();
  raw.vocab.forEach((c, i) => {
    if (typeof c !== 'string' || codePoints(c).length !== 1) fail(t('vocab[{0}] must be exactly one character (got {1})', i, showValue(c)));
    // Half of a surrogate pair is no character: no text can contain it, and UTF-8 cannot encode it.
    if (LONE_SURROGATE.test(c)) fail(t('vocab[{0}] is a lone surrogate (U+{1}), not a character', i, c.charCodeAt(0).toString(16).toUpperCase()));
    if (seen.has(c)) fail(t('vocab[{0}] {1} appears twice', i, JSON.stringify(c)));
    seen.add(c);
  });
  const vocab = raw.vocab as string[];
  const V = vocab.length;

  if (!isObject(raw.params)) fail(t('"params" must be an object of named tensors'));
  const shapes = parameterShapes(cell, V, H);
  for (const name of Object.keys(raw.params)) if (!Object.hasOwn(shapes, name)) fail(t('params has an unexpected parameter "{0}" for cell "{1}"', name, cell));
  const params: Record<string, TensorJson> = {};
  for (const [name, shape] of Object.entries(shapes)) {
    const p = raw.params[name];
    if (p === undefined) fail(t('params.{0} is missing', name));
    if (!isObject(p)) fail(t('params.{0} must be {"shape": [...], "data": [...]}', name));
    const got = p.shape;
    if (!Array.isArray(got) || got.length !== shape.length || got.some((d, i) => d !== shape[i])) {
      fail(t('params.{0}.shape is {1} but vocab ({2}) and hiddenSize ({3}) need {4}', name, showValue(got), V, H, JSON.stringify(shape)));
    }
    const data = finiteArray(`params.${name}.data`, p.data, shape.reduce((a, b) => a * b, 1));
    params[name] = { shape: [...shape], data };
  }

  const out: WeightsFile = {
    format: WEIGHTS_FORMAT,
    version: WEIGHTS_VERSION,
    cell,
    activation: raw.activation as Activation,
    hiddenSize: H,
    vocab,
    params,
  };
  if (raw.training !== undefined) {
    if (!isObject(raw.training)) fail(t('"training" must be an object'));
    const summary = raw.training as TrainingSummary;
    if (summary.config !== undefined) {
      try {
        summary.config = validateConfig(summary.config);
      } catch (e) {
        fail(t('training.config: {0}', (e as Error).message));
      }
    }
    if (summary.epochsDone !== undefined) count('training.epochsDone', summary.epochsDone, MAX_EPOCH_COUNT, 'MAX_EPOCH_COUNT');
    if (summary.seed !== undefined) count('training.seed', summary.seed, LIMITS.seed.max, t('the seed range'));
    if (summary.finalMetrics !== undefined) {
      const f = summary.finalMetrics as unknown;
      if (!isObject(f) || typeof f.loss !== 'number' || typeof f.accuracy !== 'number' || !Number.isFinite(f.loss) || !Number.isFinite(f.accuracy)) {
        fail(t('training.finalMetrics must be {"loss": number, "accuracy": number}'));
      }
    }
    if (summary.firstChar !== undefined && (typeof summary.firstChar !== 'string' || !seen.has(summary.firstChar))) fail(t('training.firstChar must be one character of vocab'));
    out.training = summary;
  }
  if (raw.optimizerState !== undefined) out.optimizerState = validateOptimizerState(raw.optimizerState, shapes);
  return out;
}

function validateOptimizerState(raw: unknown, shapes: Record<string, number[]>): OptimizerState {
  if (!isObject(raw)) fail(t('"optimizerState" must be an object'));
  if (typeof raw.name !== 'string' || !(OPTIMIZERS as readonly string[]).includes(raw.name)) fail(t('optimizerState.name must be one of {0}', OPTIMIZERS.join(', ')));
  const name = raw.name as OptimizerState['name'];
  count('optimizerState.step', raw.step, MAX_OPTIMIZER_STEPS, 'MAX_OPTIMIZER_STEPS');
  if (!isObject(raw.slots)) fail(t('optimizerState.slots must be an object'));
  const slots: OptimizerState['slots'] = {};
  for (const slot of slotNames(name)) {
    const s = raw.slots[slot];
    if (!isObject(s)) fail(t('optimizerState.slots.{0} is missing', slot));
    slots[slot] = {};
    for (const [p, shape] of Object.entries(shapes)) {
      slots[slot][p] = finiteArray(`optimizerState.slots.${slot}.${p}`, s[p], shape.reduce((a, b) => a * b, 1));
    }
  }
  return { name, step: raw.step as number, slots };
}

/** JSON text of a weights file. Numbers use JavaScript's shortest round-trip form, so reading it back is exact. */
export function serializeWeights(w: WeightsFile): string {
  try {
    return JSON.stringify(w);
  } catch (e) {
    // A string past V8's limit (about 512 MB): checkWeightsFileSize refuses such models before training.
    if (e instanceof RangeError) fail(t('the weights are too large to write as one JSON text ({0})', e.message));
    throw e;
  }
}
