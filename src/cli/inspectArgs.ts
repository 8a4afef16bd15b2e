// Arguments of `rnn-lab inspect` and `rnn-lab gradcheck`: a weights file and a text.

import { GRADCHECK_DEFAULT_SAMPLES, GRADCHECK_MAX_SAMPLES, INSPECT_DEFAULT_TOP } from '../core';
import { UsageError, number, splitFlags } from './args';

export interface InspectArgs {
  command: 'inspect';
  weights: string;
  text?: string;
  file?: string;
  top: number;
  /** An output step t, 0-based. */
  connectivity?: number;
}

export interface GradcheckArgs {
  command: 'gradcheck';
  weights: string;
  text?: string;
  file?: string;
  samples: number;
  seed: number;
}

export const INSPECT_USAGE = `  rnn-lab inspect WEIGHTS.json (--text STR | --file PATH) [--top 5] [--connectivity T]
  rnn-lab gradcheck WEIGHTS.json (--text STR | --file PATH) [--samples ${GRADCHECK_DEFAULT_SAMPLES}] [--seed N]`;

const INSPECT_FLAGS = new Set(['--text', '--file', '--top', '--connectivity']);
const GRADCHECK_FLAGS = new Set(['--text', '--file', '--samples', '--seed']);

function weightsAndText(command: string, argv: string[], allowed: Set<string>) {
  const positional: string[] = [];
  const f = splitFlags(argv, allowed, positional);
  if (positional.length !== 1) throw new UsageError(`${command} needs exactly one weights file`);
  if (f.has('--text') === f.has('--file')) throw new UsageError(`${command} needs the text: give --text STR or --file PATH (one of them)`);
  return { f, weights: positional[0], text: f.get('--text'), file: f.get('--file') };
}

function integerFlag(flag: string, value: string, min: number, max: number): number {
  const n = number(flag, value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max} (got ${value})`);
  return n;
}

export function parseInspect(argv: string[]): InspectArgs {
  const { f, weights, text, file } = weightsAndText('inspect', argv, INSPECT_FLAGS);
  const top = f.has('--top') ? integerFlag('--top', f.get('--top')!, 1, 1_000_000) : INSPECT_DEFAULT_TOP;
  // The upper end depends on the text; main checks it once the text is read.
  const connectivity = f.has('--connectivity') ? integerFlag('--connectivity', f.get('--connectivity')!, 0, Number.MAX_SAFE_INTEGER) : undefined;
  return { command: 'inspect', weights, text, file, top, connectivity };
}

export function parseGradcheck(argv: string[]): GradcheckArgs {
  const { f, weights, text, file } = weightsAndText('gradcheck', argv, GRADCHECK_FLAGS);
  const samples = f.has('--samples') ? integerFlag('--samples', f.get('--samples')!, 1, GRADCHECK_MAX_SAMPLES) : GRADCHECK_DEFAULT_SAMPLES;
  const seed = f.has('--seed') ? integerFlag('--seed', f.get('--seed')!, 0, 4294967295) : 1;
  return { command: 'gradcheck', weights, text, file, samples, seed };
}
