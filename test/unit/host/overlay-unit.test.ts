// The editor overlay with a unit picked in "Inside the network": the text is coloured by that
// unit's activation (the worker's answer, here the core's own computation), only within the
// inspected window, on the characters it belongs to (CRLF, emoji), with the value in the hover;
// unpicking brings the gradient colours back. A fake worker stands in for the thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Trainer } from '../../../src/core';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/core/types';
import type { WorkerToHost } from '../../../src/shared/protocol';
import { TrainingRun, type RunHooks } from '../../../src/host/run';
import { TextMap } from '../../../src/host/textMap';
import { BUCKETS, activationBucket, bucketOf, rowScale } from '../../../src/host/overlayPaint';
import { EditorOverlay } from '../../../src/panel/editorOverlay';
import { codePoints } from '../../../src/core/vocab';
import { FakeClock } from './fakeClock';
import { FakeWorker } from './fakeWorker';

/** Two CRLF lines with emoji: positions and UTF-16 offsets differ after the first 😀. */
const DOC = 'ab😀c\r\nd😀ef\r\nghab😀cd';
const EPOCHS = 6;

function setup(config: TrainConfig) {
  const trainer = new Trainer(DOC, config);
  while (!trainer.finished) trainer.advance();
  const hooks: RunHooks = { post: () => undefined, log: () => undefined, changed: () => undefined };
  let worker!: FakeWorker;
  const run = TrainingRun.start({ runId: 'r1', title: 't', text: DOC, config, printEvery: 10, notes: [] }, (events) => (worker = new FakeWorker(events)), hooks, { clock: new FakeClock() });
  const steps = config.mode.kind === 'window' ? config.mode.k : codePoints(DOC).length - 1;
  worker.send({ type: 'started', steps, stepLabels: Array.from({ length: steps }, () => 'x'), firstEpoch: 0 } as Exclude<WorkerToHost, { type: 'reply' }>);
  // Rows 1, 2, 3, …: a gradient colouring that differs from any unit's.
  worker.epochs(0, EPOCHS, (epoch) => {
    const row = Array.from({ length: steps }, (_, k) => 10 ** (k / steps));
    return { epoch, loss: 1, accuracy: 0.5, predicted: DOC, gradNorm: row, lastLossGradNorm: row, paramGradNorm: {}, sigmaMaxWhh: 1 };
  });
  worker.answer = (kind, params) => {
    if (kind !== 'unit') return undefined;
    const p = params as { epoch: number; array: string; unit: number; position?: number };
    return { epoch: p.epoch, array: p.array, unit: p.unit, ...trainer.unitValues(p.epoch, p.array, p.unit, p.position) };
  };
  let repaints = 0;
  const map = TextMap.build(DOC, [{ start: 0, end: DOC.length }]);
  const positions: number[] = [];
  const overlay = new EditorOverlay({ run: () => run, postState: () => undefined, repaint: () => repaints++, postPosition: (p) => positions.push(p) }, { uri: 'untitled:x', map });
  return { trainer, run, worker, overlay, map, repaints: () => repaints, positions };
}

const settle = () => new Promise((r) => setImmediate(r));
const whole = [{ start: 0, end: DOC.length }];

/** Document offsets → bucket, from a paint's flat runs, one entry per character (its first unit). */
function bucketsByOffset(buckets: number[][]): Map<number, number> {
  const out = new Map<number, number>();
  buckets.forEach((flat, b) => {
    for (let i = 0; i < flat.length; i += 2) {
      for (let u = flat[i]; u < flat[i + 1]; u++) {
        const c = DOC.charCodeAt(u);
        if (c >= 0xdc00 && c <= 0xdfff) continue; // the second half of an emoji
        out.set(u, b);
      }
    }
  });
  return out;
}

test('a picked unit colours the text by its activation (diverging for h), the hover gives its value, unpicking restores the gradients', async () => {
  const config: TrainConfig = { ...DEFAULT_CONFIG, cell: 'lstm', hiddenSize: 5, epochs: EPOCHS, seed: 3 };
  const { trainer, overlay, map, worker } = setup(config);
  overlay.setPlayhead(4, null);
  overlay.setUnit({ unit: 2, array: 'h', position: 0 });
  await settle();
  assert.deepEqual(worker.asked.filter((a) => a.kind === 'unit').at(-1)?.params, { epoch: 4, array: 'h', unit: 2, position: 0 });
  const p = overlay.paintFor(whole)!;
  assert.equal(p.palette, 'signed', 'h is shown on the diverging scale');
  const want = trainer.inspect(4).h;
  const H = 5;
  const painted = bucketsByOffset(p.buckets);
  const chars = codePoints(DOC);
  let checked = 0;
  for (let pos = 0; pos < chars.length - 1; pos++) {
    const range = map.docRange(pos)!;
    if (chars[pos] === '\r' || chars[pos] === '\n') {
      assert.equal(painted.has(range.start), false, 'line breaks are not painted');
      continue;
    }
    assert.equal(painted.get(range.start), activationBucket(want[pos * H + 2], 'signed'), `position ${pos} (${JSON.stringify(chars[pos])}) has h[2]'s bucket`);
    assert.equal(range.end - range.start, chars[pos].length, 'an emoji is coloured as one character of two units');
    checked++;
  }
  assert.equal(p.coloured, checked);
  assert.ok(new Set(painted.values()).size > 1, 'the unit takes more than one colour, or this proves little');
  // The last character is only a target.
  assert.equal(painted.has(map.docRange(chars.length - 1)!.start), false);

  // A gate is on the 0…1 scale (viridis buckets).
  overlay.setUnit({ unit: 2, array: 'f', position: 0 });
  await settle();
  const f = overlay.paintFor(whole)!;
  assert.equal(f.palette, 'unit');
  const gate = trainer.inspect(4).gates!.f;
  assert.equal(bucketsByOffset(f.buckets).get(map.docRange(3)!.start), activationBucket(gate[3 * H + 2], 'unit'));

  // The hover of 😀 (position 2) names the unit, the step, the character and the value.
  overlay.setUnit({ unit: 2, array: 'h', position: 0 });
  await settle();
  const hover = await overlay.hover(map.docRange(2)!.start, () => false);
  assert.ok(hover);
  assert.match(hover.markdown, new RegExp(`unit 2 · step 2 · \`😀\` · h\\[2\\] = ${want[2 * H + 2].toFixed(4).replace('-', '\\-')} \\(epoch 4\\)`), hover.markdown);

  // The playhead moves: the unit is asked for again, at the new epoch.
  overlay.setPlayhead(1, null);
  await settle();
  const moved = overlay.paintFor(whole)!;
  assert.equal(moved.epoch, 1);
  const at1 = trainer.inspect(1).h;
  assert.equal(bucketsByOffset(moved.buckets).get(map.docRange(7)!.start), activationBucket(at1[7 * H + 2], 'signed'));

  // Unpicked: the gradient colours again.
  overlay.setUnit(null);
  const back = overlay.paintFor(whole)!;
  assert.equal(back.palette, 'gradient');
  const steps = chars.length - 1;
  const row = Array.from({ length: steps }, (_, k) => 10 ** (k / steps));
  assert.equal(bucketsByOffset(back.buckets).get(map.docRange(7)!.start), bucketOf(row[7], rowScale(row)!));
  assert.equal(overlay.snapshot().unit, null);
});

test('window mode: only the inspected window is coloured, by the state that epoch carried into it; the cursor moves the window', async () => {
  const K = 5;
  const config: TrainConfig = { ...DEFAULT_CONFIG, cell: 'gru', hiddenSize: 4, epochs: EPOCHS, mode: { kind: 'window', k: K }, seed: 5 };
  const { trainer, overlay, map, positions } = setup(config);
  overlay.setPlayhead(3, null);
  overlay.setUnit({ unit: 1, array: 'z', position: 7 });
  await settle();
  const p = overlay.paintFor(whole)!;
  const r = trainer.inspect(3, { position: 7 });
  assert.equal(r.start, K, 'position 7 is in the second window');
  assert.ok(r.initialState !== null, 'with the carried state');
  assert.equal(p.start, K);
  assert.equal(p.steps, K);
  const painted = bucketsByOffset(p.buckets);
  const chars = codePoints(DOC);
  for (let pos = 0; pos < chars.length - 1; pos++) {
    const at = map.docRange(pos)!.start;
    const inWindow = pos >= K && pos < 2 * K && chars[pos] !== '\r' && chars[pos] !== '\n';
    if (!inWindow) assert.equal(painted.has(at), false, `position ${pos} is outside the window (or a line break) and not coloured`);
    else assert.equal(painted.get(at), activationBucket(r.gates!.z[(pos - K) * 4 + 1], 'unit'), `position ${pos}`);
  }
  assert.ok(p.coloured > 0 && p.coloured <= K);
  const outside = await overlay.hover(map.docRange(1)!.start, () => false);
  assert.match(outside!.markdown, /unit 1 \(z\[1\]\): not in the inspected window \(characters 5–9\)/);
  assert.deepEqual(overlay.snapshot().unit, { unit: 1, array: 'z', position: 7, epoch: null, start: null, steps: null }, 'before a manager paint the snapshot has no painted steps');

  // The cursor: once per window entered, with the position (the panel then inspects that window).
  overlay.cursorAt(map.docRange(11)!.start);
  overlay.cursorAt(map.docRange(12)!.start);
  overlay.cursorAt(map.docRange(3)!.start);
  overlay.cursorAt(DOC.length + 5);
  assert.deepEqual(positions, [11, 3]);
});

test('activation buckets: −1…1 and 0…1 across BUCKETS, clipped, NaN uncoloured', () => {
  assert.equal(activationBucket(-1, 'signed'), 0);
  assert.equal(activationBucket(0, 'signed'), BUCKETS / 2);
  assert.equal(activationBucket(1, 'signed'), BUCKETS - 1);
  assert.equal(activationBucket(-3, 'signed'), 0, 'a cell state beyond −1 is clipped');
  assert.equal(activationBucket(0.99, 'unit'), BUCKETS - 1);
  assert.equal(activationBucket(0.01, 'unit'), 0);
  assert.equal(activationBucket(NaN, 'unit'), -1);
});
