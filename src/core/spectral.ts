// σ_max(W) as √λ_max of the smaller Gram matrix (WᵀW or WWᵀ), by a direct method: Householder
// reduction of the Gram matrix to tridiagonal form, then Laguerre steps inside a Sturm-count bracket
// for the tridiagonal's top eigenvalue.
// Power iteration was the first choice but needs hundreds of steps when the top two singular values
// are close (as they are for W_hh), and its answer then depended on where it started. Lanczos from a
// fixed start fixed both, but its full reorthogonalisation and repeated convergence checks made it
// ~30% of a training epoch, and past 40×40 its step cap cost digits when the top two were within ~1e-4.
// The reduction does a fixed ~n²m/2 + 2n³/3 multiply-adds with no start vector and no convergence test,
// and is backward stable, so λ_max comes out exact to rounding even when it is nearly double; it is
// about 6× cheaper than the Lanczos run at 20×20 and 2× at 128×128.
// The value is a pure function of W: every buffer is rewritten before it is read, so no call sees
// another's data. With WebAssembly the Gram product and the reduction run there with SIMD (three
// to four times faster at 20×20); their dot products add in a different order from the JS methods
// below, which run without WebAssembly, so the two agree to rounding rather than bit for bit.

import { Arena, type FusedKernels } from './wasm/arena';

export class SigmaMaxSolver {
  /** Owns the buffers below; with WebAssembly the two O(n³) stages run there, with SIMD. */
  private readonly arena: Arena;
  private readonly fused: FusedKernels | null;
  /** More columns than rows: work with WWᵀ. */
  private readonly wide: boolean;
  /** Order of the Gram matrix: min(rows, cols). */
  private readonly n: number;
  /** Length of the Gram matrix's defining vectors: max(rows, cols). */
  private readonly m: number;
  /** W or Wᵀ, whichever is n×m, scaled by a power of two. */
  private readonly B: Float64Array;
  /** Gram matrix n×n; only the upper triangle is used. */
  private readonly A: Float64Array;
  /** Tridiagonal: diagonal d[0..n), squared off-diagonal e2[0..n−1). */
  private readonly d: Float64Array;
  private readonly e2: Float64Array;
  /** Householder vectors and the p / w vectors of the rank-2 update, for this step and the last. */
  private readonly v: Float64Array;
  private readonly w: Float64Array;
  private readonly vPrev: Float64Array;
  private readonly wPrev: Float64Array;

  constructor(
    private readonly rows: number,
    private readonly cols: number,
  ) {
    this.wide = cols > rows;
    const n = (this.n = Math.min(rows, cols));
    this.m = Math.max(rows, cols);
    this.arena = new Arena(n * this.m + n * n + 6 * n + 16);
    this.fused = this.arena.fused;
    const f64 = (k: number) => this.arena.f64(k);
    this.B = f64(n * this.m);
    this.A = f64(n * n);
    this.d = f64(n);
    this.e2 = f64(n);
    this.v = f64(n);
    this.w = f64(n);
    this.vPrev = f64(n);
    this.wPrev = f64(n);
  }

  /** Largest singular value of the rows×cols row-major matrix W; NaN if W has a non-finite entry. */
  solve(W: Float64Array): number {
    const { rows, cols, n } = this;
    if (n === 0) return 0;
    let big = 0;
    const size = rows * cols;
    for (let i = 0; i < size; i++) {
      const a = Math.abs(W[i]);
      if (a > big) big = a;
      else if (!(a <= big)) return NaN;
    }
    if (big === Infinity) return NaN;
    if (big === 0) return 0;
    // Scale by a power of two (exact) so the largest entry is near 1: the Gram matrix holds squares and
    // the Householder norms squares of those, which would overflow or underflow for |w| beyond ~1e±75.
    const exponent = Math.max(-1020, Math.min(1020, Math.floor(Math.log2(big))));
    this.load(W, 2 ** -exponent);
    if (this.fused) {
      this.fused.sigmaGram(this.A, this.B, n, this.m);
      this.fused.sigmaTridiagonalise(this.A, this.d, this.e2, this.v, this.w, this.vPrev, this.wPrev, n);
    } else {
      this.gram();
      this.tridiagonalise();
    }
    return Math.sqrt(largestEigenvalue(this.d, this.e2, n)) * 2 ** exponent;
  }

  /** B = f·W, or f·Wᵀ when W is tall, so that the Gram entries are dot products of contiguous rows. */
  private load(W: Float64Array, f: number): void {
    const { B, rows, cols } = this;
    if (this.wide || rows === cols) {
      for (let i = 0; i < rows * cols; i++) B[i] = W[i] * f;
    } else {
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) B[c * rows + r] = W[r * cols + c] * f;
      }
    }
  }

  /** Upper triangle of A = BBᵀ, two rows by two rows: four dot products share each pair of loads. */
  private gram(): void {
    const { A, B, n, m } = this;
    for (let i = 0; i < n; i += 2) {
      const b0 = i * m;
      if (i + 1 === n) {
        let s = 0;
        for (let c = 0; c < m; c++) s += B[b0 + c] * B[b0 + c];
        A[i * n + i] = s;
        break;
      }
      const b1 = b0 + m;
      for (let j = i; j < n; j += 2) {
        const c0 = j * m;
        if (j + 1 === n) {
          let s0 = 0;
          let s1 = 0;
          for (let c = 0; c < m; c++) {
            const y = B[c0 + c];
            s0 += B[b0 + c] * y;
            s1 += B[b1 + c] * y;
          }
          A[i * n + j] = s0;
          A[(i + 1) * n + j] = s1;
          break;
        }
        const c1 = c0 + m;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let c = 0; c < m; c++) {
          const x0 = B[b0 + c];
          const x1 = B[b1 + c];
          const y0 = B[c0 + c];
          const y1 = B[c1 + c];
          s00 += x0 * y0;
          s01 += x0 * y1;
          s10 += x1 * y0;
          s11 += x1 * y1;
        }
        // On the diagonal block s10 lands below the diagonal, which nothing reads.
        A[i * n + j] = s00;
        A[i * n + j + 1] = s01;
        A[(i + 1) * n + j] = s10;
        A[(i + 1) * n + j + 1] = s11;
      }
    }
  }

  /**
   * Householder reduction of the symmetric A (upper triangle) to tridiagonal d, e² without
   * accumulating the reflections: only the eigenvalues are wanted. Reflector k maps row k's part
   * right of the diagonal onto its first entry; the trailing block then takes the rank-2 update
   * A ← A − vwᵀ − wvᵀ with w = p − ½β(pᵀv)v, p = βAv (Golub & Van Loan 8.3.1). Each pass over the
   * trailing block applies the previous reflector's update and, on the freshly updated entries, forms
   * the product Av for the current one, so the block is read once per step rather than twice.
   */
  private tridiagonalise(): void {
    const { A, d, e2, n } = this;
    let { v, w, vPrev, wPrev } = this;
    vPrev.fill(0);
    wPrev.fill(0);
    for (let k = 0; k < n - 2; k++) {
      const row = k * n;
      const k1 = k + 1;
      // Row k still lacks the previous reflector's update.
      {
        const vk = vPrev[k];
        const wk = wPrev[k];
        for (let j = k; j < n; j++) A[row + j] -= vk * wPrev[j] + wk * vPrev[j];
      }
      d[k] = A[row + k];
      let ss = 0;
      for (let j = k1; j < n; j++) ss += A[row + j] * A[row + j];
      e2[k] = ss;
      const x0 = A[row + k1];
      // Reflect onto −sign(x₀)‖x‖ so that v₀ = x₀ − α does not cancel.
      const alpha = x0 >= 0 ? -Math.sqrt(ss) : Math.sqrt(ss);
      v[k1] = x0 - alpha;
      for (let j = k1 + 1; j < n; j++) v[j] = A[row + j];
      // 2 / vᵀv, since vᵀv = 2(‖x‖² − αx₀); a zero row needs no reflector, and v = 0 makes it none.
      const beta = ss === 0 ? 0 : 1 / (ss - alpha * x0);
      if (ss === 0) v[k1] = 0;
      for (let i = k1; i < n; i++) w[i] = 0;
      // Two rows at a time: each load of vPrev, wPrev, v and w serves both rows (this loop is most of the cost).
      let i = k1;
      for (; i + 1 < n; i += 2) {
        const r0 = i * n;
        const r1 = r0 + n;
        const v0 = v[i];
        const v1 = v[i + 1];
        const pv0 = vPrev[i];
        const pw0 = wPrev[i];
        const pv1 = vPrev[i + 1];
        const pw1 = wPrev[i + 1];
        const a00 = A[r0 + i] - 2 * pv0 * pw0;
        const a01 = A[r0 + i + 1] - (pv0 * pw1 + pw0 * pv1);
        const a11 = A[r1 + i + 1] - 2 * pv1 * pw1;
        A[r0 + i] = a00;
        A[r0 + i + 1] = a01;
        A[r1 + i + 1] = a11;
        let s0 = a00 * v0 + a01 * v1;
        let s1 = a01 * v0 + a11 * v1;
        for (let j = i + 2; j < n; j++) {
          const pwj = wPrev[j];
          const pvj = vPrev[j];
          const a0 = A[r0 + j] - (pv0 * pwj + pw0 * pvj);
          const a1 = A[r1 + j] - (pv1 * pwj + pw1 * pvj);
          A[r0 + j] = a0;
          A[r1 + j] = a1;
          const vj = v[j];
          s0 += a0 * vj;
          s1 += a1 * vj;
          w[j] += a0 * v0 + a1 * v1;
        }
        w[i] += s0;
        w[i + 1] += s1;
      }
      if (i < n) {
        const a00 = A[i * n + i] - 2 * vPrev[i] * wPrev[i];
        A[i * n + i] = a00;
        w[i] += a00 * v[i];
      }
      let pv = 0;
      for (let i = k1; i < n; i++) {
        w[i] *= beta;
        pv += w[i] * v[i];
      }
      const half = 0.5 * beta * pv;
      for (let i = k1; i < n; i++) w[i] -= half * v[i];
      const tv = vPrev;
      vPrev = v;
      v = tv;
      const tw = wPrev;
      wPrev = w;
      w = tw;
    }
    // The last two rows take the last reflector's update; nothing is left to reduce.
    for (let k = Math.max(0, n - 2); k < n; k++) {
      const row = k * n;
      const vk = vPrev[k];
      const wk = wPrev[k];
      for (let j = k; j < n; j++) A[row + j] -= vk * wPrev[j] + wk * vPrev[j];
    }
    if (n >= 2) {
      const row = (n - 2) * n;
      d[n - 2] = A[row + n - 2];
      e2[n - 2] = A[row + n - 1] * A[row + n - 1];
    }
    d[n - 1] = A[n * n - 1];
  }
}

/**
 * Largest eigenvalue of the symmetric tridiagonal matrix (diag a[0..n), squared off-diag b2[0..n−1)).
 * Laguerre's method from above, kept inside a bracket that Sturm counts maintain. For a polynomial
 * with only real roots, Laguerre started above the largest root moves down to it monotonically and
 * converges cubically (and in steps of a fixed fraction of the distance for a cluster), where plain
 * bisection needs ~52 halvings; each step costs the same one pass with one division per row.
 */
function largestEigenvalue(a: Float64Array, b2: Float64Array, n: number): number {
  // λ_max lies between the largest diagonal entry (a Rayleigh quotient) and the Gershgorin bound.
  let lo = -Infinity;
  let hi = -Infinity;
  let bPrev = 0;
  for (let i = 0; i < n; i++) {
    const b = i < n - 1 ? Math.sqrt(b2[i]) : 0;
    if (a[i] > lo) lo = a[i];
    if (a[i] + bPrev + b > hi) hi = a[i] + bPrev + b;
    bPrev = b;
  }
  let x = hi;
  // Whether x came from a Laguerre step (as opposed to a check just above one, or a halving).
  let stepped = false;
  for (let iter = 0; iter < 200 && hi - lo > 4e-16 * Math.max(Math.abs(lo), Math.abs(hi)); iter++) {
    // Pivots of T − xI with their first two derivatives in x: all pivots negative means x is above
    // every eigenvalue (Sturm), and then G = Σ 1/(x − λᵢ) = Σ dᵢ′/dᵢ, H = Σ 1/(x − λᵢ)² = Σ (dᵢ′/dᵢ)² − dᵢ″/dᵢ.
    let below = true;
    let d = a[0] - x;
    if (d === 0) d = -1e-300;
    if (d >= 0) below = false;
    let r = 1 / d;
    let dp = -1;
    let dpp = 0;
    let u = dp * r;
    let G = u;
    let H = u * u;
    for (let i = 1; i < n && below; i++) {
      const c = b2[i - 1];
      const cr = c * r;
      dpp = cr * (dpp * r - 2 * u * u);
      dp = -1 + cr * u;
      d = a[i] - x - cr;
      if (d === 0) d = -1e-300;
      if (d >= 0) below = false;
      r = 1 / d;
      u = dp * r;
      G += u;
      H += u * u - dpp * r;
    }
    if (below) {
      hi = x;
      const step = n / (G + Math.sqrt(Math.max(0, (n - 1) * (n * H - G * G))));
      // The step is below rounding: hi is λ_max to machine precision.
      if (step <= 2e-16 * Math.abs(hi)) return hi - step;
      x = hi - step;
      stepped = true;
    } else {
      lo = x;
      // A Laguerre step from above cannot pass λ_max in exact arithmetic, so landing on or below it
      // means the step was exact up to rounding: look just above before falling back to halving.
      x = stepped ? lo + 3e-16 * Math.max(Math.abs(lo), Math.abs(hi)) : 0.5 * (lo + hi);
      stepped = false;
    }
    // Rounding can push a step out of the bracket (or make it NaN); halve instead.
    if (!(x > lo && x < hi)) x = 0.5 * (lo + hi);
    if (x === lo || x === hi) break;
  }
  return 0.5 * (lo + hi);
}
