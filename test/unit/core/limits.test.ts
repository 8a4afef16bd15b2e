// The limits of src/core/limits.ts: each refuses in one line naming the limit and the way out,
// before anything is allocated, and the weights-file bound really bounds what the writer writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLI_WORDING,
  DEFAULT_CONFIG,
  FULL_BPTT_MAX_CHARS,
  LimitError,
  MAX_DISTINCT_CHARS,
  MAX_EPOCH_COUNT,
  MAX_TEXT_CHARS,
  MAX_WEIGHTS_BYTES,
  SEED_SENTENCE,
  TextError,
  Trainer,
  checkRunLimits,
  checkWeightsFileSize,
  largestHiddenForWeights,
  parseWeights,
  serializeWeights,
  weightsFileBytesBound,
  type CellKind,
  type TrainConfig,
} from '../../../src/core';
import { repoRoot } from '../../support/repoRoot';

const config = (over: Partial<TrainConfig> = {}): TrainConfig => ({ ...DEFAULT_CONFIG, ...over });

function refusal(f: () => unknown): LimitError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof LimitError, `expected a LimitError, got ${String(e)}`);
    assert.ok(e instanceof TextError, 'a LimitError is reported like any bad text');
    assert.doesNotMatch(e.message, /\n/, 'one line');
    return e;
  }
  assert.fail('nothing was refused');
}

test('the CLI\'s full-BPTT bound is the default of rnnLab.longSelectionThreshold', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8'));
  assert.equal(pkg.contributes.configuration.properties['rnnLab.longSelectionThreshold'].default, FULL_BPTT_MAX_CHARS);
});

test('defect 4: full and truncated BPTT past the bound are refused with "use --window K"; window mode passes', () => {
  const run = (mode: TrainConfig['mode'], chars: number) => () => checkRunLimits({ chars, distinct: 30, config: config({ mode }), fullBpttMaxChars: FULL_BPTT_MAX_CHARS }, CLI_WORDING);
  run({ kind: 'full' }, FULL_BPTT_MAX_CHARS)();
  const e = refusal(run({ kind: 'full' }, FULL_BPTT_MAX_CHARS + 1));
  assert.equal(e.limit, 'FULL_BPTT_MAX_CHARS');
  assert.match(e.message, /401 characters, more than the 400 full BPTT .*use --window K/);
  assert.match(refusal(run({ kind: 'truncate', k: 5 }, 1000)).message, /truncated BPTT/);
  run({ kind: 'window', k: 25 }, 1_000_000)();
});

test('defect 4: a 10 MB text, 30,000 distinct characters, a huge full-mode arena: LimitError, never a WebAssembly error', () => {
  const long = refusal(() => checkRunLimits({ chars: 10_000_000, distinct: 50, config: config({ mode: { kind: 'window', k: 25 } }) }));
  assert.equal(long.limit, 'MAX_TEXT_CHARS');
  assert.match(long.message, /10,000,000 characters, more than the 2,000,000/);
  // 90 KB with 30,000 distinct characters, through the trainer itself (what the worker runs).
  const many = Array.from({ length: 30_000 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
  const distinct = refusal(() => new Trainer(many + many + many, config({ mode: { kind: 'window', k: 25 } })));
  assert.equal(distinct.limit, 'MAX_DISTINCT_CHARS');
  assert.match(distinct.message, /30,000 distinct characters, more than the 10,000/);
  // Full mode on 100,000 characters at 1024 units, as an explicit mode in VS Code would ask.
  const text = Array.from({ length: 100_000 }, (_, i) => 'abcdefgh'[(i * 7 + (i >> 3)) % 8]).join('');
  const memory = refusal(() => new Trainer(text, config({ hiddenSize: 1024 })));
  assert.equal(memory.limit, 'MAX_WORKING_BYTES');
  assert.match(memory.message, /working memory .* window mode/);
  assert.ok(MAX_DISTINCT_CHARS < 30_000 && MAX_TEXT_CHARS < 10_000_000);
});

test('defect 1: a run that would count past MAX_EPOCH_COUNT is refused', () => {
  checkRunLimits({ chars: 46, distinct: 19, config: config({ epochs: 600 }), firstEpoch: MAX_EPOCH_COUNT - 600 });
  const e = refusal(() => checkRunLimits({ chars: 46, distinct: 19, config: config({ epochs: 600 }), firstEpoch: MAX_EPOCH_COUNT - 599 }));
  assert.equal(e.limit, 'MAX_EPOCH_COUNT');
  assert.match(e.message, /start a new run/);
});

test('defect 3: the weights-file bound holds for every cell, even for numbers at their longest', () => {
  for (const cell of ['rnn', 'lstm', 'gru'] as CellKind[]) {
    const t = new Trainer(SEED_SENTENCE, config({ cell, hiddenSize: 12, epochs: 3 }));
    while (!t.finished) t.runEpoch();
    const w = t.toWeights();
    const V = w.vocab.length;
    const bound = weightsFileBytesBound(cell, V, 12);
    const real = Buffer.byteLength(serializeWeights(w));
    assert.ok(real <= bound, `${cell}: ${real} > ${bound}`);
    assert.ok(real > 0.5 * bound, `${cell}: the bound ${bound} is far above the file (${real})`);
    // Every number at the longest shortest-round-trip form a double has.
    const worst = -2.2250738585072014e-308;
    for (const p of Object.values(w.params)) p.data = p.data.map(() => worst);
    for (const slot of Object.values(w.optimizerState!.slots)) for (const k of Object.keys(slot)) slot[k] = slot[k].map(() => worst);
    const text = serializeWeights(w);
    assert.ok(Buffer.byteLength(text) <= bound, `${cell} worst case: ${Buffer.byteLength(text)} > ${bound}`);
    assert.equal(parseWeights(text).params.W_hh.data[0], worst);
  }
});

test('defect 3: a model whose file could pass 64 MB is refused, and the hidden size offered fits exactly', () => {
  // The case: a text with ~80 distinct characters at --hidden 1024 wrote 79.7 MB.
  const e = refusal(() => checkWeightsFileSize('rnn', 80, 1024, CLI_WORDING));
  assert.equal(e.limit, 'MAX_WEIGHTS_BYTES');
  const fits = largestHiddenForWeights('rnn', 80);
  assert.match(e.message, new RegExp(`more than the 64\\.0 MB .*use --hidden ${fits} or less\\.$`));
  assert.ok(weightsFileBytesBound('rnn', 80, fits) <= MAX_WEIGHTS_BYTES);
  assert.ok(weightsFileBytesBound('rnn', 80, fits + 1) > MAX_WEIGHTS_BYTES);
  checkWeightsFileSize('rnn', 80, fits);
  // 5,000 distinct characters at 256 units wrote 175 MB: refused when the run writes weights.
  const wide = refusal(() => checkRunLimits({ chars: 20_000, distinct: 5000, config: config({ hiddenSize: 256, mode: { kind: 'window', k: 25 } }), writesWeights: true }));
  assert.equal(wide.limit, 'MAX_WEIGHTS_BYTES');
  checkRunLimits({ chars: 20_000, distinct: 5000, config: config({ hiddenSize: 256, mode: { kind: 'window', k: 25 } }) });
});

test('the README\'s Limits section names every limit of limits.ts', async () => {
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Limits'), readme.indexOf('## The weights file'));
  const limits = await import('../../../src/core/limits');
  const names = Object.keys(limits).filter((k) => /^(MAX|FULL)_/.test(k));
  assert.ok(names.length >= 10, names.join(', '));
  for (const name of names) assert.ok(section.includes(`\`${name}\``), `${name} is not in the README's Limits section`);
});
