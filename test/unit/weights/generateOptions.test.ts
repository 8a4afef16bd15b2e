import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, Trainer } from '../../../src/core';
import {
  checkLength,
  checkPrefix,
  checkSeed,
  checkTemperature,
  defaultPrefix,
  parseGenerateArgs,
  parseNumberInput,
} from '../../../src/weights/generateOptions';

const t = new Trainer('hello world', { ...DEFAULT_CONFIG, hiddenSize: 3, epochs: 1 });
const weights = t.toWeights();

test('the default prefix is the training text\'s first character, else the first vocabulary entry', () => {
  assert.equal(defaultPrefix(weights), 'h');
  const { training: _training, ...bare } = weights;
  assert.equal(defaultPrefix(bare), ' ');
  assert.equal(defaultPrefix({ ...weights, training: { epochsDone: 1 } }), ' ');
});

test('a prefix must be non-empty and use only the vocabulary; the message lists what is missing', () => {
  assert.equal(checkPrefix('hello', weights.vocab), undefined);
  assert.match(checkPrefix('', weights.vocab)!, /at least one character/);
  assert.equal(checkPrefix('hex\n', weights.vocab), 'The prefix has characters the model does not know: "x" (U+0078), U+000A.');
});

test('length is a whole number from 1 to 100000', () => {
  for (const ok of [1, 200, 100_000]) assert.equal(checkLength(ok), undefined);
  for (const bad of [0, -1, 1.5, 100_001, NaN, Infinity]) assert.match(checkLength(bad)!, /from 1 to 100000/);
});

test('temperature is a number from 0 to 100', () => {
  for (const ok of [0, 0.001, 1, 100]) assert.equal(checkTemperature(ok), undefined);
  for (const bad of [-0.1, 100.5, NaN, Infinity]) assert.match(checkTemperature(bad)!, /from 0/);
});

test('seed is a whole number from 0 to 2147483647', () => {
  for (const ok of [0, 1, 2_147_483_647]) assert.equal(checkSeed(ok), undefined);
  for (const bad of [-1, 0.5, 2_147_483_648]) assert.match(checkSeed(bad)!, /seed must be/);
});

test('typed numbers: plain decimals only, trimmed; the check decides the range', () => {
  assert.deepEqual(parseNumberInput(' 250 ', checkLength), { ok: true, value: 250 });
  assert.deepEqual(parseNumberInput('1e3', checkLength), { ok: true, value: 1000 });
  assert.deepEqual(parseNumberInput('.5', checkTemperature), { ok: true, value: 0.5 });
  for (const bad of ['', '  ', 'abc', '0x10', 'Infinity', '1,5', '12px']) assert.equal(parseNumberInput(bad, checkLength).ok, false, bad);
  const r = parseNumberInput('0', checkLength);
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error, /from 1 to 100000/);
});

test('the command argument: known fields with the right types only', () => {
  assert.deepEqual(parseGenerateArgs(undefined), { ok: true, value: {} });
  assert.deepEqual(parseGenerateArgs({ weightsUri: '/w.json', prefix: 'h', length: 20, temperature: 0, seed: 3, target: 'insert' }), {
    ok: true,
    value: { weightsUri: '/w.json', prefix: 'h', length: 20, temperature: 0, seed: 3, target: 'insert' },
  });
  const bad: [unknown, RegExp][] = [
    [[1], /must be an object/],
    [{ lenght: 3 }, /unexpected field "lenght"/],
    [{ weightsUri: '' }, /weightsUri/],
    [{ prefix: 3 }, /prefix must be a string/],
    [{ length: '20' }, /length must be a number/],
    [{ length: 0 }, /from 1 to 100000/],
    [{ temperature: 101 }, /temperature/],
    [{ seed: -2 }, /seed/],
    [{ target: 'clipboard' }, /target must be "newEditor" or "insert"/],
  ];
  for (const [arg, message] of bad) {
    const r = parseGenerateArgs(arg);
    assert.equal(r.ok, false, JSON.stringify(arg));
    if (!r.ok) assert.match(r.error, message);
  }
});
