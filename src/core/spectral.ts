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
  /** Owns the buffers below; the two O(n³) stages run there, with SIMD. */
  private readonly arena: Arena;
  private readonly fused: FusedKernels;
  /** More columns than rows: work with WWᵀ. */
  private readonly wide: boolean;
  /** Order of the Gram matrix: min(rows, cols). */
  protected readonly n: number;
  /** Length of the Gram matrix's defining vectors: max(rows, cols). */
  protected readonly m: number;
  /** W or Wᵀ, whichever is n×m, scaled by a power of two. */
  protected readonly B: Float64Array;
  /** Gram matrix n×n; only the upper triangle is used. */
  protected readonly A: Float64Array;
  /** Tridiagonal: diagonal d[0..n), squared off-diagonal e2[0..n−1). */
  protected readonly d: Float64Array;
  protected readonly e2: Float64Array;
  /** Householder vectors and the p / w vectors of the rank-2 update, for this step and the last. */
  protected readonly v: Float64Array;
  protected readonly w: Float64Array;
  protected readonly vPrev: Float64Array;
  protected readonly wPrev: Float64Array;

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
    this.stages();
    return Math.sqrt(largestEigenvalue(this.d, this.e2, n)) * 2 ** exponent;
  }

  /**
   * The two O(n³) stages in WebAssembly: the upper triangle of A = BBᵀ, then its Householder
   * reduction to the tridiagonal d, e². (The tests' JS reference overrides this with the loops.)
   */
  protected stages(): void {
    const n = this.n;
    this.fused.sigmaGram(this.A, this.B, n, this.m);
    this.fused.sigmaTridiagonalise(this.A, this.d, this.e2, this.v, this.w, this.vPrev, this.wPrev, n);
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
