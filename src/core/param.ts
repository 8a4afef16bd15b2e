// A parameter and its gradient side by side, as in recurrentjs's Mat {w, dw}.

export interface Param {
  /** Name as in the weights file: W_xh, W_hh, W_hy, b_h, b_y. */
  readonly name: string;
  /** Row-major shape; vectors have one dimension. */
  readonly shape: readonly number[];
  readonly w: Float64Array;
  readonly dw: Float64Array;
}

export function makeParam(name: string, shape: number[]): Param {
  const n = shape.reduce((a, b) => a * b, 1);
  return { name, shape, w: new Float64Array(n), dw: new Float64Array(n) };
}

export function zeroGrads(params: readonly Param[]): void {
  for (const p of params) p.dw.fill(0);
}

export function norm2(a: Float64Array, offset = 0, length = a.length - offset): number {
  let s = 0;
  for (let i = offset; i < offset + length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** ‖g‖ over all parameters' gradients together (the norm clipping looks at). */
export function globalGradNorm(params: readonly Param[]): number {
  let s = 0;
  for (const p of params) {
    const g = p.dw;
    for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  }
  return Math.sqrt(s);
}

/**
 * Largest singular value of the rows×cols matrix `m` by power iteration on mᵀm.
 * `v` (length cols) is the starting vector and is left holding the converged direction,
 * so the next epoch starts close to the answer.
 */
export function sigmaMax(m: Float64Array, rows: number, cols: number, v: Float64Array, u: Float64Array): number {
  let vn = norm2(v);
  if (!(vn > 0) || !Number.isFinite(vn)) {
    v.fill(1);
    vn = Math.sqrt(cols);
  }
  for (let j = 0; j < cols; j++) v[j] /= vn;
  let sigma = 0;
  for (let iter = 0; iter < 1000; iter++) {
    // u = m v (rows), then v = mᵀ u (cols)
    for (let i = 0; i < rows; i++) {
      let s = 0;
      const r = i * cols;
      for (let j = 0; j < cols; j++) s += m[r + j] * v[j];
      u[i] = s;
    }
    v.fill(0);
    for (let i = 0; i < rows; i++) {
      const ui = u[i];
      const r = i * cols;
      for (let j = 0; j < cols; j++) v[j] += m[r + j] * ui;
    }
    const n = norm2(v); // = ‖mᵀm v‖ ≈ σ² when v is the top right singular vector
    if (!(n > 0) || !Number.isFinite(n)) return n === 0 ? 0 : NaN;
    for (let j = 0; j < cols; j++) v[j] /= n;
    const next = Math.sqrt(n);
    if (Math.abs(next - sigma) <= 1e-13 * next) return next;
    sigma = next;
  }
  return sigma;
}
