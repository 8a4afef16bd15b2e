// The JS kernels the step loops of the test reference run on (they ran in production where
// WebAssembly was missing), written for V8: contiguous inner loops and
// several independent accumulators, because a single running sum makes every multiply-add wait
// for the previous one (the loop is then latency-bound at a fraction of the machine's speed).

/**
 * out[outOff + r] = init[r] (or 0) + Σ_c M[r·cols + c] · x[xOff + c]   for r < rows.
 * M is rows×cols row-major. `init` may be null.
 */
export function matVec(
  out: Float64Array,
  outOff: number,
  M: Float64Array,
  rows: number,
  cols: number,
  x: Float64Array,
  xOff: number,
  init: Float64Array | null,
  initOff: number,
): void {
  const c4 = cols - (cols & 3);
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let c = 0;
    for (; c < c4; c += 4) {
      s0 += M[row + c] * x[xOff + c];
      s1 += M[row + c + 1] * x[xOff + c + 1];
      s2 += M[row + c + 2] * x[xOff + c + 2];
      s3 += M[row + c + 3] * x[xOff + c + 3];
    }
    for (; c < cols; c++) s0 += M[row + c] * x[xOff + c];
    const s = s0 + s1 + (s2 + s3);
    out[outOff + r] = init === null ? s : init[initOff + r] + s;
  }
}

/**
 * dW += Aᵀ·B summed over T rows: dW[i·n + j] += Σ_t A[aOff + t·m + i] · B[bOff + t·n + j].
 * A is T×m, B is T×n, dW is m×n (all row-major). Blocked 2×4 so each loaded value is used twice
 * or four times.
 */
export function addAtB(dW: Float64Array, A: Float64Array, aOff: number, m: number, B: Float64Array, bOff: number, n: number, T: number): void {
  const n4 = n - (n & 3);
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const r0 = i * n;
    const r1 = r0 + n;
    let j = 0;
    for (; j < n4; j += 4) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0; // prettier-ignore
      let b0 = 0, b1 = 0, b2 = 0, b3 = 0; // prettier-ignore
      for (let t = 0; t < T; t++) {
        const x0 = A[aOff + t * m + i];
        const x1 = A[aOff + t * m + i + 1];
        const bj = bOff + t * n + j;
        const y0 = B[bj];
        const y1 = B[bj + 1];
        const y2 = B[bj + 2];
        const y3 = B[bj + 3];
        a0 += x0 * y0;
        a1 += x0 * y1;
        a2 += x0 * y2;
        a3 += x0 * y3;
        b0 += x1 * y0;
        b1 += x1 * y1;
        b2 += x1 * y2;
        b3 += x1 * y3;
      }
      dW[r0 + j] += a0;
      dW[r0 + j + 1] += a1;
      dW[r0 + j + 2] += a2;
      dW[r0 + j + 3] += a3;
      dW[r1 + j] += b0;
      dW[r1 + j + 1] += b1;
      dW[r1 + j + 2] += b2;
      dW[r1 + j + 3] += b3;
    }
    for (; j < n; j++) {
      let a = 0;
      let b = 0;
      for (let t = 0; t < T; t++) {
        const y = B[bOff + t * n + j];
        a += A[aOff + t * m + i] * y;
        b += A[aOff + t * m + i + 1] * y;
      }
      dW[r0 + j] += a;
      dW[r1 + j] += b;
    }
  }
  for (; i < m; i++) {
    const r0 = i * n;
    for (let j = 0; j < n; j++) {
      let a = 0;
      for (let t = 0; t < T; t++) a += A[aOff + t * m + i] * B[bOff + t * n + j];
      dW[r0 + j] += a;
    }
  }
}

/**
 * out[outOff + j] += Σ_i x[xOff + i] · M[i·cols + j]   for j < cols (M rows×cols row-major):
 * a row vector times a matrix, accumulated row by row of M as it lies in memory.
 */
export function vecMatAdd(out: Float64Array, outOff: number, x: Float64Array, xOff: number, M: Float64Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    const xi = x[xOff + i];
    const row = i * cols;
    for (let j = 0; j < cols; j++) out[outOff + j] += xi * M[row + j];
  }
}

/** a[off + j] = tanh(a[off + j]) for j < n. */
export function tanh(a: Float64Array, off: number, n: number): void {
  for (let j = off; j < off + n; j++) a[j] = Math.tanh(a[j]);
}

/** a[off + j] = 1/(1 + exp(−a[off + j])) for j < n. */
export function sigmoid(a: Float64Array, off: number, n: number): void {
  for (let j = off; j < off + n; j++) a[j] = 1 / (1 + Math.exp(-a[j]));
}

export { squaredSum, transpose } from '../../../../src/core/kernels';
