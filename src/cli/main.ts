// `rnn-lab`: train the seed's RNN from a terminal, or sample from saved weights.
// Exit codes: 0 ok, 2 bad input (one line on stderr), 3 the run diverged.

import { accessSync, closeSync, constants, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import {
  CLI_WORDING,
  ConfigError,
  FULL_BPTT_MAX_CHARS,
  MAX_TEXT_BYTES,
  MAX_WEIGHTS_BYTES,
  SEED_SENTENCE,
  TextError,
  Trainer,
  Vocabulary,
  WeightsError,
  checkRunLimits,
  codePoints,
  divergenceMessage,
  formatSeedLine,
  parseWeights,
  sample,
  serializeWeights,
  type WeightsFile,
} from '../core';
import { USAGE, UsageError, parseArgs, type SampleArgs, type TrainArgs } from './args';
import { gradcheckCommand, inspectCommand } from './inspectCommands';
import { decodeUtf8, readBounded } from './input';
import { splitsTraining } from '../core/partner';
import { startKernelThread } from '../worker/kernelThread';

class ExitError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function megabytes(bytes: number): number {
  return bytes / 1024 / 1024;
}

function warn(line: string): void {
  process.stderr.write(`rnn-lab: warning: ${line}\n`);
}

function readText(path: string): string {
  const { bytes, over } = readBounded(path, MAX_TEXT_BYTES, 'text file');
  if (over) throw new TextError(`${path}: the text file is larger than ${megabytes(MAX_TEXT_BYTES)} MB (MAX_TEXT_BYTES, the most a training text may take): train on a part of it.`);
  return decodeUtf8(bytes, () => warn(`${path} is not valid UTF-8: its invalid bytes are read as U+FFFD.`));
}

function loadWeights(path: string): WeightsFile {
  const { bytes, over } = readBounded(path, MAX_WEIGHTS_BYTES, 'weights file');
  if (over) throw new WeightsError(`${path}: the file is larger than ${megabytes(MAX_WEIGHTS_BYTES)} MB, the most a weights file may have`);
  let invalid = false;
  const json = decodeUtf8(bytes, () => (invalid = true));
  if (invalid) throw new WeightsError(`${path}: not a text file (it is not valid UTF-8)`);
  try {
    return parseWeights(json);
  } catch (e) {
    if (e instanceof WeightsError) throw new WeightsError(`${path}: ${e.message}`);
    throw e;
  }
}

/** The folder --out writes into must exist and be writable; checked before a single epoch runs. */
function checkOutPath(path: string): void {
  const folder = dirname(resolve(path));
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    throw new UsageError(`--out ${path}: the folder ${folder} does not exist: create it first or write elsewhere`);
  }
  if (!isFolder) throw new UsageError(`--out ${path}: ${folder} is not a folder`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new UsageError(`--out ${path}: the folder ${folder} is not writable: write elsewhere`);
  }
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`--out ${path} is a folder: give a file name`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    // no file yet: that is the usual case
  }
}

/** Temporary files being written; removed if a signal ends the process before they are renamed. */
const pendingTemporaries = new Set<string>();
let signalsHooked = false;

/**
 * A write runs synchronously, so a signal that arrives during it is handled right after: the
 * temporary file is then either renamed already or removed here, and the process ends with the
 * signal's conventional code. Without a listener Node would die mid-write and leave the file.
 */
function hookSignals(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.on(signal, () => {
      for (const tmp of pendingTemporaries) {
        try {
          unlinkSync(tmp);
        } catch {
          // already renamed or never created
        }
      }
      process.exit(code);
    });
  }
}

/** Temporary file + rename, so an interrupted write never leaves half a file under the real name. */
export function writeAtomically(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  hookSignals();
  pendingTemporaries.add(tmp);
  try {
    const fd = openSync(tmp, 'w');
    try {
      const bytes = Buffer.from(text, 'utf8');
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, Math.min(bytes.length - at, 1 << 20));
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean up
    }
    throw new UsageError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  } finally {
    pendingTemporaries.delete(tmp);
  }
}

function train(a: TrainArgs, out: (line: string) => void): void {
  if (a.out !== undefined) checkOutPath(a.out);
  const text = a.file !== undefined ? readText(a.file) : (a.text ?? SEED_SENTENCE);
  const init = a.init !== undefined ? loadWeights(a.init) : undefined;
  const chars = codePoints(text);
  // Every limit, with the CLI's ways out, before a trainer allocates anything.
  checkRunLimits(
    {
      chars: chars.length,
      distinct: init ? init.vocab.length : Vocabulary.fromText(text).size,
      config: init ? { ...a.config, cell: init.cell, activation: init.activation, hiddenSize: init.hiddenSize } : a.config,
      firstEpoch: init?.training?.epochsDone ?? 0,
      fullBpttMaxChars: FULL_BPTT_MAX_CHARS,
      writesWeights: a.out !== undefined,
    },
    CLI_WORDING,
  );
  // A large RNN: its output layer in a second thread (src/core/partner.ts), same numbers.
  const thread = a.threads === 2 && splitsTraining(init?.cell ?? a.config.cell, init?.hiddenSize ?? a.config.hiddenSize) ? startKernelThread() : null;
  try {
    trainEpochs(a, text, init, out);
  } finally {
    void thread?.stop();
  }
}

function trainEpochs(a: TrainArgs, text: string, init: WeightsFile | undefined, out: (line: string) => void): void {
  const trainer = new Trainer(text, a.config, init);
  const lastEpoch = trainer.firstEpoch + a.config.epochs - 1;
  while (!trainer.finished) {
    const m = trainer.runEpoch();
    if (trainer.diverged) throw new ExitError(3, divergenceMessage(m.epoch, m.loss, trainer.divergenceContext(m)));
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
  // One write per line: stdout is synchronous on Linux for files, pipes and terminals, so each
  // line is out before the next epoch runs, and a signal loses none of them.
  const out = (line: string) => {
    process.stdout.write(line + '\n');
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
      const text = args.file !== undefined ? readText(args.file) : args.text!;
      if (args.command === 'inspect') inspectCommand(args, weights, text, out);
      else gradcheckCommand(args, weights, text, out);
    }
    return 0;
  } catch (e) {
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
