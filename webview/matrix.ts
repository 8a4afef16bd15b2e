// The T×T matrix ‖∂L_t/∂h_k‖ of one epoch (row t = loss step, column k = hidden state step),
// drawn as a small bitmap on the same viridis log scale as the heatmap, scaled to its own range.
import { VIRIDIS_PACKED, colorIndex, packRgb } from './colormap';
import { formatPow10 } from './heatmap';
import type { Theme } from './theme';
import { visibleChar } from './text';
import { fitCanvas } from './canvas';
import { t } from './l10n';

/** Beyond this many rows the matrix is sampled (every n-th t and k) to keep the bitmap small. */
const MAX_SIDE = 1024;

export class MatrixView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly caption: HTMLElement;
  private readonly tooltip: HTMLDivElement;
  private readonly off = document.createElement('canvas');
  private size = 0;
  private side = 0;
  private every = 1;
  /** size × size, row t = loss step; above the diagonal (k > t) there is nothing (NaN). */
  private values: ArrayLike<number> = [];
  private labels: readonly string[] = [];
  private epoch: number | null = null;
  private theme: Theme;

  constructor(theme: Theme) {
    this.theme = theme;
    this.element = document.createElement('div');
    this.element.className = 'matrix';
    this.caption = document.createElement('div');
    this.caption.className = 'caption';
    this.caption.setAttribute('aria-live', 'polite');
    this.caption.textContent = t('Pause the playback (or move the playhead) to see the playhead’s ‖∂L_t/∂h_k‖ matrix, computed on request.');
    const plot = document.createElement('div');
    plot.className = 'matrix-plot';
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'matrix-canvas';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', t('Gradient matrix: no epoch selected'));
    this.tooltip = document.createElement('div');
    this.tooltip.className = 'tooltip';
    this.tooltip.hidden = true;
    plot.append(this.canvas, this.tooltip);
    this.element.append(this.caption, plot);
    this.canvas.addEventListener('mousemove', (e) => this.hoverAt(e.offsetX, e.offsetY));
    this.canvas.addEventListener('mouseleave', () => (this.tooltip.hidden = true));
  }

  get shownEpoch(): number | null {
    return this.epoch;
  }

  pending(epoch: number): void {
    this.epoch = epoch;
    this.caption.textContent = t('Computing the ‖∂L_t/∂h_k‖ matrix of epoch #{0}…', epoch);
  }

  /** Draws the shown matrix again (at the current pixel ratio: a figure export). */
  redraw(): HTMLCanvasElement {
    this.render();
    return this.canvas;
  }

  /** The worker could not compute the matrix (e.g. the run was restored and has no worker). */
  failed(epoch: number, reason: string): void {
    if (this.epoch !== epoch) return;
    this.caption.textContent = t('The ‖∂L_t/∂h_k‖ matrix of epoch #{0} is not available: {1}', epoch, reason);
  }

  clear(): void {
    this.epoch = null;
    this.size = 0;
    this.values = new Float64Array(0);
    this.canvas.getContext('2d')?.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.caption.textContent = t('Pause the playback (or move the playhead) to see the playhead’s ‖∂L_t/∂h_k‖ matrix, computed on request.');
  }

  show(epoch: number, size: number, values: ArrayLike<number>, labels: readonly string[]): void {
    this.epoch = epoch;
    this.size = size;
    this.values = values;
    this.labels = labels;
    this.every = Math.max(1, Math.ceil(size / MAX_SIDE));
    this.side = Math.ceil(size / this.every);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v > 0 && v < Infinity) {
        const l = Math.log10(v);
        if (l < lo) lo = l;
        if (l > hi) hi = l;
      }
    }
    const noData = packRgb(this.theme.noData);
    const px = new Uint32Array(this.side * this.side);
    for (let r = 0; r < this.side; r++) {
      for (let c = 0; c < this.side; c++) {
        const v = values[r * this.every * size + c * this.every];
        // k > t is structurally absent, so it stays transparent; zero or NaN below it is "no data".
        px[r * this.side + c] = c > r ? 0 : v > 0 && v < Infinity ? VIRIDIS_PACKED[colorIndex(Math.log10(v), lo, hi)] : noData;
      }
    }
    this.off.width = this.side;
    this.off.height = this.side;
    if (this.side > 0) this.off.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(px.buffer), this.side, this.side), 0, 0);
    const range = hi >= lo ? t('colour: log10 from {0} to {1}', formatPow10(lo), formatPow10(hi)) : t('no finite non-zero values');
    const shape = this.every > 1 ? t('{0}×{0}, every {1}th shown', size, this.every) : `${size}×${size}`;
    this.caption.textContent = t('‖∂L_t/∂h_k‖ at epoch #{0}: row t = loss step, column k = hidden step ({1}; {2}; blank above the diagonal).', epoch, shape, range);
    this.canvas.setAttribute('aria-label', t('Gradient matrix of epoch {0}, {1} by {1}; {2}', epoch, size, range));
    this.render();
  }

  applyTheme(theme: Theme): void {
    this.theme = theme;
    if (this.epoch !== null && this.size > 0) this.show(this.epoch, this.size, this.values, this.labels);
  }

  render(): void {
    const fit = fitCanvas(this.canvas);
    if (!fit) return;
    const { ctx, w, h } = fit;
    if (this.side === 0) return;
    ctx.imageSmoothingEnabled = false;
    const s = Math.min(w, h);
    ctx.drawImage(this.off, 0, 0, this.side, this.side, 0, 0, s, s);
  }

  private hoverAt(x: number, y: number): void {
    const s = Math.min(this.canvas.clientWidth, this.canvas.clientHeight);
    if (this.side === 0 || x >= s || y >= s) {
      this.tooltip.hidden = true;
      return;
    }
    const lossStep = Math.floor((y / s) * this.side) * this.every;
    const k = Math.floor((x / s) * this.side) * this.every;
    const v = this.values[lossStep * this.size + k];
    this.tooltip.textContent = '';
    const lines = [
      t("t = {0} '{1}' (loss step)", lossStep, visibleChar(this.labels[lossStep] ?? '')),
      t("k = {0} '{1}' (hidden step)", k, visibleChar(this.labels[k] ?? '')),
      `‖∂L_t/∂h_k‖ = ${k > lossStep ? t('none (k > t)') : String(v)}`,
    ];
    for (const line of lines) {
      const d = document.createElement('div');
      d.textContent = line;
      this.tooltip.append(d);
    }
    this.tooltip.hidden = false;
    this.tooltip.style.left = `${Math.min(x + 14, Math.max(0, s - 180))}px`;
    this.tooltip.style.top = `${y + 14}px`;
  }
}
