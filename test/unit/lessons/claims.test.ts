// Each shipped lesson makes a claim in its text; this runs the lesson with the core, as the
// extension would (its settings over the defaults, its text), and checks the claim on the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Trainer, codePoints, type EpochMetrics, type TrainConfig } from '../../../src/core';
import { compareConfigs } from '../../../src/host/compare';
import { loadLesson } from './support';

function train(text: string, config: TrainConfig): { epochs: EpochMetrics[]; diverged: boolean } {
  const trainer = new Trainer(text, config);
  const epochs: EpochMetrics[] = [];
  while (!trainer.finished) {
    const m = trainer.advance();
    if (!m) continue;
    // A non-finite loss ends a run in the panel (src/core/loop.ts); none of these lessons gets near its other limit, 20·ln V.
    if (!Number.isFinite(m.loss)) return { epochs, diverged: true };
    epochs.push(m);
  }
  return { epochs, diverged: false };
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** The largest jump of the loss above the lowest loss before it (1 = it never went up). */
function worstSpike(epochs: readonly EpochMetrics[]): number {
  let best = Infinity;
  let worst = 1;
  for (const m of epochs) {
    if (best < Infinity) worst = Math.max(worst, m.loss / best);
    best = Math.min(best, m.loss);
  }
  return worst;
}

test('lesson 1 "Gradients vanish": at the last epoch the gradient falls below 1% before reaching the start of the text', () => {
  const { lesson, text, plan } = loadLesson('gradients-vanish');
  assert.equal(text, 'hello world! nice to meet you! i love iron-man');
  assert.equal(plan.config.cell, 'rnn');
  assert.equal(plan.config.activation, 'tanh');
  assert.equal(lesson.view.heatmap, 'lastLossGradNorm');
  const { epochs, diverged } = train(text, plan.config);
  assert.ok(!diverged);
  const last = epochs.at(-1)!;
  assert.equal(last.accuracy, 1, 'the sentence is learned');
  const steps = codePoints(text).length - 1;
  console.log(`lesson 1: reach1pct at epoch ${last.epoch} = ${last.reach1pct} of ${steps} steps, shrink per step ${last.shrinkPerStep?.toFixed(3)}`);
  assert.ok(last.reach1pct !== null && last.reach1pct !== undefined, 'the gradient does fall below 1% of its last-step size');
  assert.ok(last.reach1pct < codePoints(text).length, `reach1pct ${last.reach1pct} is smaller than the text length`);
});

test('lesson 2 "Gradients explode, clipping rescues": without clipping the loss spikes and training fails; with clip 1 it learns', () => {
  const { text, plan } = loadLesson('gradients-explode');
  assert.equal(plan.config.clip, 0, 'the lesson starts without clipping');
  const without = train(text, plan.config);
  const withClip = train(text, { ...plan.config, clip: 1 });
  const spike = worstSpike(without.epochs);
  const endWithout = without.epochs.at(-1);
  const endWith = withClip.epochs.at(-1)!;
  console.log(`lesson 2: without clip ${without.diverged ? 'diverged' : `worst spike ×${spike.toFixed(2)}, final accuracy ${endWithout?.accuracy.toFixed(3)}`}; with clip 1: final loss ${endWith.loss.toFixed(4)}, accuracy ${endWith.accuracy}, ${withClip.epochs.filter((m) => m.clipped).length} epochs clipped`);
  assert.ok(without.diverged || spike >= 2, `without clipping the run diverges or its loss at least doubles (×${spike.toFixed(2)})`);
  assert.ok(without.diverged || endWithout!.accuracy < 0.5, 'and it does not learn the sentence');
  assert.ok(!withClip.diverged && endWith.accuracy === 1, 'with clipping it learns the sentence');
  assert.ok(withClip.epochs.some((m) => m.clipped), 'clipping was needed');
});

test('lesson 3 "Truncated BPTT": K = 5 and full BPTT both learn the sentence, and the heatmap shows the truncation', () => {
  const { text, plan } = loadLesson('truncated-bptt');
  assert.deepEqual(plan.config.mode, { kind: 'truncate', k: 5 });
  const truncated = train(text, plan.config);
  const full = train(text, { ...plan.config, mode: { kind: 'full' } });
  const firstRight = (r: { epochs: EpochMetrics[] }) => r.epochs.find((m) => m.accuracy === 1)?.epoch;
  console.log(`lesson 3: accuracy 1 first at epoch ${firstRight(truncated)} (K = 5) and ${firstRight(full)} (full)`);
  assert.equal(truncated.epochs.at(-1)!.accuracy, 1);
  assert.equal(full.epochs.at(-1)!.accuracy, 1);
  // What the heatmap shows: ‖∂L/∂h_t‖ under truncation is the sum over the outputs t..t+K−1 only, so it differs from full BPTT's.
  const t = truncated.epochs[0].gradNorm;
  const f = full.epochs[0].gradNorm;
  assert.equal(t.at(-1), f.at(-1), 'the last step gets the same gradient either way (same weights at epoch 0)');
  assert.ok(t.some((x, i) => Math.abs(x - f[i]) > 1e-9 * Math.max(1, f[i])), 'earlier steps get less than with full BPTT');
});

test('lesson 4 "Memory": on the long-dependency sample the LSTM gets more long recalls right than the RNN at the lesson\'s seed', () => {
  const { lesson, text, plan } = loadLesson('memory');
  assert.equal(lesson.compare, true);
  const chars = codePoints(text);
  // The recall after each colon, where the line's cue lies 30 or more steps back (see the sample's test).
  const long: number[] = [];
  let lineStart = 0;
  chars.forEach((c, i) => {
    if (i > 0 && chars[i - 1] === ':' && i - lineStart >= 30) long.push(i);
    if (c === '\n') lineStart = i + 1;
  });
  assert.equal(long.length, 12);
  const [rnnConfig, lstmConfig] = compareConfigs(plan.config);
  assert.equal(rnnConfig.cell, 'rnn');
  assert.equal(lstmConfig.cell, 'lstm');
  const right = (config: TrainConfig) => {
    const predicted = codePoints(train(text, config).epochs.at(-1)!.predicted);
    return long.filter((i) => predicted[i] === chars[i]).length;
  };
  const rnn = right(rnnConfig);
  const lstm = right(lstmConfig);
  console.log(`lesson 4: long recalls right after ${plan.config.epochs} epochs (seed ${plan.config.seed}): RNN ${rnn}/12, LSTM ${lstm}/12`);
  assert.ok(lstm > rnn, `LSTM ${lstm} > RNN ${rnn}`);
});

test('lesson 5 "Saturation": the activation slope falls while σ_max(W_hh) grows, and the gradient still vanishes', () => {
  const { lesson, text, plan } = loadLesson('saturation');
  const { epochs, diverged } = train(text, plan.config);
  assert.ok(!diverged);
  const first = epochs[0];
  const last = epochs.at(-1)!;
  const slope0 = mean(first.activationSlope!);
  const slope1 = mean(last.activationSlope!);
  console.log(`lesson 5: mean activation slope ${slope0.toFixed(3)} → ${slope1.toFixed(3)}, σ_max(W_hh) ${first.sigmaMaxWhh.toFixed(3)} → ${last.sigmaMaxWhh.toFixed(3)}, reach1pct ${last.reach1pct}`);
  assert.ok(slope1 < slope0, 'the slope falls');
  assert.ok(last.sigmaMaxWhh > first.sigmaMaxWhh && last.sigmaMaxWhh > 1, 'σ_max(W_hh) grows, above 1');
  // "Less than half of where it started" by the note at epoch 500, as the lesson says.
  const note = lesson.notes.find((n) => n.epoch === 500);
  assert.ok(note, 'the lesson has its note at epoch 500');
  const atNote = mean(epochs.find((m) => m.epoch === 500)!.activationSlope!);
  assert.ok(atNote < slope0 / 2, `the slope at epoch 500 (${atNote.toFixed(3)}) is below half of ${slope0.toFixed(3)}`);
  // "On average the product stays below 1": the gradient still shrinks per step back, and vanishes within the text.
  assert.ok(last.shrinkPerStep! < 1, `shrink per step ${last.shrinkPerStep}`);
  assert.ok(last.reach1pct !== null && last.reach1pct! < codePoints(text).length, 'the gradient vanishes within the text although W_hh is large');
});
