// The gradient heatmap: rows = epochs, columns = timesteps, colour = log10 of the norm on viridis.
// Each cell is one pixel of an offscreen bitmap; new epochs only write their own rows, and the
// bitmap is scaled onto the visible canvas without smoothing. Long runs fold several epochs into
// one bitmap row (the newest of the bin is shown) to keep the bitmap within MAX_CELLS.
import type { MetricsStore } from '../src/shared/metricsStore';
import { VIRIDIS, VIRIDIS_PACKED, packRgb } from './colormap';
import { GRAD_KEYS, type GradKey } from './state';
import type { Theme } from './theme';
import { visibleChar } from './text';
import { fitCanvas, pixelRatio } from './canvas';
import { t } from './l10n';

const MAX_CELLS = 4_000_000;
const MAX_ROWS = 16_384;
/** Tallest a row gets on screen; short runs would otherwise show a few giant bands. */
const MAX_ROW_PX = 10;
/** Longest a slightly outdated colour scale may stay on screen while data keeps arriving. */
const RECOLOUR_LAG_MS = 500;
/** Cells recoloured per frame when the scale changes, so a 10,000-row repaint never stalls a frame. */
const REPAINT_CELLS_PER_FRAME = 120_000;
const M = { left: 56, right: 8, top: 8, bottom: 20 };
const LABEL_STRIP_PX = 14;

export interface HeatmapEvents {
  /** History index under the pointer, or null when it leaves. */
  hover(index: number | null): void;
  /** Move the playhead to this history index (a click or a key). */
  select(index: number): void;
}

export interface CellHit {
  index: number;
  step: number;
}

export class GradHeatmap {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly tooltip: HTMLDivElement;
  readonly legend: HTMLCanvasElement;
  private readonly off = document.createElement('canvas');
  private readonly offCtx: CanvasRenderingContext2D;
  private image: ImageData | null = null;
  private pixels = new Uint32Array(0);
  private logs = new Float64Array(0);
  private capacity = 0;
  private steps = 0;
  private stride = 1;
  private rows = 0;
  private count = 0;
  private lo = Infinity;
  private hi = -Infinity;
  /** The scale rows are painted on: new rows always, older rows once the repaint reaches them. */
  private scaleLo = NaN;
  private scaleHi = NaN;
  private scaleAt = 0;
  /** Rows [repaintFrom, repaintTo) are still on an older scale. */
  private repaintFrom = 0;
  private repaintTo = 0;
  /** Row spans [from, to] whose pixels changed since the last putImageData. */
  private dirty: [number, number][] = [];
  private store: MetricsStore | undefined;
  private labels: readonly string[] = [];
  private key: GradKey = 'gradNorm';
  private noData = 0;
  private theme: Theme;
  private selected: number | null = null;
  private hover: CellHit | null = null;
  private legendKey = '';
  private strip: HTMLCanvasElement | undefined;
  private stripKey = '';
  private stripLabels: readonly string[] | undefined;
  /** A scale imposed from outside (heatmaps compared side by side share one); null: the data's own. */
  private fixed: { lo: number; hi: number } | null = null;

  constructor(theme: Theme, private readonly events: HeatmapEvents) {
    this.theme = theme;
    this.noData = packRgb(theme.noData);
    this.offCtx = this.off.getContext('2d')!;
    this.element = document.createElement('div');
    this.element.className = 'heatmap';
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'heatmap-canvas';
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', t('Gradient norm heatmap: rows are epochs, columns are timesteps; rows are drawn up to the playhead. Arrow Up and Arrow Down move the playhead an epoch, Page Up and Page Down further, Home and End to the first and last epoch.'));
    this.tooltip = document.createElement('div');
    this.tooltip.className = 'tooltip';
    this.tooltip.setAttribute('role', 'tooltip');
    this.tooltip.hidden = true;
    const legendWrap = document.createElement('div');
    legendWrap.className = 'legend';
    this.legend = document.createElement('canvas');
    this.legend.className = 'legend-bar';
    this.legend.setAttribute('role', 'img');
    const swatch = document.createElement('span');
    swatch.className = 'legend-nodata';
    const box = document.createElement('span');
    box.className = 'swatch';
    box.setAttribute('aria-hidden', 'true');
    swatch.append(box, t('no data (zero or not finite)'));
    legendWrap.append(this.legend, swatch);
    const plot = document.createElement('div');
    plot.className = 'heatmap-plot';
    plot.append(this.canvas, this.tooltip);
    this.element.append(plot, legendWrap);
    this.bindEvents();
  }

  // ---------- data ----------

  reset(store: MetricsStore | undefined, steps: number, labels: readonly string[], key: GradKey): void {
    this.store = store;
    this.steps = Math.max(1, steps);
    this.labels = labels;
    this.key = key;
    this.stride = 1;
    this.rows = 0;
    this.count = 0;
    this.lo = Infinity;
    this.hi = -Infinity;
    this.scaleLo = NaN;
    this.scaleHi = NaN;
    this.repaintFrom = this.repaintTo = 0;
    this.capacity = 0;
    this.image = null;
    this.hover = null;
    this.tooltip.hidden = true;
    this.sync(store);
  }

  setKey(key: GradKey): void {
    this.reset(this.store, this.steps, this.labels, key);
  }

  get currentKey(): GradKey {
    return this.key;
  }

  /** Consumes the epochs appended to the store since the last call. */
  sync(store: MetricsStore | undefined): void {
    if (store !== this.store) {
      this.reset(store, this.steps, this.labels, this.key);
      return;
    }
    const n = store?.length ?? 0;
    if (n === this.count) return;
    const maxRows = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_CELLS / this.steps)));
    if (Math.ceil(n / this.stride) > maxRows) {
      let stride = this.stride;
      while (Math.ceil(n / stride) > maxRows) stride *= 2;
      this.stride = stride;
      this.rows = 0;
      this.count = 0;
      this.capacity = 0;
      this.scaleLo = NaN;
      this.repaintFrom = this.repaintTo = 0;
    }
    const rows = Math.ceil(n / this.stride);
    this.ensureCapacity(rows, maxRows);
    for (let i = this.count; i < n; i++) this.writeLogs(Math.floor(i / this.stride), i);
    const firstRow = Math.floor(this.count / this.stride);
    this.count = n;
    this.rows = rows;
    if ((this.targetLo !== this.scaleLo || this.targetHi !== this.scaleHi) && (this.rangeMovedVisibly() || performance.now() - this.scaleAt > RECOLOUR_LAG_MS)) {
      this.setScale(firstRow);
    }
    // A shift smaller than one colour step changes no visible colour, so until the next real
    // move (or RECOLOUR_LAG_MS, or settle()) new rows use the current scale, clamped.
    this.paint(firstRow, rows - 1, this.scaleLo, this.scaleHi);
    this.advanceRepaint();
  }

  /** Adopts the exact data range; rows painted so far are recoloured a slice per frame. */
  private setScale(paintedRows: number): void {
    this.scaleLo = this.targetLo;
    this.scaleHi = this.targetHi;
    this.scaleAt = performance.now();
    this.repaintFrom = 0;
    this.repaintTo = paintedRows;
  }

  private advanceRepaint(): void {
    if (this.repaintTo <= this.repaintFrom) return;
    const rows = Math.max(1, Math.floor(REPAINT_CELLS_PER_FRAME / this.steps));
    const to = Math.min(this.repaintTo, this.repaintFrom + rows);
    this.paint(this.repaintFrom, to - 1, this.scaleLo, this.scaleHi);
    this.repaintFrom = to;
  }

  /** Rows are still being recoloured: render() again on the next frame. */
  get repainting(): boolean {
    return this.repaintTo > this.repaintFrom;
  }

  /** The scale lags the data by less than a colour step: settle() once the data pauses. */
  get drifted(): boolean {
    return this.rows > 0 && (this.targetLo !== this.scaleLo || this.targetHi !== this.scaleHi);
  }

  /** Moves to the exact current range once the data pauses. */
  settle(): void {
    if (this.rows > 0 && (this.targetLo !== this.scaleLo || this.targetHi !== this.scaleHi)) this.setScale(this.rows);
  }

  /**
   * Puts the colours on a given log10 range instead of this heatmap's own data range (null goes
   * back to the data's), so several heatmaps can be read against one legend. Rows are recoloured
   * at once (a slice per frame), not after the usual lag.
   */
  setFixedRange(range: { lo: number; hi: number } | null): void {
    const same = range === null ? this.fixed === null : this.fixed !== null && this.fixed.lo === range.lo && this.fixed.hi === range.hi;
    if (same) return;
    this.fixed = range === null ? null : { lo: range.lo, hi: range.hi };
    if (this.rows > 0) this.setScale(this.rows);
  }

  private get targetLo(): number {
    return this.fixed ? this.fixed.lo : this.lo;
  }

  private get targetHi(): number {
    return this.fixed ? this.fixed.hi : this.hi;
  }

  private rangeMovedVisibly(): boolean {
    if (!Number.isFinite(this.scaleLo) || !Number.isFinite(this.scaleHi)) return true;
    const step = (this.targetHi - this.targetLo) / 255;
    return !(step > 0) || Math.abs(this.targetLo - this.scaleLo) >= step || Math.abs(this.targetHi - this.scaleHi) >= step;
  }

  private ensureCapacity(rows: number, maxRows: number): void {
    if (rows <= this.capacity && this.image) return;
    let cap = Math.max(64, this.capacity);
    while (cap < rows) cap *= 2;
    cap = Math.min(cap, maxRows);
    const logs = new Float64Array(cap * this.steps).fill(NaN);
    const pixels = new Uint32Array(cap * this.steps);
    if (this.capacity > 0) {
      logs.set(this.logs.subarray(0, Math.min(this.logs.length, logs.length)));
      pixels.set(this.pixels.subarray(0, Math.min(this.pixels.length, pixels.length)));
    }
    this.logs = logs;
    this.pixels = pixels;
    this.capacity = cap;
    this.off.width = this.steps;
    this.off.height = cap;
    this.image = new ImageData(new Uint8ClampedArray(pixels.buffer), this.steps, cap);
    // A resized canvas is blank, so every row already painted must be put again.
    this.markDirty(0, this.rows - 1);
  }

  private writeLogs(row: number, i: number): void {
    const values = this.store?.row(this.key, i) ?? null;
    const base = row * this.steps;
    if (!values && row > 0) {
      // A restored panel's saved state keeps rows for every n-th epoch only (and the budget drops
      // the oldest); the rows between repeat the last kept one (the tooltip says so) instead of
      // striping the map grey.
      this.logs.copyWithin(base, base - this.steps, base);
      return;
    }
    for (let t = 0; t < this.steps; t++) {
      const v = values ? values[t] : NaN;
      if (v > 0 && v < Infinity) {
        const l = Math.log10(v);
        this.logs[base + t] = l;
        if (l < this.lo) this.lo = l;
        if (l > this.hi) this.hi = l;
      } else {
        this.logs[base + t] = NaN;
      }
    }
  }

  /** Colours rows [from, to] on the scale [lo, hi]; the same arithmetic as colorIndex, inlined. */
  private paint(from: number, to: number, lo: number, hi: number): void {
    if (to < from) return;
    const { logs, pixels, noData } = this;
    const span = hi - lo;
    const flat = !(span > 0);
    for (let i = from * this.steps, end = (to + 1) * this.steps; i < end; i++) {
      const l = logs[i];
      if (l !== l) {
        pixels[i] = noData;
        continue;
      }
      let k = flat ? 128 : Math.round(((l - lo) / span) * 255);
      if (k < 0) k = 0;
      else if (k > 255) k = 255;
      pixels[i] = VIRIDIS_PACKED[k];
    }
    this.markDirty(from, to);
  }

  private markDirty(from: number, to: number): void {
    if (to < from) return;
    // Spans are kept apart: a repaint slice at the top and new rows at the bottom must not
    // merge into one put of the whole bitmap.
    for (const d of this.dirty) {
      if (from <= d[1] + 1 && to >= d[0] - 1) {
        d[0] = Math.min(d[0], from);
        d[1] = Math.max(d[1], to);
        return;
      }
    }
    this.dirty.push([from, to]);
  }

  // ---------- drawing ----------

  applyTheme(theme: Theme): void {
    this.theme = theme;
    this.noData = packRgb(theme.noData);
    this.legendKey = '';
    this.setScale(this.rows);
  }

  setSelected(index: number | null): void {
    this.selected = index;
  }

  /** Puts dirty bitmap rows and redraws the visible canvas; called once per animation frame. */
  render(): void {
    this.advanceRepaint();
    if (this.image) {
      for (const [from, to] of this.dirty) {
        const h = Math.min(to, this.capacity - 1) - from + 1;
        if (h > 0) this.offCtx.putImageData(this.image, 0, 0, 0, from, this.steps, h);
      }
    }
    this.dirty = [];
    this.drawCanvas();
    this.drawLegend();
  }

  private geometry(): { x0: number; y0: number; pw: number; ph: number; rowH: number; colW: number } {
    const w = this.canvas.clientWidth;
    const h = this.canvas.clientHeight;
    const pw = Math.max(1, w - M.left - M.right);
    const ph = Math.max(1, h - M.top - M.bottom);
    const rowH = this.rows > 0 ? Math.min(MAX_ROW_PX, ph / this.rows) : MAX_ROW_PX;
    return { x0: M.left, y0: M.top, pw, ph, rowH, colW: pw / this.steps };
  }

  private drawCanvas(): void {
    const fit = fitCanvas(this.canvas);
    if (!fit) return;
    const { ctx } = fit;
    const g = this.geometry();
    const th = this.theme;
    ctx.font = `${Math.max(10, th.fontSize - 2)}px ${th.fontFamily}`;
    ctx.fillStyle = th.muted;
    if (this.rows === 0) {
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(t('Waiting for the first epoch…'), g.x0 + g.pw / 2, g.y0 + g.ph / 2);
      return;
    }
    ctx.imageSmoothingEnabled = false;
    // Rows up to the playhead's: the film shows what has happened so far.
    const shown = this.selected === null ? this.rows : Math.min(this.rows, Math.floor(this.selected / this.stride) + 1);
    ctx.drawImage(this.off, 0, 0, this.steps, shown, g.x0, g.y0, g.pw, g.rowH * shown);
    this.drawAxes(ctx, g);
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = th.focus;
    if (this.selected !== null) {
      const r = Math.floor(this.selected / this.stride);
      const y = g.y0 + (r + 1) * g.rowH;
      if (g.rowH >= 4) ctx.strokeRect(g.x0 - 1, g.y0 + r * g.rowH - 1, g.pw + 2, g.rowH + 2);
      else {
        ctx.beginPath();
        ctx.moveTo(g.x0 - 6, y);
        ctx.lineTo(g.x0 + g.pw + 2, y);
        ctx.stroke();
      }
      // A mark in the margin finds the playhead on a tall map at a glance.
      ctx.fillStyle = th.focus;
      ctx.beginPath();
      ctx.moveTo(g.x0 - 2, y);
      ctx.lineTo(g.x0 - 9, y - 5);
      ctx.lineTo(g.x0 - 9, y + 5);
      ctx.closePath();
      ctx.fill();
    }
    if (this.hover) {
      const r = Math.floor(this.hover.index / this.stride);
      ctx.strokeStyle = th.fg;
      ctx.strokeRect(g.x0 + this.hover.step * g.colW, g.y0 + r * g.rowH, Math.max(g.colW, 1), Math.max(g.rowH, 1));
    }
  }

  private drawAxes(ctx: CanvasRenderingContext2D, g: ReturnType<GradHeatmap['geometry']>): void {
    ctx.fillStyle = this.theme.muted;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    const ticks = Math.min(6, this.rows);
    let lastY = -Infinity;
    for (let k = 0; k < ticks; k++) {
      const r = ticks === 1 ? 0 : Math.round((k * (this.rows - 1)) / (ticks - 1));
      const y = g.y0 + (r + 0.5) * g.rowH;
      if (y - lastY < 14) continue;
      lastY = y;
      ctx.fillText(`#${this.store?.epochAt(this.indexOfRow(r)) ?? ''}`, g.x0 - 4, y);
    }
    const strip = this.stepLabelStrip(g);
    if (strip) ctx.drawImage(strip, 0, 0, strip.width, strip.height, 0, g.y0 + g.rowH * this.rows + 4, this.canvas.clientWidth, LABEL_STRIP_PX);
  }

  /** Up to T character labels are text draws; they only change with size, labels or theme. */
  private stepLabelStrip(g: ReturnType<GradHeatmap['geometry']>): HTMLCanvasElement | undefined {
    const dpr = pixelRatio();
    const w = this.canvas.clientWidth;
    const key = `${w}|${dpr}|${this.steps}|${this.theme.muted}|${this.theme.fontFamily}|${this.theme.fontSize}`;
    if (key === this.stripKey && this.stripLabels === this.labels) return this.strip;
    this.stripKey = key;
    this.stripLabels = this.labels;
    const c = (this.strip ??= document.createElement('canvas'));
    c.width = Math.max(1, Math.round(w * dpr));
    c.height = Math.round(LABEL_STRIP_PX * dpr);
    const ctx = c.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, LABEL_STRIP_PX);
    ctx.fillStyle = this.theme.muted;
    ctx.font = `${Math.max(10, this.theme.fontSize - 2)}px ${this.theme.fontFamily}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const every = Math.max(1, Math.ceil(12 / g.colW));
    for (let s = 0; s < this.steps; s += every) {
      ctx.fillText(visibleChar(this.labels[s] ?? ''), g.x0 + (s + 0.5) * g.colW, 0);
    }
    return c;
  }

  private drawLegend(): void {
    const key = `${this.scaleLo}|${this.scaleHi}|${this.legend.clientWidth}|${pixelRatio()}|${this.theme.fg}`;
    if (key === this.legendKey) return;
    this.legendKey = key;
    const range = this.scaleHi >= this.scaleLo ? { lo: this.scaleLo, hi: this.scaleHi } : null;
    drawColourLegend(this.legend, this.theme, range, t('Colour scale'));
  }

  // ---------- interaction ----------

  private indexOfRow(r: number): number {
    return Math.min((r + 1) * this.stride, this.count) - 1;
  }

  /** The cell under a point in CSS pixels relative to the canvas, if any. */
  hitTest(x: number, y: number): CellHit | null {
    if (this.rows === 0) return null;
    const g = this.geometry();
    const col = Math.floor((x - g.x0) / g.colW);
    const row = Math.floor((y - g.y0) / g.rowH);
    if (col < 0 || col >= this.steps || row < 0 || row >= this.rows) return null;
    return { index: this.indexOfRow(row), step: col };
  }

  /** Centre of a cell in CSS pixels (tests read the canvas there). */
  cellCenter(index: number, step: number): { x: number; y: number } {
    const g = this.geometry();
    const r = Math.floor(index / this.stride);
    return { x: g.x0 + (step + 0.5) * g.colW, y: g.y0 + (r + 0.5) * g.rowH };
  }

  /** lo/hi: log10 range of the data; scaleLo/scaleHi: the range the colours are on. */
  get range(): { lo: number; hi: number; scaleLo: number; scaleHi: number; stride: number; rows: number } {
    return { lo: this.lo, hi: this.hi, scaleLo: this.scaleLo, scaleHi: this.scaleHi, stride: this.stride, rows: this.rows };
  }

  private bindEvents(): void {
    const c = this.canvas;
    c.addEventListener('mousemove', (e) => {
      const hit = this.hitTest(e.offsetX, e.offsetY);
      this.hover = hit;
      if (!hit) {
        this.tooltip.hidden = true;
        this.events.hover(null);
        return;
      }
      this.showTooltip(hit, e.offsetX, e.offsetY);
      this.events.hover(hit.index);
    });
    c.addEventListener('mouseleave', () => {
      this.hover = null;
      this.tooltip.hidden = true;
      this.events.hover(null);
    });
    c.addEventListener('click', (e) => {
      const hit = this.hitTest(e.offsetX, e.offsetY);
      if (hit) {
        this.selected = hit.index;
        this.events.select(hit.index);
      }
    });
    c.addEventListener('keydown', (e) => {
      if (this.count === 0) return;
      const cur = this.selected ?? this.count - 1;
      const step = this.stride;
      let next: number | null = null;
      switch (e.key) {
        case 'ArrowUp':
          next = Math.max(0, cur - step);
          break;
        case 'ArrowDown':
          next = Math.min(this.count - 1, cur + step);
          break;
        case 'PageUp':
          next = Math.max(0, cur - 10 * step);
          break;
        case 'PageDown':
          next = Math.min(this.count - 1, cur + 10 * step);
          break;
        case 'Home':
          next = 0;
          break;
        case 'End':
        case 'Escape':
          next = this.count - 1;
          break;
        default:
          return;
      }
      e.preventDefault();
      // The next key press (before any frame has run) moves on from here.
      this.selected = next;
      this.events.select(next);
    });
  }

  private showTooltip(hit: CellHit, x: number, y: number): void {
    const store = this.store;
    if (!store) return;
    let shown = hit.index;
    let note = '';
    if (!store.hasRows(hit.index)) {
      // The host keeps rows within a budget, and a saved state for every n-th epoch.
      shown = store.rowsAtOrBefore(hit.index);
      note = shown < 0 ? t('(gradient row not kept for this epoch)') : t('(row not kept; showing epoch #{0})', store.epochAt(shown));
    }
    const v = shown >= 0 ? store.row(this.key, shown)?.[hit.step] : undefined;
    const label = GRAD_KEYS.find((k) => k.key === this.key)?.short ?? this.key;
    const ch = this.labels[hit.step] ?? '';
    const value = typeof v === 'number' ? String(v) : t('no data');
    this.tooltip.textContent = '';
    const lines = [`Epoch #${store.epochAt(hit.index)}`, `Timestep ${hit.step}: '${visibleChar(ch)}'`, `${label} = ${value}`];
    if (note) lines.push(note);
    if (typeof v === 'number' && v > 0 && Number.isFinite(v)) lines.push(`log10 = ${Math.log10(v).toFixed(3)}`);
    for (const l of lines) {
      const d = document.createElement('div');
      d.textContent = l;
      this.tooltip.append(d);
    }
    this.tooltip.hidden = false;
    const plotW = this.canvas.clientWidth;
    const left = x + 14 + 200 > plotW ? Math.max(0, x - 214) : x + 14;
    this.tooltip.style.left = `${left}px`;
    this.tooltip.style.top = `${y + 14}px`;
  }
}

let bar: HTMLCanvasElement | undefined;

/** The 256 colours as a 256×1 bitmap, drawn stretched under the legend's ticks. */
/**
 * The viridis bar with log10 ticks under it, on `c` at the device pixel ratio; `range` is the
 * log10 range of the colours (null: no data yet). The aria-label says what the colours mean.
 */
export function drawColourLegend(c: HTMLCanvasElement, theme: Theme, range: { lo: number; hi: number } | null, what: string): void {
  const fit = fitCanvas(c);
  if (!fit) return;
  const { ctx, w } = fit;
  const pad = 24;
  const bw = w - 2 * pad;
  const barH = 12;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(colourBar(), 0, 0, 256, 1, pad, 0, bw, barH);
  if (!range) {
    c.setAttribute('aria-label', t('{0}: no data yet', what));
    return;
  }
  const { lo, hi } = range;
  ctx.fillStyle = theme.muted;
  ctx.strokeStyle = theme.muted;
  ctx.font = `${Math.max(10, theme.fontSize - 2)}px ${theme.fontFamily}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const v of legendTicks(lo, hi)) {
    const x = pad + (hi > lo ? (v - lo) / (hi - lo) : 0.5) * bw;
    ctx.beginPath();
    ctx.moveTo(x, barH);
    ctx.lineTo(x, barH + 3);
    ctx.stroke();
    ctx.fillText(formatPow10(v), x, barH + 4);
  }
  c.setAttribute('aria-label', t('{0}, log10 of the norm, viridis: from {1} (dark purple) to {2} (yellow)', what, formatPow10(lo), formatPow10(hi)));
}

export function colourBar(): HTMLCanvasElement {
  if (bar) return bar;
  bar = document.createElement('canvas');
  bar.width = 256;
  bar.height = 1;
  const img = new ImageData(256, 1);
  VIRIDIS.forEach(([r, g, b], i) => img.data.set([r, g, b, 255], i * 4));
  bar.getContext('2d')!.putImageData(img, 0, 0);
  return bar;
}

/** log10 ticks: whole decades when the range spans at least one, otherwise its two ends. */
export function legendTicks(lo: number, hi: number): number[] {
  const first = Math.ceil(lo);
  const last = Math.floor(hi);
  if (last - first >= 1) {
    const step = Math.max(1, Math.ceil((last - first) / 8));
    const out: number[] = [];
    for (let v = first; v <= last; v += step) out.push(v);
    return out;
  }
  return hi > lo ? [lo, hi] : [lo];
}

export function formatPow10(l: number): string {
  if (Number.isInteger(l)) return `1e${l}`;
  return `1e${l.toFixed(2)}`;
}
