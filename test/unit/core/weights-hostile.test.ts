// Weights files built to hurt: counts that stop counting, nesting and sheer numbers of values
// that cost JSON.parse gigabytes, numbers that overflow, names inherited from Object.prototype,
// half characters. Each is refused in one line that names the problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import {
  DEFAULT_CONFIG,
  LimitError,
  MAX_EPOCH_COUNT,
  MAX_JSON_DEPTH,
  MAX_WEIGHTS_BYTES,
  SEED_SENTENCE,
  Trainer,
  WeightsError,
  parseWeights,
  serializeWeights,
  type WeightsFile,
} from '../../../src/core';
import { repoRoot } from '../../support/repoRoot';

const schema = JSON.parse(readFileSync(join(repoRoot(), 'schema', 'weights.schema.json'), 'utf8'));
const validateSchema = new Ajv({ allErrors: true }).compile(schema);

function trained(): WeightsFile {
  const t = new Trainer(SEED_SENTENCE, { ...DEFAULT_CONFIG, epochs: 3, hiddenSize: 4 });
  while (!t.finished) t.runEpoch();
  return t.toWeights();
}
const good = serializeWeights(trained());
const mutate = (f: (w: Record<string, any>) => void): string => {
  const w = JSON.parse(good);
  f(w);
  return JSON.stringify(w);
};

function refused(text: string, pattern: RegExp): string {
  try {
    parseWeights(text);
  } catch (e) {
    assert.ok(e instanceof WeightsError, `expected a WeightsError, got ${String(e)}`);
    assert.doesNotMatch(e.message, /\n/);
    assert.ok(e.message.length < 300, `message of ${e.message.length} characters`);
    assert.match(e.message, pattern);
    return e.message;
  }
  assert.fail(`accepted; expected ${pattern}`);
}

test('defect 1: epochsDone of 2^53 or 1e300 is refused naming MAX_EPOCH_COUNT; the limit itself loads', () => {
  for (const huge of [2 ** 53, 1e300, MAX_EPOCH_COUNT + 1]) {
    const text = mutate((w) => (w.training.epochsDone = huge));
    refused(text, /training\.epochsDone is .*more than the 1,000,000,000 it may count \(MAX_EPOCH_COUNT\)/);
    assert.equal(validateSchema(JSON.parse(text)), false, 'the schema says the same');
  }
  const atLimit = parseWeights(mutate((w) => (w.training.epochsDone = MAX_EPOCH_COUNT)));
  assert.equal(atLimit.training!.epochsDone, MAX_EPOCH_COUNT);
  // Continuing from there would count past it: refused before a single epoch.
  assert.throws(() => new Trainer(SEED_SENTENCE, { ...DEFAULT_CONFIG, epochs: 1 }, atLimit), (e: unknown) => e instanceof LimitError && e.limit === 'MAX_EPOCH_COUNT');
  refused(mutate((w) => (w.optimizerState.step = 2 ** 53)), /optimizerState\.step .*MAX_OPTIMIZER_STEPS/);
  refused(mutate((w) => (w.training.seed = 2 ** 40)), /training\.seed/);
});

test('defect 5: 60 MB of "[" is refused by the pre-scan at depth 65, without JSON.parse\'s gigabytes', () => {
  const brackets = '['.repeat(60 * 1024 * 1024);
  const before = process.memoryUsage().rss;
  refused(brackets, new RegExp(`more than ${MAX_JSON_DEPTH} deep \\(MAX_JSON_DEPTH\\)`));
  const grown = (process.memoryUsage().rss - before) / 1024 / 1024;
  assert.ok(grown < 100, `RSS grew by ${grown.toFixed(0)} MB (JSON.parse took 2.7 GB)`);
  // Depth is measured outside strings only, and a valid file is far from the bound.
  refused(`{"format": "${'['.repeat(1000)}"}`, /not an RNN Lab weights file/);
  refused(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`, /top level must be a JSON object/);
});

test('defect 5: millions of tiny values are refused before parsing: objects, strings, numbers', () => {
  const n = 3_000_000;
  refused(`{"format":"rnn-lab.weights","x":[${'{},'.repeat(n)}{}]}`, /more than 10,000 arrays and objects \(MAX_JSON_CONTAINERS\)/);
  refused(`{"format":"rnn-lab.weights","x":[${'"",'.repeat(n)}""]}`, /strings \(MAX_JSON_STRINGS\)/);
  const zeros = `{"format":"rnn-lab.weights","x":[${'0,'.repeat(9_000_000)}0]}`;
  assert.ok(zeros.length < MAX_WEIGHTS_BYTES);
  refused(zeros, /more than 8,388,608 numbers \(MAX_WEIGHTS_NUMBERS\)/);
  // Many structural characters and no comma for 40 MB: each stretch is searched once, not once per string.
  refused(`{"a":[${'""'.repeat(15_000)}${' '.repeat(40 * 1024 * 1024)}]}`, /^not JSON: /);
  // Escaped quotes do not end a string for the scan.
  const tricky = mutate((w) => (w.training.note = 'a \\" [[[[ {{{{ \\\\'));
  assert.equal(parseWeights(tricky).training!.note, 'a \\" [[[[ {{{{ \\\\');
});

test('defect 7: 1e309 is reported as a number out of range, not as "not a finite number (null)"', () => {
  const text = good.replace(/"W_xh":\{"shape":\[19,4\],"data":\[[^,]+,/, '"W_xh":{"shape":[19,4],"data":[1e309,');
  assert.notEqual(text, good);
  const msg = refused(text, /params\.W_xh\.data\[0\] is not a finite number \(a number out of range \(above 1\.8e308/);
  assert.doesNotMatch(msg, /null/);
  refused(good.replace('"hiddenSize":4', '"hiddenSize":-1e999'), /"hiddenSize" must be .*below -1\.8e308/);
});

test('defect 7: parameter names "constructor" and "toString" are unknown names, not inherited ones', () => {
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    const text = good.replace('"params":{', `"params":{${JSON.stringify(name)}:{"shape":[1],"data":[0]},`);
    refused(text, new RegExp(`unexpected parameter "${name}"`));
  }
});

test('defect 7: a lone surrogate is not a vocabulary entry (loader and schema)', () => {
  for (const lone of ['\ud800', '\udfff', '\udc00']) {
    const text = mutate((w) => (w.vocab[w.vocab.length - 1] = lone));
    refused(text, /vocab\[18\] is a lone surrogate \(U\+D[8-9A-F]00|vocab\[18\] is a lone surrogate \(U\+DFFF\)/);
    assert.equal(validateSchema(JSON.parse(text)), false);
  }
  // A whole surrogate pair is one character and stays fine.
  const emoji = mutate((w) => (w.vocab[w.vocab.length - 1] = '😀'));
  assert.equal(parseWeights(emoji).vocab.at(-1), '😀');
});

test('defect 7: a leading UTF-8 BOM is dropped by the loader (the policy of the CLI and VS Code)', () => {
  assert.deepEqual(parseWeights('\ufeff' + good), parseWeights(good));
});

test('a training text with a lone surrogate is refused: it could not be written and read back', () => {
  assert.throws(() => new Trainer('ab\ud800cd', { ...DEFAULT_CONFIG, epochs: 1 }), /lone surrogate \(U\+D800\)/);
});
