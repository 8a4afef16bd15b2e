import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activationIndex, gateSaturation, logIndex, logRange, scaleOf, unitOrder, unitStats } from '../../../webview/activations';

// Three units over four steps (row t = step t): unit 0 constant, unit 1 ±1, unit 2 one spike.
const T = 4;
const H = 3;
const values = Float64Array.from([0.2, 1, 0, 0.2, -1, 0, 0.2, 1, 0.95, 0.2, -1, 0]);

test('unit statistics: variance over time and the fraction of saturated steps', () => {
  const s = unitStats(values, T, H, 'signed');
  assert.ok(Math.abs(s.variance[0]) < 1e-15);
  assert.ok(Math.abs(s.variance[1] - 1) < 1e-15);
  const mean2 = 0.95 / 4;
  assert.ok(Math.abs(s.variance[2] - ((0.95 - mean2) ** 2 + 3 * mean2 ** 2) / 4) < 1e-15);
  assert.deepEqual(Array.from(s.saturation), [0, 1, 0.25]);
});

test('units sort by number, by variance and by saturation, largest first, ties by number', () => {
  assert.deepEqual(unitOrder(values, T, H, 'unit', 'signed'), [0, 1, 2]);
  assert.deepEqual(unitOrder(values, T, H, 'variance', 'signed'), [1, 2, 0]);
  assert.deepEqual(unitOrder(values, T, H, 'saturation', 'signed'), [1, 2, 0]);
  // On the 0…1 scale 0 and 0.2 count differently: 0 is saturated (< 0.1), 0.2 is not.
  assert.deepEqual(unitOrder(Float64Array.from([0.2, 0, 0.5, 0.2, 0, 0.5]), 2, 3, 'saturation', 'unit'), [1, 0, 2]);
});

test('gate saturation: fractions below 0.1 and above 0.9 per unit', () => {
  const g = Float64Array.from([0.05, 0.95, 0.5, 0.05, 0.5, 0.99, 0.5, 0.95, 0.01, 0.05, 0.95, 0.5]);
  const { left, right } = gateSaturation(g, 4, 3);
  assert.deepEqual(Array.from(left), [0.75, 0, 0.25]);
  assert.deepEqual(Array.from(right), [0, 0.75, 0.25]);
});

test('colour scales: h, c, g and n are −1…1, the sigmoid gates 0…1, clipped beyond', () => {
  assert.deepEqual(['h', 'c', 'g', 'n', 'i', 'f', 'o', 'r', 'z'].map(scaleOf), ['signed', 'signed', 'signed', 'signed', 'unit', 'unit', 'unit', 'unit', 'unit']);
  assert.deepEqual([-3, -1, 1, 3].map((v) => activationIndex(v, 'signed')), [0, 0, 255, 255]);
  assert.deepEqual([0, 0.5, 1].map((v) => activationIndex(v, 'unit')), [0, 128, 255]);
});

test('connectivity on a log scale: the range of positive finite values, the ends of the map at its ends', () => {
  const v = [1e-6, 0, Number.NaN, 1e-2, Infinity];
  const r = logRange(v);
  assert.ok(r && Math.abs(r.lo + 6) < 1e-12 && Math.abs(r.hi + 2) < 1e-12);
  assert.deepEqual(v.map((x) => logIndex(x, r!)), [0, -1, -1, 255, -1]);
  assert.equal(logRange([0, Number.NaN]), null);
});
