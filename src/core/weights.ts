// The weights file, version 1 (schema/weights.schema.json describes the same rules).
// Parsing checks everything a loader relies on and reports the first problem in one line.

import type { Activation, CellKind, TensorJson, TrainConfig } from './types';
import { WeightsError } from './errors';
import { ACTIVATIONS, CELLS, OPTIMIZERS, SUPPORTED_CELLS, validateConfig } from './config';
import { codePoints } from './vocab';
import { slotNames, type OptimizerState } from './optimizers';
import { parameterShapes } from './model';
import { t } from './l10n';

export const WEIGHTS_FORMAT = 'rnn-lab.weights';
export const WEIGHTS_VERSION = 1;
export const MAX_WEIGHTS_BYTES = 64 * 1024 * 1024;

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
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(t('{0}[{1}] is not a finite number ({2})', where, i, JSON.stringify(x)));
  }
  return v as number[];
}

/** Parses and validates a weights file's text. Throws WeightsError with a one-line message. */
export function parseWeights(text: string): WeightsFile {
  if (text.length > MAX_WEIGHTS_BYTES) fail(t('the file is larger than {0} MB', MAX_WEIGHTS_BYTES / 1024 / 1024));
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    if (/(^|[^A-Za-z"])(NaN|-?Infinity)([^A-Za-z"]|$)/.test(text)) fail(t('the file contains NaN or Infinity, which are not numbers in JSON'));
    fail(t('not JSON: {0}', (e as Error).message));
  }
  return validateWeights(raw);
}

export function validateWeights(raw: unknown): WeightsFile {
  if (!isObject(raw)) fail(t('not a weights file: the top level must be a JSON object'));
  if (raw.format !== WEIGHTS_FORMAT) fail(t('not an RNN Lab weights file: "format" is {0}, expected "{1}"', JSON.stringify(raw.format), WEIGHTS_FORMAT));
  if (typeof raw.version !== 'number' || !Number.isInteger(raw.version) || raw.version < 1) fail(t('"version" must be a positive integer (got {0})', JSON.stringify(raw.version)));
  if (raw.version > WEIGHTS_VERSION) fail(t('the file is format version {0}, newer than this RNN Lab reads ({1}); update RNN Lab', raw.version, WEIGHTS_VERSION));
  for (const k of Object.keys(raw)) if (!TOP_KEYS.has(k)) fail(t('unknown top-level field "{0}"', k));
  if (typeof raw.cell !== 'string' || !(CELLS as readonly string[]).includes(raw.cell)) fail(t('"cell" must be one of {0} (got {1})', CELLS.join(', '), JSON.stringify(raw.cell)));
  const cell = raw.cell as CellKind;
  if (!SUPPORTED_CELLS.includes(cell)) fail(t('cell "{0}" is not supported by this version', cell));
  if (typeof raw.activation !== 'string' || !(ACTIVATIONS as readonly string[]).includes(raw.activation)) fail(t('"activation" must be tanh or relu (got {0})', JSON.stringify(raw.activation)));
  const H = raw.hiddenSize;
  if (typeof H !== 'number' || !Number.isInteger(H) || H < 1 || H > 1024) fail(t('"hiddenSize" must be an integer from 1 to 1024 (got {0})', JSON.stringify(H)));

  if (!Array.isArray(raw.vocab) || raw.vocab.length < 2) fail(t('"vocab" must be an array of at least two characters'));
  const seen = new Set<string>();
  raw.vocab.forEach((c, i) => {
    if (typeof c !== 'string' || codePoints(c).length !== 1) fail(t('vocab[{0}] must be exactly one character (got {1})', i, JSON.stringify(c)));
    if (seen.has(c)) fail(t('vocab[{0}] {1} appears twice', i, JSON.stringify(c)));
    seen.add(c);
  });
  const vocab = raw.vocab as string[];
  const V = vocab.length;

  if (!isObject(raw.params)) fail(t('"params" must be an object of named tensors'));
  const shapes = parameterShapes(cell, V, H);
  for (const name of Object.keys(raw.params)) if (!(name in shapes)) fail(t('params has an unexpected parameter "{0}" for cell "{1}"', name, cell));
  const params: Record<string, TensorJson> = {};
  for (const [name, shape] of Object.entries(shapes)) {
    const p = raw.params[name];
    if (p === undefined) fail(t('params.{0} is missing', name));
    if (!isObject(p)) fail(t('params.{0} must be {"shape": [...], "data": [...]}', name));
    const got = p.shape;
    if (!Array.isArray(got) || got.length !== shape.length || got.some((d, i) => d !== shape[i])) {
      fail(t('params.{0}.shape is {1} but vocab ({2}) and hiddenSize ({3}) need {4}', name, JSON.stringify(got), V, H, JSON.stringify(shape)));
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
    if (summary.epochsDone !== undefined && (typeof summary.epochsDone !== 'number' || !Number.isInteger(summary.epochsDone) || summary.epochsDone < 0)) fail(t('training.epochsDone must be a non-negative integer'));
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
  if (typeof raw.step !== 'number' || !Number.isInteger(raw.step) || raw.step < 0) fail(t('optimizerState.step must be a non-negative integer'));
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
  return { name, step: raw.step, slots };
}

/** JSON text of a weights file. Numbers use JavaScript's shortest round-trip form, so reading it back is exact. */
export function serializeWeights(w: WeightsFile): string {
  return JSON.stringify(w);
}
