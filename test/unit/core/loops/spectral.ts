// The JS loops of the σ_max solver's two O(n³) stages, which src/core/spectral.ts ran where
// WebAssembly was missing: now the tests' reference for the WebAssembly stages (same method,
// different rounding).
import { SigmaMaxSolver } from '../../../../src/core/spectral';

export class JsSigmaMaxSolver extends SigmaMaxSolver {
  protected override stages(): void {
    this.gram();
    this.tridiagonalise();
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
