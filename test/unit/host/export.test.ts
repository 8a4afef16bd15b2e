import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, type EpochMetrics } from '../../../src/core/types';
import { atomicWrite, metricsCsv, metricsFileName, metricsJson, slugify, weightsFileName, type WriteFs } from '../../../src/host/export';

test('file names come from the text and the key settings', () => {
  assert.equal(weightsFileName('Hello World!', { ...DEFAULT_CONFIG }), 'rnn-hello-world-h20-e600.json');
  // A run continued from a 50-epoch file for 20 more is named by the model's 70 epochs.
  assert.equal(weightsFileName('Hello World!', { ...DEFAULT_CONFIG, epochs: 20 }, 70), 'rnn-hello-world-h20-e70.json');
  assert.equal(metricsFileName('Hello World!', { ...DEFAULT_CONFIG, hiddenSize: 64 }, 'csv'), 'rnn-hello-world-h64-e600-metrics.csv');
  assert.equal(slugify('😀😀😀'), 'text');
  assert.equal(slugify('../../etc/passwd'), 'etc-passwd');
  assert.equal(slugify('Crème brûlée'), 'creme-brulee');
});

const m = (epoch: number, predicted: string): EpochMetrics => ({
  epoch,
  loss: 1.5,
  accuracy: 0.25,
  predicted,
  gradNorm: [1],
  lastLossGradNorm: [1],
  paramGradNorm: {},
  sigmaMaxWhh: 0.9,
});

test('CSV has the documented columns and quotes predictions (quotes, commas, newlines)', () => {
  const csv = metricsCsv([m(0, 'a,b'), m(1, 'say "hi"\nthere')]);
  const lines = csv.split('\r\n');
  assert.equal(lines[0], 'epoch,loss,accuracy,sigmaMaxWhh,predicted');
  assert.equal(lines[1], '0,1.5,0.25,0.9,"a,b"');
  assert.equal(lines[2], '1,1.5,0.25,0.9,"say ""hi""\nthere"');
  assert.equal(lines[3], '');
});

test('metrics JSON holds every metric and the run configuration', () => {
  const doc = JSON.parse(metricsJson({ title: 't', chars: ['a', 'b'], config: DEFAULT_CONFIG, firstEpoch: 0, steps: 1, stepLabels: ['a'] }, 'done', [m(0, 'ab')]));
  assert.equal(doc.text, 'ab');
  assert.equal(doc.state, 'done');
  assert.deepEqual(doc.config, DEFAULT_CONFIG);
  assert.deepEqual(doc.epochs, [m(0, 'ab')]);
});

function memoryFs(failRename = false): WriteFs & { files: Map<string, string>; ops: string[] } {
  const files = new Map<string, string>();
  const ops: string[] = [];
  return {
    files,
    ops,
    async writeFile(path, data) {
      ops.push(`write ${path}`);
      files.set(path, new TextDecoder().decode(data));
    },
    async rename(from, to) {
      ops.push(`rename ${from} ${to}`);
      if (failRename) throw new Error('EXDEV');
      files.set(to, files.get(from)!);
      files.delete(from);
    },
    async delete(path) {
      ops.push(`delete ${path}`);
      files.delete(path);
    },
  };
}

test('atomicWrite writes a temporary file in the same folder, then renames it over the target', async () => {
  const fs = memoryFs();
  fs.files.set('/out/w.json', 'old');
  await atomicWrite(fs, '/out/w.json', new TextEncoder().encode('new'), 'u1');
  assert.deepEqual(fs.ops, ['write /out/.w.json.u1.tmp', 'rename /out/.w.json.u1.tmp /out/w.json']);
  assert.deepEqual([...fs.files], [['/out/w.json', 'new']]);
});

test('a failed rename leaves the old file and no temporary file', async () => {
  const fs = memoryFs(true);
  fs.files.set('/out/w.json', 'old');
  await assert.rejects(atomicWrite(fs, '/out/w.json', new TextEncoder().encode('new'), 'u2'), /EXDEV/);
  assert.deepEqual([...fs.files], [['/out/w.json', 'old']]);
});
