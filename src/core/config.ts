import { ConfigError } from './errors';
import { showValue } from './show';
import type { Activation, BpttMode, CellKind, OptimizerName, TrainConfig } from './types';
import { t } from './l10n';

export const LIMITS = {
  hiddenSize: { min: 1, max: 1024 },
  epochs: { min: 1, max: 100000 },
  learningRate: { min: 0, max: 10 }, // exclusive minimum
  clip: { min: 0, max: 1e6 },
  k: { min: 1, max: 10000 },
  seed: { min: 0, max: 4294967295 },
  validationSplit: { min: 0, max: 0.5 },
} as const;

export const CELLS: readonly CellKind[] = ['rnn', 'lstm', 'gru'];
export const ACTIVATIONS: readonly Activation[] = ['tanh', 'relu'];
export const OPTIMIZERS: readonly OptimizerName[] = ['adam', 'sgd', 'momentum', 'rmsprop', 'adagrad'];
/** Cells this build can train; the others are rejected with a clear message. */
export const SUPPORTED_CELLS: readonly CellKind[] = ['rnn', 'lstm', 'gru'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function integer(field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ConfigError(field, t('{0} must be an integer from {1} to {2} (got {3})', field, min, max, showValue(v)));
  }
  return v;
}

function oneOf<T extends string>(field: string, v: unknown, options: readonly T[]): T {
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
    throw new ConfigError(field, t('{0} must be one of {1} (got {2})', field, options.join(', '), showValue(v)));
  }
  return v as T;
}

function mode(v: unknown): BpttMode {
  if (!isObject(v)) throw new ConfigError('mode', t('mode must be {0} or {1}', '{kind: "full"}', '{kind: "truncate"|"window", k}'));
  const kind = oneOf('mode.kind', v.kind, ['full', 'truncate', 'window'] as const);
  if (kind === 'full') return { kind };
  return { kind, k: integer('mode.k', v.k, LIMITS.k.min, LIMITS.k.max) };
}

/** The held-out fraction; absent means 0 (off), which is how files from before the field load. */
function validationSplit(v: unknown): number {
  if (v === undefined) return 0;
  const { min, max } = LIMITS.validationSplit;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new ConfigError('validationSplit', t('validationSplit must be a number from {0} (off) to {1} (got {2})', min, max, showValue(v)));
  }
  return v;
}

/**
 * Checks every field of a training configuration; throws ConfigError naming the first bad field.
 * `validationSplit` appears in the result only when it is on (> 0), so a configuration without a
 * held-out part looks exactly as it did before the field existed.
 */
export function validateConfig(value: unknown): TrainConfig {
  if (!isObject(value)) throw new ConfigError('config', t('the training configuration must be an object'));
  const cell = oneOf('cell', value.cell, CELLS);
  if (!SUPPORTED_CELLS.includes(cell)) {
    throw new ConfigError('cell', t('cell "{0}" is not available in this version (supported: {1})', cell, SUPPORTED_CELLS.join(', ')));
  }
  const learningRate = value.learningRate;
  if (typeof learningRate !== 'number' || !Number.isFinite(learningRate) || learningRate <= LIMITS.learningRate.min || learningRate > LIMITS.learningRate.max) {
    throw new ConfigError('learningRate', t('learningRate must be a number greater than 0 and at most {0} (got {1})', LIMITS.learningRate.max, showValue(learningRate)));
  }
  const clip = value.clip;
  if (typeof clip !== 'number' || !Number.isFinite(clip) || clip < LIMITS.clip.min || clip > LIMITS.clip.max) {
    throw new ConfigError('clip', t('clip must be a number from 0 (off) to {0} (got {1})', LIMITS.clip.max, showValue(clip)));
  }
  return {
    cell,
    activation: oneOf('activation', value.activation, ACTIVATIONS),
    hiddenSize: integer('hiddenSize', value.hiddenSize, LIMITS.hiddenSize.min, LIMITS.hiddenSize.max),
    epochs: integer('epochs', value.epochs, LIMITS.epochs.min, LIMITS.epochs.max),
    learningRate,
    optimizer: oneOf('optimizer', value.optimizer, OPTIMIZERS),
    clip,
    mode: mode(value.mode),
    seed: integer('seed', value.seed, LIMITS.seed.min, LIMITS.seed.max),
    ...withSplit(validationSplit(value.validationSplit)),
  };
}

function withSplit(split: number): { validationSplit?: number } {
  return split > 0 ? { validationSplit: split } : {};
}
