// SigmaMaxSolver against an independent reference: a one-sided Jacobi SVD on plain arrays, which
// works on W itself (no Gram matrix, no tridiagonal form) and is run until every pair of columns is
// orthogonal to machine precision.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SigmaMaxSolver } from '../../../src/core/spectral';
import { JsSigmaMaxSolver } from './loops/spectral';

const TOL = 1e-12;

/** mulberry32 with Box–Muller: a small seeded generator independent of the code under test. */
function normals(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** rows×cols row-major matrix with N(0, 1/n) entries, n = min(rows, cols). */
function gaussian(rows: number, cols: number, seed: number): Float64Array {
  const next = normals(seed);
  const scale = 1 / Math.sqrt(Math.min(rows, cols));
  return Float64Array.from({ length: rows * cols }, () => next() * scale);
}

/** Largest singular value by one-sided (Hestenes) Jacobi: rotate column pairs until all are orthogonal. */
function jacobiSigmaMax(W: Float64Array, rows: number, cols: number): number {
  // Work on the tall orientation so that the columns end up holding the singular values.
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  const u: number[][] = [];
  for (let j = 0; j < n; j++) {
    const col: number[] = [];
    for (let i = 0; i < m; i++) col.push(tall ? W[i * cols + j] : W[j * cols + i]);
    u.push(col);
  }
  let converged = false;
  for (let sweep = 0; sweep < 100 && !converged; sweep++) {
    converged = true;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const up = u[p];
        const uq = u[q];
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          alpha += up[i] * up[i];
          beta += uq[i] * uq[i];
          gamma += up[i] * uq[i];
        }
        if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        converged = false;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const a = up[i];
          const b = uq[i];
          up[i] = c * a - s * b;
          uq[i] = s * a + c * b;
        }
      }
    }
  }
  assert.ok(converged, 'reference Jacobi SVD converged');
  let best = 0;
  for (const col of u) best = Math.max(best, Math.sqrt(col.reduce((acc, x) => acc + x * x, 0)));
  return best;
}

function assertClose(actual: number, expected: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= TOL * Math.abs(expected), `${label}: ${actual} vs ${expected} (rel ${Math.abs(actual - expected) / Math.abs(expected)})`);
}

function checkAgainstReference(W: Float64Array, rows: number, cols: number, label: string): number {
  const s = new SigmaMaxSolver(rows, cols).solve(W);
  assertClose(s, jacobiSigmaMax(W, rows, cols), label);
  return s;
}

/** Apply the reflector I − 2vvᵀ/vᵀv to the n×n matrix M from the left or the right, in place. */
function reflect(M: Float64Array, n: number, v: number[], left: boolean): void {
  const vv = v.reduce((acc, x) => acc + x * x, 0);
  for (let a = 0; a < n; a++) {
    let dot = 0;
    for (let b = 0; b < n; b++) dot += v[b] * (left ? M[b * n + a] : M[a * n + b]);
    const f = (2 * dot) / vv;
    for (let b = 0; b < n; b++) {
      if (left) M[b * n + a] -= f * v[b];
      else M[a * n + b] -= f * v[b];
    }
  }
}

test('random square matrices (20×20 as in the benchmark, and 128×128) match the Jacobi SVD', () => {
  checkAgainstReference(gaussian(20, 20, 1), 20, 20, '20×20');
  checkAgainstReference(gaussian(128, 128, 2), 128, 128, '128×128');
});

test('wide and tall matrices (the LSTM/GRU shapes H×4H, and their transposes) match the Jacobi SVD', () => {
  checkAgainstReference(gaussian(20, 80, 3), 20, 80, '20×80');
  checkAgainstReference(gaussian(80, 20, 4), 80, 20, '80×20');
  checkAgainstReference(gaussian(16, 48, 5), 16, 48, '16×48');
});

test('the smallest shapes, where the reduction has nothing or one row to do', () => {
  for (const [rows, cols] of [[1, 1], [1, 5], [5, 1], [2, 2], [2, 3], [3, 3], [3, 2], [4, 7]]) {
    checkAgainstReference(gaussian(rows, cols, 10 * rows + cols), rows, cols, `${rows}×${cols}`);
  }
});

test('a diagonal matrix whose top two values differ by one part in 1e9', () => {
  const values = [0.5, 2 * (1 - 1e-9), 1.25, 2, 0.01, 1.999];
  const n = values.length;
  const W = new Float64Array(n * n);
  values.forEach((x, i) => (W[i * n + i] = x));
  const s = checkAgainstReference(W, n, n, 'diagonal');
  assertClose(s, 2, 'diagonal vs known value');
});

test('a nearly double top singular value in a rotated basis, past the size where Lanczos was capped', () => {
  // W = Q₁ D Q₂ with Householder products Q₁, Q₂: singular values are D's, the top pair 2 and 2(1 − 1e-9).
  const n = 64;
  const next = normals(77);
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) W[i * n + i] = i === 0 ? 2 : i === 1 ? 2 * (1 - 1e-9) : 1.9 * Math.abs(Math.sin(i));
  for (let k = 0; k < 4; k++) {
    reflect(W, n, Array.from({ length: n }, next), true);
    reflect(W, n, Array.from({ length: n }, next), false);
  }
  const s = checkAgainstReference(W, n, n, 'rotated near-double');
  assertClose(s, 2, 'rotated near-double vs known value');
});

test('an orthogonal matrix (a Householder reflector) has σ_max = 1', () => {
  const n = 20;
  const next = normals(8);
  const v = Array.from({ length: n }, next);
  const vv = v.reduce((acc, x) => acc + x * x, 0);
  const W = Float64Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) === k % n ? 1 : 0) - (2 * v[Math.floor(k / n)] * v[k % n]) / vv);
  const s = checkAgainstReference(W, n, n, 'reflector');
  assertClose(s, 1, 'reflector vs known value');
});

test('a rank-1 matrix u·vᵀ has σ_max = ‖u‖‖v‖', () => {
  const next = normals(9);
  const u = Array.from({ length: 20 }, next);
  const v = Array.from({ length: 30 }, next);
  const W = Float64Array.from({ length: 20 * 30 }, (_, k) => u[Math.floor(k / 30)] * v[k % 30]);
  const norm = (x: number[]) => Math.sqrt(x.reduce((acc, y) => acc + y * y, 0));
  const s = checkAgainstReference(W, 20, 30, 'rank 1');
  assertClose(s, norm(u) * norm(v), 'rank 1 vs ‖u‖‖v‖');
  assertClose(new SigmaMaxSolver(30, 20).solve(Float64Array.from({ length: 30 * 20 }, (_, k) => v[Math.floor(k / 20)] * u[k % 20])), norm(u) * norm(v), 'rank 1 transposed');
});

test('the zero matrix gives 0; a NaN or infinite entry gives NaN', () => {
  assert.equal(new SigmaMaxSolver(20, 20).solve(new Float64Array(400)), 0);
  assert.equal(new SigmaMaxSolver(5, 12).solve(new Float64Array(60)), 0);
  for (const bad of [NaN, Infinity, -Infinity]) {
    const W = gaussian(20, 20, 12);
    W[137] = bad;
    assert.ok(Number.isNaN(new SigmaMaxSolver(20, 20).solve(W)), `entry ${bad}`);
  }
});

test('entries far from 1 neither overflow nor underflow, and a power-of-two scale passes through exactly', () => {
  const W = gaussian(20, 20, 13);
  const solver = new SigmaMaxSolver(20, 20);
  const s = solver.solve(W);
  assert.equal(solver.solve(W.map((x) => x * 2 ** 600)), s * 2 ** 600);
  assertClose(solver.solve(W.map((x) => x * 1e200)), s * 1e200, '×1e200');
  assertClose(solver.solve(W.map((x) => x * 1e-200)), s * 1e-200, '×1e-200');
});

test('the result is a pure function of W: earlier calls on the same solver change no bit', () => {
  for (const [rows, cols] of [[20, 20], [20, 80], [80, 20], [7, 7]]) {
    const A = gaussian(rows, cols, 100 + rows);
    const fresh = new SigmaMaxSolver(rows, cols).solve(A);
    const used = new SigmaMaxSolver(rows, cols);
    used.solve(gaussian(rows, cols, 200 + cols));
    const withNaN = gaussian(rows, cols, 300);
    withNaN[0] = NaN;
    used.solve(withNaN);
    used.solve(gaussian(rows, cols, 400).map((x) => x * 1e150));
    assert.ok(Object.is(used.solve(A), fresh), `${rows}×${cols} after other matrices`);
    assert.ok(Object.is(used.solve(A), fresh), `${rows}×${cols} twice in a row`);
  }
});

test('the WebAssembly stages agree with the JS methods to rounding, square, wide, tall and odd', () => {
  for (const [rows, cols, seed] of [[1, 1, 1], [2, 3, 2], [3, 2, 8], [20, 20, 3], [33, 33, 4], [20, 80, 5], [80, 20, 6], [21, 63, 9], [128, 128, 7]]) {
    const W = gaussian(rows, cols, seed);
    const wasm = new SigmaMaxSolver(rows, cols).solve(W);
    const js = new JsSigmaMaxSolver(rows, cols).solve(W);
    assert.ok(Number.isFinite(wasm) && wasm > 0, `${rows}×${cols}: ${wasm}`);
    assert.ok(Math.abs(wasm - js) <= 1e-14 * js, `${rows}×${cols}: ${wasm} vs ${js}`);
    assert.ok(Math.abs(wasm - jacobiSigmaMax(W, rows, cols)) <= TOL * js, `${rows}×${cols} against the Jacobi reference`);
  }
});
