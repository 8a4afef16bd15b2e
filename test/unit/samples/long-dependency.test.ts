// The long-dependency sample is there to show what gates buy: with the default settings the
// LSTM recalls the cue on every long line and the plain RNN does not. This trains both with the
// core exactly as the extension would (planRun switches the 1020-character text to window mode).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Trainer, codePoints, type CellKind, type EpochMetrics } from '../../../src/core';
import { planRun, readSettings } from '../../../src/settings';
import { findSample, SAMPLES_DIR } from '../../../src/host/samples';

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = resolve(dir, '..');
  return dir;
}

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

function train(cell: CellKind): EpochMetrics {
  const read = readSettings(() => undefined);
  assert.ok(read.ok);
  const plan = planRun(text, { ...read.settings, config: { ...read.settings.config, cell } });
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

test('long-dependency sample: with the defaults the LSTM recalls cues 37+ steps back, the RNN does not', { timeout: 900_000 }, () => {
  const recalls = recallPositions();
  const long = recalls.filter((r) => r.gap >= 30);
  assert.equal(long.length, 12, 'twelve lines recall a cue 37, 49 or 61 steps back');
  assert.ok(long.every((r) => r.gap >= 37));
  // The cues are balanced, so a constant guess gets half of the long recalls right.
  const cues = long.map((r) => chars[r.pos]);
  assert.equal(cues.filter((c) => c === 'X').length, 6);

  const lstm = train('lstm');
  const rnn = train('rnn');
  const lstmLong = correct(lstm, long);
  const rnnLong = correct(rnn, long);
  // Printed for the record: the numbers the sample's description is based on.
  console.log(`lstm: loss ${lstm.loss.toFixed(4)}, accuracy ${lstm.accuracy.toFixed(3)}, long recalls ${lstmLong}/${long.length}, all recalls ${correct(lstm, recalls)}/${recalls.length}`);
  console.log(`rnn:  loss ${rnn.loss.toFixed(4)}, accuracy ${rnn.accuracy.toFixed(3)}, long recalls ${rnnLong}/${long.length}, all recalls ${correct(rnn, recalls)}/${recalls.length}`);
  assert.equal(lstmLong, long.length, 'the LSTM gets every long-range recall right');
  assert.ok(rnnLong <= long.length - 4, `the RNN is near chance on the long-range recalls (${rnnLong}/${long.length})`);
});
