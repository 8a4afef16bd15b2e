// AssemblyScript kernels that measure this CPU's ceiling for the core's arithmetic (bench/floor.ts
// compiles and runs them): f64x2 multiply-then-add with eight independent chains, so the loop is
// bound by the FP ports, not by latency; and sqrt-then-divide, the part of Adam no reordering avoids.

/** n rounds of 8 independent a = a·m + c chains: 16 vector operations per round. */
export function mulAdd(n: i32): f64 {
  let a0 = f64x2.splat(1.0), a1 = f64x2.splat(1.1), a2 = f64x2.splat(1.2), a3 = f64x2.splat(1.3);
  let a4 = f64x2.splat(1.4), a5 = f64x2.splat(1.5), a6 = f64x2.splat(1.6), a7 = f64x2.splat(1.7);
  const m = f64x2.splat(0.999999), c = f64x2.splat(1e-7);
  for (let i = 0; i < n; i++) {
    a0 = f64x2.add(f64x2.mul(a0, m), c); a1 = f64x2.add(f64x2.mul(a1, m), c);
    a2 = f64x2.add(f64x2.mul(a2, m), c); a3 = f64x2.add(f64x2.mul(a3, m), c);
    a4 = f64x2.add(f64x2.mul(a4, m), c); a5 = f64x2.add(f64x2.mul(a5, m), c);
    a6 = f64x2.add(f64x2.mul(a6, m), c); a7 = f64x2.add(f64x2.mul(a7, m), c);
  }
  const s = f64x2.add(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)), f64x2.add(f64x2.add(a4, a5), f64x2.add(a6, a7)));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}
/** n rounds of 8 independent a = c / (√a + e) chains: 8 square roots and 8 divisions of two lanes per round. */
export function sqrtDiv(n: i32): f64 {
  let a0 = f64x2.splat(1.0), a1 = f64x2.splat(1.1), a2 = f64x2.splat(1.2), a3 = f64x2.splat(1.3);
  let a4 = f64x2.splat(1.4), a5 = f64x2.splat(1.5), a6 = f64x2.splat(1.6), a7 = f64x2.splat(1.7);
  const c = f64x2.splat(1.000001), e = f64x2.splat(1e-8);
  for (let i = 0; i < n; i++) {
    a0 = f64x2.div(c, f64x2.add(f64x2.sqrt(a0), e)); a1 = f64x2.div(c, f64x2.add(f64x2.sqrt(a1), e));
    a2 = f64x2.div(c, f64x2.add(f64x2.sqrt(a2), e)); a3 = f64x2.div(c, f64x2.add(f64x2.sqrt(a3), e));
    a4 = f64x2.div(c, f64x2.add(f64x2.sqrt(a4), e)); a5 = f64x2.div(c, f64x2.add(f64x2.sqrt(a5), e));
    a6 = f64x2.div(c, f64x2.add(f64x2.sqrt(a6), e)); a7 = f64x2.div(c, f64x2.add(f64x2.sqrt(a7), e));
  }
  const s = f64x2.add(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)), f64x2.add(f64x2.add(a4, a5), f64x2.add(a6, a7)));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}
