import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, type EpochMetrics } from '../../../src/core/types';
import { blockFromEpochs } from '../../../src/shared/epochBlock';
import { MetricsStore } from '../../../src/shared/metricsStore';
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

const m = (epoch: number, predicted: string, extra: Partial<EpochMetrics> = {}): EpochMetrics => ({
  epoch,
  loss: 1.5,
  accuracy: 0.25,
  predicted,
  gradNorm: [1, 2],
  lastLossGradNorm: [0.5, 2],
  paramGradNorm: { W_hh: 0.125 },
  sigmaMaxWhh: 0.9,
  shrinkPerStep: 0.25,
  reach1pct: null,
  ...extra,
});

const store = (...epochs: EpochMetrics[]) => MetricsStore.fromBlock(blockFromEpochs(epochs, 2));

test('CSV has the documented columns, empty cells for nulls, and quotes predictions (quotes, commas, newlines)', () => {
  const csv = metricsCsv(store(m(0, 'a,b'), m(1, 'say "hi"\nthere', { clipped: true, loss: NaN })));
  const lines = csv.split('\r\n');
  assert.equal(lines[0], 'epoch,loss,accuracy,sigmaMaxWhh,shrinkPerStep,reach1pct,clipped,predicted');
  assert.equal(lines[1], '0,1.5,0.25,0.9,0.25,,0,"a,b"');
  assert.equal(lines[2], '1,NaN,0.25,0.9,0.25,,1,"say ""hi""\nthere"');
  assert.equal(lines[3], '');
  assert.equal(metricsCsv(undefined), 'epoch,loss,accuracy,sigmaMaxWhh,clipped,predicted\r\n');
});

test('metrics JSON holds every metric, the derived step shrink, and the run configuration; NaN survives as a string', () => {
  const info = { title: 't', text: 'ab', config: DEFAULT_CONFIG, firstEpoch: 0, steps: 2, stepLabels: ['a', 'b'] };
  const doc = JSON.parse(metricsJson(info, 'done', store(m(0, 'ab'), m(1, 'ab', { sigmaMaxWhh: Infinity }))));
  assert.equal(doc.text, 'ab');
  assert.equal(doc.state, 'done');
  assert.equal(doc.droppedRows, 0);
  assert.deepEqual(doc.config, DEFAULT_CONFIG);
  assert.deepEqual(doc.epochs[0], {
    epoch: 0,
    loss: 1.5,
    accuracy: 0.25,
    sigmaMaxWhh: 0.9,
    shrinkPerStep: 0.25,
    reach1pct: null,
    predicted: 'ab',
    paramGradNorm: { W_hh: 0.125 },
    rowsKept: true,
    gradNorm: [1, 2],
    lastLossGradNorm: [0.5, 2],
    stepShrink: [0.25],
  });
  assert.equal(doc.epochs[1].sigmaMaxWhh, 'Infinity');
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
