// The generation worker (dist/sampleWorker.js, built before the unit tests) gives exactly the
// core's sample(), reports the core's errors (in the display language whose bundle the host hands
// over), and can be cancelled mid-way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG, sample, serializeWeights, Trainer } from '../../../src/core';
import { SampleCancelled, startSample } from '../../../src/weights/sampleRunner';
import { repoRoot } from '../../support/repoRoot';

const workerPath = join(repoRoot(), 'dist', 'sampleWorker.js');
const t = new Trainer('hello world! nice to meet you', { ...DEFAULT_CONFIG, cell: 'gru', hiddenSize: 8, epochs: 20 });
while (!t.finished) t.runEpoch();
const weights = t.toWeights();
const json = serializeWeights(weights);

test('the worker returns exactly what sample() returns on this thread', async () => {
  const options = { prefix: 'he', length: 300, temperature: 0.8, seed: 5 };
  const text = await startSample(workerPath, { json, options }).result;
  assert.equal(text, sample(weights, options));
});

test('a core error (unknown prefix character) comes back as the error message', async () => {
  await assert.rejects(startSample(workerPath, { json, options: { prefix: 'Q', length: 3, temperature: 1, seed: 1 } }).result, /does not know: "Q"/);
});

test('with the host\'s Korean bundle handed over, the worker\'s own messages are Korean', async () => {
  const ko = JSON.parse(readFileSync(join(repoRoot(), 'l10n', 'bundle.l10n.ko.json'), 'utf8')) as Record<string, string>;
  const options = { prefix: 'Q', length: 3, temperature: 1, seed: 1 };
  await assert.rejects(startSample(workerPath, { json, options, l10n: ko }).result, (err: Error) => err.message === '접두어에 모델이 모르는 글자가 있습니다: "Q" (U+0051)');
  await assert.rejects(startSample(workerPath, { json, options: { ...options, prefix: '' }, l10n: ko }).result, (err: Error) => err.message === ko['the prefix must have at least one character']);
});

test('cancel ends the thread and rejects with SampleCancelled', async () => {
  const big = new Trainer('abcdefghij', { ...DEFAULT_CONFIG, hiddenSize: 400, epochs: 1 });
  const job = startSample(workerPath, { json: serializeWeights(big.toWeights()), options: { prefix: 'a', length: 100_000, temperature: 1, seed: 1 } });
  setTimeout(() => job.cancel(), 50);
  await assert.rejects(job.result, (err: unknown) => err instanceof SampleCancelled);
});
