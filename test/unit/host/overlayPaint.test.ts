import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveTrainingText } from '../../../src/selection';
import { TextMap } from '../../../src/host/textMap';
import { BUCKETS, bucketColor, bucketOf, paint, repaintGap, rowScale, stepOf, type PaintInput } from '../../../src/host/overlayPaint';
import { VIRIDIS, colorIndex } from '../../../src/shared/colormap';

test('bucketOf cuts the heatmap scale into BUCKETS equal parts and clamps outside it', () => {
  const scale = { lo: -4, hi: 0 };
  assert.equal(bucketOf(1e-4, scale), 0);
  assert.equal(bucketOf(1e-9, scale), 0, 'below the scale');
  assert.equal(bucketOf(1, scale), BUCKETS - 1, 'the top of the scale');
  assert.equal(bucketOf(1e3, scale), BUCKETS - 1, 'above it');
  // log10 = −2 is the middle: the first bucket of the upper half.
  assert.equal(bucketOf(1e-2, scale), BUCKETS / 2);
  assert.equal(bucketOf(10 ** (-4 + 4 * (3 / BUCKETS) + 1e-9), scale), 3);
  assert.equal(bucketOf(10 ** (-4 + 4 * (3 / BUCKETS) - 1e-9), scale), 2);
  for (const v of [0, -1, NaN, Infinity]) assert.equal(bucketOf(v, scale), -1, `no colour for ${v}`);
  assert.equal(bucketOf(5, { lo: 1, hi: 1 }), BUCKETS / 2, 'a flat scale sits in the middle, as on the heatmap');
});

test('every bucket has the heatmap colour of its middle, darkest first', () => {
  const scale = { lo: 0, hi: 1 };
  for (let b = 0; b < BUCKETS; b++) {
    const mid = (b + 0.5) / BUCKETS;
    assert.equal(bucketOf(10 ** mid, scale), b);
    assert.deepEqual(bucketColor(b), VIRIDIS[colorIndex(mid, 0, 1)]);
  }
  assert.notDeepEqual(bucketColor(0), bucketColor(BUCKETS - 1));
});

test('rowScale is the log10 range of the positive finite entries', () => {
  assert.deepEqual(rowScale([0.001, 0, NaN, 10, Infinity]), { lo: -3, hi: 1 });
  assert.equal(rowScale([0, NaN]), null);
});

test('stepOf: position p is step p in full mode, p mod K in window mode, nothing past the last input', () => {
  assert.equal(stepOf(3, { positions: 5, window: null }), 3);
  assert.equal(stepOf(5, { positions: 5, window: null }), -1, 'the last character is only a target');
  assert.equal(stepOf(7, { positions: 10, window: 3 }), 1);
  assert.equal(stepOf(-1, { positions: 10, window: 3 }), -1);
});

function setup(doc: string, selections: { start: number; end: number }[]) {
  const source = resolveTrainingText(doc, selections);
  const map = TextMap.build(doc, source.spans);
  const positions = map.length - 1;
  return { text: source.text, map, positions };
}

/** Every painted character as [document text, bucket]. */
function colouredChars(doc: string, p: ReturnType<typeof paint>): [string, number][] {
  const out: [number, string, number][] = [];
  p.buckets.forEach((runs, b) => {
    for (let i = 0; i < runs.length; i += 2) {
      for (const c of Array.from(doc.slice(runs[i], runs[i + 1]))) out.push([runs[i], c, b]);
    }
  });
  return out.sort((x, y) => x[0] - y[0]).map(([, c, b]) => [c, b]);
}

test('paint colours each input character by its step, merges neighbours of one bucket, and skips line breaks', () => {
  const doc = 'ab\r\ncd';
  const { text, map, positions } = setup(doc, []);
  // Steps 0..4 (inputs a, b, \r, \n, c); d is only a target.
  const row = [1, 1, 1e-3, 1e-3, 1e-3];
  const input: PaintInput = { map, text, layout: { positions, window: null }, row, scale: { lo: -3, hi: 0 }, predicted: null, visible: [{ start: 0, end: doc.length }] };
  const p = paint(input);
  assert.equal(p.coloured, 3, 'a, b and c');
  assert.deepEqual(p.buckets[BUCKETS - 1], [0, 2], 'a and b: one run');
  assert.deepEqual(p.buckets[0], [4, 5], 'c alone; the CRLF between is not painted');
  assert.deepEqual(p.wrong, []);
});

test('paint underlines characters the epoch predicted wrongly, in code points (emoji in text and prediction)', () => {
  const doc = 'x😀yz';
  const { text, map, positions } = setup(doc, []);
  // Prediction: first character given, then step 0 predicts 😀 (right), step 1 predicts 🎉 for y (wrong), step 2 predicts z (right).
  const predicted = 'x😀🎉z';
  const p = paint({ map, text, layout: { positions, window: null }, row: [1, 1, 1], scale: { lo: 0, hi: 0 }, predicted, visible: [{ start: 0, end: doc.length }] });
  assert.equal(p.underlined, 1);
  assert.deepEqual(p.wrong, [doc.indexOf('y'), doc.indexOf('y') + 1]);
  assert.deepEqual(colouredChars(doc, p), [['x', BUCKETS / 2], ['😀', BUCKETS / 2], ['y', BUCKETS / 2]]);
});

test('paint colours only what is in view, inside the trained spans, and stops at maxChars', () => {
  const doc = 'skip ' + 'abcdefghij'.repeat(10) + ' skip';
  const start = 5;
  const { text, map, positions } = setup(doc, [{ start, end: start + 100 }]);
  const row = Array.from({ length: positions }, (_, i) => 10 ** (-i / 10));
  const base = { map, text, layout: { positions, window: null }, row, scale: { lo: -10, hi: 0 }, predicted: null };
  const inView = paint({ ...base, visible: [{ start: 0, end: start + 20 }, { start: start + 50, end: start + 60 }, { start: start + 55, end: start + 62 }] });
  assert.equal(inView.coloured, 20 + 12, 'two windows, the overlapping ones merged');
  const capped = paint({ ...base, visible: [{ start: 0, end: doc.length }], maxChars: 7 });
  assert.equal(capped.coloured, 7);
  const all = colouredChars(doc, paint({ ...base, visible: [{ start: 0, end: doc.length }] }));
  assert.equal(all.length, 99, 'every input; the last character is only a target');
  // The colour falls with the gradient going back… here the row falls with t, so buckets fall too.
  for (let i = 1; i < all.length; i++) assert.ok(all[i][1] <= all[i - 1][1]);
});

test('window mode colours position p with the row entry p mod K', () => {
  const doc = 'abcdefg';
  const { text, map, positions } = setup(doc, []);
  const row = [1, 1e-1, 1e-2];
  const p = paint({ map, text, layout: { positions, window: 3 }, row, scale: { lo: -2, hi: 0 }, predicted: null, visible: [{ start: 0, end: doc.length }] });
  assert.deepEqual(colouredChars(doc, p).map(([, b]) => b), [15, 8, 0, 15, 8, 0]);
});

test('several selections: only the selected spans are painted, each with its own positions', () => {
  const doc = 'AAA bbb CCC';
  const { text, map, positions } = setup(doc, [{ start: 8, end: 11 }, { start: 0, end: 3 }]);
  assert.equal(text, 'AAA\nCCC');
  const row = [1, 1, 1, 1e-6, 1e-6, 1e-6];
  const p = paint({ map, text, layout: { positions, window: null }, row, scale: { lo: -6, hi: 0 }, predicted: 'AAA\nCXC', visible: [{ start: 0, end: doc.length }] });
  assert.deepEqual(p.buckets[BUCKETS - 1], [0, 3]);
  assert.deepEqual(p.buckets[0], [8, 10], 'C, C (position 4, 5); the last C is only a target');
  assert.deepEqual(p.wrong, [9, 10]);
});

test('repaints are spaced by what they cost the workbench: ten a second for a sentence, about one for a screen of text', () => {
  assert.equal(repaintGap(45), 111);
  assert.equal(repaintGap(4000), 1100);
  assert.equal(repaintGap(1_000_000), 1500, 'capped: the colours still follow the playhead');
  assert.ok(repaintGap(0) === 100);
});
