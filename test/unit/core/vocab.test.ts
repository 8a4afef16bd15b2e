import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Vocabulary, codePoints, checkTrainingText, TextError, Trainer, DEFAULT_CONFIG, validateConfig, ConfigError } from '../../../src/core';
import { distinctCodePoints, forEachCodePoint } from '../../../src/core/vocab';

test('vocabulary: distinct code points sorted by code point, independent of order of appearance', () => {
  assert.deepEqual(Vocabulary.fromText('hello').chars, ['e', 'h', 'l', 'o']);
  assert.deepEqual(Vocabulary.fromText('olleh').chars, ['e', 'h', 'l', 'o']);
});

test('emoji and other non-BMP characters are one character each, not two UTF-16 units', () => {
  const text = 'a😀b😀𝔸';
  assert.deepEqual(codePoints(text), ['a', '😀', 'b', '😀', '𝔸']);
  assert.deepEqual(Vocabulary.fromText(text).chars, ['a', 'b', '𝔸', '😀']); // U+1D538 < U+1F600
  const t = new Trainer(text, { ...DEFAULT_CONFIG, epochs: 3 });
  const m = t.runEpoch();
  assert.equal(m.gradNorm.length, 4);
  assert.equal(codePoints(m.predicted).length, 5);
  assert.equal(codePoints(m.predicted)[0], 'a');
  assert.deepEqual(t.stepLabels, ['a', '😀', 'b', '😀']);
});

test('texts with nothing to learn are refused with a clear message', () => {
  assert.throws(() => checkTrainingText(''), (e: unknown) => e instanceof TextError && /empty/.test(e.message));
  assert.throws(() => checkTrainingText('x'), /only one character/);
  assert.throws(() => checkTrainingText('😀'), /only one character/);
  assert.throws(() => checkTrainingText('aaaa'), /repeats a single character/);
  assert.doesNotThrow(() => checkTrainingText('ab'));
});

test('invalid configurations name the field', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ hiddenSize: 0 }, 'hiddenSize'],
    [{ hiddenSize: 2.5 }, 'hiddenSize'],
    [{ epochs: -1 }, 'epochs'],
    [{ learningRate: 0 }, 'learningRate'],
    [{ learningRate: NaN }, 'learningRate'],
    [{ optimizer: 'lbfgs' }, 'optimizer'],
    [{ activation: 'sigmoid' }, 'activation'],
    [{ clip: -1 }, 'clip'],
    [{ mode: { kind: 'window', k: 0 } }, 'mode.k'],
    [{ mode: { kind: 'sideways' } }, 'mode.kind'],
    [{ seed: -3 }, 'seed'],
  ];
  for (const [patch, field] of cases) {
    assert.throws(
      () => validateConfig({ ...DEFAULT_CONFIG, ...patch }),
      (e: unknown) => e instanceof ConfigError && e.field === field && e.message.startsWith(field),
      JSON.stringify(patch),
    );
  }
  assert.deepEqual(validateConfig({ ...DEFAULT_CONFIG }), { ...DEFAULT_CONFIG });
});

test('the code-point passes agree with Array.from: emoji, CRLF, a lone surrogate, astral characters past the BMP', () => {
  const texts = ['', 'a', 'hello world! nice to meet you! i love iron-man', 'a😀b\r\n😀😀c\u{10FFFF}', 'x\uD800y', '\uDC00\uD83D\uDE00\uD83D'];
  for (const text of texts) {
    const seen: number[] = [];
    forEachCodePoint(text, (cp) => seen.push(cp));
    assert.deepEqual(seen, Array.from(text, (c) => c.codePointAt(0)), JSON.stringify(text));
    const { count, distinct } = distinctCodePoints(text);
    assert.equal(count, Array.from(text).length);
    assert.deepEqual([...distinct].sort((a, b) => a - b), [...new Set(Array.from(text, (c) => c.codePointAt(0)!))].sort((a, b) => a - b));
    if (count === 0) continue;
    const v = Vocabulary.fromText(text);
    assert.deepEqual(Array.from(v.encode(text)), Array.from(text, (c) => v.indexOf(c)));
  }
  assert.throws(() => Vocabulary.fromText('ab').encode('abc'), /"c" is not in the vocabulary/);
  assert.deepEqual(Vocabulary.fromText('ab').missing('a😀bc😀'), ['😀', 'c']);
});
