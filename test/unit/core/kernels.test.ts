// The WebAssembly SIMD kernels against the plain JS ones (same contract, different summation order).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Arena } from '../../../src/core/wasm/arena';
import * as js from './loops/kernels';
import { Rng } from '../../../src/core/rng';
import { norm2 } from '../../../src/core/param';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/repoRoot';

test('Node runs the WebAssembly kernels (the path every supported runtime takes)', () => {
  const arena = new Arena(16);
  assert.equal(arena.owns(arena.f64(4)), true);
  assert.equal(arena.owns(new Float64Array(4)), false);
});

test('matVec, vecMatAdd and addAtB agree with the JS kernels on awkward sizes, with offsets and aliasing', () => {
  const rng = new Rng(9);
  for (const [rows, cols, T] of [[1, 1, 1], [3, 5, 2], [20, 19, 45], [128, 66, 25], [7, 128, 3], [66, 128, 25], [5, 37, 4], [128, 512, 3]]) {
    const arena = new Arena(rows * cols * 4 + (rows + cols) * (T + 4) * 4 + 4096);
    const fill = (a: Float64Array) => {
      for (let i = 0; i < a.length; i++) a[i] = rng.normal();
      return a;
    };
    const M = fill(arena.f64(rows * cols));
    const x = fill(arena.f64(cols + 3));
    const init = fill(arena.f64(rows + 2));
    const out = arena.f64(rows + 1);
    const expected = new Float64Array(rows + 1);
    arena.kernels.matVec(out, 1, M, rows, cols, x, 3, init, 2);
    js.matVec(expected, 1, M, rows, cols, x, 3, init, 2);
    for (let r = 1; r <= rows; r++) assert.ok(Math.abs(out[r] - expected[r]) <= 1e-12 * (1 + Math.abs(expected[r])), `matVec ${rows}×${cols} row ${r}`);
    // out and init at the same place, as the RNN's recurrence uses it
    const both = fill(arena.f64(rows));
    const bothJs = both.slice();
    arena.kernels.matVec(both, 0, M, rows, cols, x, 0, both, 0);
    js.matVec(bothJs, 0, M, rows, cols, x, 0, bothJs, 0);
    for (let r = 0; r < rows; r++) assert.ok(Math.abs(both[r] - bothJs[r]) <= 1e-12 * (1 + Math.abs(bothJs[r])));

    // x·M for a row vector x (rows entries), added into out at an offset
    const xr = fill(arena.f64(rows + 1));
    const acc = fill(arena.f64(cols + 2));
    const accJs = acc.slice();
    arena.kernels.vecMatAdd(acc, 2, xr, 1, M, rows, cols);
    js.vecMatAdd(accJs, 2, xr, 1, M, rows, cols);
    for (let j = 0; j < cols + 2; j++) assert.ok(Math.abs(acc[j] - accJs[j]) <= 1e-12 * (1 + Math.abs(accJs[j])), `vecMatAdd ${rows}×${cols} column ${j}`);

    const A = fill(arena.f64((T + 1) * rows));
    const B = fill(arena.f64((T + 1) * cols));
    const dW = fill(arena.f64(rows * cols));
    const dWjs = dW.slice();
    arena.kernels.addAtB(dW, A, rows, rows, B, cols, cols, T);
    js.addAtB(dWjs, A, rows, rows, B, cols, cols, T);
    for (let i = 0; i < dW.length; i++) assert.ok(Math.abs(dW[i] - dWjs[i]) <= 1e-12 * (1 + Math.abs(dWjs[i])), `addAtB ${rows}×${cols}×${T} at ${i}`);
  }
});

/** Distance in units in the last place of b; below the smallest normal number the kernels flush to 0. */
function ulps(a: number, b: number): number {
  if (a === b) return 0;
  const spacing = Math.max(2.2250738585072014e-308, Math.abs(b) * Number.EPSILON);
  return Math.abs(a - b) / spacing;
}

test('tanh and sigmoid kernels stay within 4 ulp of Math.tanh and 1/(1 + Math.exp(−x)), specials included', () => {
  const arena = new Arena(600000);
  const xs: number[] = [0, -0, Infinity, -Infinity, 19.06, -19.06, 20, 36, 40, 708, 709, 745, 800, -708, -709, -745, -800, 1e-300, -1e-300, 5e-324];
  for (let i = -120000; i <= 120000; i++) xs.push(i / 4000); // ±30 in steps of 1/4000
  for (let i = 1; i < 2000; i++) xs.push(Math.pow(2, -i / 40), -Math.pow(2, -i / 40)); // down to ~1e-15
  for (const [name, kernel, ref] of [
    ['tanh', arena.kernels.tanh, Math.tanh],
    ['sigmoid', arena.kernels.sigmoid, (x: number) => 1 / (1 + Math.exp(-x))],
  ] as const) {
    const a = arena.f64(xs.length + 1);
    a.set(xs, 1);
    kernel(a, 1, xs.length);
    let worst = 0;
    let at = 0;
    xs.forEach((x, i) => {
      const e = ulps(a[i + 1], ref(x));
      if (e > worst) [worst, at] = [e, x];
    });
    assert.ok(worst <= 4, `${name}: ${worst} ulp at x = ${at}`);
    assert.equal(a[0], 0, `${name} wrote before its range`);
    const specials = arena.f64(2);
    specials.set([NaN, -0]);
    kernel(specials, 0, 2);
    assert.ok(Number.isNaN(specials[0]), `${name}(NaN)`);
    assert.ok(Object.is(specials[1], ref(-0)), `${name}(−0)`);
  }
});

test('the kernel module has no static data: the arena hands out its memory from address 0', () => {
  // AssemblyScript puts lookup tables (its Math.log and Math.exp use them) in a data section
  // placed in the imported memory, where the arena's buffers would overwrite them.
  const bytes = readFileSync(join(repoRoot(), 'src', 'core', 'wasm', 'kernels.wasm'));
  const sections: number[] = [];
  for (let i = 8; i < bytes.length; ) {
    const id = bytes[i++];
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[i++];
      size |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    sections.push(id);
    i += size;
  }
  assert.ok(sections.includes(10), `code section found in ${sections.join(',')}`);
  assert.ok(!sections.includes(11), 'data section present');
});

test('squaredSum agrees with the JS kernel on lengths around its block of eight', () => {
  const rng = new Rng(5);
  const arena = new Arena(4096);
  for (const n of [0, 1, 7, 8, 9, 15, 16, 17, 1000]) {
    const a = arena.f64(n);
    for (let i = 0; i < n; i++) a[i] = rng.normal();
    const expected = js.squaredSum(a);
    assert.ok(Math.abs(arena.kernels.squaredSum(a) - expected) <= 1e-13 * Math.max(1, expected), `n = ${n}`);
  }
});

test('rowNorms gives norm2 of every row, bit for bit', () => {
  const rng = new Rng(6);
  const arena = new Arena(8192);
  for (const [T, H] of [[1, 1], [45, 20], [25, 128], [7, 33]]) {
    const a = arena.f64(T * H);
    for (let i = 0; i < a.length; i++) a[i] = rng.normal();
    const out = arena.f64(T);
    arena.fused!.rowNorms(out, a, T, H);
    for (let t = 0; t < T; t++) assert.equal(out[t], norm2(a, t * H, H), `${T}×${H} row ${t}`);
  }
});
