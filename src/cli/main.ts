// `rnn-lab`: train the seed's RNN from a terminal, or sample from saved weights.
// Exit codes: 0 ok, 2 bad input (one line on stderr), 3 the run diverged.

import { readFileSync, writeFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import {
  ConfigError,
  MAX_WEIGHTS_BYTES,
  SEED_SENTENCE,
  TextError,
  Trainer,
  WeightsError,
  divergenceMessage,
  formatSeedLine,
  parseWeights,
  sample,
  serializeWeights,
  type WeightsFile,
} from '../core';
import { USAGE, UsageError, parseArgs, type SampleArgs, type TrainArgs } from './args';
import { gradcheckCommand, inspectCommand } from './inspectCommands';

class ExitError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function loadWeights(path: string): WeightsFile {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new UsageError(`cannot read weights file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (size > MAX_WEIGHTS_BYTES) throw new WeightsError(`${path}: the file is larger than ${MAX_WEIGHTS_BYTES / 1024 / 1024} MB`);
  try {
    return parseWeights(readText(path, 'weights file'));
  } catch (e) {
    if (e instanceof WeightsError) throw new WeightsError(`${path}: ${e.message}`);
    throw e;
  }
}

/** Temporary file + rename, so an interrupted write never leaves half a file under the real name. */
export function writeAtomically(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean up
    }
    throw new UsageError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function train(a: TrainArgs, out: (line: string) => void): void {
  const text = a.file !== undefined ? readText(a.file, 'text file') : (a.text ?? SEED_SENTENCE);
  const init = a.init !== undefined ? loadWeights(a.init) : undefined;
  const trainer = new Trainer(text, a.config, init);
  const lastEpoch = trainer.firstEpoch + a.config.epochs - 1;
  while (!trainer.finished) {
    const m = trainer.runEpoch();
    if (trainer.diverged) throw new ExitError(3, divergenceMessage(m.epoch, m.loss));
    if (a.jsonl) {
      out(
        JSON.stringify({
          epoch: m.epoch,
          loss: m.loss,
          accuracy: m.accuracy,
          predicted: m.predicted,
          gradNorm: m.gradNorm,
          lastLossGradNorm: m.lastLossGradNorm,
          stepShrink: m.stepShrink,
          shrinkPerStep: m.shrinkPerStep,
          reach1pct: m.reach1pct,
          activationSlope: m.activationSlope,
          stepBound: m.stepBound,
          paramGradNorm: m.paramGradNorm,
          sigmaMaxWhh: m.sigmaMaxWhh,
          ...(m.valLoss !== undefined ? { valLoss: m.valLoss, valAccuracy: m.valAccuracy } : {}),
        }),
      );
    } else if ((m.epoch - trainer.firstEpoch) % a.every === 0 || m.epoch === lastEpoch) {
      const held = m.valLoss !== undefined ? `, Val_loss: ${m.valLoss.toFixed(6)}, Val_acc: ${m.valAccuracy!.toFixed(6)}` : '';
      out(formatSeedLine(m, { fullStrings: a.fullStrings }) + held);
    }
  }
  if (a.out !== undefined) writeAtomically(a.out, serializeWeights(trainer.toWeights()));
}

function sampleCommand(a: SampleArgs, out: (line: string) => void): void {
  const w = loadWeights(a.weights);
  out(sample(w, { prefix: a.prefix ?? w.training?.firstChar ?? w.vocab[0], length: a.length, temperature: a.temperature, seed: a.seed }));
}

export function main(argv: string[]): number {
  // Lines go out in batches: one write per line would dominate a fast run's time.
  const buffered: string[] = [];
  const flush = () => {
    if (buffered.length > 0) process.stdout.write(buffered.join('\n') + '\n');
    buffered.length = 0;
  };
  const out = (line: string) => {
    buffered.push(line);
    if (buffered.length >= 256) flush();
  };
  try {
    const args = parseArgs(argv);
    if (args.command === 'help') {
      console.log(USAGE);
      return 0;
    }
    if (args.command === 'train') train(args, out);
    else if (args.command === 'sample') sampleCommand(args, out);
    else {
      const weights = loadWeights(args.weights);
      const text = args.file !== undefined ? readText(args.file, 'text file') : args.text!;
      if (args.command === 'inspect') inspectCommand(args, weights, text, out);
      else gradcheckCommand(args, weights, text, out);
    }
    flush();
    return 0;
  } catch (e) {
    flush();
    if (e instanceof ExitError) {
      process.stderr.write(`rnn-lab: ${e.message}\n`);
      return e.code;
    }
    if (e instanceof UsageError || e instanceof TextError || e instanceof ConfigError || e instanceof WeightsError) {
      process.stderr.write(`rnn-lab: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`rnn-lab: internal error: ${(e as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
