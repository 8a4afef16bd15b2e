// The inspection's second thread (src/core/split.ts) on a real worker thread: the LSTM's
// forward and connectivity with W_hh split between two threads give the one-thread bits, the
// split really runs (its partner counts the products), and an inspection after the thread has
// stopped runs alone and still gives them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, Trainer, inspectWeights, serializeWeights, type Inspection } from '../../../src/core';
import { SPLIT_MIN_ENTRIES, productPartner, setProductPartner } from '../../../src/core/split';
import { startProductThread } from '../../../src/worker/productThread';
import { repoRoot } from '../../support/repoRoot';

const dist = join(repoRoot(), 'dist');
const text = 'the cat sat on the mat; the dog sat on the log. '.repeat(5);

/** A trained LSTM (a few epochs, so the gates are not at their initial values). */
function lstm(hiddenSize: number) {
  const trainer = new Trainer(text, { ...DEFAULT_CONFIG, cell: 'lstm', hiddenSize, mode: { kind: 'window', k: 25 }, epochs: 2 });
  while (!trainer.finished) trainer.runEpoch();
  return trainer.toWeights();
}

function assertSameBits(a: Inspection, b: Inspection): void {
  assert.deepEqual(a.h, b.h);
  assert.deepEqual(a.c, b.c);
  assert.deepEqual(a.gates, b.gates);
  assert.deepEqual(a.top, b.top);
  assert.deepEqual(a.targetP, b.targetP);
  assert.equal(a.loss, b.loss);
  assert.deepEqual(a.connectivity, b.connectivity);
}

test('split LSTM inspection gives the one-thread bits, at even and uneven halves', async () => {
  const thread = startProductThread(dist);
  try {
    // H 128: halves of whole SIMD blocks; H 130: C = 260 and R = 64 cut through them.
    for (const H of [128, 130]) {
      assert.ok(H * 4 * H >= SPLIT_MIN_ENTRIES, 'the sizes must be ones the core splits');
      const w = lstm(H);
      const T = [...text].length - 1;
      setProductPartner(null);
      const alone = inspectWeights(w, text, { connectivity: T - 1 });
      setProductPartner(thread.partner);
      const before = thread.partner.products;
      const split = inspectWeights(w, text, { connectivity: T - 1 });
      // One product per forward step, one per backward step but the first.
      assert.equal(thread.partner.products - before, T + (T - 1), `H ${H}: the split path must have run`);
      assertSameBits(split, alone);
      const mid = inspectWeights(w, text, { connectivity: 100 });
      setProductPartner(null);
      assertSameBits(mid, inspectWeights(w, text, { connectivity: 100 }));
    }
  } finally {
    await thread.stop();
  }
  assert.equal(productPartner(), null, 'stop() unsets the partner');
});

test('below SPLIT_MIN_ENTRIES, and for the RNN, the inspection stays in one thread', async () => {
  const thread = startProductThread(dist);
  try {
    const small = lstm(64); // 64 × 256 = 16,384 entries
    const before = thread.partner.products;
    inspectWeights(small, text, { connectivity: 10 });
    const rnn = new Trainer(text, { ...DEFAULT_CONFIG, hiddenSize: 256, mode: { kind: 'window', k: 25 }, epochs: 1 }).toWeights();
    inspectWeights(rnn, text, { connectivity: 10 });
    assert.equal(thread.partner.products, before);
  } finally {
    await thread.stop();
  }
});

test('a partner whose thread has ended is given up: the inspection runs alone, same bits', async () => {
  const w = lstm(128);
  setProductPartner(null);
  const alone = inspectWeights(w, text, { connectivity: 50 });
  const thread = startProductThread(dist);
  const partner = thread.partner;
  await thread.stop();
  // As a host would leave it if the thread died: still set, but no longer usable.
  setProductPartner(partner);
  assert.equal(partner.usable, false);
  assert.equal(productPartner(), null);
  const after = inspectWeights(w, text, { connectivity: 50 });
  assertSameBits(after, alone);
  setProductPartner(null);
});

test('rnn-lab inspect of a large LSTM (split in two threads) prints the one-thread numbers and exits', () => {
  const work = mkdtempSync(join(tmpdir(), 'rnn-lab-split-'));
  try {
    const w = lstm(128);
    const file = join(work, 'lstm128.json');
    writeFileSync(file, serializeWeights(w));
    const r = spawnSync(process.execPath, [join(dist, 'cli.js'), 'inspect', file, '--text', text, '--connectivity', '200'], { encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 26 });
    assert.equal(r.status, 0, r.stderr);
    const printed = JSON.parse(r.stdout) as { h: number[][]; gates: Record<string, number[][]>; connectivity: { values: number[] } };
    setProductPartner(null);
    const alone = inspectWeights(w, text, { connectivity: 200 });
    const H = w.hiddenSize;
    assert.deepEqual(Float64Array.from(printed.h.flat()), alone.h);
    assert.deepEqual(Float64Array.from(printed.gates.f.flat()), alone.gates!.f);
    assert.deepEqual(Float64Array.from(printed.connectivity.values), alone.connectivity!.values);
    assert.equal(printed.h[0].length, H);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
