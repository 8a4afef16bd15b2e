// The seed-style progress line: the whole line for short predictions, the first 80 code points
// and "…" for long ones unless the caller asks for the full string.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SEED_LINE_MAX_CHARS, formatSeedLine } from '../../../src/core';

const m = (predicted: string) => ({ epoch: 30, loss: 1.2345674, accuracy: 0.5, predicted });
const shown = (line: string) => /Test_string: "(.*)"$/su.exec(line)![1];

test('a prediction of up to 80 characters is printed whole, in the seed\'s format', () => {
  assert.equal(SEED_LINE_MAX_CHARS, 80);
  assert.equal(formatSeedLine(m('hello')), '#30, Loss: 1.234567, Acc: 0.500000, Test_string: "hello"');
  const eighty = 'ab'.repeat(40);
  assert.equal(shown(formatSeedLine(m(eighty))), eighty);
});

test('a longer prediction is cut to its first 80 characters plus "…"; fullStrings keeps it whole', () => {
  const long = Array.from({ length: 20_000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
  const line = formatSeedLine(m(long));
  assert.equal(shown(line), long.slice(0, 80) + '…');
  assert.equal(line.length, '#30, Loss: 1.234567, Acc: 0.500000, Test_string: ""'.length + 81, `line is ${line.length} characters`);
  assert.equal(shown(formatSeedLine(m(long.slice(0, 81)))), long.slice(0, 80) + '…');
  assert.equal(shown(formatSeedLine(m(long), { fullStrings: true })), long);
  assert.equal(shown(formatSeedLine(m(long), { fullStrings: false })), long.slice(0, 80) + '…');
});

test('the cut counts code points: an emoji is one character and is never split', () => {
  const emoji = '😀'.repeat(100); // 200 UTF-16 units
  assert.equal(shown(formatSeedLine(m(emoji))), '😀'.repeat(80) + '…');
  // 80 emoji are 160 units but 80 characters: nothing to cut.
  assert.equal(shown(formatSeedLine(m('😀'.repeat(80)))), '😀'.repeat(80));
  // Odd offsets: a cut by UTF-16 units would end inside a surrogate pair.
  assert.equal(shown(formatSeedLine(m('x' + '😀'.repeat(80)))), 'x' + '😀'.repeat(79) + '…');
  assert.equal(shown(formatSeedLine(m('x' + '😀'.repeat(78) + 'yz'))), 'x' + '😀'.repeat(78) + 'y…');
});
