import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countCodePoints, resolveTrainingText, snippet } from '../../../src/selection';

const doc = 'first line\nsecond line\nthird line';

test('a single selection is used as is, without notes', () => {
  const r = resolveTrainingText(doc, [{ start: 0, end: 5 }]);
  assert.equal(r.text, 'first');
  assert.deepEqual(r.notes, []);
});

test('an empty selection trains on the whole document and says so', () => {
  const r = resolveTrainingText(doc, [{ start: 3, end: 3 }]);
  assert.equal(r.text, doc);
  assert.equal(r.notes.length, 1);
  assert.match(r.notes[0], /whole document/);
  assert.match(r.notes[0], /33 characters/);
});

test('no selections at all also means the whole document', () => {
  assert.equal(resolveTrainingText(doc, []).text, doc);
});

test('several selections are joined in document order by newlines, whatever order they were made in', () => {
  const third = { start: doc.indexOf('third'), end: doc.indexOf('third') + 5 };
  const first = { start: 0, end: 5 };
  const second = { start: doc.indexOf('second'), end: doc.indexOf('second') + 6 };
  const r = resolveTrainingText(doc, [third, first, second]);
  assert.equal(r.text, 'first\nsecond\nthird');
  assert.equal(r.notes.length, 1);
  assert.match(r.notes[0], /3 selections joined in document order/);
});

test('cursors without text are ignored next to real selections; reversed and overlapping ranges are normalised', () => {
  const r = resolveTrainingText(doc, [{ start: 20, end: 20 }, { start: 5, end: 0 }, { start: 3, end: 8 }]);
  assert.equal(r.text, 'first li');
  assert.deepEqual(r.notes, []);
});

test('surrogate pairs survive selection and titles never split them', () => {
  const text = 'ab😀cd🚀ef';
  const r = resolveTrainingText(text, [{ start: 0, end: text.length }]);
  assert.equal(r.text, text);
  assert.equal(countCodePoints(text), 8);
  for (let max = 1; max <= 8; max++) {
    const s = snippet(text, max);
    assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s), `lone surrogate in ${JSON.stringify(s)}`);
  }
  assert.equal(snippet(text, 3), 'ab😀…');
  assert.equal(snippet('👨‍👩‍👧 family', 1), '👨‍👩‍👧…', 'a ZWJ sequence counts as one character');
});

test('titles collapse whitespace and only add an ellipsis when cut', () => {
  assert.equal(snippet('hello\n\n  world', 20), 'hello world');
  assert.equal(snippet('hello world! nice to meet you', 20), 'hello world! nice to…');
});
