// Fuzzing the weights loader: 2,400 deterministic mutations (sfc32, seed 12) of valid RNN, LSTM and
// GRU files — numbers, shapes, types, nesting, huge integers, strings, keys, raw text. Each one
// either loads and trains one epoch (and samples), or is refused with a one-line WeightsError,
// TextError (LimitError included) or ConfigError. Nothing else may escape, no case may take a
// second, and memory must stay within 200 MB of where it started.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConfigError,
  DEFAULT_CONFIG,
  TextError,
  Trainer,
  WeightsError,
  parseWeights,
  sample,
  serializeWeights,
  type CellKind,
} from '../../../src/core';
import { Rng } from '../../../src/core/rng';

const TEXT = 'hello world! nice to meet you!';
const CASES_PER_CELL = 800;

function base(cell: CellKind): string {
  const t = new Trainer(TEXT, { ...DEFAULT_CONFIG, cell, hiddenSize: 5, epochs: 2, ...(cell === 'rnn' ? { activation: 'relu' as const } : {}) });
  while (!t.finished) t.runEpoch();
  return serializeWeights(t.toWeights());
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const HUGE_INTEGERS = [2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e15, 1e16, 1e300, -1, -(2 ** 53), 1e9, 1e9 + 1];
const ODD_NUMBERS = [0, -0, 1e-320, 5e-324, 1.7976931348623157e308, -1.7976931348623157e308, 0.5, 3, 1e5, 1024, 1025];
const ODD_STRINGS = ['', 'x', 'ab', '\ud800', '\udfff', '😀', '\u0000', 'constructor', '__proto__', 'rnn', 'lstm', 'gru', 'relu', 'tanh', 'adam', 'sgd', '"', '\\', 'a'.repeat(10_000)];
const ODD_KEYS = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'W_xh', 'b_hn', 'extra', '', 'valueOf', 'm', 'v'];

/** Every [container, key] pair of the tree, so a mutation can pick any place. */
function places(root: Json): [Json[] | { [k: string]: Json }, string | number][] {
  const out: [Json[] | { [k: string]: Json }, string | number][] = [];
  const walk = (v: Json) => {
    if (Array.isArray(v)) {
      // Long data arrays: a few entries are enough, and keep the list small.
      const step = Math.max(1, Math.floor(v.length / 6));
      for (let i = 0; i < v.length; i += step) {
        out.push([v, i]);
        walk(v[i]);
      }
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        out.push([v, k]);
        walk(v[k]);
      }
    }
  };
  walk(root);
  return out;
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng.uniform() * items.length)];
}

function randomValue(rng: Rng, depth = 0): Json {
  switch (Math.floor(rng.uniform() * 8)) {
    case 0:
      return pick(rng, HUGE_INTEGERS);
    case 1:
      return pick(rng, ODD_NUMBERS);
    case 2:
      return pick(rng, ODD_STRINGS);
    case 3:
      return null;
    case 4:
      return rng.uniform() < 0.5;
    case 5:
      return depth < 3 ? [randomValue(rng, depth + 1), randomValue(rng, depth + 1)] : [];
    case 6:
      return depth < 3 ? { [pick(rng, ODD_KEYS)]: randomValue(rng, depth + 1) } : {};
    default:
      return (rng.uniform() - 0.5) * 10 ** Math.floor(rng.uniform() * 12 - 4);
  }
}

/** One structural mutation of the parsed file; returns the new text. */
function mutateTree(rng: Rng, text: string): string {
  const w = JSON.parse(text) as Json;
  const spots = places(w);
  const rounds = 1 + Math.floor(rng.uniform() * 3);
  for (let r = 0; r < rounds; r++) {
    const [container, key] = pick(rng, spots);
    const holder = container as Record<string | number, Json>;
    const kind = Math.floor(rng.uniform() * 9);
    if (kind === 0) holder[key] = randomValue(rng);
    else if (kind === 1 && typeof holder[key] === 'number') holder[key] = pick(rng, HUGE_INTEGERS);
    else if (kind === 2 && typeof holder[key] === 'number') holder[key] = (holder[key] as number) * (rng.uniform() < 0.5 ? -1 : 1e200);
    else if (kind === 3 && !Array.isArray(container)) delete holder[key];
    else if (kind === 4 && Array.isArray(holder[key])) (holder[key] as Json[]).pop();
    else if (kind === 5 && Array.isArray(holder[key])) (holder[key] as Json[]).push(randomValue(rng));
    else if (kind === 6 && !Array.isArray(container)) holder[pick(rng, ODD_KEYS)] = randomValue(rng);
    else if (kind === 7) {
      // Nest the value: deep, but under the byte limit.
      const depth = pick(rng, [2, 10, 63, 64, 65, 200, 100_000]);
      holder[key] = JSON.parse('['.repeat(Math.min(depth, 60)) + JSON.stringify(holder[key] ?? 0) + ']'.repeat(Math.min(depth, 60)));
      if (depth > 60) return JSON.stringify(w).replace('"params":', `"params":${'['.repeat(depth)}`);
    } else holder[key] = pick(rng, [...ODD_STRINGS, ...HUGE_INTEGERS]);
  }
  return JSON.stringify(w);
}

/** A mutation of the raw text: bytes the serializer never writes. */
function mutateText(rng: Rng, text: string): string {
  const at = Math.floor(rng.uniform() * text.length);
  switch (Math.floor(rng.uniform() * 7)) {
    case 0:
      return text.slice(0, at); // truncated
    case 1:
      return text.slice(0, at) + pick(rng, ['[', ']', '{', '}', ',', ':', '"', '\\', '1e309', '-1e999', 'NaN', 'Infinity', '\ufeff', '\u0000']) + text.slice(at);
    case 2:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(rng.uniform() * 20));
    case 3:
      return '\ufeff' + text;
    case 4:
      return text.replace(/\d(?=[,\]])/, pick(rng, ['9'.repeat(400), 'e400', 'e-400', '.0e308']));
    case 5: {
      const filler = pick(rng, ['[', '{"a":', '0,', '"",', '{},']);
      return text.slice(0, at) + filler.repeat(Math.floor(rng.uniform() * 300_000)) + text.slice(at);
    }
    default:
      return text.replace(/"(W_xh|W_hh|b_h|W_hy|b_y|m|v)"/, `"${pick(rng, ODD_KEYS)}"`);
  }
}

function oneLine(e: Error): void {
  assert.doesNotMatch(e.message, /\n/, `multi-line message: ${e.message.slice(0, 200)}`);
  assert.ok(e.message.length > 0 && e.message.length < 400, `message of ${e.message.length} characters: ${e.message.slice(0, 200)}`);
}

test('fuzz: 2,400 mutated weights files load and train one epoch, or are refused in one line; none takes a second or 200 MB', () => {
  const rng = new Rng(12);
  const rssStart = process.memoryUsage().rss;
  const outcomes = { trained: 0, refusedOnLoad: 0, refusedOnTrain: 0 };
  let slowest = 0;
  for (const cell of ['rnn', 'lstm', 'gru'] as CellKind[]) {
    const valid = base(cell);
    for (let i = 0; i < CASES_PER_CELL; i++) {
      const text = rng.uniform() < 0.65 ? mutateTree(rng, valid) : mutateText(rng, valid);
      const started = performance.now();
      let weights;
      try {
        weights = parseWeights(text);
      } catch (e) {
        assert.ok(e instanceof WeightsError, `${cell} case ${i}: ${String(e)} escaped the loader`);
        oneLine(e);
        outcomes.refusedOnLoad++;
      }
      if (weights) {
        try {
          const t = new Trainer(TEXT, { ...DEFAULT_CONFIG, epochs: 1 }, weights);
          t.runEpoch();
          // One epoch of a one-epoch run must end it: an epoch count that cannot advance (2^53) never would.
          assert.ok(t.finished, `${cell} case ${i}: one epoch did not finish a one-epoch run (epoch ${t.epochsDone})`);
          sample(weights, { prefix: weights.vocab[0], length: 5, temperature: 1, seed: 1 });
          outcomes.trained++;
        } catch (e) {
          assert.ok(e instanceof TextError || e instanceof ConfigError || e instanceof WeightsError, `${cell} case ${i}: ${String(e)} escaped training`);
          oneLine(e);
          outcomes.refusedOnTrain++;
        }
      }
      const ms = performance.now() - started;
      slowest = Math.max(slowest, ms);
      assert.ok(ms < 1000, `${cell} case ${i} took ${ms.toFixed(0)} ms`);
      if (i % 100 === 0) {
        const grown = (process.memoryUsage().rss - rssStart) / 1024 / 1024;
        assert.ok(grown < 200, `${cell} case ${i}: RSS grew by ${grown.toFixed(0)} MB`);
      }
    }
  }
  // The mutations reach both sides: some files still load and train, most are refused.
  assert.ok(outcomes.trained > 100, JSON.stringify(outcomes));
  assert.ok(outcomes.refusedOnLoad > 1000, JSON.stringify(outcomes));
  console.log(`fuzz outcomes ${JSON.stringify(outcomes)}, slowest case ${slowest.toFixed(1)} ms`);
});
