// The WebAssembly SIMD kernels against the plain JS ones (same contract, different summation order).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Arena } from '../../../src/core/wasm/arena';
import * as js from '../../../src/core/kernels';
import { Rng } from '../../../src/core/rng';

test('Node runs the WebAssembly kernels (the path every supported runtime takes)', () => {
  assert.equal(new Arena(16).usesWasm, true);
});

test('matVec and addAtB agree with the JS kernels on awkward sizes, with offsets and aliasing', () => {
  const rng = new Rng(9);
  for (const [rows, cols, T] of [[1, 1, 1], [3, 5, 2], [20, 19, 45], [128, 66, 25], [7, 128, 3], [66, 128, 25]]) {
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

    const A = fill(arena.f64((T + 1) * rows));
    const B = fill(arena.f64((T + 1) * cols));
    const dW = fill(arena.f64(rows * cols));
    const dWjs = dW.slice();
    arena.kernels.addAtB(dW, A, rows, rows, B, cols, cols, T);
    js.addAtB(dWjs, A, rows, rows, B, cols, cols, T);
    for (let i = 0; i < dW.length; i++) assert.ok(Math.abs(dW[i] - dWjs[i]) <= 1e-12 * (1 + Math.abs(dWjs[i])), `addAtB ${rows}×${cols}×${T} at ${i}`);
  }
});
