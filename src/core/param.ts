// A parameter and its gradient side by side, as in recurrentjs's Mat {w, dw}.

export interface Param {
  /** Name as in the weights file: W_xh, W_hh, W_hy, b_h, b_y. */
  readonly name: string;
  /** Row-major shape; vectors have one dimension. */
  readonly shape: readonly number[];
  readonly w: Float64Array;
  readonly dw: Float64Array;
}

/** `alloc` places w and dw (in a WebAssembly arena, so the optimizer's kernel can reach them). */
export function makeParam(name: string, shape: number[], alloc: (n: number) => Float64Array = (n) => new Float64Array(n)): Param {
  const n = shape.reduce((a, b) => a * b, 1);
  return { name, shape, w: alloc(n), dw: alloc(n) };
}

export function zeroGrads(params: readonly Param[]): void {
  for (const p of params) p.dw.fill(0);
}

export function norm2(a: Float64Array, offset = 0, length = a.length - offset): number {
  let s = 0;
  for (let i = offset; i < offset + length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
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
