import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base64ToBytes, bytesToBase64, decodeTyped, encodeTyped } from '../../../src/shared/base64';

test('base64 agrees with Node for every length and byte value', () => {
  for (let n = 0; n < 40; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 13) & 255);
    const text = bytesToBase64(bytes);
    assert.equal(text, Buffer.from(bytes).toString('base64'));
    assert.deepEqual(base64ToBytes(text), bytes);
  }
});

test('float64 arrays keep every bit, NaN and infinities included', () => {
  const a = Float64Array.from([0, -0, 1 / 3, NaN, Infinity, -Infinity, 5e-324, Number.MAX_VALUE]);
  const b = decodeTyped(encodeTyped(a), Float64Array);
  assert.deepEqual(new Uint8Array(b.buffer), new Uint8Array(a.buffer));
});

test('malformed text is refused', () => {
  assert.throws(() => base64ToBytes('abc'), /multiple of 4/);
  assert.throws(() => base64ToBytes('ab!d'), /invalid base64 character/);
  assert.throws(() => decodeTyped('AAAA', Float64Array), /3 bytes do not divide/);
});
