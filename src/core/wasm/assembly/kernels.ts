// AssemblyScript source of the core's two hot kernels, compiled to WebAssembly with 128-bit SIMD
// (two f64 lanes). Same contracts as matVec/addAtB in ../../kernels.ts; arguments are byte
// offsets into this module's memory, which the JS side views as Float64Arrays.

/** Lanes 0 and 1 of a dot product's two-lane sum, added as every row below adds them. */
// @ts-ignore: decorator
@inline function lanes(a: v128): f64 {
  return f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
}

/**
 * out[r] = init[r] (if hasInit) + Σ_c M[r·cols + c] · x[c]   for r < rows.
 * Every row's sum is formed the same way whatever block it falls in: one two-lane accumulator
 * over the columns in pairs (even columns in lane 0, odd in lane 1), the lanes added, then the
 * odd last column, then init. Eight rows at a time share each load of x and give eight
 * independent chains; matVec2 forms its rows the same way, so the two give the same bits.
 */
export function matVec(out: usize, M: usize, rows: i32, cols: i32, x: usize, init: usize, hasInit: i32): void {
  const c2 = cols & ~1;
  const stride = <usize>cols << 3;
  const tail = <usize>c2 << 3;
  const odd = c2 < cols;
  const xt = odd ? load<f64>(x + tail) : 0;
  let r = 0;
  for (; r + 8 <= rows; r += 8) {
    const m0 = M + <usize>r * stride;
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0);
    let a4 = f64x2.splat(0);
    let a5 = f64x2.splat(0);
    let a6 = f64x2.splat(0);
    let a7 = f64x2.splat(0);
    for (let c = 0; c < c2; c += 2) {
      const o = <usize>c << 3;
      const xv = v128.load(x + o);
      let m = m0 + o;
      a0 = f64x2.add(a0, f64x2.mul(v128.load(m), xv));
      m += stride;
      a1 = f64x2.add(a1, f64x2.mul(v128.load(m), xv));
      m += stride;
      a2 = f64x2.add(a2, f64x2.mul(v128.load(m), xv));
      m += stride;
      a3 = f64x2.add(a3, f64x2.mul(v128.load(m), xv));
      m += stride;
      a4 = f64x2.add(a4, f64x2.mul(v128.load(m), xv));
      m += stride;
      a5 = f64x2.add(a5, f64x2.mul(v128.load(m), xv));
      m += stride;
      a6 = f64x2.add(a6, f64x2.mul(v128.load(m), xv));
      m += stride;
      a7 = f64x2.add(a7, f64x2.mul(v128.load(m), xv));
    }
    finishRow(out, M, r, stride, tail, odd, xt, init, hasInit, lanes(a0));
    finishRow(out, M, r + 1, stride, tail, odd, xt, init, hasInit, lanes(a1));
    finishRow(out, M, r + 2, stride, tail, odd, xt, init, hasInit, lanes(a2));
    finishRow(out, M, r + 3, stride, tail, odd, xt, init, hasInit, lanes(a3));
    finishRow(out, M, r + 4, stride, tail, odd, xt, init, hasInit, lanes(a4));
    finishRow(out, M, r + 5, stride, tail, odd, xt, init, hasInit, lanes(a5));
    finishRow(out, M, r + 6, stride, tail, odd, xt, init, hasInit, lanes(a6));
    finishRow(out, M, r + 7, stride, tail, odd, xt, init, hasInit, lanes(a7));
  }
  for (; r < rows; r++) {
    const m0 = M + <usize>r * stride;
    let a0 = f64x2.splat(0);
    for (let c = 0; c < c2; c += 2) {
      const o = <usize>c << 3;
      a0 = f64x2.add(a0, f64x2.mul(v128.load(m0 + o), v128.load(x + o)));
    }
    finishRow(out, M, r, stride, tail, odd, xt, init, hasInit, lanes(a0));
  }
}

/** The end of row r's sum: the odd last column, then init, then the store. */
// @ts-ignore: decorator
@inline function finishRow(out: usize, M: usize, r: i32, stride: usize, tail: usize, odd: bool, xt: f64, init: usize, hasInit: i32, sum: f64): void {
  let s = sum;
  if (odd) s += load<f64>(M + <usize>r * stride + tail) * xt;
  if (hasInit) s += load<f64>(init + (<usize>r << 3));
  store<f64>(out + (<usize>r << 3), s);
}

/**
 * dW[i·n + j] += Σ_t A[t·m + i] · B[t·n + j]: A is T×m, B is T×n, dW is m×n, all row-major.
 * Blocks of 2 rows × 4 columns of dW stay in registers across the whole sum over t.
 */
export function addAtB(dW: usize, A: usize, m: i32, B: usize, n: i32, T: i32): void {
  addAtBRows(dW, A, m, m, B, n, T);
}

/**
 * A window's output-layer weight gradient, then rows of its recurrent one, in one call: addAtB
 * (dWy, Ay, m, By, n, T) and addAtBRows(dWh, Ah, mh, lda, Bh, nh, T), for the thread that sums
 * both while the other sums the rest of dW_hh (../../partner.ts).
 */
export function gradProducts(dWy: usize, Ay: usize, m: i32, By: usize, n: i32, T: i32, dWh: usize, Ah: usize, mh: i32, lda: i32, Bh: usize, nh: i32): void {
  addAtBRows(dWy, Ay, m, m, By, n, T);
  if (mh > 0) addAtBRows(dWh, Ah, mh, lda, Bh, nh, T);
}

/**
 * addAtB where A's rows are lda apart (lda ≥ m): the rows of dW from a column block of a wider
 * A, as when two threads share dW_hh's rows (../../partner.ts). Each entry's sum is the same.
 */
export function addAtBRows(dW: usize, A: usize, m: i32, lda: i32, B: usize, n: i32, T: i32): void {
  const n4 = n & ~3;
  const aStride = <usize>lda << 3;
  const bStride = <usize>n << 3;
  let i = 0;
  // Blocks of 4 rows × 4 columns: eight accumulator chains instead of four. Every dW entry is
  // still one running sum over t in order, so results do not depend on the block shape.
  for (; i + 3 < m && n4 > 0; i += 4) {
    const r0 = dW + (<usize>(i * n) << 3);
    const r1 = r0 + bStride;
    const r2 = r1 + bStride;
    const r3 = r2 + bStride;
    for (let j = 0; j < n4; j += 4) {
      let p00 = f64x2.splat(0);
      let p01 = f64x2.splat(0);
      let p10 = f64x2.splat(0);
      let p11 = f64x2.splat(0);
      let p20 = f64x2.splat(0);
      let p21 = f64x2.splat(0);
      let p30 = f64x2.splat(0);
      let p31 = f64x2.splat(0);
      let a = A + (<usize>i << 3);
      let b = B + (<usize>j << 3);
      for (let t = 0; t < T; t++) {
        const y0 = v128.load(b);
        const y1 = v128.load(b + 16);
        const x0 = v128.load64_splat(a);
        const x1 = v128.load64_splat(a + 8);
        const x2 = v128.load64_splat(a + 16);
        const x3 = v128.load64_splat(a + 24);
        p00 = f64x2.add(p00, f64x2.mul(x0, y0));
        p01 = f64x2.add(p01, f64x2.mul(x0, y1));
        p10 = f64x2.add(p10, f64x2.mul(x1, y0));
        p11 = f64x2.add(p11, f64x2.mul(x1, y1));
        p20 = f64x2.add(p20, f64x2.mul(x2, y0));
        p21 = f64x2.add(p21, f64x2.mul(x2, y1));
        p30 = f64x2.add(p30, f64x2.mul(x3, y0));
        p31 = f64x2.add(p31, f64x2.mul(x3, y1));
        a += aStride;
        b += bStride;
      }
      const jo = <usize>j << 3;
      v128.store(r0 + jo, f64x2.add(v128.load(r0 + jo), p00));
      v128.store(r0 + jo + 16, f64x2.add(v128.load(r0 + jo + 16), p01));
      v128.store(r1 + jo, f64x2.add(v128.load(r1 + jo), p10));
      v128.store(r1 + jo + 16, f64x2.add(v128.load(r1 + jo + 16), p11));
      v128.store(r2 + jo, f64x2.add(v128.load(r2 + jo), p20));
      v128.store(r2 + jo + 16, f64x2.add(v128.load(r2 + jo + 16), p21));
      v128.store(r3 + jo, f64x2.add(v128.load(r3 + jo), p30));
      v128.store(r3 + jo + 16, f64x2.add(v128.load(r3 + jo + 16), p31));
    }
    let jt = n4;
    if (jt + 2 <= n) {
      // Two leftover columns: four rows × one lane pair, still one running sum per entry.
      let p0 = f64x2.splat(0);
      let p1 = f64x2.splat(0);
      let p2 = f64x2.splat(0);
      let p3 = f64x2.splat(0);
      let a = A + (<usize>i << 3);
      let b = B + (<usize>jt << 3);
      for (let t = 0; t < T; t++) {
        const y = v128.load(b);
        p0 = f64x2.add(p0, f64x2.mul(v128.load64_splat(a), y));
        p1 = f64x2.add(p1, f64x2.mul(v128.load64_splat(a + 8), y));
        p2 = f64x2.add(p2, f64x2.mul(v128.load64_splat(a + 16), y));
        p3 = f64x2.add(p3, f64x2.mul(v128.load64_splat(a + 24), y));
        a += aStride;
        b += bStride;
      }
      const jo = <usize>jt << 3;
      v128.store(r0 + jo, f64x2.add(v128.load(r0 + jo), p0));
      v128.store(r1 + jo, f64x2.add(v128.load(r1 + jo), p1));
      v128.store(r2 + jo, f64x2.add(v128.load(r2 + jo), p2));
      v128.store(r3 + jo, f64x2.add(v128.load(r3 + jo), p3));
      jt += 2;
    }
    for (let j = jt; j < n; j++) {
      for (let q = 0; q < 4; q++) {
        let sum: f64 = 0;
        for (let t = 0; t < T; t++) sum += load<f64>(A + <usize>t * aStride + (<usize>(i + q) << 3)) * load<f64>(B + <usize>t * bStride + (<usize>j << 3));
        const o = r0 + <usize>q * bStride + (<usize>j << 3);
        store<f64>(o, load<f64>(o) + sum);
      }
    }
  }
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

/**
 * out[j] += Σ_i x[i] · M[i·cols + j]   for j < cols: the row vector x (rows entries) times the
 * rows×cols matrix M, added to out, each out[j] one running sum over i in order. M is read row
 * after row, four rows per sweep of out, so each row is a contiguous stream the prefetcher
 * follows; blocks of columns carried down all the rows (the earlier version) jumped a whole row
 * ahead at every load, a new 4 KB page each time at H 512, and ran at half this speed at every
 * size measured (H 20 to 512). out stays in the first-level cache for cols up to a few thousand.
 */
export function vecMatAdd(out: usize, x: usize, M: usize, rows: i32, cols: i32): void {
  const stride = <usize>cols << 3;
  const c2 = cols & ~1;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const m0 = M + <usize>i * stride;
    const m1 = m0 + stride;
    const m2 = m1 + stride;
    const m3 = m2 + stride;
    const xp = x + (<usize>i << 3);
    const x0 = v128.load64_splat(xp);
    const x1 = v128.load64_splat(xp + 8);
    const x2 = v128.load64_splat(xp + 16);
    const x3 = v128.load64_splat(xp + 24);
    let j = 0;
    for (; j < c2; j += 2) {
      const o = <usize>j << 3;
      let a = v128.load(out + o);
      a = f64x2.add(a, f64x2.mul(x0, v128.load(m0 + o)));
      a = f64x2.add(a, f64x2.mul(x1, v128.load(m1 + o)));
      a = f64x2.add(a, f64x2.mul(x2, v128.load(m2 + o)));
      a = f64x2.add(a, f64x2.mul(x3, v128.load(m3 + o)));
      v128.store(out + o, a);
    }
    if (j < cols) {
      const o = <usize>j << 3;
      let s = load<f64>(out + o);
      s += load<f64>(xp) * load<f64>(m0 + o);
      s += load<f64>(xp + 8) * load<f64>(m1 + o);
      s += load<f64>(xp + 16) * load<f64>(m2 + o);
      s += load<f64>(xp + 24) * load<f64>(m3 + o);
      store<f64>(out + o, s);
    }
  }
  for (; i < rows; i++) {
    const m0 = M + <usize>i * stride;
    const xi = load<f64>(x + (<usize>i << 3));
    const X = f64x2.splat(xi);
    let j = 0;
    for (; j < c2; j += 2) {
      const o = <usize>j << 3;
      v128.store(out + o, f64x2.add(v128.load(out + o), f64x2.mul(X, v128.load(m0 + o))));
    }
    if (j < cols) {
      const o = <usize>j << 3;
      store<f64>(out + o, load<f64>(out + o) + xi * load<f64>(m0 + o));
    }
  }
}

// exp and tanh, two lanes at a time. V8's Math.exp and Math.tanh are calls into C++ costing
// about 25 ns each, which made them a fifth of the seed workload. Both use fdlibm's range
// reduction u = k·ln2 + r with |r| ≤ ln2/2 and the Taylor series of expm1(r) to degree 13
// (its remainder is below 2e-17 relative), so results stay within a few ulp of Math.exp and
// Math.tanh; kernels.test.ts checks that.
const LN2_HI: f64 = 6.93147180369123816490e-1; // trailing zero bits: k·LN2_HI is exact
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700;

/** expm1(r) for |r| ≤ ln2/2, Horner form of r + r²/2! + … + r¹³/13!. */
// @ts-ignore: decorator
@inline function expm1Reduced(r: v128): v128 {
  let q = f64x2.splat(1.6059043836821613e-10);
  q = f64x2.add(f64x2.splat(2.08767569878681e-9), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(2.505210838544172e-8), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(2.755731922398589e-7), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(2.7557319223985893e-6), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(2.48015873015873e-5), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(1.984126984126984e-4), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(1.388888888888889e-3), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(8.333333333333333e-3), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(4.1666666666666664e-2), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(1.6666666666666666e-1), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(0.5), f64x2.mul(r, q));
  return f64x2.add(r, f64x2.mul(f64x2.mul(r, r), q));
}

/**
 * k = nearest(u/ln2) for |k| ≤ 1022, kept as kd = u/ln2 + 1.5·2⁵²: adding the shift rounds to the
 * nearest integer (ties to even, as f64x2.nearest), kd − shift is k exactly, and kd's low bits
 * are k itself, so 2^k comes from two integer operations instead of a float-to-int conversion.
 */
const SHIFT: f64 = 6755399441055744.0; // 1.5·2⁵²
// @ts-ignore: decorator
@inline function reduceKd(u: v128): v128 {
  return f64x2.add(f64x2.mul(u, f64x2.splat(INV_LN2)), f64x2.splat(SHIFT));
}
/** r = u − k·ln2 in two parts, k = kd − shift. */
// @ts-ignore: decorator
@inline function reduceR(u: v128, kd: v128): v128 {
  const k = f64x2.sub(kd, f64x2.splat(SHIFT));
  return f64x2.sub(f64x2.sub(u, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
}
/** 2^k from kd: (k + 1023) << 52, where k = bits(kd) − bits(shift). */
// @ts-ignore: decorator
@inline function pow2(kd: v128): v128 {
  return i64x2.shl(i64x2.sub(kd, i64x2.splat(0x4338000000000000 - 1023)), 52);
}

/** exp(u) for u ≤ 0 (softmax arguments): 0 below −708, where exp would be subnormal. */
// @ts-ignore: decorator
@inline function expNonPositive(u: v128): v128 {
  const uc = f64x2.max(u, f64x2.splat(-708));
  const kd = reduceKd(uc);
  const s = pow2(kd);
  const e = f64x2.add(s, f64x2.mul(s, expm1Reduced(reduceR(uc, kd))));
  return v128.bitselect(f64x2.splat(0), e, f64x2.lt(u, f64x2.splat(-708)));
}

/** tanh(x) = −t/(t + 2) with t = expm1(−2|x|), sign restored; |x| ≥ 20 rounds to ±1 anyway. */
// @ts-ignore: decorator
@inline function tanh2(x: v128): v128 {
  const u = f64x2.mul(f64x2.splat(-2), f64x2.min(f64x2.abs(x), f64x2.splat(20)));
  const kd = reduceKd(u);
  const s = pow2(kd);
  const t = f64x2.add(f64x2.mul(s, expm1Reduced(reduceR(u, kd))), f64x2.sub(s, f64x2.splat(1)));
  const mag = f64x2.abs(f64x2.div(f64x2.neg(t), f64x2.add(t, f64x2.splat(2))));
  return v128.or(mag, v128.and(x, i64x2.splat(0x8000000000000000)));
}

/** a[j] = tanh(a[j]) for j < n. */
export function tanhInPlace(a: usize, n: i32): void {
  let j = 0;
  // Two vectors per turn: each is a long chain of dependent steps, and two independent ones
  // side by side let the second fill the first one's waits.
  for (; j + 4 <= n; j += 4) {
    const p = a + (<usize>j << 3);
    const x0 = v128.load(p);
    const x1 = v128.load(p, 16);
    v128.store(p, tanh2(x0));
    v128.store(p, tanh2(x1), 16);
  }
  for (; j + 2 <= n; j += 2) {
    const p = a + (<usize>j << 3);
    v128.store(p, tanh2(v128.load(p)));
  }
  if (j < n) {
    const p = a + (<usize>j << 3);
    store<f64>(p, f64x2.extract_lane(tanh2(v128.load64_splat(p)), 0));
  }
}

/** σ(x) = 1/(1 + e) for x ≥ 0 and e/(1 + e) below, with e = exp(−|x|) ≤ 1: never overflows. */
// @ts-ignore: decorator
@inline function sigmoid2(x: v128): v128 {
  const e = expNonPositive(f64x2.neg(f64x2.abs(x)));
  const inv = f64x2.div(f64x2.splat(1), f64x2.add(f64x2.splat(1), e));
  return v128.bitselect(f64x2.mul(e, inv), inv, f64x2.lt(x, f64x2.splat(0)));
}

/** a[j] = σ(a[j]) for j < n. */
export function sigmoidInPlace(a: usize, n: i32): void {
  let j = 0;
  // Two vectors per turn: each is a long chain of dependent steps, and two independent ones
  // side by side let the second fill the first one's waits.
  for (; j + 4 <= n; j += 4) {
    const p = a + (<usize>j << 3);
    const x0 = v128.load(p);
    const x1 = v128.load(p, 16);
    v128.store(p, sigmoid2(x0));
    v128.store(p, sigmoid2(x1), 16);
  }
  for (; j + 2 <= n; j += 2) {
    const p = a + (<usize>j << 3);
    v128.store(p, sigmoid2(v128.load(p)));
  }
  if (j < n) {
    const p = a + (<usize>j << 3);
    store<f64>(p, f64x2.extract_lane(sigmoid2(v128.load64_splat(p)), 0));
  }
}

/** a[j] = exp(a[j]) for j < n, every a[j] ≤ 0 (a softmax row minus its maximum). */
function expInPlace(a: usize, n: i32): void {
  let j = 0;
  // Two vectors per turn: each is a long chain of dependent steps, and two independent ones
  // side by side let the second fill the first one's waits.
  for (; j + 4 <= n; j += 4) {
    const p = a + (<usize>j << 3);
    const x0 = v128.load(p);
    const x1 = v128.load(p, 16);
    v128.store(p, expNonPositive(x0));
    v128.store(p, expNonPositive(x1), 16);
  }
  for (; j + 2 <= n; j += 2) {
    const p = a + (<usize>j << 3);
    v128.store(p, expNonPositive(v128.load(p)));
  }
  if (j < n) {
    const p = a + (<usize>j << 3);
    store<f64>(p, f64x2.extract_lane(expNonPositive(v128.load64_splat(p)), 0));
  }
}

// Element-wise helpers, two lanes at a time: the same operation on each element as a scalar
// loop, so the same bits, without one load–op–store round per value.

/** out[j] = a[j] + b[j] for j < n (out may be a or b). */
// @ts-ignore: decorator
@inline function addVec(out: usize, a: usize, b: usize, n: i32): void {
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    const o = <usize>j << 3;
    v128.store(out + o, f64x2.add(v128.load(a + o), v128.load(b + o)));
  }
  if (j < n) {
    const o = <usize>j << 3;
    store<f64>(out + o, load<f64>(a + o) + load<f64>(b + o));
  }
}

/** a[j] = a[j] · s for j < n. */
// @ts-ignore: decorator
@inline function scaleVec(a: usize, s: f64, n: i32): void {
  const S = f64x2.splat(s);
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    const o = <usize>j << 3;
    v128.store(a + o, f64x2.mul(v128.load(a + o), S));
  }
  if (j < n) {
    const o = <usize>j << 3;
    store<f64>(a + o, load<f64>(a + o) * s);
  }
}

/** a[j] = a[j] − s for j < n. */
// @ts-ignore: decorator
@inline function shiftVec(a: usize, s: f64, n: i32): void {
  const S = f64x2.splat(s);
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    const o = <usize>j << 3;
    v128.store(a + o, f64x2.sub(v128.load(a + o), S));
  }
  if (j < n) {
    const o = <usize>j << 3;
    store<f64>(a + o, load<f64>(a + o) - s);
  }
}

/** a[j] = 0 where a[j] < 0 (NaN and −0 stay as they are, as with the scalar test). */
// @ts-ignore: decorator
@inline function reluVec(a: usize, n: i32): void {
  const Z = f64x2.splat(0);
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    const o = <usize>j << 3;
    const x = v128.load(a + o);
    v128.store(a + o, v128.bitselect(Z, x, f64x2.lt(x, Z)));
  }
  if (j < n) {
    const p = a + (<usize>j << 3);
    if (load<f64>(p) < 0) store<f64>(p, 0);
  }
}

/**
 * The RNN's forward recurrence over T steps: h_t = f(W_xh[ids[t]] + b_h + h_{t−1}·W_hh),
 * f = tanh or ReLU. hs is (T+1)×H with h_{−1} in its first row; ids are i32.
 */
export function rnnForward(hs: usize, Wxh: usize, bh: usize, Whh: usize, ids: usize, T: i32, H: i32, relu: i32): void {
  const rowBytes = <usize>H << 3;
  for (let t = 0; t < T; t++) {
    const prev = hs + <usize>t * rowBytes;
    const cur = prev + rowBytes;
    const xrow = Wxh + <usize>load<i32>(ids + (<usize>t << 2)) * rowBytes;
    addVec(cur, xrow, bh, H);
    vecMatAdd(cur, prev, Whh, H, H);
    if (relu) {
      reluVec(cur, H);
    } else {
      tanhInPlace(cur, H);
    }
  }
}

/**
 * Output layer over T steps: y_t = h_t·W_hy + b_y, p_t = softmax(y_t) into probs (T×V),
 * argmax into argmax (i32). hs1 points at the row of h of the first step. For the loss,
 * terms[2t] = Σ exp(y − max) and terms[2t+1] = y_target − max: the caller forms
 * −log p_target = log terms[2t] − terms[2t+1], finite even when p_target underflows. (The log
 * stays in JS: AssemblyScript's Math.log reads tables from static data in this module's memory,
 * which the arena hands out from address 0, so this module must have no static data at all.)
 */
export function outputForward(probs: usize, hs1: usize, Why: usize, by: usize, targets: usize, argmax: usize, terms: usize, T: i32, H: i32, V: i32): void {
  const vBytes = <usize>V << 3;
  // Logits of every step, shifted by their row's maximum; then one exp over the whole T×V block,
  // whose independent elements keep the exp's long chains overlapped; then the row sums.
  for (let t = 0; t < T; t++) {
    const y = probs + <usize>t * vBytes;
    memory.copy(y, by, vBytes);
    vecMatAdd(y, hs1 + <usize>t * (<usize>H << 3), Why, H, V);
    // Selects instead of a branch: which logit is largest is unpredictable, and a mispredicted
    // branch per value cost more than the comparison itself.
    let max = -Infinity;
    let best = 0;
    for (let v = 0; v < V; v++) {
      const yv = load<f64>(y + (<usize>v << 3));
      const bigger = yv > max;
      max = select<f64>(yv, max, bigger);
      best = select<i32>(v, best, bigger);
    }
    const shiftedTarget = load<f64>(y + (<usize>load<i32>(targets + (<usize>t << 2)) << 3)) - max;
    shiftVec(y, max, V);
    store<i32>(argmax + (<usize>t << 2), best);
    store<f64>(terms + (<usize>t << 4) + 8, shiftedTarget);
  }
  expInPlace(probs, T * V);
  for (let t = 0; t < T; t++) {
    const y = probs + <usize>t * vBytes;
    let sum: f64 = 0;
    for (let v = 0; v < V; v++) sum += load<f64>(y + (<usize>v << 3));
    scaleVec(y, 1 / sum, V);
    store<f64>(terms + (<usize>t << 4), sum);
  }
}

/**
 * Output-layer backward over T steps, in place on probs: dy_t = (p_t − onehot(target_t))·scale,
 * db_y += Σ_t dy_t (unless dby is 0), dhOut_t = dy_t·W_hyᵀ (W_hy is H×V, so each entry is a dot
 * product of a row).
 */
export function outputBackward(dy: usize, targets: usize, T: i32, V: i32, scale: f64, Why: usize, H: i32, dhOut: usize, dby: usize): void {
  const vBytes = <usize>V << 3;
  const hBytes = <usize>H << 3;
  for (let t = 0; t < T; t++) {
    const y = dy + <usize>t * vBytes;
    const tp = y + (<usize>load<i32>(targets + (<usize>t << 2)) << 3);
    store<f64>(tp, load<f64>(tp) - 1);
    scaleVec(y, scale, V);
    // dby = 0: a part of a window whose db_y the caller adds itself, in step order (sequence.ts).
    if (dby) addVec(dby, dby, y, V);
    matVec(dhOut + <usize>t * hBytes, Why, H, V, y, 0, 0);
  }
}

/**
 * outputForward then outputBackward over the same T steps (probs becomes dy): the output layer
 * of a part of a training window, in the thread that owns it (../../partner.ts).
 */
export function outputTrain(
  probs: usize, hs1: usize, Why: usize, by: usize, targets: usize, argmax: usize, terms: usize, T: i32, H: i32, V: i32, scale: f64, dhOut: usize, dby: usize,
): void {
  outputForward(probs, hs1, Why, by, targets, argmax, terms, T, H, V);
  outputBackward(probs, targets, T, V, scale, Why, H, dhOut, dby);
}

/** da = dh ⊙ f'(a) written from h = f(a) alone: tanh' = 1 − h², ReLU' = [h > 0]. */
// @ts-ignore: decorator
@inline function activationBack(da: usize, dh: usize, h: usize, H: i32, relu: i32): void {
  const Z = f64x2.splat(0);
  const ONE = f64x2.splat(1);
  let j = 0;
  for (; j + 2 <= H; j += 2) {
    const o = <usize>j << 3;
    const hj = v128.load(h + o);
    const g = v128.load(dh + o);
    const d = relu ? v128.bitselect(g, Z, f64x2.gt(hj, Z)) : f64x2.mul(g, f64x2.sub(ONE, f64x2.mul(hj, hj)));
    v128.store(da + o, d);
  }
  if (j < H) {
    const o = <usize>j << 3;
    const hj = load<f64>(h + o);
    store<f64>(da + o, relu ? (hj > 0 ? load<f64>(dh + o) : 0) : load<f64>(dh + o) * (1 - hj * hj));
  }
}

/**
 * ‖∂L_src/∂h_k‖ for k = src … 0 into norms[k]: the output src's gradient carried back through
 * the full depth without touching any parameter gradient. g, step and gPrev are H scratch.
 */
export function rnnSourceNorms(dhOut: usize, src: i32, hs: usize, Whh: usize, g: usize, step: usize, norms: usize, H: i32, relu: i32): void {
  const hBytes = <usize>H << 3;
  memory.copy(g, dhOut + <usize>src * hBytes, hBytes);
  for (let k = src; k >= 0; k--) {
    let s: f64 = 0;
    for (let j = 0; j < H; j++) {
      const v = load<f64>(g + (<usize>j << 3));
      s += v * v;
    }
    store<f64>(norms + (<usize>k << 3), Math.sqrt(s));
    if (k > 0) {
      activationBack(step, g, hs + <usize>k * hBytes + hBytes, H, relu);
      matVec(g, Whh, H, H, step, 0, 0);
    }
  }
}

/**
 * Adam (Kingma & Ba, Algorithm 1) over n parameters, two at a time, with the same operations in
 * the same order as the JS loop in optimizers.ts, so both give identical bits:
 * m ← β1·m + c1·g, v ← β2·v + (c2·g)·g, w ← w − (lr·(m·inv1)) / (√(v·inv2) + ε).
 */
export function adam(w: usize, dw: usize, m: usize, v: usize, n: i32, lr: f64, beta1: f64, beta2: f64, c1: f64, c2: f64, inv1: f64, inv2: f64, eps: f64): void {
  const B1 = f64x2.splat(beta1);
  const B2 = f64x2.splat(beta2);
  const C1 = f64x2.splat(c1);
  const C2 = f64x2.splat(c2);
  const LR = f64x2.splat(lr);
  const I1 = f64x2.splat(inv1);
  const I2 = f64x2.splat(inv2);
  const EPS = f64x2.splat(eps);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    const g = v128.load(dw + o);
    const mi = f64x2.add(f64x2.mul(B1, v128.load(m + o)), f64x2.mul(C1, g));
    const vi = f64x2.add(f64x2.mul(B2, v128.load(v + o)), f64x2.mul(f64x2.mul(C2, g), g));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const step = f64x2.div(f64x2.mul(LR, f64x2.mul(mi, I1)), f64x2.add(f64x2.sqrt(f64x2.mul(vi, I2)), EPS));
    v128.store(w + o, f64x2.sub(v128.load(w + o), step));
  }
  if (i < n) {
    const o = <usize>i << 3;
    const g = load<f64>(dw + o);
    const mi = beta1 * load<f64>(m + o) + c1 * g;
    const vi = beta2 * load<f64>(v + o) + c2 * g * g;
    store<f64>(m + o, mi);
    store<f64>(v + o, vi);
    store<f64>(w + o, load<f64>(w + o) - (lr * (mi * inv1)) / (Math.sqrt(vi * inv2) + eps));
  }
}

/** Σ a[i]² over n doubles, eight at a time in four independent accumulators. */
export function squaredSum(a: usize, n: i32): f64 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let s2 = f64x2.splat(0);
  let s3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = a + (<usize>i << 3);
    const x0 = v128.load(p);
    const x1 = v128.load(p, 16);
    const x2 = v128.load(p, 32);
    const x3 = v128.load(p, 48);
    s0 = f64x2.add(s0, f64x2.mul(x0, x0));
    s1 = f64x2.add(s1, f64x2.mul(x1, x1));
    s2 = f64x2.add(s2, f64x2.mul(x2, x2));
    s3 = f64x2.add(s3, f64x2.mul(x3, x3));
  }
  const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  let total = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < n; i++) {
    const x = load<f64>(a + (<usize>i << 3));
    total += x * x;
  }
  return total;
}

/**
 * out1 = M·x1 and out2 = M·x2 (M rows×cols, no init): two matVecs that load each row of M once,
 * four rows at a time (eight chains). Each row is summed exactly as matVec sums it, so the
 * results are the same bits.
 */
function matVec2(out1: usize, out2: usize, M: usize, rows: i32, cols: i32, x1: usize, x2: usize, reverse: bool): void {
  const c2 = cols & ~1;
  const stride = <usize>cols << 3;
  const groups = rows >> 2;
  const tail = groups << 2;
  // The rows left over after the groups of four come last in memory, so first when reversed.
  if (reverse && tail < rows) matVec2Tail(out1, out2, M, tail, rows, cols, x1, x2);
  for (let q = 0; q < groups; q++) {
    const r = (reverse ? groups - 1 - q : q) << 2;
    const m0 = M + <usize>r * stride;
    const m1 = m0 + stride;
    const m2 = m1 + stride;
    const m3 = m2 + stride;
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0);
    let b0 = f64x2.splat(0);
    let b1 = f64x2.splat(0);
    let b2 = f64x2.splat(0);
    let b3 = f64x2.splat(0);
    for (let c = 0; c < c2; c += 2) {
      const o = <usize>c << 3;
      const x = v128.load(x1 + o);
      const y = v128.load(x2 + o);
      const w0 = v128.load(m0 + o);
      const w1 = v128.load(m1 + o);
      const w2 = v128.load(m2 + o);
      const w3 = v128.load(m3 + o);
      a0 = f64x2.add(a0, f64x2.mul(w0, x));
      a1 = f64x2.add(a1, f64x2.mul(w1, x));
      a2 = f64x2.add(a2, f64x2.mul(w2, x));
      a3 = f64x2.add(a3, f64x2.mul(w3, x));
      b0 = f64x2.add(b0, f64x2.mul(w0, y));
      b1 = f64x2.add(b1, f64x2.mul(w1, y));
      b2 = f64x2.add(b2, f64x2.mul(w2, y));
      b3 = f64x2.add(b3, f64x2.mul(w3, y));
    }
    let s0 = lanes(a0);
    let s1 = lanes(a1);
    let s2 = lanes(a2);
    let s3 = lanes(a3);
    let t0 = lanes(b0);
    let t1 = lanes(b1);
    let t2 = lanes(b2);
    let t3 = lanes(b3);
    if (c2 < cols) {
      const o = <usize>c2 << 3;
      const xc = load<f64>(x1 + o);
      const yc = load<f64>(x2 + o);
      s0 += load<f64>(m0 + o) * xc;
      s1 += load<f64>(m1 + o) * xc;
      s2 += load<f64>(m2 + o) * xc;
      s3 += load<f64>(m3 + o) * xc;
      t0 += load<f64>(m0 + o) * yc;
      t1 += load<f64>(m1 + o) * yc;
      t2 += load<f64>(m2 + o) * yc;
      t3 += load<f64>(m3 + o) * yc;
    }
    const ro = <usize>r << 3;
    store<f64>(out1 + ro, s0);
    store<f64>(out1 + ro + 8, s1);
    store<f64>(out1 + ro + 16, s2);
    store<f64>(out1 + ro + 24, s3);
    store<f64>(out2 + ro, t0);
    store<f64>(out2 + ro + 8, t1);
    store<f64>(out2 + ro + 16, t2);
    store<f64>(out2 + ro + 24, t3);
  }
  if (!reverse && tail < rows) matVec2Tail(out1, out2, M, tail, rows, cols, x1, x2);
}

/** matVec2's rows r0 ≤ r < rows, through matVec (which sums each row the same way). */
// @ts-ignore: decorator
@inline function matVec2Tail(out1: usize, out2: usize, M: usize, r0: i32, rows: i32, cols: i32, x1: usize, x2: usize): void {
  const at = M + <usize>r0 * (<usize>cols << 3);
  matVec(out1 + (<usize>r0 << 3), at, rows - r0, cols, x1, 0, 0);
  matVec(out2 + (<usize>r0 << 3), at, rows - r0, cols, x2, 0, 0);
}

/**
 * Full BPTT through the RNN: for t = T−1 … 0, g = dhOut_t + dhNext is ∂L/∂h_t (kept in
 * dhTotal), da_t = g ⊙ f'(a_t), and dhNext = da_t·W_hhᵀ for the step before. dhNext is H scratch.
 * With norms ≠ 0 it also carries the last output's gradient alone back through the full depth
 * (rnnSourceNorms with src = T − 1) in the same sweep: both chains multiply by the same W_hh at
 * every step, so each row of it is read once for the two (at H = 128 it no longer fits in the
 * first-level cache). Same results as the separate passes. g and step are H scratch for that chain.
 */
export function rnnBackwardFull(dhOut: usize, dhTotal: usize, da: usize, hs: usize, Whh: usize, dhNext: usize, g: usize, step: usize, norms: usize, T: i32, H: i32, relu: i32): void {
  const hBytes = <usize>H << 3;
  const withLast = norms !== 0;
  memory.fill(dhNext, 0, hBytes);
  if (withLast) memory.copy(g, dhOut + <usize>(T - 1) * hBytes, hBytes);
  for (let t = T - 1; t >= 0; t--) {
    const d = <usize>t * hBytes;
    addVec(dhTotal + d, dhOut + d, dhNext, H);
    activationBack(da + d, dhTotal + d, hs + d + hBytes, H, relu);
    if (withLast) {
      let s: f64 = 0;
      for (let j = 0; j < H; j++) {
        const v = load<f64>(g + (<usize>j << 3));
        s += v * v;
      }
      store<f64>(norms + (<usize>t << 3), Math.sqrt(s));
      if (t > 0) {
        activationBack(step, g, hs + d + hBytes, H, relu);
        matVec2(dhNext, g, Whh, H, H, da + d, step, (t & 1) != 0);
      }
    } else if (t > 0) {
      matVec(dhNext, Whh, H, H, da + d, 0, 0);
    }
  }
}

/**
 * The input-side gradients of a cell with one-hot inputs: for each step t, row ids[t] of dW_xh
 * and db_h both gain da_t (G wide). Same additions in the same order as the JS loops.
 */
export function inputGrads(dWxh: usize, dbh: usize, da: usize, ids: usize, T: i32, G: i32): void {
  const gBytes = <usize>G << 3;
  for (let t = 0; t < T; t++) {
    const row = dWxh + <usize>load<i32>(ids + (<usize>t << 2)) * gBytes;
    const src = da + <usize>t * gBytes;
    let j = 0;
    for (; j + 2 <= G; j += 2) {
      const o = <usize>j << 3;
      const x = v128.load(src + o);
      v128.store(row + o, f64x2.add(v128.load(row + o), x));
      v128.store(dbh + o, f64x2.add(v128.load(dbh + o), x));
    }
    if (j < G) {
      const o = <usize>j << 3;
      const x = load<f64>(src + o);
      store<f64>(row + o, load<f64>(row + o) + x);
      store<f64>(dbh + o, load<f64>(dbh + o) + x);
    }
  }
}

// σ_max's two O(n³) stages for SigmaMaxSolver (../../spectral.ts, whose JS methods gram() and
// tridiagonalise() do the same where WebAssembly is missing). Entry-wise updates take two lanes
// at a time; the dot products keep two partial sums, so the last bits may differ from the JS
// methods, but the result is still a pure function of W.

// @ts-ignore: decorator
@inline function at8(base: usize, i: i32): usize {
  return base + (<usize>i << 3);
}

/** Upper triangle of A = BBᵀ (B n×m row-major), two rows by two rows, two columns of B per lane pair. */
export function sigmaGram(A: usize, B: usize, n: i32, m: i32): void {
  const m2 = m & ~1;
  for (let i = 0; i < n; i += 2) {
    const i1 = i + 1 < n ? i + 1 : i; // an odd last row pairs with itself
    const b0 = at8(B, i * m);
    const b1 = at8(B, i1 * m);
    for (let j = i; j < n; j += 2) {
      const j1 = j + 1 < n ? j + 1 : j;
      const c0 = at8(B, j * m);
      const c1 = at8(B, j1 * m);
      let p00 = f64x2.splat(0);
      let p01 = f64x2.splat(0);
      let p10 = f64x2.splat(0);
      let p11 = f64x2.splat(0);
      let c = 0;
      for (; c < m2; c += 2) {
        const o = <usize>c << 3;
        const x0 = v128.load(b0 + o);
        const x1 = v128.load(b1 + o);
        const y0 = v128.load(c0 + o);
        const y1 = v128.load(c1 + o);
        p00 = f64x2.add(p00, f64x2.mul(x0, y0));
        p01 = f64x2.add(p01, f64x2.mul(x0, y1));
        p10 = f64x2.add(p10, f64x2.mul(x1, y0));
        p11 = f64x2.add(p11, f64x2.mul(x1, y1));
      }
      let s00 = f64x2.extract_lane(p00, 0) + f64x2.extract_lane(p00, 1);
      let s01 = f64x2.extract_lane(p01, 0) + f64x2.extract_lane(p01, 1);
      let s10 = f64x2.extract_lane(p10, 0) + f64x2.extract_lane(p10, 1);
      let s11 = f64x2.extract_lane(p11, 0) + f64x2.extract_lane(p11, 1);
      if (c < m) {
        const o = <usize>c << 3;
        const x0 = load<f64>(b0 + o);
        const x1 = load<f64>(b1 + o);
        const y0 = load<f64>(c0 + o);
        const y1 = load<f64>(c1 + o);
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      // Rows and columns past the end repeat the last one; only real entries are stored.
      store<f64>(at8(A, i * n + j), s00);
      if (j1 > j) store<f64>(at8(A, i * n + j1), s01);
      if (i1 > i) {
        store<f64>(at8(A, i1 * n + j), s10);
        if (j1 > j) store<f64>(at8(A, i1 * n + j1), s11);
      }
    }
  }
}

/**
 * Householder reduction of the symmetric A (upper triangle, n×n) to tridiagonal d, e², as
 * SigmaMaxSolver.tridiagonalise explains. v, w, vPrev, wPrev are n scratch each.
 */
export function sigmaTridiagonalise(A: usize, d: usize, e2: usize, vIn: usize, wIn: usize, vPrevIn: usize, wPrevIn: usize, n: i32): void {
  let v = vIn;
  let w = wIn;
  let vPrev = vPrevIn;
  let wPrev = wPrevIn;
  memory.fill(vPrev, 0, <usize>n << 3);
  memory.fill(wPrev, 0, <usize>n << 3);
  for (let k = 0; k < n - 2; k++) {
    const row = at8(A, k * n);
    const k1 = k + 1;
    rank2Row(row, vPrev, wPrev, k, n);
    store<f64>(at8(d, k), load<f64>(at8(row, k)));
    let ss: f64 = 0;
    for (let j = k1; j < n; j++) {
      const x = load<f64>(at8(row, j));
      ss += x * x;
    }
    store<f64>(at8(e2, k), ss);
    const x0 = load<f64>(at8(row, k1));
    const alpha = x0 >= 0 ? -Math.sqrt(ss) : Math.sqrt(ss);
    memory.copy(at8(v, k1), at8(row, k1), <usize>(n - k1) << 3);
    store<f64>(at8(v, k1), ss === 0 ? 0 : x0 - alpha);
    const beta: f64 = ss === 0 ? 0 : 1 / (ss - alpha * x0);
    memory.fill(at8(w, k1), 0, <usize>(n - k1) << 3);
    let i = k1;
    for (; i + 1 < n; i += 2) {
      const r0 = at8(A, i * n);
      const r1 = r0 + (<usize>n << 3);
      const v0 = load<f64>(at8(v, i));
      const v1 = load<f64>(at8(v, i + 1));
      const pv0 = load<f64>(at8(vPrev, i));
      const pw0 = load<f64>(at8(wPrev, i));
      const pv1 = load<f64>(at8(vPrev, i + 1));
      const pw1 = load<f64>(at8(wPrev, i + 1));
      const a00 = load<f64>(at8(r0, i)) - 2 * pv0 * pw0;
      const a01 = load<f64>(at8(r0, i + 1)) - (pv0 * pw1 + pw0 * pv1);
      const a11 = load<f64>(at8(r1, i + 1)) - 2 * pv1 * pw1;
      store<f64>(at8(r0, i), a00);
      store<f64>(at8(r0, i + 1), a01);
      store<f64>(at8(r1, i + 1), a11);
      // Rows i and i+1 right of the 2×2 block: update them, dot them with v, and add their
      // contributions to w, two columns per lane pair.
      const PV0 = f64x2.splat(pv0);
      const PW0 = f64x2.splat(pw0);
      const PV1 = f64x2.splat(pv1);
      const PW1 = f64x2.splat(pw1);
      const V0 = f64x2.splat(v0);
      const V1 = f64x2.splat(v1);
      let q0 = f64x2.splat(0);
      let q1 = f64x2.splat(0);
      let j = i + 2;
      for (; j + 1 < n; j += 2) {
        const o = <usize>j << 3;
        const pwj = v128.load(wPrev + o);
        const pvj = v128.load(vPrev + o);
        const a0 = f64x2.sub(v128.load(r0 + o), f64x2.add(f64x2.mul(PV0, pwj), f64x2.mul(PW0, pvj)));
        const a1 = f64x2.sub(v128.load(r1 + o), f64x2.add(f64x2.mul(PV1, pwj), f64x2.mul(PW1, pvj)));
        v128.store(r0 + o, a0);
        v128.store(r1 + o, a1);
        const vj = v128.load(v + o);
        q0 = f64x2.add(q0, f64x2.mul(a0, vj));
        q1 = f64x2.add(q1, f64x2.mul(a1, vj));
        v128.store(w + o, f64x2.add(v128.load(w + o), f64x2.add(f64x2.mul(a0, V0), f64x2.mul(a1, V1))));
      }
      let s0 = a00 * v0 + a01 * v1 + (f64x2.extract_lane(q0, 0) + f64x2.extract_lane(q0, 1));
      let s1 = a01 * v0 + a11 * v1 + (f64x2.extract_lane(q1, 0) + f64x2.extract_lane(q1, 1));
      if (j < n) {
        const pwj = load<f64>(at8(wPrev, j));
        const pvj = load<f64>(at8(vPrev, j));
        const a0 = load<f64>(at8(r0, j)) - (pv0 * pwj + pw0 * pvj);
        const a1 = load<f64>(at8(r1, j)) - (pv1 * pwj + pw1 * pvj);
        store<f64>(at8(r0, j), a0);
        store<f64>(at8(r1, j), a1);
        const vj = load<f64>(at8(v, j));
        s0 += a0 * vj;
        s1 += a1 * vj;
        store<f64>(at8(w, j), load<f64>(at8(w, j)) + (a0 * v0 + a1 * v1));
      }
      store<f64>(at8(w, i), load<f64>(at8(w, i)) + s0);
      store<f64>(at8(w, i + 1), load<f64>(at8(w, i + 1)) + s1);
    }
    if (i < n) {
      const a00 = load<f64>(at8(A, i * n + i)) - 2 * load<f64>(at8(vPrev, i)) * load<f64>(at8(wPrev, i));
      store<f64>(at8(A, i * n + i), a00);
      store<f64>(at8(w, i), load<f64>(at8(w, i)) + a00 * load<f64>(at8(v, i)));
    }
    let pv: f64 = 0;
    for (let q = k1; q < n; q++) {
      const wq = load<f64>(at8(w, q)) * beta;
      store<f64>(at8(w, q), wq);
      pv += wq * load<f64>(at8(v, q));
    }
    const half = 0.5 * beta * pv;
    for (let q = k1; q < n; q++) store<f64>(at8(w, q), load<f64>(at8(w, q)) - half * load<f64>(at8(v, q)));
    const tv = vPrev;
    vPrev = v;
    v = tv;
    const tw = wPrev;
    wPrev = w;
    w = tw;
  }
  for (let k = n - 2 > 0 ? n - 2 : 0; k < n; k++) rank2Row(at8(A, k * n), vPrev, wPrev, k, n);
  if (n >= 2) {
    const row = at8(A, (n - 2) * n);
    store<f64>(at8(d, n - 2), load<f64>(at8(row, n - 2)));
    const off = load<f64>(at8(row, n - 1));
    store<f64>(at8(e2, n - 2), off * off);
  }
  store<f64>(at8(d, n - 1), load<f64>(at8(A, n * n - 1)));
}

/** Row k of A from column k on takes the previous reflector's update: A[k][j] −= vP[k]·wP[j] + wP[k]·vP[j]. */
// @ts-ignore: decorator
@inline function rank2Row(row: usize, vPrev: usize, wPrev: usize, k: i32, n: i32): void {
  const vk = load<f64>(at8(vPrev, k));
  const wk = load<f64>(at8(wPrev, k));
  for (let j = k; j < n; j++) {
    const p = at8(row, j);
    store<f64>(p, load<f64>(p) - (vk * load<f64>(at8(wPrev, j)) + wk * load<f64>(at8(vPrev, j))));
  }
}

/** out[t] = ‖row t of a‖₂ for t < T (a is T×H): each a sequential sum of squares, as norm2 in JS. */
export function rowNorms(out: usize, a: usize, T: i32, H: i32): void {
  const hBytes = <usize>H << 3;
  for (let t = 0; t < T; t++) {
    const row = a + <usize>t * hBytes;
    let s: f64 = 0;
    for (let j = 0; j < H; j++) {
      const v = load<f64>(row + (<usize>j << 3));
      s += v * v;
    }
    store<f64>(out + (<usize>t << 3), Math.sqrt(s));
  }
}

/**
 * The RNN's per-step backward factor f′(a_t), from h_t alone as the backward forms it
 * (tanh′ = 1 − h², ReLU′ = [h > 0]): out[2t] = its mean over the H units, out[2t+1] = its max,
 * for t < T. hs1 points at h of the first step. Four units at a time in two accumulators; since
 * 1 − x falls as x rises (rounded too), the largest 1 − h² is 1 − (smallest h²).
 */
export function rnnStepSlopes(out: usize, hs1: usize, T: i32, H: i32, relu: i32): void {
  const rowBytes = <usize>H << 3;
  const Z = f64x2.splat(0);
  const ONE = f64x2.splat(1);
  const INF = f64x2.splat(Infinity);
  for (let t = 0; t < T; t++) {
    const row = hs1 + <usize>t * rowBytes;
    let s0 = Z;
    let s1 = Z;
    let m0 = INF;
    let m1 = INF;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const p = row + (<usize>j << 3);
      const x0 = v128.load(p);
      const x1 = v128.load(p, 16);
      if (relu) {
        s0 = f64x2.add(s0, v128.and(f64x2.gt(x0, Z), ONE));
        s1 = f64x2.add(s1, v128.and(f64x2.gt(x1, Z), ONE));
      } else {
        const q0 = f64x2.mul(x0, x0);
        const q1 = f64x2.mul(x1, x1);
        s0 = f64x2.add(s0, q0);
        s1 = f64x2.add(s1, q1);
        m0 = f64x2.min(m0, q0);
        m1 = f64x2.min(m1, q1);
      }
    }
    const s = f64x2.add(s0, s1);
    const m = f64x2.min(m0, m1);
    let sum = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
    let min = Math.min(f64x2.extract_lane(m, 0), f64x2.extract_lane(m, 1));
    for (; j < H; j++) {
      const x = load<f64>(row + (<usize>j << 3));
      if (relu) {
        if (x > 0) sum += 1;
      } else {
        sum += x * x;
        min = Math.min(min, x * x);
      }
    }
    const o = out + (<usize>t << 4);
    if (relu) {
      store<f64>(o, sum / <f64>H);
      store<f64>(o, sum > 0 ? 1 : 0, 8);
    } else {
      store<f64>(o, (<f64>H - sum) / <f64>H);
      store<f64>(o, 1 - min, 8);
    }
  }
}

// The gated cells' whole loops, one call per window for each direction. Every value is formed
// with the same operations in the same order as the step-by-step JS code in ../../lstm.ts and
// ../../gru.ts (those now serve as the reference the tests hold these to), so the two agree to
// the last bit wherever both use these same SIMD activations.

/** √(Σ v[j]²) summed in order, as norm2 in ../../param.ts. */
// @ts-ignore: decorator
@inline function norm2(v: usize, n: i32): f64 {
  let s: f64 = 0;
  for (let j = 0; j < n; j++) {
    const x = load<f64>(v + (<usize>j << 3));
    s += x * x;
  }
  return Math.sqrt(s);
}

/**
 * LSTM forward over T steps, gate blocks [i f g o]: z_t = W_xh[ids[t]] + b_h + h_{t−1}·W_hh,
 * c_t = f ⊙ c_{t−1} + i ⊙ g, h_t = o ⊙ tanh(c_t). hs and cs are (T+1)×H with the initial state
 * first; gates is T×4H, tc (tanh c_t) T×H.
 */
export function lstmForward(hs: usize, cs: usize, gates: usize, tc: usize, Wxh: usize, bh: usize, Whh: usize, ids: usize, T: i32, H: i32): void {
  const G = 4 * H;
  const hBytes = <usize>H << 3;
  const gBytes = <usize>G << 3;
  for (let t = 0; t < T; t++) {
    const z = gates + <usize>t * gBytes;
    addVec(z, Wxh + <usize>load<i32>(ids + (<usize>t << 2)) * gBytes, bh, G);
    vecMatAdd(z, hs + <usize>t * hBytes, Whh, H, G);
    lstmCell(z, cs + <usize>t * hBytes, tc + <usize>t * hBytes, hs + <usize>(t + 1) * hBytes, H);
  }
}

/**
 * The rest of LSTM step t once z = x_t·W_xh + b_h + h_{t−1}·W_hh is formed: the gates in place,
 * c_t (after cPrev), tanh(c_t) in tcRow and h_t in hCur. Exported for a recurrent product split
 * between two threads (split.ts), so that path gives lstmForward's bits.
 */
export function lstmActivate(z: usize, cPrev: usize, tcRow: usize, hCur: usize, H: i32): void {
  lstmCell(z, cPrev, tcRow, hCur, H);
}

// @ts-ignore: decorator
@inline function lstmCell(z: usize, cPrev: usize, tcRow: usize, hCur: usize, H: i32): void {
  const hBytes = <usize>H << 3;
  sigmoidInPlace(z, 2 * H);
  tanhInPlace(z + 2 * hBytes, H);
  sigmoidInPlace(z + 3 * hBytes, H);
  const cCur = cPrev + hBytes;
  let j = 0;
  for (; j + 2 <= H; j += 2) {
    const o = <usize>j << 3;
    const c = f64x2.add(f64x2.mul(v128.load(z + hBytes + o), v128.load(cPrev + o)), f64x2.mul(v128.load(z + o), v128.load(z + 2 * hBytes + o)));
    v128.store(cCur + o, c);
    v128.store(tcRow + o, c);
  }
  if (j < H) {
    const o = <usize>j << 3;
    const c = load<f64>(z + hBytes + o) * load<f64>(cPrev + o) + load<f64>(z + o) * load<f64>(z + 2 * hBytes + o);
    store<f64>(cCur + o, c);
    store<f64>(tcRow + o, c);
  }
  tanhInPlace(tcRow, H);
  j = 0;
  for (; j + 2 <= H; j += 2) {
    const o = <usize>j << 3;
    v128.store(hCur + o, f64x2.mul(v128.load(z + 3 * hBytes + o), v128.load(tcRow + o)));
  }
  if (j < H) {
    const o = <usize>j << 3;
    store<f64>(hCur + o, load<f64>(z + 3 * hBytes + o) * load<f64>(tcRow + o));
  }
}

/**
 * One LSTM step back through step t: from dh = ∂/∂h_t and dc = ∂/∂c_t from later steps (in
 * place, becomes ∂/∂c_{t−1}), writes dz (4H, the pre-activation gradients) and dcAt = ∂L/∂c_t.
 */
// @ts-ignore: decorator
@inline function lstmStepBack(dz: usize, dcAt: usize, dc: usize, dh: usize, z: usize, tcRow: usize, cPrev: usize, H: i32): void {
  const hBytes = <usize>H << 3;
  const ONE = f64x2.splat(1);
  let j = 0;
  // Two units per turn, each value with the scalar tail's operations in its order: same bits.
  for (; j + 2 <= H; j += 2) {
    const o = <usize>j << 3;
    const i = v128.load(z + o);
    const f = v128.load(z + hBytes + o);
    const g = v128.load(z + 2 * hBytes + o);
    const og = v128.load(z + 3 * hBytes + o);
    const tcj = v128.load(tcRow + o);
    const dhj = v128.load(dh + o);
    const c = f64x2.add(v128.load(dc + o), f64x2.mul(f64x2.mul(dhj, og), f64x2.sub(ONE, f64x2.mul(tcj, tcj))));
    v128.store(dcAt + o, c);
    v128.store(dz + o, f64x2.mul(f64x2.mul(f64x2.mul(c, g), i), f64x2.sub(ONE, i)));
    v128.store(dz + hBytes + o, f64x2.mul(f64x2.mul(f64x2.mul(c, v128.load(cPrev + o)), f), f64x2.sub(ONE, f)));
    v128.store(dz + 2 * hBytes + o, f64x2.mul(f64x2.mul(c, i), f64x2.sub(ONE, f64x2.mul(g, g))));
    v128.store(dz + 3 * hBytes + o, f64x2.mul(f64x2.mul(f64x2.mul(dhj, tcj), og), f64x2.sub(ONE, og)));
    v128.store(dc + o, f64x2.mul(c, f));
  }
  for (; j < H; j++) {
    const o = <usize>j << 3;
    const i = load<f64>(z + o);
    const f = load<f64>(z + hBytes + o);
    const g = load<f64>(z + 2 * hBytes + o);
    const og = load<f64>(z + 3 * hBytes + o);
    const tcj = load<f64>(tcRow + o);
    const dhj = load<f64>(dh + o);
    const c = load<f64>(dc + o) + dhj * og * (1 - tcj * tcj);
    store<f64>(dcAt + o, c);
    store<f64>(dz + o, c * g * i * (1 - i));
    store<f64>(dz + hBytes + o, c * load<f64>(cPrev + o) * f * (1 - f));
    store<f64>(dz + 2 * hBytes + o, c * i * (1 - g * g));
    store<f64>(dz + 3 * hBytes + o, dhj * tcj * og * (1 - og));
    store<f64>(dc + o, c * f);
  }
}

/**
 * Full BPTT through the LSTM over the last forward: dhTotal, dcTotal (T×H) and dz (T×4H, each
 * step's own, since full BPTT reaches every step once). dhNext and dc are H scratch. With
 * norms ≠ 0, also the last output's gradient alone through the full depth in the same sweep
 * (norms[k] = ‖∂L_{T−1}/∂h_k‖, cellNorms[k] = ‖∂L_{T−1}/∂c_k‖; g, gNext, dc2, dcAt2 H scratch,
 * step2 4H): both chains multiply by W_hhᵀ, so each row of W_hh is read once for the two.
 */
export function lstmBackwardFull(
  dhOut: usize, dhTotal: usize, dcTotal: usize, dz: usize, hs: usize, cs: usize, gates: usize, tc: usize, Whh: usize,
  dhNext: usize, dc: usize, norms: usize, cellNorms: usize, g: usize, gNext: usize, dc2: usize, dcAt2: usize, step2: usize, T: i32, H: i32,
): void {
  const G = 4 * H;
  const hBytes = <usize>H << 3;
  const gBytes = <usize>G << 3;
  const withLast = norms !== 0;
  memory.fill(dhNext, 0, hBytes);
  memory.fill(dc, 0, hBytes);
  if (withLast) {
    memory.copy(g, dhOut + <usize>(T - 1) * hBytes, hBytes);
    memory.fill(dc2, 0, hBytes);
  }
  for (let t = T - 1; t >= 0; t--) {
    const d = <usize>t * hBytes;
    const z = gates + <usize>t * gBytes;
    const dzRow = dz + <usize>t * gBytes;
    addVec(dhTotal + d, dhOut + d, dhNext, H);
    lstmStepBack(dzRow, dcTotal + d, dc, dhTotal + d, z, tc + d, cs + d, H);
    if (withLast) {
      store<f64>(norms + (<usize>t << 3), norm2(g, H));
      lstmStepBack(step2, dcAt2, dc2, g, z, tc + d, cs + d, H);
      store<f64>(cellNorms + (<usize>t << 3), norm2(dcAt2, H));
      if (t > 0) {
        matVec2(dhNext, gNext, Whh, H, G, dzRow, step2, (t & 1) != 0);
        memory.copy(g, gNext, hBytes);
      }
    } else if (t > 0) {
      matVec(dhNext, Whh, H, G, dzRow, 0, 0);
    }
  }
}

/**
 * GRU forward over T steps, gate blocks [r z n]: rec = h_{t−1}·W_hh; r, z = σ(W_xh[ids[t]] + b_h
 * + rec); n = tanh(x-part + r ⊙ (rec_n + b_hn)); h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}. cache is T×4H
 * (r, z, n, rec_n + b_hn); rec is 3H scratch.
 */
export function gruForward(hs: usize, cache: usize, rec: usize, Wxh: usize, bh: usize, bhn: usize, Whh: usize, ids: usize, T: i32, H: i32): void {
  const G = 3 * H;
  const hBytes = <usize>H << 3;
  const gBytes = <usize>G << 3;
  for (let t = 0; t < T; t++) {
    const prev = hs + <usize>t * hBytes;
    const cur = prev + hBytes;
    const xrow = Wxh + <usize>load<i32>(ids + (<usize>t << 2)) * gBytes;
    const c = cache + <usize>t * (hBytes << 2);
    memory.fill(rec, 0, gBytes);
    vecMatAdd(rec, prev, Whh, H, G);
    for (let j = 0; j < 2 * H; j++) {
      const o = <usize>j << 3;
      store<f64>(c + o, load<f64>(xrow + o) + load<f64>(bh + o) + load<f64>(rec + o));
    }
    sigmoidInPlace(c, 2 * H);
    for (let j = 0; j < H; j++) {
      const o = <usize>j << 3;
      const hn = load<f64>(rec + 2 * hBytes + o) + load<f64>(bhn + o);
      store<f64>(c + 3 * hBytes + o, hn);
      store<f64>(c + 2 * hBytes + o, load<f64>(xrow + 2 * hBytes + o) + load<f64>(bh + 2 * hBytes + o) + load<f64>(c + o) * hn);
    }
    tanhInPlace(c + 2 * hBytes, H);
    for (let j = 0; j < H; j++) {
      const o = <usize>j << 3;
      const zj = load<f64>(c + hBytes + o);
      store<f64>(cur + o, (1 - zj) * load<f64>(c + 2 * hBytes + o) + zj * load<f64>(prev + o));
    }
  }
}

/** One GRU step back: from dh = ∂/∂h_t, the input-side [da_r da_z da_n] into dx and the recurrent-side [da_r da_z r⊙da_n] into dhh. */
// @ts-ignore: decorator
@inline function gruStepBack(dx: usize, dhh: usize, dh: usize, c: usize, prev: usize, H: i32): void {
  const hBytes = <usize>H << 3;
  const ONE = f64x2.splat(1);
  let j = 0;
  // Two units per turn, each value with the scalar tail's operations in its order: same bits.
  for (; j + 2 <= H; j += 2) {
    const o = <usize>j << 3;
    const r = v128.load(c + o);
    const z = v128.load(c + hBytes + o);
    const n = v128.load(c + 2 * hBytes + o);
    const hn = v128.load(c + 3 * hBytes + o);
    const dhj = v128.load(dh + o);
    const dan = f64x2.mul(f64x2.mul(dhj, f64x2.sub(ONE, z)), f64x2.sub(ONE, f64x2.mul(n, n)));
    const daz = f64x2.mul(f64x2.mul(f64x2.mul(dhj, f64x2.sub(v128.load(prev + o), n)), z), f64x2.sub(ONE, z));
    const dar = f64x2.mul(f64x2.mul(f64x2.mul(dan, hn), r), f64x2.sub(ONE, r));
    v128.store(dx + o, dar);
    v128.store(dx + hBytes + o, daz);
    v128.store(dx + 2 * hBytes + o, dan);
    v128.store(dhh + o, dar);
    v128.store(dhh + hBytes + o, daz);
    v128.store(dhh + 2 * hBytes + o, f64x2.mul(dan, r));
  }
  for (; j < H; j++) {
    const o = <usize>j << 3;
    const r = load<f64>(c + o);
    const z = load<f64>(c + hBytes + o);
    const n = load<f64>(c + 2 * hBytes + o);
    const hn = load<f64>(c + 3 * hBytes + o);
    const dhj = load<f64>(dh + o);
    const dan = dhj * (1 - z) * (1 - n * n);
    const daz = dhj * (load<f64>(prev + o) - n) * z * (1 - z);
    const dar = dan * hn * r * (1 - r);
    store<f64>(dx + o, dar);
    store<f64>(dx + hBytes + o, daz);
    store<f64>(dx + 2 * hBytes + o, dan);
    store<f64>(dhh + o, dar);
    store<f64>(dhh + hBytes + o, daz);
    store<f64>(dhh + 2 * hBytes + o, dan * r);
  }
}

/** dhPrev[j] += dh[j] · z[j]: the direct path h_{t−1} → h_t of the GRU. */
// @ts-ignore: decorator
@inline function gruDirect(dhPrev: usize, dh: usize, z: usize, H: i32): void {
  let j = 0;
  for (; j + 2 <= H; j += 2) {
    const o = <usize>j << 3;
    v128.store(dhPrev + o, f64x2.add(v128.load(dhPrev + o), f64x2.mul(v128.load(dh + o), v128.load(z + o))));
  }
  for (; j < H; j++) {
    const o = <usize>j << 3;
    store<f64>(dhPrev + o, load<f64>(dhPrev + o) + load<f64>(dh + o) * load<f64>(z + o));
  }
}

/**
 * Full BPTT through the GRU over the last forward: dhTotal (T×H), dx and dhh (T×3H, each step's
 * own). dhNext is H scratch. With norms ≠ 0, the last output's chain in the same sweep as in
 * lstmBackwardFull (g, gNext H scratch; x2, h2 3H scratch).
 */
export function gruBackwardFull(dhOut: usize, dhTotal: usize, dx: usize, dhh: usize, hs: usize, cache: usize, Whh: usize, dhNext: usize, norms: usize, g: usize, gNext: usize, x2: usize, h2: usize, T: i32, H: i32): void {
  const G = 3 * H;
  const hBytes = <usize>H << 3;
  const gBytes = <usize>G << 3;
  const withLast = norms !== 0;
  memory.fill(dhNext, 0, hBytes);
  if (withLast) memory.copy(g, dhOut + <usize>(T - 1) * hBytes, hBytes);
  for (let t = T - 1; t >= 0; t--) {
    const d = <usize>t * hBytes;
    const c = cache + <usize>t * (hBytes << 2);
    const dxRow = dx + <usize>t * gBytes;
    const dhhRow = dhh + <usize>t * gBytes;
    const dh = dhTotal + d;
    addVec(dh, dhOut + d, dhNext, H);
    gruStepBack(dxRow, dhhRow, dh, c, hs + d, H);
    if (withLast) {
      store<f64>(norms + (<usize>t << 3), norm2(g, H));
      if (t > 0) {
        gruStepBack(x2, h2, g, c, hs + d, H);
        matVec2(dhNext, gNext, Whh, H, G, dhhRow, h2, (t & 1) != 0);
        gruDirect(dhNext, dh, c + hBytes, H);
        gruDirect(gNext, g, c + hBytes, H);
        memory.copy(g, gNext, hBytes);
      }
    } else if (t > 0) {
      matVec(dhNext, Whh, H, G, dhhRow, 0, 0);
      gruDirect(dhNext, dh, c + hBytes, H);
    }
  }
}

// Truncated BPTT, one call per sequence for each cell: every output t's gradient is carried back
// through at most K steps (t, t−1, …, max(0, t−K+1)), each step's pre-activation gradients are
// summed into the T-row accumulators (zeroed here first, like dhTotal and dcTotal), and the
// caller multiplies them out into the parameter gradients once. Same operations in the same order
// as the step loop in ../../sequence.ts (backwardTruncated) over the cells' backStep, so the same
// bits. g and gPrev are H scratch; the cells' own step scratch is named per kernel.

/** The RNN: da (T×H) gains da_s = g ⊙ f′(a_s) for every (t, s) pair; step is H scratch. */
export function rnnBackwardTruncated(dhOut: usize, dhTotal: usize, da: usize, hs: usize, Whh: usize, gIn: usize, gPrevIn: usize, step: usize, T: i32, H: i32, K: i32, relu: i32): void {
  const hBytes = <usize>H << 3;
  memory.fill(dhTotal, 0, <usize>T * hBytes);
  memory.fill(da, 0, <usize>T * hBytes);
  for (let t = 0; t < T; t++) {
    let g = gIn;
    let gPrev = gPrevIn;
    memory.copy(g, dhOut + <usize>t * hBytes, hBytes);
    const stop = max(0, t - K + 1);
    for (let s = t; s >= stop; s--) {
      const d = <usize>s * hBytes;
      addVec(dhTotal + d, dhTotal + d, g, H);
      activationBack(step, g, hs + d + hBytes, H, relu);
      addVec(da + d, da + d, step, H);
      if (s > stop) matVec(gPrev, Whh, H, H, step, 0, 0);
      const swap = g;
      g = gPrev;
      gPrev = swap;
    }
  }
}

/**
 * The LSTM: dz (T×4H) gains each pair's pre-activation gradients, dcTotal (T×H) its ∂L/∂c_s.
 * dc and dcAt are H scratch, step 4H.
 */
export function lstmBackwardTruncated(
  dhOut: usize, dhTotal: usize, dcTotal: usize, dz: usize, cs: usize, gates: usize, tc: usize, Whh: usize,
  gIn: usize, gPrevIn: usize, dc: usize, dcAt: usize, step: usize, T: i32, H: i32, K: i32,
): void {
  const G = 4 * H;
  const hBytes = <usize>H << 3;
  const gBytes = <usize>G << 3;
  memory.fill(dhTotal, 0, <usize>T * hBytes);
  memory.fill(dcTotal, 0, <usize>T * hBytes);
  memory.fill(dz, 0, <usize>T * gBytes);
  for (let t = 0; t < T; t++) {
    let g = gIn;
    let gPrev = gPrevIn;
    memory.copy(g, dhOut + <usize>t * hBytes, hBytes);
    memory.fill(dc, 0, hBytes);
    const stop = max(0, t - K + 1);
    for (let s = t; s >= stop; s--) {
      const d = <usize>s * hBytes;
      const dzRow = dz + <usize>s * gBytes;
      addVec(dhTotal + d, dhTotal + d, g, H);
      lstmStepBack(step, dcAt, dc, g, gates + <usize>s * gBytes, tc + d, cs + d, H);
      addVec(dzRow, dzRow, step, G);
      if (s > stop) matVec(gPrev, Whh, H, G, step, 0, 0);
      addVec(dcTotal + d, dcTotal + d, dcAt, H);
      const swap = g;
      g = gPrev;
      gPrev = swap;
    }
  }
}

/** The GRU: dx and dhh (T×3H) gain each pair's two sides; stepX and stepH are 3H scratch. */
export function gruBackwardTruncated(
  dhOut: usize, dhTotal: usize, dx: usize, dhh: usize, hs: usize, cache: usize, Whh: usize,
  gIn: usize, gPrevIn: usize, stepX: usize, stepH: usize, T: i32, H: i32, K: i32,
): void {
  const G = 3 * H;
  const hBytes = <usize>H << 3;
  const gBytes = <usize>G << 3;
  memory.fill(dhTotal, 0, <usize>T * hBytes);
  memory.fill(dx, 0, <usize>T * gBytes);
  memory.fill(dhh, 0, <usize>T * gBytes);
  for (let t = 0; t < T; t++) {
    let g = gIn;
    let gPrev = gPrevIn;
    memory.copy(g, dhOut + <usize>t * hBytes, hBytes);
    const stop = max(0, t - K + 1);
    for (let s = t; s >= stop; s--) {
      const d = <usize>s * hBytes;
      const c = cache + <usize>s * (hBytes << 2);
      addVec(dhTotal + d, dhTotal + d, g, H);
      gruStepBack(stepX, stepH, g, c, hs + d, H);
      addVec(dx + <usize>s * gBytes, dx + <usize>s * gBytes, stepX, G);
      addVec(dhh + <usize>s * gBytes, dhh + <usize>s * gBytes, stepH, G);
      if (s > stop) {
        matVec(gPrev, Whh, H, G, stepH, 0, 0);
        gruDirect(gPrev, g, c + hBytes, H);
      }
      const swap = g;
      g = gPrev;
      gPrev = swap;
    }
  }
}

/**
 * ‖∂L_src/∂h_k‖ (and, LSTM, ‖∂L_src/∂c_k‖) for k = src … 0 through the full depth, into
 * norms[k] (and cellNorms[k]), leaving every gradient alone: the gated cells' rnnSourceNorms.
 * cell 1 is the LSTM (cs, gates, tc; dc and dcAt H scratch), 2 the GRU (hs, cache; dcAt unused).
 * g and gNext are H scratch, step and step2 G scratch.
 */
export function gatedSourceNorms(
  cell: i32, dhOut: usize, src: i32, hs: usize, cs: usize, gates: usize, tc: usize, cache: usize, Whh: usize,
  gIn: usize, gNextIn: usize, dc: usize, dcAt: usize, step: usize, step2: usize, norms: usize, cellNorms: usize, H: i32,
): void {
  const lstm = cell === 1;
  const G = (lstm ? 4 : 3) * H;
  const hBytes = <usize>H << 3;
  const gBytes = <usize>G << 3;
  let g = gIn;
  let gNext = gNextIn;
  memory.copy(g, dhOut + <usize>src * hBytes, hBytes);
  if (lstm) memory.fill(dc, 0, hBytes);
  for (let k = src; k >= 0; k--) {
    const d = <usize>k * hBytes;
    store<f64>(norms + (<usize>k << 3), norm2(g, H));
    if (lstm) {
      lstmStepBack(step, dcAt, dc, g, gates + <usize>k * gBytes, tc + d, cs + d, H);
      if (cellNorms !== 0) store<f64>(cellNorms + (<usize>k << 3), norm2(dcAt, H));
      if (k > 0) matVec(gNext, Whh, H, G, step, 0, 0);
    } else if (k > 0) {
      const c = cache + <usize>k * (hBytes << 2);
      gruStepBack(step2, step, g, c, hs + d, H);
      matVec(gNext, Whh, H, G, step, 0, 0);
      gruDirect(gNext, g, c + hBytes, H);
    }
    const swap = g;
    g = gNext;
    gNext = swap;
  }
}
