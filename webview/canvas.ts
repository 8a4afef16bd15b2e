// The one way the panels size a canvas: its bitmap follows its CSS box at the device pixel ratio,
// and drawing happens in CSS pixels.

/**
 * Fits c's bitmap to its CSS size × devicePixelRatio (resizing only when that changed: a resize
 * throws the bitmap away and costs a reallocation), scales the context to CSS pixels and clears
 * it. Null while the canvas has no size (a hidden panel).
 */
export function fitCanvas(c: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; w: number; h: number } | null {
  const dpr = window.devicePixelRatio || 1;
  const w = c.clientWidth;
  const h = c.clientHeight;
  if (w === 0 || h === 0) return null;
  const bw = Math.round(w * dpr);
  const bh = Math.round(h * dpr);
  if (c.width !== bw || c.height !== bh) {
    c.width = bw;
    c.height = bh;
  }
  const ctx = c.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, w, h };
}

/** A chart's box and its canvas (with a text alternative when given). */
export function chartBox(label?: string, cls = 'chart'): { box: HTMLDivElement; canvas: HTMLCanvasElement } {
  const box = document.createElement('div');
  box.className = cls;
  const canvas = document.createElement('canvas');
  if (label) {
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', label);
  }
  box.append(canvas);
  return { box, canvas };
}
