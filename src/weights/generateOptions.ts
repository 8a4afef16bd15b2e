// The parameters of "Generate Text": defaults from the model, and the checks shared by the input
// boxes (strings the user types) and the command argument (values from tests and automation).
import { codePoints, describeChar, Vocabulary, type WeightsFile } from '../core';
import { t } from '../core/l10n';

export const LENGTH_MAX = 100_000;
export const TEMPERATURE_MAX = 100;
export const SEED_MAX = 2_147_483_647;
export const DEFAULT_LENGTH = 200;
export const DEFAULT_TEMPERATURE = 1;
export const DEFAULT_SEED = 1;

export type GenerateTarget = 'newEditor' | 'insert';

export interface GenerateOptions {
  prefix: string;
  length: number;
  temperature: number;
  seed: number;
}

/** Argument of `rnnLab.generateText`; each given field skips its prompt. */
export interface GenerateArgs {
  weightsUri?: string;
  prefix?: string;
  length?: number;
  temperature?: number;
  seed?: number;
  target?: GenerateTarget;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** The training text's first character when the file recorded it, else the first vocabulary entry. */
export function defaultPrefix(w: WeightsFile): string {
  const first = w.training?.firstChar;
  return typeof first === 'string' && w.vocab.includes(first) ? first : w.vocab[0];
}

export function checkPrefix(prefix: string, vocab: readonly string[]): string | undefined {
  if (codePoints(prefix).length === 0) return t('The prefix needs at least one character.');
  const missing = new Vocabulary(vocab).missing(prefix);
  if (missing.length > 0) return t('The prefix has characters the model does not know: {0}.', missing.map(describeChar).join(', '));
  return undefined;
}

export function checkLength(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 1 || n > LENGTH_MAX) return t('The length must be a whole number from 1 to {0}.', LENGTH_MAX);
  return undefined;
}

export function checkTemperature(temperature: number): string | undefined {
  if (!Number.isFinite(temperature) || temperature < 0 || temperature > TEMPERATURE_MAX) return t('The temperature must be a number from 0 (always the likeliest character) to {0}.', TEMPERATURE_MAX);
  return undefined;
}

export function checkSeed(s: number): string | undefined {
  if (!Number.isInteger(s) || s < 0 || s > SEED_MAX) return t('The seed must be a whole number from 0 to {0}.', SEED_MAX);
  return undefined;
}

/** Plain decimal notation only: Number() would also accept "", "0x10" and "Infinity". */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Reads what was typed into an input box; the error is what the box shows under the field. */
export function parseNumberInput(text: string, check: (n: number) => string | undefined): Checked<number> {
  const trimmed = text.trim();
  const n = DECIMAL.test(trimmed) ? Number(trimmed) : NaN;
  const problem = check(n);
  return problem ? { ok: false, error: problem } : { ok: true, value: n };
}

const ARG_KEYS = ['weightsUri', 'prefix', 'length', 'temperature', 'seed', 'target'];

export function parseGenerateArgs(v: unknown): Checked<GenerateArgs> {
  if (v === undefined || v === null) return { ok: true, value: {} };
  if (typeof v !== 'object' || Array.isArray(v)) return { ok: false, error: t('the argument must be an object {0}', '{ weightsUri?, prefix?, length?, temperature?, seed?, target? }') };
  const a = v as Record<string, unknown>;
  const unknownKey = Object.keys(a).find((k) => !ARG_KEYS.includes(k));
  if (unknownKey) return { ok: false, error: t('unexpected field "{0}" in the argument', unknownKey) };
  const out: GenerateArgs = {};
  if (a.weightsUri !== undefined) {
    if (typeof a.weightsUri !== 'string' || a.weightsUri.length === 0) return { ok: false, error: t('weightsUri must be a non-empty string') };
    out.weightsUri = a.weightsUri;
  }
  if (a.prefix !== undefined) {
    if (typeof a.prefix !== 'string') return { ok: false, error: t('prefix must be a string') };
    out.prefix = a.prefix;
  }
  const numbers: [keyof GenerateArgs & ('length' | 'temperature' | 'seed'), (n: number) => string | undefined][] = [
    ['length', checkLength],
    ['temperature', checkTemperature],
    ['seed', checkSeed],
  ];
  for (const [key, check] of numbers) {
    const x = a[key];
    if (x === undefined) continue;
    const problem = typeof x === 'number' ? check(x) : t('{0} must be a number', key);
    if (problem) return { ok: false, error: problem };
    out[key] = x as number;
  }
  if (a.target !== undefined) {
    if (a.target !== 'newEditor' && a.target !== 'insert') return { ok: false, error: t('target must be "newEditor" or "insert"') };
    out.target = a.target;
  }
  return { ok: true, value: out };
}
