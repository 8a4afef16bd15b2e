// The JS kernels production still uses: Σ a² (the gradient norms and clipping) and a transpose.
// The dense products and activations that served the JS step loops, where V8 needed contiguous
// inner loops and several accumulators, are the tests' reference now (test/unit/core/loops/).

/** out (cols×rows) = Mᵀ for M rows×cols. */
export function transpose(out: Float64Array, M: Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = M[row + c];
  }
}

/** Σ a[i]², with four accumulators so the adds do not wait on each other. */
export function squaredSum(a: Float64Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n4 = a.length - (a.length & 3);
  let i = 0;
  for (; i < n4; i += 4) {
    s0 += a[i] * a[i];
    s1 += a[i + 1] * a[i + 1];
    s2 += a[i + 2] * a[i + 2];
    s3 += a[i + 3] * a[i + 3];
  }
  for (; i < a.length; i++) s0 += a[i] * a[i];
  return s0 + s1 + (s2 + s3);
}
