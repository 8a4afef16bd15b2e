// "Inside the network": one epoch's activations as a units × time heatmap (LSTMVis' view), with a
// tab for h, c and each gate, units sortable by variance, saturation or number; a click on a unit
// colours the text by that unit (Karpathy's figure); for the LSTM and GRU the gate saturation
// scatter of Karpathy, Johnson & Fei-Fei (2015). The data is one InspectReply from the worker.
import type { InspectReply } from '../src/shared/inside';
import { t } from './l10n';
import { fitCanvas } from './canvas';
import {
  DIVERGING,
  SATURATION_GATES,
  UNIT_SORTS,
  activationColor,
  activationIndex,
  gateSaturation,
  packedTable,
  scaleOf,
  textOn,
  unitOrder,
  type InsideTab,
  type UnitSort,
  type ValueScale,
} from './activations';
import { VIRIDIS, type Rgb } from './colormap';
import { visibleChar } from './text';
import type { Theme } from './theme';
import { dropdown, type Select } from './toolkit';

/** Characters of the unit's text shown at most (the prediction window's size). */
const MAX_TEXT = 2000;
/** Heatmap row height in CSS pixels: readable rows for small networks, the whole of a large one in ≤ 360 px. */
function rowHeight(H: number): number {
  return Math.max(1, Math.min(12, Math.floor(360 / H)));
}

const css = ([r, g, b]: Rgb): string => `rgb(${r}, ${g}, ${b})`;

/** What the view remembers across hiding the panel and a reload (the webview's saved prefs). */
export interface InsidePrefs {
  tab?: InsideTab;
  sort?: UnitSort;
}

export class InsideView {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  readonly legend: HTMLCanvasElement;
  readonly scatter: HTMLCanvasElement;
  private readonly caption: HTMLElement;
  private readonly tabs: HTMLElement;
  private readonly sort: Select<UnitSort>;
  private readonly tooltip: HTMLDivElement;
  private readonly unitCaption: HTMLElement;
  private readonly unitText: HTMLElement;
  private readonly scatterBox: HTMLElement;
  private readonly scatterLegend: HTMLElement;
  private readonly off = document.createElement('canvas');
  private data: InspectReply | null = null;
  private tab: InsideTab = 'h';
  /** The tab the user chose last: shown whenever the inspected cell has it (an RNN has no c, the next LSTM does). */
  private preferredTab: InsideTab = 'h';
  private order: number[] = [];
  private unit: number | null = null;
  private theme: Theme;
  private readonly unpick: HTMLButtonElement;
  /** A slot above the heatmap for the window chooser (window mode). */
  readonly windowBar: HTMLElement;

  /** `onChange`: the tab, the sort or the picked unit changed (the user did it, or a reply made the pick lapse). */
  constructor(
    theme: Theme,
    prefs: InsidePrefs = {},
    private readonly onChange: () => void = () => undefined,
  ) {
    this.theme = theme;
    this.preferredTab = prefs.tab ?? 'h';
    this.tab = this.preferredTab;
    this.element = document.createElement('div');
    this.element.className = 'inside';
    this.caption = document.createElement('div');
    this.caption.className = 'caption';
    this.caption.id = 'inside-caption';
    this.caption.setAttribute('aria-live', 'polite');
    this.caption.textContent = t('Pause the playback (or move the playhead) to look inside the network at that epoch.');
    const bar = document.createElement('div');
    bar.className = 'inside-bar';
    this.tabs = document.createElement('div');
    this.tabs.className = 'inside-tabs';
    this.tabs.setAttribute('role', 'tablist');
    this.tabs.setAttribute('aria-label', t('Which activations the heatmap shows'));
    this.sort = dropdown(t('Units by'), UNIT_SORTS, {
      id: 'sel-inside-sort',
      value: prefs.sort ?? 'unit',
      onChange: () => {
        this.reorder();
        this.onChange();
      },
    });
    this.windowBar = document.createElement('div');
    this.windowBar.className = 'inside-window';
    this.windowBar.hidden = true;
    bar.append(this.tabs, this.sort.el, this.windowBar);
    const plot = document.createElement('div');
    plot.className = 'matrix-plot';
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'inside-canvas';
    this.canvas.id = 'inside-canvas';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', t('Activations, units by time steps: no epoch yet'));
    this.canvas.tabIndex = 0;
    this.tooltip = document.createElement('div');
    this.tooltip.className = 'tooltip';
    this.tooltip.hidden = true;
    plot.append(this.canvas, this.tooltip);
    this.legend = document.createElement('canvas');
    this.legend.className = 'legend-bar inside-legend';
    this.legend.setAttribute('role', 'img');
    this.unitCaption = document.createElement('div');
    this.unitCaption.className = 'caption';
    this.unitCaption.textContent = t('Click a unit (a row) to see the text coloured by its activation.');
    this.unpick = document.createElement('button');
    this.unpick.type = 'button';
    this.unpick.id = 'btn-inside-unpick';
    this.unpick.className = 'secondary';
    this.unpick.textContent = t('Unpick the unit');
    this.unpick.title = t('Back to the gradient colours in the editor (also: Escape on the heatmap, or a click on the picked unit)');
    this.unpick.hidden = true;
    this.unpick.addEventListener('click', () => this.pickUnit(null));
    this.unitText = document.createElement('div');
    this.unitText.className = 'unit-text';
    this.unitText.id = 'inside-unit-text';
    this.unitText.setAttribute('role', 'group');
    this.unitText.setAttribute('aria-label', t('The text coloured by the chosen unit'));
    this.scatterBox = document.createElement('div');
    this.scatterBox.className = 'inside-saturation';
    const sh = document.createElement('div');
    sh.className = 'caption';
    sh.textContent = t('Gate saturation: per unit, the fraction of steps with the gate below 0.1 (x) and above 0.9 (y).');
    this.scatter = document.createElement('canvas');
    this.scatter.className = 'saturation-canvas';
    this.scatter.id = 'inside-saturation';
    this.scatter.setAttribute('role', 'img');
    this.scatterLegend = document.createElement('div');
    this.scatterLegend.className = 'legend';
    this.scatterBox.append(sh, this.scatter, this.scatterLegend);
    this.scatterBox.hidden = true;
    this.element.append(this.caption, bar, plot, this.legend, this.unitCaption, this.unpick, this.unitText, this.scatterBox);
    this.canvas.addEventListener('mousemove', (e) => this.hoverAt(e.offsetX, e.offsetY));
    this.canvas.addEventListener('mouseleave', () => (this.tooltip.hidden = true));
    this.canvas.addEventListener('click', (e) => {
      const cell = this.cellAt(e.offsetX, e.offsetY);
      // A click on the picked unit unpicks it: the editor goes back to the gradient colours.
      if (cell) this.pickUnit(cell.unit === this.unit ? null : cell.unit);
    });
    this.canvas.addEventListener('keydown', (e) => this.key(e));
  }

  get shown(): InspectReply | null {
    return this.data;
  }

  get currentTab(): InsideTab {
    return this.tab;
  }

  get selectedUnit(): number | null {
    return this.unit;
  }

  get currentSort(): UnitSort {
    return this.sort.value;
  }

  /** Restores remembered choices (a saved view), redrawing what is shown. */
  setPrefs(prefs: InsidePrefs): void {
    if (prefs.tab !== undefined) this.preferredTab = prefs.tab;
    if (prefs.sort !== undefined) {
      // Before the dropdown is upgraded its value setter is not there yet: the selected option decides.
      for (const o of this.sort.el.querySelectorAll('vscode-option')) o.toggleAttribute('selected', o.getAttribute('value') === prefs.sort);
      this.sort.value = prefs.sort;
    }
    if (this.data) this.show(this.data);
  }

  /** The remembered choices (saved with the panel's view). */
  prefs(): Required<InsidePrefs> {
    return { tab: this.preferredTab, sort: this.sort.value };
  }

  pending(epoch: number): void {
    this.caption.textContent = t('Looking inside the network at epoch #{0}…', epoch);
  }

  failed(epoch: number, reason: string): void {
    this.caption.textContent = t('Inside the network at epoch #{0} is not available: {1}', epoch, reason);
  }

  clear(): void {
    this.data = null;
    this.setUnit(null);
    this.order = [];
    this.tabs.textContent = '';
    this.unitText.textContent = '';
    this.scatterBox.hidden = true;
    this.caption.textContent = t('Pause the playback (or move the playhead) to look inside the network at that epoch.');
    this.canvas.getContext('2d')?.clearRect(0, 0, this.canvas.width, this.canvas.height);
  }

  show(data: InspectReply): void {
    this.data = data;
    const names = this.tabNames();
    const before = { tab: this.tab, unit: this.unit };
    this.tab = names.includes(this.preferredTab) ? this.preferredTab : 'h';
    if (this.unit !== null && this.unit >= data.hiddenSize) this.setUnit(null);
    if (before.tab !== this.tab || before.unit !== this.unit) this.onChange();
    this.buildTabs(names);
    this.reorder();
    this.drawScatter();
    const chars = data.steps > MAX_TEXT ? t(' (the first {0} in the text below)', MAX_TEXT) : '';
    this.caption.textContent = t('Epoch #{0}: {1} units × {2} steps{3}{4}; loss {5} on these steps.', data.epoch, data.hiddenSize, data.steps, data.start > 0 ? t(' from character {0}', data.start) : '', chars, data.loss.toFixed(4));
  }

  applyTheme(theme: Theme): void {
    this.theme = theme;
    this.render();
    this.drawScatter();
  }

  /** The T×H array of the current tab. */
  values(): Float64Array | null {
    const d = this.data;
    if (!d) return null;
    if (this.tab === 'h') return d.h;
    if (this.tab === 'c') return d.c;
    return d.gates?.[this.tab] ?? null;
  }

  /** Centre of the cell (unit, step) in CSS pixels of the canvas; null when the unit is not shown. */
  cellCenter(unit: number, step: number): { x: number; y: number } | null {
    const d = this.data;
    const row = this.order.indexOf(unit);
    if (!d || row < 0) return null;
    const w = this.canvas.clientWidth;
    return { x: ((step + 0.5) / d.steps) * w, y: (row + 0.5) * rowHeight(d.hiddenSize) };
  }

  unitTextColors(): { char: string; background: string; value: number }[] {
    return [...this.unitText.querySelectorAll<HTMLElement>('span[data-step]')].map((s) => ({ char: s.textContent ?? '', background: s.style.backgroundColor, value: Number(s.dataset.value) }));
  }

  /** Draws the heatmap at the current pixel ratio (also a figure export). */
  render(): void {
    const d = this.data;
    const values = this.values();
    if (!d || !values) return;
    const H = d.hiddenSize;
    this.canvas.style.height = `${H * rowHeight(H)}px`;
    const fit = fitCanvas(this.canvas);
    this.drawLegend(scaleOf(this.tab));
    if (!fit) return;
    fit.ctx.imageSmoothingEnabled = false;
    fit.ctx.drawImage(this.off, 0, 0, d.steps, H, 0, 0, fit.w, H * rowHeight(H));
    if (this.unit !== null) {
      const row = this.order.indexOf(this.unit);
      fit.ctx.strokeStyle = this.theme.focus;
      fit.ctx.lineWidth = 1.5;
      fit.ctx.strokeRect(0.75, row * rowHeight(H) + 0.75, fit.w - 1.5, Math.max(1, rowHeight(H) - 1.5));
    }
  }

  private tabNames(): InsideTab[] {
    const d = this.data!;
    return ['h', ...(d.c ? ['c'] : []), ...(d.gates ? d.gateNames : [])];
  }

  private buildTabs(names: InsideTab[]): void {
    this.tabs.textContent = '';
    for (const name of names) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'inside-tab';
      b.setAttribute('role', 'tab');
      b.dataset.tab = name;
      b.id = `inside-tab-${name}`;
      b.textContent = name;
      b.title = name === 'h' ? t('hidden state h_t (−1…1)') : name === 'c' ? t('cell state c_t (shown clipped to −1…1)') : t('gate {0} ({1})', name, scaleOf(name) === 'unit' ? '0…1' : '−1…1');
      b.setAttribute('aria-selected', String(name === this.tab));
      b.addEventListener('click', () => {
        this.tab = name;
        this.preferredTab = name;
        for (const t of this.tabs.children) t.setAttribute('aria-selected', String((t as HTMLElement).dataset.tab === name));
        this.reorder();
        this.onChange();
      });
      this.tabs.append(b);
    }
  }

  /** Sorts the units, fills the bitmap (one pixel per cell) and the unit's text, and draws. */
  private reorder(): void {
    const d = this.data;
    const values = this.values();
    if (!d || !values) return;
    const T = d.steps;
    const H = d.hiddenSize;
    const scale = scaleOf(this.tab);
    this.order = unitOrder(values, T, H, this.sort.value, scale);
    const table = packedTable(scale);
    const px = new Uint32Array(T * H);
    this.order.forEach((unit, row) => {
      for (let t = 0; t < T; t++) px[row * T + t] = table[activationIndex(values[t * H + unit], scale)];
    });
    this.off.width = T;
    this.off.height = H;
    this.off.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(px.buffer), T, H), 0, 0);
    this.canvas.setAttribute('aria-label', t('{0} of {1} units over {2} steps at epoch {3}, units by {4}; {5}', this.tab, H, T, d.epoch, this.sort.value, scale === 'signed' ? t('blue −1, light 0, red +1') : t('viridis, dark purple 0, yellow 1')));
    this.render();
    this.showUnitText();
  }

  private drawLegend(scale: ValueScale): void {
    const fit = fitCanvas(this.legend);
    if (!fit) return;
    const { ctx, w } = fit;
    const pad = 24;
    const table = scale === 'signed' ? DIVERGING : VIRIDIS;
    const bw = w - 2 * pad;
    for (let i = 0; i < 256; i++) {
      ctx.fillStyle = css(table[i]);
      ctx.fillRect(pad + (i / 256) * bw, 0, bw / 256 + 0.5, 12);
    }
    ctx.fillStyle = this.theme.muted;
    ctx.font = `${Math.max(10, this.theme.fontSize - 2)}px ${this.theme.fontFamily}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const ticks = scale === 'signed' ? [-1, 0, 1] : [0, 0.5, 1];
    ticks.forEach((v, k) => ctx.fillText(String(v).replace('-', '−'), pad + (k / (ticks.length - 1)) * bw, 15));
    this.legend.setAttribute('aria-label', scale === 'signed' ? t('Colour scale: −1 blue, 0 light, +1 red') : t('Colour scale: viridis from 0 (dark purple) to 1 (yellow)'));
  }

  private cellAt(x: number, y: number): { unit: number; step: number } | null {
    const d = this.data;
    if (!d) return null;
    const row = Math.floor(y / rowHeight(d.hiddenSize));
    const step = Math.floor((x / this.canvas.clientWidth) * d.steps);
    if (row < 0 || row >= this.order.length || step < 0 || step >= d.steps) return null;
    return { unit: this.order[row], step };
  }

  private hoverAt(x: number, y: number): void {
    const d = this.data;
    const values = this.values();
    const cell = this.cellAt(x, y);
    if (!d || !values || !cell) {
      this.tooltip.hidden = true;
      return;
    }
    const { unit, step } = cell;
    const ch = visibleChar(d.vocab[d.inputs[step]] ?? '');
    this.tooltip.textContent = t("unit {0}, step {1} '{2}'\n{3} = {4}", unit, step, ch, this.tab, values[step * d.hiddenSize + unit].toPrecision(4));
    this.tooltip.hidden = false;
    this.tooltip.style.left = `${Math.min(x + 14, Math.max(0, this.canvas.clientWidth - 180))}px`;
    this.tooltip.style.top = `${y + 14}px`;
  }

  private key(e: KeyboardEvent): void {
    const d = this.data;
    if (d && e.key === 'Escape' && this.unit !== null) {
      e.preventDefault();
      this.pickUnit(null);
      return;
    }
    if (!d || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    const row = this.unit === null ? -1 : this.order.indexOf(this.unit);
    const next = Math.max(0, Math.min(this.order.length - 1, row + (e.key === 'ArrowDown' ? 1 : -1)));
    this.pickUnit(this.order[next]);
  }

  /** Picks a unit (null: none, and the editor shows the gradient colours again). */
  pickUnit(unit: number | null): void {
    if (unit !== null && (!Number.isInteger(unit) || unit < 0 || (this.data !== null && unit >= this.data.hiddenSize))) return;
    this.setUnit(unit);
    this.render();
    this.showUnitText();
    this.onChange();
  }

  /** Picks the tab `name` if the inspected cell has it (the toggle command's `array`). */
  pickTab(name: InsideTab): void {
    const b = this.tabs.querySelector<HTMLButtonElement>(`button[data-tab="${CSS.escape(name)}"]`);
    if (b) b.click();
    else this.preferredTab = name;
  }

  private setUnit(unit: number | null): void {
    this.unit = unit;
    this.unpick.hidden = unit === null;
    if (unit === null) this.unitCaption.textContent = t('Click a unit (a row) to see the text coloured by its activation.');
  }

  /** Karpathy's figure: each input character on the colour of the unit's activation after reading it. */
  private showUnitText(): void {
    const d = this.data;
    const values = this.values();
    this.unitText.textContent = '';
    if (!d || !values || this.unit === null) return;
    const u = this.unit;
    const scale = scaleOf(this.tab);
    const n = Math.min(d.steps, MAX_TEXT);
    const frag = document.createDocumentFragment();
    for (let k = 0; k < n; k++) {
      const v = values[k * d.hiddenSize + u];
      const bg = activationColor(v, scale);
      const s = document.createElement('span');
      const ch = d.vocab[d.inputs[k]] ?? '';
      s.textContent = ch === '\n' ? '↵' : visibleChar(ch);
      s.dataset.step = String(k);
      s.dataset.value = String(v);
      s.style.backgroundColor = css(bg);
      s.style.color = textOn(bg);
      s.title = t('step {0}: {1}[{2}] = {3}', k, this.tab, u, v.toPrecision(4));
      frag.append(s);
      if (ch === '\n') frag.append(document.createElement('br'));
    }
    this.unitText.append(frag);
    this.unitCaption.textContent = t('Unit {0}: the text coloured by {1}[{0}] after reading each character ({2}), here and in the editor with Show in Editor. Up and down arrows on the heatmap pick the next unit, Escape unpicks it.', u, this.tab, scale === 'signed' ? t('blue −1, light 0, red +1') : t('dark purple 0, yellow 1'));
  }

  /** Draws the saturation scatter (also a figure export); hidden for the plain RNN. */
  drawScatter(): HTMLCanvasElement {
    const d = this.data;
    const gates = d ? (SATURATION_GATES[d.cell] ?? []) : [];
    this.scatterBox.hidden = !d || !d.gates || gates.length === 0;
    if (!d || !d.gates || this.scatterBox.hidden) return this.scatter;
    const fit = fitCanvas(this.scatter);
    this.scatterLegend.textContent = '';
    if (!fit) return this.scatter;
    const { ctx, w, h } = fit;
    // The left pad holds the rotated axis title and, clear of it, the tick labels.
    const pad = { l: 42, b: 28, t: 8, r: 8 };
    const pw = w - pad.l - pad.r;
    const ph = h - pad.t - pad.b;
    ctx.strokeStyle = this.theme.grid;
    ctx.fillStyle = this.theme.muted;
    ctx.font = `${Math.max(10, this.theme.fontSize - 2)}px ${this.theme.fontFamily}`;
    ctx.strokeRect(pad.l, pad.t, pw, ph);
    ctx.beginPath();
    ctx.moveTo(pad.l, pad.t);
    ctx.lineTo(pad.l + pw, pad.t + ph);
    ctx.setLineDash([3, 3]);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const v of [0, 0.5, 1]) ctx.fillText(String(v), pad.l + v * pw, pad.t + ph + 3);
    ctx.fillText(t('fraction < 0.1 (left-saturated)'), pad.l + pw / 2, pad.t + ph + 14);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of [0, 0.5, 1]) ctx.fillText(String(v), pad.l - 4, pad.t + (1 - v) * ph);
    ctx.save();
    ctx.translate(8, pad.t + ph / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(t('fraction > 0.9'), 0, 0);
    ctx.restore();
    const H = d.hiddenSize;
    const parts: string[] = [];
    gates.forEach(({ gate, label }, k) => {
      const g = d.gates![gate];
      if (!g) return;
      const { left, right } = gateSaturation(g, d.steps, H);
      const colour = this.theme.series[k % this.theme.series.length];
      ctx.fillStyle = colour;
      ctx.globalAlpha = 0.75;
      for (let j = 0; j < H; j++) {
        ctx.beginPath();
        ctx.arc(pad.l + left[j] * pw, pad.t + (1 - right[j]) * ph, 3, 0, 2 * Math.PI);
        ctx.fill();
      }
      ctx.globalAlpha = 1;
      const item = document.createElement('span');
      item.className = 'legend-nodata';
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = colour;
      item.append(sw, document.createTextNode(label));
      this.scatterLegend.append(item);
      let meanL = 0;
      let meanR = 0;
      for (let j = 0; j < H; j++) {
        meanL += left[j] / H;
        meanR += right[j] / H;
      }
      parts.push(t('{0}: on average {1}% of steps below 0.1, {2}% above 0.9', label, (100 * meanL).toFixed(0), (100 * meanR).toFixed(0)));
    });
    this.scatter.setAttribute('aria-label', t('Gate saturation at epoch {0}: {1}', d.epoch, parts.join('; ')));
    return this.scatter;
  }
}
