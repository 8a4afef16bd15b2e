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

export { squaredSum } from './kernels';
