// Every limit on what RNN Lab accepts, each with the reason for its value. The README's "Limits"
// section lists the same table; a test holds the two together. Whatever is refused here is
// refused before any training starts, in one line that names the limit and the way out.

import { LIMITS } from './config';
import { LimitError } from './errors';
import { t, tKey } from './l10n';
import { GATES, parameterShapes } from './model';
import { sequenceCapacity } from './layout';
import type { CellKind, TrainConfig } from './types';

/**
 * Full and truncated BPTT keep every step of the text and make each epoch one update, so their
 * cost grows with the text; past this length window mode is the one that trains. The same value
 * is the default of the extension's `rnnLab.longSelectionThreshold` (package.json; a test checks
 * they agree); the CLI, which has no such setting, refuses longer texts in those modes.
 */
export const FULL_BPTT_MAX_CHARS = 400;

/**
 * Longest training text, in code points, in any mode. A window-mode epoch over it takes seconds at
 * the default size, and the trainer keeps a few arrays of this length (ids, targets, prediction).
 */
export const MAX_TEXT_CHARS = 2_000_000;

/** Bytes the CLI reads from a text file: UTF-8 needs at most 4 per code point of MAX_TEXT_CHARS. */
export const MAX_TEXT_BYTES = 8 * 1024 * 1024;

/**
 * Distinct characters (the vocabulary V). The output layer costs V·H per step and the weights
 * file holds 2·V·H numbers; 10,000 covers the CJK characters in ordinary use.
 */
export const MAX_DISTINCT_CHARS = 10_000;

/** Hidden units: σ_max(W_hh) each epoch costs H³, and H² weights per step. */
export const MAX_HIDDEN_SIZE = LIMITS.hiddenSize.max;

/**
 * Largest weights file the loaders read (CLI and VS Code): JSON.parse needs the whole text and a
 * few times its size in memory, on the extension host's main thread for Load Weights.
 */
export const MAX_WEIGHTS_BYTES = 64 * 1024 * 1024;

/**
 * Numbers a weights file may hold. Anything this writer produces within MAX_WEIGHTS_BYTES has at
 * most MAX_WEIGHTS_BYTES / WEIGHTS_BYTES_PER_NUMBER ≈ 2.7 million; this bound (64 MB as doubles)
 * keeps a hostile file of `0,0,0,…` from costing more than that while parsing.
 */
export const MAX_WEIGHTS_NUMBERS = 8 * 1024 * 1024;

/**
 * Arrays and objects a weights file may hold. A valid file has a few dozen (one per tensor, its
 * shape, the optimizer's slots); each costs tens of bytes once parsed, so `[{},{},…]` is refused.
 */
export const MAX_JSON_CONTAINERS = 10_000;

/** Strings a weights file may hold: its vocabulary, and room for keys. */
export const MAX_JSON_STRINGS = MAX_DISTINCT_CHARS + 10_000;

/** Nesting of a weights file: a valid one goes 5 deep; JSON.parse of 60 MB of `[` costs gigabytes. */
export const MAX_JSON_DEPTH = 64;

/**
 * Epoch numbers (training.epochsDone, and epochsDone + epochs of a continued run). Far below
 * 2^53, where `n + 1 === n` would stop the count, and below 2^31: the panel's epoch blocks carry
 * epoch numbers as 32-bit integers.
 */
export const MAX_EPOCH_COUNT = 1_000_000_000;

/**
 * Optimizer updates (optimizerState.step). Window mode updates once per window, so a run adds at
 * most MAX_TEXT_CHARS · LIMITS.epochs.max = 2·10^11 to it; this stays exact (< 2^53) after that.
 */
export const MAX_OPTIMIZER_STEPS = 1e15;

/**
 * Memory of one run's WebAssembly arena (parameters, gradients, optimizer slots and the buffers of
 * every step of a sequence). WebAssembly allows 4 GiB, but one run should not take a machine's
 * memory from the editor beside it.
 */
export const MAX_WORKING_BYTES = 1024 * 1024 * 1024;

/**
 * Upper bound on the bytes one number takes in a weights file: the longest shortest-round-trip
 * form of a double ("-2.2250738585072014e-308") and its comma.
 */
export const WEIGHTS_BYTES_PER_NUMBER = 25;

/** Everything of a weights file besides the numbers and the vocabulary: keys, config, metrics. */
const WEIGHTS_FIXED_BYTES = 8192;
/** A vocabulary entry: `"\u001f",` is the longest (control characters are escaped). */
const WEIGHTS_BYTES_PER_CHAR = 9;

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Parameters of a model: the weights file stores them, and up to two optimizer slots of each. */
export function parameterCount(cell: CellKind, V: number, H: number): number {
  let n = 0;
  for (const s of Object.values(parameterShapes(cell, V, H))) n += s.reduce((a, b) => a * b, 1);
  return n;
}

/**
 * The most bytes a weights file of this model can take: parameters plus Adam's two slots (the
 * most any optimizer keeps), each number at its longest, the vocabulary and the fixed fields.
 * The actual file is usually about 80% of it.
 */
export function weightsFileBytesBound(cell: CellKind, V: number, H: number): number {
  return 3 * parameterCount(cell, V, H) * WEIGHTS_BYTES_PER_NUMBER + V * WEIGHTS_BYTES_PER_CHAR + WEIGHTS_FIXED_BYTES;
}

/** Largest hidden size whose weights file fits MAX_WEIGHTS_BYTES (0 when none does). */
export function largestHiddenForWeights(cell: CellKind, V: number): number {
  let lo = 0;
  let hi = MAX_HIDDEN_SIZE;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (weightsFileBytesBound(cell, V, mid) <= MAX_WEIGHTS_BYTES) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Bytes of a run's arena: the model's four copies of each parameter and one sequence of `steps`. */
export function workingMemoryBytes(cell: CellKind, V: number, H: number, steps: number): number {
  let model = 0;
  for (const s of Object.values(parameterShapes(cell, V, H))) model += 4 * (s.reduce((a, b) => a * b, 1) + 1);
  return 8 * (model + sequenceCapacity({ cell, H, V, G: GATES[cell] * H }, steps));
}

/** How to name the ways out: CLI flags or the extension's settings. */
export interface LimitWording {
  window: string;
  hidden: string;
}

export const CLI_WORDING: LimitWording = { window: 'use --window K (e.g. --window 25)', hidden: '--hidden' };
// Built at load, before a translator exists: the sentence is marked here and translated where used.
export const SETTINGS_WORDING: LimitWording = { window: tKey('train in window mode (rnnLab.bptt.mode "window")'), hidden: 'rnnLab.hiddenSize' };

export interface RunShape {
  /** Code points of the whole text. */
  chars: number;
  /** Distinct code points: the vocabulary's size (the file's, when continuing). */
  distinct: number;
  config: TrainConfig;
  /** Epoch number the run starts at (a loaded file's epochsDone). */
  firstEpoch?: number;
  /** Set when full and truncate mode are bounded by a length (the CLI: FULL_BPTT_MAX_CHARS). */
  fullBpttMaxChars?: number;
  /** The run's weights will be written (CLI --out, or an export the caller promises). */
  writesWeights?: boolean;
}

/**
 * Refuses, with a LimitError naming the limit and the way out, a run that would go past a limit:
 * text length (per mode), distinct characters, epoch numbers, working memory, and (when the
 * weights will be written) the size of the weights file. Pure: the CLI calls it before reading
 * any weights into a trainer, the Trainer calls it on construction, and the extension's host may
 * call it before it starts a worker.
 */
export function checkRunLimits(run: RunShape, wording: LimitWording = SETTINGS_WORDING): void {
  const { chars, distinct, config } = run;
  const { cell, hiddenSize: H, mode } = config;
  if (chars > MAX_TEXT_CHARS) {
    throw new LimitError('MAX_TEXT_CHARS', t('The text has {0} characters, more than the {1} a run may train on: train on a part of it.', count(chars), count(MAX_TEXT_CHARS)));
  }
  if (run.fullBpttMaxChars !== undefined && mode.kind !== 'window' && chars > run.fullBpttMaxChars) {
    throw new LimitError(
      'FULL_BPTT_MAX_CHARS',
      mode.kind === 'full'
        ? t('The text has {0} characters, more than the {1} full BPTT trains on (every step is kept and an epoch is one update): {2}.', count(chars), count(run.fullBpttMaxChars), t(wording.window))
        : t('The text has {0} characters, more than the {1} truncated BPTT trains on (every step is kept and an epoch is one update): {2}.', count(chars), count(run.fullBpttMaxChars), t(wording.window)),
    );
  }
  if (distinct > MAX_DISTINCT_CHARS) {
    throw new LimitError('MAX_DISTINCT_CHARS', t('The text has {0} distinct characters, more than the {1} a model may have: train on a part of it with fewer distinct characters.', count(distinct), count(MAX_DISTINCT_CHARS)));
  }
  const first = run.firstEpoch ?? 0;
  if (first + config.epochs > MAX_EPOCH_COUNT) {
    throw new LimitError('MAX_EPOCH_COUNT', t('The run would end at epoch {0}, past the {1} epochs a model may count: start a new run from fresh weights.', count(first + config.epochs), count(MAX_EPOCH_COUNT)));
  }
  // Steps the trainer keeps buffers for: the whole training part, or one window.
  const steps = Math.max(1, mode.kind === 'window' ? Math.min(mode.k, chars - 1) : chars - 1);
  const memory = workingMemoryBytes(cell, distinct, H, steps);
  if (memory > MAX_WORKING_BYTES) {
    const way = mode.kind === 'window' ? t('a smaller K or a smaller {0}', wording.hidden) : t('{0}, or a smaller {1}', t(wording.window), wording.hidden);
    throw new LimitError('MAX_WORKING_BYTES', t('The run needs {0} of working memory ({1} steps, {2} characters, {3} with {4} units), more than the {5} a run may use: {6}.', mb(memory), steps, distinct, cell, H, mb(MAX_WORKING_BYTES), way));
  }
  if (run.writesWeights) checkWeightsFileSize(cell, distinct, H, wording);
}

/**
 * Refuses a model whose weights file could be larger than the loaders accept, so that whatever is
 * written can be loaded again. For the CLI's --out and the extension's Export Weights.
 */
export function checkWeightsFileSize(cell: CellKind, V: number, H: number, wording: LimitWording = SETTINGS_WORDING): void {
  const bound = weightsFileBytesBound(cell, V, H);
  if (bound <= MAX_WEIGHTS_BYTES) return;
  const fits = largestHiddenForWeights(cell, V);
  const way = fits > 0 ? t('use {0} {1} or less', wording.hidden, fits) : t('train on a text with fewer distinct characters');
  throw new LimitError('MAX_WEIGHTS_BYTES', t('The weights file of this model ({0}, {1} characters, {2} units) could take {3}, more than the {4} a weights file may have: {5}.', cell, V, H, mb(bound), mb(MAX_WEIGHTS_BYTES), way));
}
