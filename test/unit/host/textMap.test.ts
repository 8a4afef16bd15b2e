import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveTrainingText } from '../../../src/selection';
import { TextMap } from '../../../src/host/textMap';

/** The map a command would build from the document and the editor's selections. */
function mapOf(doc: string, selections: { start: number; end: number }[]) {
  const source = resolveTrainingText(doc, selections);
  return { text: source.text, map: TextMap.build(doc, source.spans) };
}

/** For every code point of the training text: the document text at its mapped range, or null. */
function mapped(doc: string, text: string, map: TextMap): (string | null)[] {
  return Array.from(text, (_c, i) => {
    const r = map.docRange(i);
    return r ? doc.slice(r.start, r.end) : null;
  });
}

test('one selection inside a larger document maps each character to its own offset', () => {
  const doc = 'before\nhello there\nafter';
  const start = doc.indexOf('hello');
  const { text, map } = mapOf(doc, [{ start, end: start + 11 }]);
  assert.equal(text, 'hello there');
  assert.equal(map.length, 11);
  assert.deepEqual(map.docRange(0), { start, end: start + 1 });
  assert.deepEqual(map.docRange(10), { start: start + 10, end: start + 11 });
  assert.equal(map.docRange(11), null);
  assert.deepEqual(mapped(doc, text, map), Array.from(text));
  assert.equal(map.indexAt(start - 1), -1);
  assert.equal(map.indexAt(start + 4), 4);
  assert.equal(map.indexAt(start + 11), -1);
  assert.ok(map.matches(doc, text));
});

test('several selections (made in any order) map around the joining newlines, which map to nothing', () => {
  const doc = 'alpha beta gamma delta';
  const sel = (w: string) => ({ start: doc.indexOf(w), end: doc.indexOf(w) + w.length });
  const { text, map } = mapOf(doc, [sel('gamma'), sel('alpha')]);
  assert.equal(text, 'alpha\ngamma');
  const m = mapped(doc, text, map);
  assert.equal(m[5], null, 'the joining newline has no place in the document');
  assert.deepEqual(m.filter((c) => c !== null).join(''), 'alphagamma');
  assert.equal(map.indexAt(doc.indexOf('gamma')), 6);
  assert.equal(map.indexAt(doc.indexOf('beta')), -1);
  assert.ok(map.matches(doc, text));
});

test('CRLF line ends: \\r and \\n are two characters at two offsets', () => {
  const doc = 'ab\r\ncd\r\nef';
  const { text, map } = mapOf(doc, [{ start: 1, end: 9 }]);
  assert.equal(text, 'b\r\ncd\r\ne');
  assert.deepEqual(mapped(doc, text, map), Array.from(text));
  assert.equal(map.indexAt(doc.indexOf('c')), 3);
  assert.equal(map.indexAt(3), 2, 'the offset of \\n is the third character of the text');
});

test('characters outside the BMP are one index and two UTF-16 units, also after several of them and a tab', () => {
  const doc = 'x😀\ty👍🏽z🎉';
  const { text, map } = mapOf(doc, []);
  const chars = Array.from(text);
  assert.equal(map.length, chars.length);
  assert.deepEqual(mapped(doc, text, map), chars);
  // Both units of an emoji belong to the same character.
  const smile = doc.indexOf('😀');
  assert.equal(map.indexAt(smile), 1);
  assert.equal(map.indexAt(smile + 1), 1);
  assert.equal(map.indexAt(smile + 2), 2, 'the tab after it');
  const z = doc.indexOf('z');
  assert.equal(map.indexAt(z), chars.indexOf('z'));
  // Round trip over every unit of the document.
  for (let u = 0; u < doc.length; u++) {
    const i = map.indexAt(u);
    const r = map.docRange(i)!;
    assert.ok(r.start <= u && u < r.end, `unit ${u} → index ${i} → [${r.start}, ${r.end})`);
  }
});

test('a selection cutting an emoji in half keeps the lone surrogate as one character', () => {
  const doc = 'a😀b';
  const { text, map } = mapOf(doc, [{ start: 0, end: 2 }]);
  assert.equal(text, 'a\ud83d');
  assert.equal(map.length, 2);
  assert.deepEqual(map.docRange(1), { start: 1, end: 2 });
});

test('edits before the trained text move the map; after it leave it; inside it end it', () => {
  const doc = 'head\nhello world\ntail';
  const start = doc.indexOf('hello');
  const { text, map } = mapOf(doc, [{ start, end: start + 11 }]);
  const moved = map.afterEdits([{ offset: 0, length: 4, text: 'HEADER' }])!;
  assert.ok(moved);
  const edited = 'HEADER' + doc.slice(4);
  assert.ok(moved.matches(edited, text));
  assert.equal(moved.indexAt(start + 2), 0);
  // Insertions right before the first or right after the last character do not touch it.
  assert.ok(map.afterEdits([{ offset: start, length: 0, text: '>>' }])?.matches(doc.slice(0, start) + '>>' + doc.slice(start), text));
  assert.strictEqual(map.afterEdits([{ offset: start + 11, length: 0, text: '!' }])?.segments[0].docStart, start);
  // Typing inside, deleting a character, or replacing across the boundary end it.
  assert.equal(map.afterEdits([{ offset: start + 5, length: 0, text: ',' }]), null);
  assert.equal(map.afterEdits([{ offset: start + 10, length: 1, text: '' }]), null);
  assert.equal(map.afterEdits([{ offset: start - 2, length: 3, text: 'x' }]), null);
  // Several changes of one event (multi-cursor typing) are all relative to the text before it.
  const two = map.afterEdits([{ offset: doc.length - 1, length: 0, text: '??' }, { offset: 1, length: 1, text: 'EEE' }])!;
  assert.equal(two.segments[0].docStart, start + 2);
});

test('multi-selection edits: a change between two trained spans moves only the second', () => {
  const doc = 'one two three';
  const sel = (w: string) => ({ start: doc.indexOf(w), end: doc.indexOf(w) + w.length });
  const { text, map } = mapOf(doc, [sel('one'), sel('three')]);
  const after = map.afterEdits([{ offset: doc.indexOf('two'), length: 3, text: 'TWO!' }])!;
  assert.equal(after.segments[0].docStart, 0);
  assert.equal(after.segments[1].docStart, doc.indexOf('three') + 1);
  assert.ok(after.matches('one TWO! three', text));
  assert.equal(map.afterEdits([{ offset: doc.indexOf('three') + 1, length: 1, text: 'H' }]), null);
});

test('matches() notices a document whose trained spans now hold something else', () => {
  const doc = 'abc def';
  const { text, map } = mapOf(doc, [{ start: 4, end: 7 }]);
  assert.ok(map.matches(doc, text));
  assert.ok(!map.matches('abc deF', text));
  assert.ok(!map.matches('abc d', text), 'a shorter document');
  assert.ok(!map.matches(doc, 'xyz'));
});
