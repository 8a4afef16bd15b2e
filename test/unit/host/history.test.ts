import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EpochMetrics } from '../../../src/core/types';
import { RunHistory } from '../../../src/host/history';

const m = (epoch: number, steps = 10): EpochMetrics => ({
  epoch,
  loss: 1 / (epoch + 1),
  accuracy: 0.5,
  predicted: 'x'.repeat(steps + 1),
  gradNorm: new Array(steps).fill(1),
  lastLossGradNorm: new Array(steps).fill(2),
  paramGradNorm: { Whh: 1 },
  sigmaMaxWhh: 1,
});

test('within the budget every epoch is kept as received', () => {
  const h = new RunHistory(30, { rowValues: 1000, predictedChars: 1000 });
  const sent = [m(0), m(1), m(2)];
  for (const e of sent) h.push(e);
  assert.deepEqual(h.epochs, sent);
  assert.equal(h.epochs[0], sent[0], 'the same objects, not copies');
});

test('beyond the budget the oldest epochs lose their rows and non-printed predictions, never their scalars', () => {
  const h = new RunHistory(5, { rowValues: 200, predictedChars: 55 });
  const sent: EpochMetrics[] = [];
  for (let e = 0; e < 20; e++) {
    sent.push(m(e));
    h.push(sent[e]);
  }
  assert.equal(h.length, 20);
  assert.deepEqual(h.epochs.map((x) => x.epoch), sent.map((x) => x.epoch));
  assert.deepEqual(h.epochs.map((x) => x.loss), sent.map((x) => x.loss));
  const rows = h.epochs.reduce((n, x) => n + x.gradNorm.length + x.lastLossGradNorm.length, 0);
  assert.ok(rows <= 200, `${rows} row values kept`);
  assert.equal(h.epochs[19].gradNorm.length, 10, 'the newest epochs keep their rows');
  assert.equal(h.epochs[0].gradNorm.length, 0, 'the oldest lose them');
  assert.equal(h.epochs[0].predicted, sent[0].predicted, 'printEvery epochs keep their prediction');
  assert.equal(h.epochs[1].predicted, '', 'other old epochs lose theirs');
  assert.equal(h.epochs[19].predicted, sent[19].predicted);
  assert.equal(sent[0].gradNorm.length, 10, 'trimming replaces entries and never mutates what was received');
});
