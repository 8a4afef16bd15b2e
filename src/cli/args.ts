// Argument parsing for `rnn-lab`, kept apart from I/O so it can be unit-tested.

import { DEFAULT_CONFIG, type BpttMode, type TrainConfig } from '../core/types';
import { ConfigError, validateConfig } from '../core';
import { availableParallelism } from 'node:os';
import { INSPECT_USAGE, parseGradcheck, parseInspect, type GradcheckArgs, type InspectArgs } from './inspectArgs';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface TrainArgs {
  command: 'train';
  text?: string;
  file?: string;
  config: TrainConfig;
  init?: string;
  out?: string;
  jsonl: boolean;
  /** Print the whole predicted string in the seed-style lines, not its first 80 characters. */
  fullStrings: boolean;
  every: number;
  /** 2: an RNN of hidden size 96 or more (PARTNER_MIN_HIDDEN) trains with its output layer in a second thread (src/core/partner.ts). */
  threads: 1 | 2;
}

export interface SampleArgs {
  command: 'sample';
  weights: string;
  prefix?: string;
  length: number;
  temperature: number;
  seed: number;
}

export type CliArgs = TrainArgs | SampleArgs | InspectArgs | GradcheckArgs | { command: 'help' };

export const USAGE = `usage:
  rnn-lab train [--text STR | --file PATH] [--cell rnn|lstm|gru] [--activation tanh|relu] [--hidden 20] [--epochs 600]
                [--lr 0.001] [--optimizer adam|sgd|momentum|rmsprop|adagrad] [--clip C]
                [--truncate K | --window K] [--seed N] [--init weights.json] [--out weights.json]
                [--jsonl] [--every N] [--full-strings] [--val-split F] [--threads 1|2]
  rnn-lab sample WEIGHTS.json [--prefix STR] [--length N] [--temperature T] [--seed N]
${INSPECT_USAGE}
With no --text or --file, train uses the sentence "hello world! nice to meet you! i love iron-man".
Texts longer than 400 characters train with --window K only (full and truncated BPTT keep every step).
--activation applies to the plain RNN; LSTM and GRU always use sigmoid gates and tanh.
--threads 2 (the default on a machine with 2 or more cores) trains an RNN of --hidden 96 or more with
its output layer in a second thread: faster by the clock, same numbers; --threads 1 keeps one.
The progress lines show the first 80 characters of the prediction and "…"; --full-strings shows all of it.`;

const TRAIN_FLAGS = new Set(['--text', '--file', '--activation', '--hidden', '--epochs', '--lr', '--optimizer', '--clip', '--truncate', '--window', '--seed', '--init', '--out', '--every', '--cell', '--val-split', '--threads']);
const SAMPLE_FLAGS = new Set(['--prefix', '--length', '--temperature', '--seed']);
const BOOLEAN_FLAGS = new Set(['--jsonl', '--full-strings']);

export function number(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} needs a number (got ${JSON.stringify(value)})`);
  return n;
}

export function splitFlags(argv: string[], allowed: Set<string>, positional: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (BOOLEAN_FLAGS.has(name) && allowed === TRAIN_FLAGS) {
      flags.set(name, 'true');
      continue;
    }
    if (!allowed.has(name)) throw new UsageError(`unknown option ${name}`);
    if (flags.has(name)) throw new UsageError(`${name} is given twice`);
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    flags.set(name, value);
  }
  return flags;
}

export function parseArgs(argv: string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return { command: 'help' };
  if (command === 'train') return parseTrain(rest);
  if (command === 'sample') return parseSample(rest);
  if (command === 'inspect') return parseInspect(rest);
  if (command === 'gradcheck') return parseGradcheck(rest);
  throw new UsageError(`unknown command ${JSON.stringify(command)} (expected train, sample, inspect or gradcheck)`);
}

function parseTrain(argv: string[]): TrainArgs {
  const positional: string[] = [];
  const f = splitFlags(argv, TRAIN_FLAGS, positional);
  if (positional.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positional[0])}`);
  if (f.has('--text') && f.has('--file')) throw new UsageError('give --text or --file, not both');
  if (f.has('--truncate') && f.has('--window')) throw new UsageError('give --truncate or --window, not both');
  let mode: BpttMode = { kind: 'full' };
  if (f.has('--truncate')) mode = { kind: 'truncate', k: number('--truncate', f.get('--truncate')!) };
  if (f.has('--window')) mode = { kind: 'window', k: number('--window', f.get('--window')!) };
  const raw = {
    ...DEFAULT_CONFIG,
    cell: f.get('--cell') ?? DEFAULT_CONFIG.cell,
    activation: f.get('--activation') ?? DEFAULT_CONFIG.activation,
    hiddenSize: f.has('--hidden') ? number('--hidden', f.get('--hidden')!) : DEFAULT_CONFIG.hiddenSize,
    epochs: f.has('--epochs') ? number('--epochs', f.get('--epochs')!) : DEFAULT_CONFIG.epochs,
    learningRate: f.has('--lr') ? number('--lr', f.get('--lr')!) : DEFAULT_CONFIG.learningRate,
    optimizer: f.get('--optimizer') ?? DEFAULT_CONFIG.optimizer,
    clip: f.has('--clip') ? number('--clip', f.get('--clip')!) : 0,
    mode,
    seed: f.has('--seed') ? number('--seed', f.get('--seed')!) : DEFAULT_CONFIG.seed,
    ...(f.has('--val-split') ? { validationSplit: number('--val-split', f.get('--val-split')!) } : {}),
  };
  let config: TrainConfig;
  try {
    config = validateConfig(raw);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(flagMessage(e));
    throw e;
  }
  const every = f.has('--every') ? number('--every', f.get('--every')!) : 30;
  if (!Number.isInteger(every) || every < 1) throw new UsageError('--every must be an integer ≥ 1');
  const threads = f.has('--threads') ? number('--threads', f.get('--threads')!) : defaultThreads();
  if (threads !== 1 && threads !== 2) throw new UsageError('--threads must be 1 or 2');
  return { command: 'train', text: f.get('--text'), file: f.get('--file'), config, init: f.get('--init'), out: f.get('--out'), jsonl: f.has('--jsonl'), fullStrings: f.has('--full-strings'), every, threads };
}

/** Two threads where there are two cores for them. */
function defaultThreads(): 1 | 2 {
  return availableParallelism() >= 2 ? 2 : 1;
}

/** Names the flag rather than the config field, since that is what the user typed. */
function flagMessage(e: ConfigError): string {
  const flags: Record<string, string> = {
    hiddenSize: '--hidden',
    epochs: '--epochs',
    learningRate: '--lr',
    optimizer: '--optimizer',
    activation: '--activation',
    clip: '--clip',
    seed: '--seed',
    'mode.k': '--truncate/--window',
    cell: '--cell',
    validationSplit: '--val-split',
  };
  const flag = flags[e.field];
  return flag ? e.message.replace(e.field, flag) : e.message;
}

function parseSample(argv: string[]): SampleArgs {
  const positional: string[] = [];
  const f = splitFlags(argv, SAMPLE_FLAGS, positional);
  if (positional.length !== 1) throw new UsageError('sample needs exactly one weights file');
  const length = f.has('--length') ? number('--length', f.get('--length')!) : 200;
  if (!Number.isInteger(length) || length < 0 || length > 1_000_000) throw new UsageError('--length must be an integer from 0 to 1000000');
  const temperature = f.has('--temperature') ? number('--temperature', f.get('--temperature')!) : 1;
  if (temperature < 0 || temperature > 100) throw new UsageError('--temperature must be from 0 to 100');
  const seed = f.has('--seed') ? number('--seed', f.get('--seed')!) : 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295) throw new UsageError('--seed must be an integer from 0 to 4294967295');
  return { command: 'sample', weights: positional[0], prefix: f.get('--prefix'), length, temperature, seed };
}
