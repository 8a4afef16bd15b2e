// AssemblyScript source of the core's two hot kernels, compiled to WebAssembly with 128-bit SIMD
// (two f64 lanes). Same contracts as matVec/addAtB in ../../kernels.ts; arguments are byte
// offsets into this module's memory, which the JS side views as Float64Arrays.

/**
 * out[r] = init[r] (if hasInit) + Σ_c M[r·cols + c] · x[c]   for r < rows.
 * Two rows at a time share each load of x; four f64x2 accumulators keep the adds independent.
 */
export function matVec(out: usize, M: usize, rows: i32, cols: i32, x: usize, init: usize, hasInit: i32): void {
  const c4 = cols & ~3;
  const stride = <usize>cols << 3;
  let r = 0;
  for (; r + 1 < rows; r += 2) {
    const row0 = M + <usize>r * stride;
    const row1 = row0 + stride;
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let b0 = f64x2.splat(0);
    let b1 = f64x2.splat(0);
    let c = 0;
    for (; c < c4; c += 4) {
      const off = <usize>c << 3;
      const x0 = v128.load(x + off);
      const x1 = v128.load(x + off + 16);
      a0 = f64x2.add(a0, f64x2.mul(v128.load(row0 + off), x0));
      a1 = f64x2.add(a1, f64x2.mul(v128.load(row0 + off + 16), x1));
      b0 = f64x2.add(b0, f64x2.mul(v128.load(row1 + off), x0));
      b1 = f64x2.add(b1, f64x2.mul(v128.load(row1 + off + 16), x1));
    }
    const sa = f64x2.add(a0, a1);
    const sb = f64x2.add(b0, b1);
    let s0 = f64x2.extract_lane(sa, 0) + f64x2.extract_lane(sa, 1);
    let s1 = f64x2.extract_lane(sb, 0) + f64x2.extract_lane(sb, 1);
    for (; c < cols; c++) {
      const xc = load<f64>(x + (<usize>c << 3));
      s0 += load<f64>(row0 + (<usize>c << 3)) * xc;
      s1 += load<f64>(row1 + (<usize>c << 3)) * xc;
    }
    const o = out + (<usize>r << 3);
    if (hasInit) {
      const i = init + (<usize>r << 3);
      s0 += load<f64>(i);
      s1 += load<f64>(i + 8);
    }
    store<f64>(o, s0);
    store<f64>(o + 8, s1);
  }
  for (; r < rows; r++) {
    const row0 = M + <usize>r * stride;
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let c = 0;
    for (; c < c4; c += 4) {
      const off = <usize>c << 3;
      a0 = f64x2.add(a0, f64x2.mul(v128.load(row0 + off), v128.load(x + off)));
      a1 = f64x2.add(a1, f64x2.mul(v128.load(row0 + off + 16), v128.load(x + off + 16)));
    }
    const sa = f64x2.add(a0, a1);
    let s0 = f64x2.extract_lane(sa, 0) + f64x2.extract_lane(sa, 1);
    for (; c < cols; c++) s0 += load<f64>(row0 + (<usize>c << 3)) * load<f64>(x + (<usize>c << 3));
    if (hasInit) s0 += load<f64>(init + (<usize>r << 3));
    store<f64>(out + (<usize>r << 3), s0);
  }
}

/**
 * dW[i·n + j] += Σ_t A[t·m + i] · B[t·n + j]: A is T×m, B is T×n, dW is m×n, all row-major.
 * Blocks of 2 rows × 4 columns of dW stay in registers across the whole sum over t.
 */
export function addAtB(dW: usize, A: usize, m: i32, B: usize, n: i32, T: i32): void {
  const n4 = n & ~3;
  const aStride = <usize>m << 3;
  const bStride = <usize>n << 3;
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const r0 = dW + (<usize>(i * n) << 3);
    const r1 = r0 + bStride;
    let j = 0;
    for (; j < n4; j += 4) {
      let p00 = f64x2.splat(0);
      let p01 = f64x2.splat(0);
      let p10 = f64x2.splat(0);
      let p11 = f64x2.splat(0);
      let a = A + (<usize>i << 3);
      let b = B + (<usize>j << 3);
      for (let t = 0; t < T; t++) {
        const x0 = f64x2.splat(load<f64>(a));
        const x1 = f64x2.splat(load<f64>(a + 8));
        const y0 = v128.load(b);
        const y1 = v128.load(b + 16);
        p00 = f64x2.add(p00, f64x2.mul(x0, y0));
        p01 = f64x2.add(p01, f64x2.mul(x0, y1));
        p10 = f64x2.add(p10, f64x2.mul(x1, y0));
        p11 = f64x2.add(p11, f64x2.mul(x1, y1));
        a += aStride;
        b += bStride;
      }
      const o0 = r0 + (<usize>j << 3);
      const o1 = r1 + (<usize>j << 3);
      v128.store(o0, f64x2.add(v128.load(o0), p00));
      v128.store(o0 + 16, f64x2.add(v128.load(o0 + 16), p01));
      v128.store(o1, f64x2.add(v128.load(o1), p10));
      v128.store(o1 + 16, f64x2.add(v128.load(o1 + 16), p11));
    }
    for (; j < n; j++) {
      let s0: f64 = 0;
      let s1: f64 = 0;
      for (let t = 0; t < T; t++) {
        const y = load<f64>(B + <usize>t * bStride + (<usize>j << 3));
        s0 += load<f64>(A + <usize>t * aStride + (<usize>i << 3)) * y;
        s1 += load<f64>(A + <usize>t * aStride + (<usize>(i + 1) << 3)) * y;
      }
      store<f64>(r0 + (<usize>j << 3), load<f64>(r0 + (<usize>j << 3)) + s0);
      store<f64>(r1 + (<usize>j << 3), load<f64>(r1 + (<usize>j << 3)) + s1);
    }
  }
  for (; i < m; i++) {
    const r0 = dW + (<usize>(i * n) << 3);
    for (let j = 0; j < n; j++) {
      let s: f64 = 0;
      for (let t = 0; t < T; t++) s += load<f64>(A + <usize>t * aStride + (<usize>i << 3)) * load<f64>(B + <usize>t * bStride + (<usize>j << 3));
      store<f64>(r0 + (<usize>j << 3), load<f64>(r0 + (<usize>j << 3)) + s);
    }
  }
}
