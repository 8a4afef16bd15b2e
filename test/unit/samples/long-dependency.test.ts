// The long-dependency sample is there to show what gates buy: with the default settings the
// LSTM recalls the cue on the long lines and the plain RNN does not. This trains both with the
// core exactly as the extension would (planRun switches the 1380-character text to window mode).
// Long recalls (of 12) at the end of training, seeds 1–3: RNN 12, 5, 4; LSTM 12, 10, 12; GRU 11,
// 11, 12. Whether one RNN run finds the recall is chaotic: rounding the backward's dot products
// differently in the last bit turned seed 1's RNN from 5 into 12, and seeds 4–8 gave it 5, 12, 4,
// 6 and 11 before. So the RNN is judged by its median over seeds 1–3 and the LSTM at the default
// seed; the thresholds leave one miss to the LSTM and two lucky guesses to the RNN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Trainer, codePoints, type CellKind, type EpochMetrics } from '../../../src/core';
import { planRun, readSettings } from '../../../src/settings';
import { findSample, SAMPLES_DIR } from '../../../src/host/samples';
import { repoRoot } from '../../support/repoRoot';

const text = readFileSync(join(repoRoot(), ...SAMPLES_DIR, findSample('long-dependency')!.file), 'utf8');
const chars = codePoints(text);

/** Positions of the recall characters (right after ':') with their distance from the line's cue. */
function recallPositions(): { pos: number; gap: number }[] {
  const out: { pos: number; gap: number }[] = [];
  let lineStart = 0;
  chars.forEach((c, i) => {
    if (i > 0 && chars[i - 1] === ':') out.push({ pos: i, gap: i - lineStart });
    if (c === '\n') lineStart = i + 1;
  });
  return out;
}

function train(cell: CellKind, seed?: number): EpochMetrics {
  const read = readSettings(() => undefined);
  assert.ok(read.ok);
  const config = { ...read.settings.config, cell, ...(seed === undefined ? {} : { seed }) };
  const plan = planRun(text, { ...read.settings, config });
  assert.deepEqual(plan.config.mode, { kind: 'window', k: 25 }, 'the defaults train this text in window mode');
  const trainer = new Trainer(text, plan.config);
  let last: EpochMetrics | undefined;
  while (!trainer.finished) last = trainer.advance() ?? last;
  return last!;
}

function correct(m: EpochMetrics, positions: { pos: number }[]): number {
  const predicted = codePoints(m.predicted);
  return positions.filter(({ pos }) => predicted[pos] === chars[pos]).length;
}

/** The cue (A or B) of the line holding position `pos`. */
function cueOf(pos: number): string {
  let start = pos;
  while (start > 0 && chars[start - 1] !== '\n') start--;
  return chars[start];
}

test('long-dependency sample: with the defaults the LSTM recalls cues 37+ steps back, the RNN does not', { timeout: 900_000 }, () => {
  const recalls = recallPositions();
  const long = recalls.filter((r) => r.gap >= 30);
  assert.equal(long.length, 12, 'twelve lines recall a cue 37, 49 or 61 steps back');
  assert.deepEqual([...new Set(long.map((r) => r.gap))].sort((a, b) => a - b), [37, 49, 61]);
  assert.ok(recalls.every((r) => r.gap >= 30 || r.gap <= 25), 'short gaps are at most K = 25 steps, the window the gradient reaches back');
  assert.ok(recalls.every((r) => chars[r.pos] === (cueOf(r.pos) === 'A' ? 'X' : 'Y')), 'X after A, Y after B');
  // The cues are balanced, so a constant guess gets half of the long recalls right: two X and two Y
  // for each gap, and half of the long lines repeat the previous line's cue, so a memory that is
  // never reset (still holding the last line's cue) is at chance too.
  for (const gap of [37, 49, 61]) {
    assert.equal(long.filter((r) => r.gap === gap && chars[r.pos] === 'X').length, 2, `gap ${gap}`);
  }
  const repeats = long.filter((r) => {
    const lineStart = r.pos - r.gap;
    return lineStart > 0 && cueOf(lineStart - 1) === cueOf(r.pos);
  });
  assert.equal(repeats.length, 6);

  const lstm = train('lstm');
  const lstmLong = correct(lstm, long);
  // Printed for the record: the numbers the sample's description is based on.
  console.log(`lstm: loss ${lstm.loss.toFixed(4)}, accuracy ${lstm.accuracy.toFixed(3)}, long recalls ${lstmLong}/${long.length}, all recalls ${correct(lstm, recalls)}/${recalls.length}`);
  const rnnLong = [1, 2, 3].map((seed) => {
    const rnn = train('rnn', seed);
    const n = correct(rnn, long);
    console.log(`rnn seed ${seed}: loss ${rnn.loss.toFixed(4)}, accuracy ${rnn.accuracy.toFixed(3)}, long recalls ${n}/${long.length}, all recalls ${correct(rnn, recalls)}/${recalls.length}`);
    return n;
  });
  const rnnMedian = [...rnnLong].sort((a, b) => a - b)[1];
  assert.ok(lstmLong >= long.length - 1, `the LSTM gets the long-range recalls right (${lstmLong}/${long.length})`);
  assert.ok(rnnMedian <= long.length / 2 + 2, `the RNN is near chance on the long-range recalls (median of seeds 1–3: ${rnnMedian}/${long.length})`);
});
