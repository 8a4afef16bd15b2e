// The weights file, version 1 (schema/weights.schema.json describes the same rules).
// Parsing checks everything a loader relies on and reports the first problem in one line.

import type { Activation, CellKind, TensorJson, TrainConfig } from './types';
import { WeightsError } from './errors';
import { ACTIVATIONS, CELLS, LIMITS, OPTIMIZERS, SUPPORTED_CELLS, validateConfig } from './config';
import { codePoints } from './vocab';
import { slotNames, type OptimizerState } from './optimizers';
import { parameterShapes } from './model';
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
  if (!Array.isArray(v)) fail(`${where} must be an array of numbers`);
  if (length !== undefined && v.length !== length) fail(`${where} has ${v.length} numbers but the shape needs ${length}`);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${where}[${i}] is not a finite number (${showValue(x)})`);
  }
  return v as number[];
}

/** An integer field that counts something: exact only while it stays in [0, max]. */
function count(where: string, v: unknown, max: number, limit: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(`${where} must be a non-negative integer (got ${showValue(v)})`);
  if (v > max) fail(`${where} is ${showValue(v)}, more than the ${max.toLocaleString('en-US')} it may count (${limit}): set it to 0 or start from fresh weights`);
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
  if (text.length > MAX_WEIGHTS_BYTES) fail(`the file is larger than ${MAX_WEIGHTS_BYTES / 1024 / 1024} MB`);
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
    if (/(^|[^A-Za-z"])(NaN|-?Infinity)([^A-Za-z"]|$)/.test(body)) fail('the file contains NaN or Infinity, which are not numbers in JSON');
    fail(`not JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  return validateWeights(raw);
}

export function validateWeights(raw: unknown): WeightsFile {
  if (!isObject(raw)) fail('not a weights file: the top level must be a JSON object');
  if (raw.format !== WEIGHTS_FORMAT) fail(`not an RNN Lab weights file: "format" is ${showValue(raw.format)}, expected "${WEIGHTS_FORMAT}"`);
  if (typeof raw.version !== 'number' || !Number.isInteger(raw.version) || raw.version < 1) fail(`"version" must be a positive integer (got ${showValue(raw.version)})`);
  if (raw.version > WEIGHTS_VERSION) fail(`the file is format version ${raw.version}, newer than this RNN Lab reads (${WEIGHTS_VERSION}); update RNN Lab`);
  for (const k of Object.keys(raw)) if (!TOP_KEYS.has(k)) fail(`unknown top-level field "${k}"`);
  if (typeof raw.cell !== 'string' || !(CELLS as readonly string[]).includes(raw.cell)) fail(`"cell" must be one of ${CELLS.join(', ')} (got ${showValue(raw.cell)})`);
  const cell = raw.cell as CellKind;
  if (!SUPPORTED_CELLS.includes(cell)) fail(`cell "${cell}" is not supported by this version`);
  if (typeof raw.activation !== 'string' || !(ACTIVATIONS as readonly string[]).includes(raw.activation)) fail(`"activation" must be tanh or relu (got ${showValue(raw.activation)})`);
  const H = raw.hiddenSize;
  if (typeof H !== 'number' || !Number.isInteger(H) || H < 1 || H > 1024) fail(`"hiddenSize" must be an integer from 1 to 1024 (got ${showValue(H)})`);

  if (!Array.isArray(raw.vocab) || raw.vocab.length < 2) fail('"vocab" must be an array of at least two characters');
  if (raw.vocab.length > MAX_DISTINCT_CHARS) fail(`"vocab" has ${raw.vocab.length} characters, more than the ${MAX_DISTINCT_CHARS} a model may have (MAX_DISTINCT_CHARS)`);
  const seen = new Set<string>();
  raw.vocab.forEach((c, i) => {
    if (typeof c !== 'string' || codePoints(c).length !== 1) fail(`vocab[${i}] must be exactly one character (got ${showValue(c)})`);
    // Half of a surrogate pair is no character: no text can contain it, and UTF-8 cannot encode it.
    if (LONE_SURROGATE.test(c)) fail(`vocab[${i}] is a lone surrogate (U+${c.charCodeAt(0).toString(16).toUpperCase()}), not a character`);
    if (seen.has(c)) fail(`vocab[${i}] ${JSON.stringify(c)} appears twice`);
    seen.add(c);
  });
  const vocab = raw.vocab as string[];
  const V = vocab.length;

  if (!isObject(raw.params)) fail('"params" must be an object of named tensors');
  const shapes = parameterShapes(cell, V, H);
  for (const name of Object.keys(raw.params)) if (!Object.hasOwn(shapes, name)) fail(`params has an unexpected parameter "${name}" for cell "${cell}"`);
  const params: Record<string, TensorJson> = {};
  for (const [name, shape] of Object.entries(shapes)) {
    const p = raw.params[name];
    if (p === undefined) fail(`params.${name} is missing`);
    if (!isObject(p)) fail(`params.${name} must be {"shape": [...], "data": [...]}`);
    const got = p.shape;
    if (!Array.isArray(got) || got.length !== shape.length || got.some((d, i) => d !== shape[i])) {
      fail(`params.${name}.shape is ${showValue(got)} but vocab (${V}) and hiddenSize (${H}) need ${JSON.stringify(shape)}`);
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
    if (!isObject(raw.training)) fail('"training" must be an object');
    const t = raw.training as TrainingSummary;
    if (t.config !== undefined) {
      try {
        t.config = validateConfig(t.config);
      } catch (e) {
        fail(`training.config: ${(e as Error).message}`);
      }
    }
    if (t.epochsDone !== undefined) count('training.epochsDone', t.epochsDone, MAX_EPOCH_COUNT, 'MAX_EPOCH_COUNT');
    if (t.seed !== undefined) count('training.seed', t.seed, LIMITS.seed.max, 'the seed range');
    if (t.finalMetrics !== undefined) {
      const f = t.finalMetrics as unknown;
      if (!isObject(f) || typeof f.loss !== 'number' || typeof f.accuracy !== 'number' || !Number.isFinite(f.loss) || !Number.isFinite(f.accuracy)) {
        fail('training.finalMetrics must be {"loss": number, "accuracy": number}');
      }
    }
    if (t.firstChar !== undefined && (typeof t.firstChar !== 'string' || !seen.has(t.firstChar))) fail('training.firstChar must be one character of vocab');
    out.training = t;
  }
  if (raw.optimizerState !== undefined) out.optimizerState = validateOptimizerState(raw.optimizerState, shapes);
  return out;
}

function validateOptimizerState(raw: unknown, shapes: Record<string, number[]>): OptimizerState {
  if (!isObject(raw)) fail('"optimizerState" must be an object');
  if (typeof raw.name !== 'string' || !(OPTIMIZERS as readonly string[]).includes(raw.name)) fail(`optimizerState.name must be one of ${OPTIMIZERS.join(', ')}`);
  const name = raw.name as OptimizerState['name'];
  count('optimizerState.step', raw.step, MAX_OPTIMIZER_STEPS, 'MAX_OPTIMIZER_STEPS');
  if (!isObject(raw.slots)) fail('optimizerState.slots must be an object');
  const slots: OptimizerState['slots'] = {};
  for (const slot of slotNames(name)) {
    const s = raw.slots[slot];
    if (!isObject(s)) fail(`optimizerState.slots.${slot} is missing`);
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
    if (e instanceof RangeError) fail(`the weights are too large to write as one JSON text (${e.message})`);
    throw e;
  }
}
