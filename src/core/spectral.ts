// σ_max(W) as √λ_max(WᵀW) by Lanczos with full reorthogonalisation, from a fixed start vector.
// Power iteration was the first choice but needs hundreds of steps when the top two singular
// values are close (as they are for W_hh), and its answer then depended on where it started.
// Lanczos reaches machine precision in at most min(rows, cols) steps and always starts at the same place,
// so the reported value is a pure function of W.

const MAX_STEPS = 40;

export class SigmaMaxSolver {
  private readonly k: number;
  /** More columns than rows: work with WWᵀ. */
  private readonly wide: boolean;
  /** Order of the symmetric matrix Lanczos runs on: min(rows, cols). */
  private readonly n: number;
  /** Lanczos vectors, k×n. */
  private readonly Q: Float64Array;
  private readonly alpha: Float64Array;
  private readonly beta: Float64Array;
  private readonly A: Float64Array;
  private readonly w: Float64Array;
  private readonly start: Float64Array;

  constructor(
    private readonly rows: number,
    private readonly cols: number,
  ) {
    this.wide = cols > rows;
    this.n = Math.min(rows, cols);
    const n = this.n;
    this.k = Math.min(n, MAX_STEPS);
    this.Q = new Float64Array(this.k * n);
    this.alpha = new Float64Array(this.k);
    this.beta = new Float64Array(this.k);
    this.A = new Float64Array(n * n);
    this.w = new Float64Array(n);
    // A fixed, irregular unit vector: no structure that could be orthogonal to the top direction.
    this.start = new Float64Array(n);
    let norm = 0;
    for (let j = 0; j < n; j++) {
      this.start[j] = 1 + 0.5 * Math.sin(1.7 * j + 0.3);
      norm += this.start[j] * this.start[j];
    }
    for (let j = 0; j < n; j++) this.start[j] /= Math.sqrt(norm);
  }

  /** Largest singular value of the rows×cols row-major matrix W. */
  solve(W: Float64Array): number {
    const { Q, alpha, beta, w, A } = this;
    const { rows, cols } = this;
    const n = this.n;
    // A = WᵀW or WWᵀ, whichever is smaller (same non-zero eigenvalues, σ² of W): one product up
    // front makes each Lanczos step a single matvec.
    if (this.wide) {
      for (let i = 0; i < rows; i++) {
        for (let j = i; j < rows; j++) {
          let s = 0;
          for (let c = 0; c < cols; c++) s += W[i * cols + c] * W[j * cols + c];
          A[i * rows + j] = s;
          A[j * rows + i] = s;
        }
      }
    } else {
      for (let i = 0; i < cols; i++) {
        for (let j = i; j < cols; j++) {
          let s = 0;
          for (let r = 0; r < rows; r++) s += W[r * cols + i] * W[r * cols + j];
          A[i * cols + j] = s;
          A[j * cols + i] = s;
        }
      }
    }
    Q.set(this.start, 0);
    let steps = 0;
    let scale = 0;
    let previous = NaN;
    for (let i = 0; i < this.k; i++) {
      const qi = i * n;
      let a = 0;
      for (let r = 0; r < n; r++) {
        let s = 0;
        const row = r * n;
        for (let c = 0; c < n; c++) s += A[row + c] * Q[qi + c];
        w[r] = s;
        a += s * Q[qi + r];
      }
      alpha[i] = a;
      steps = i + 1;
      // Orthogonalise against every earlier vector; repeat only when cancellation was severe
      // (Kahan's test: the norm dropped below 1/√2 of what it was).
      for (let pass = 0; pass < 2; pass++) {
        let before = 0;
        for (let c = 0; c < n; c++) before += w[c] * w[c];
        for (let j = 0; j <= i; j++) {
          const qj = j * n;
          let d = 0;
          for (let c = 0; c < n; c++) d += w[c] * Q[qj + c];
          for (let c = 0; c < n; c++) w[c] -= d * Q[qj + c];
        }
        let after = 0;
        for (let c = 0; c < n; c++) after += w[c] * w[c];
        if (after > 0.5 * before) break;
      }
      let b = 0;
      for (let c = 0; c < n; c++) b += w[c] * w[c];
      b = Math.sqrt(b);
      scale = Math.max(scale, Math.abs(a), b);
      if (!Number.isFinite(scale)) return NaN;
      if (i + 1 === this.k || b <= 1e-14 * scale) break;
      // The top Ritz value converges long before the Krylov space is complete: stop once it holds still.
      if (steps % 4 === 0) {
        const now = largestEigenvalue(alpha, beta, steps);
        if (Math.abs(now - previous) <= 1e-14 * Math.abs(now)) break;
        previous = now;
      }
      beta[i] = b;
      const qn = (i + 1) * n;
      for (let c = 0; c < n; c++) Q[qn + c] = w[c] / b;
    }
    return Math.sqrt(Math.max(0, largestEigenvalue(alpha, beta, steps)));
  }
}

/** Largest eigenvalue of the symmetric tridiagonal matrix (diag a[0..n), off-diag b[0..n−1)) by bisection. */
function largestEigenvalue(a: Float64Array, b: Float64Array, n: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const r = (i > 0 ? Math.abs(b[i - 1]) : 0) + (i < n - 1 ? Math.abs(b[i]) : 0);
    if (a[i] - r < lo) lo = a[i] - r;
    if (a[i] + r > hi) hi = a[i] + r;
  }
  for (let iter = 0; iter < 200 && hi - lo > 4e-16 * Math.max(Math.abs(lo), Math.abs(hi)); iter++) {
    const x = 0.5 * (lo + hi);
    if (x === lo || x === hi) break;
    // Sturm sequence: the number of negative pivots of T − xI is the number of eigenvalues below x.
    let count = 0;
    let d = a[0] - x;
    if (d === 0) d = -1e-300;
    if (d < 0) count++;
    for (let i = 1; i < n; i++) {
      d = a[i] - x - (b[i - 1] * b[i - 1]) / d;
      if (d === 0) d = -1e-300;
      if (d < 0) count++;
    }
    if (count === n) hi = x;
    else lo = x;
  }
  return 0.5 * (lo + hi);
}
