// Line charts (Chart.js, only the pieces registered below end up in the bundle). Animations are
// off and data is handed over as pre-parsed {x, y} points, decimated to at most MAX_POINTS by a
// min/max pass so a 10,000-epoch run costs the same per frame as a short one.
import {
  Chart,
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  LogarithmicScale,
  Tooltip,
  Legend,
  type ChartConfiguration,
  type ChartDataset,
  type ChartOptions,
  type ScaleOptionsByType,
} from 'chart.js';
import type { Theme } from './theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend);

export interface Point {
  x: number;
  y: number;
}

const MAX_POINTS = 2000;

/** Keeps first/last and each bucket's min and max, in x order, so spikes survive decimation. */
export function decimateMinMax(points: readonly Point[], maxPoints = MAX_POINTS): Point[] {
  if (points.length <= maxPoints) return points.slice();
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const size = points.length / buckets;
  const out: Point[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(points.length, Math.floor((b + 1) * size));
    if (end <= start) continue;
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      if (points[i].y < points[lo].y) lo = i;
      if (points[i].y > points[hi].y) hi = i;
    }
    if (lo === hi) out.push(points[lo]);
    else if (lo < hi) out.push(points[lo], points[hi]);
    else out.push(points[hi], points[lo]);
  }
  const last = points[points.length - 1];
  if (out[out.length - 1] !== last) out.push(last);
  return out;
}

export interface SeriesSpec {
  label: string;
  /** Index into Theme.series. */
  color: number;
  dashed?: boolean;
  /** Drawn whole whatever the playhead (a reference line). */
  whole?: boolean;
}

export interface ChartSpec {
  canvas: HTMLCanvasElement;
  series: SeriesSpec[];
  xTitle: string;
  yTitle: string;
  yType: 'linear' | 'logarithmic';
  yMin?: number;
  yMax?: number;
  xTickLabel?: (x: number) => string | undefined;
  tooltipTitle?: (x: number) => string;
  /** A click on the plot picks the x under the pointer (curves: move the playhead there). */
  onPick?: (x: number) => void;
}

/** Index just past the last point with x ≤ limit (points are in increasing x). */
function cutAt(points: readonly Point[], limit: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].x <= limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Runs fn two frames after the page's load event: VS Code hands a new panel its first messages at
 * that event, and the frame that draws them is painted before any chart is built.
 */
function afterLoad(fn: () => void): void {
  const later = (): void => void requestAnimationFrame(() => requestAnimationFrame(fn));
  if (document.readyState === 'complete') later();
  else window.addEventListener('load', later, { once: true });
}

export class LineChart {
  /**
   * Made when the canvas first comes into view (or something needs it drawn): a new panel builds
   * only the charts on its first screen, and each lays out once, attached, at its real size.
   */
  private chart: Chart<'line', Point[]> | undefined;
  private readonly config: ChartConfiguration<'line', Point[]>;
  private observer: IntersectionObserver | undefined;
  /** Full-resolution points per series, finite values only; Chart.js only ever sees copies. */
  private readonly full: Point[][];
  /** The playhead: points after it are not drawn, and a line marks it; null draws everything. */
  private cursor: number | null = null;
  private cursorColor = '#888';

  constructor(private readonly spec: ChartSpec, theme: Theme) {
    this.full = spec.series.map(() => []);
    const cursorLine = {
      id: 'playheadCursor',
      afterDatasetsDraw: (chart: Chart) => {
        if (this.cursor === null) return;
        const x = chart.scales.x.getPixelForValue(this.cursor);
        const { top, bottom, left, right } = chart.chartArea;
        if (!(x >= left - 0.5 && x <= right + 0.5)) return;
        const ctx = chart.ctx;
        ctx.save();
        ctx.strokeStyle = this.cursorColor;
        ctx.lineWidth = 1;
        ctx.setLineDash([3, 3]);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, bottom);
        ctx.stroke();
        ctx.restore();
      },
    };
    const config: ChartConfiguration<'line', Point[]> = {
      type: 'line',
      data: {
        datasets: spec.series.map((s) => ({
          label: s.label,
          data: [],
          borderWidth: 1.5,
          pointRadius: 0,
          pointHoverRadius: 3,
          borderDash: s.dashed ? [6, 4] : undefined,
          tension: 0,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: {
            type: 'linear',
            title: { display: true, text: spec.xTitle },
            ticks: spec.xTickLabel ? { callback: (v) => spec.xTickLabel?.(Number(v)) ?? '', autoSkip: true, maxRotation: 0 } : { maxRotation: 0 },
          },
          y: this.yScale(spec.yType),
        },
        plugins: {
          legend: { display: spec.series.length > 1, labels: { boxWidth: 12, boxHeight: 2 } },
          tooltip: {
            callbacks: {
              title: (items) => (items.length ? (spec.tooltipTitle?.(items[0].parsed.x ?? 0) ?? `${spec.xTitle} ${items[0].parsed.x}`) : ''),
              label: (item) => `${item.dataset.label}: ${formatNumber(item.parsed.y ?? NaN)}`,
            },
          },
        },
      },
    };
    config.plugins = [cursorLine];
    if (spec.onPick) {
      config.options!.onClick = (e) => {
        const x = e.x === null || !this.chart ? NaN : this.chart.scales.x.getValueForPixel(e.x);
        if (x !== undefined && Number.isFinite(x)) spec.onPick!(x);
      };
    }
    // Themed before it exists: Chart.js lays out and draws once on creation, not twice.
    this.theme(config.options!, config.data.datasets, theme);
    this.config = config;
    if (typeof IntersectionObserver === 'undefined') this.ensure();
    else {
      this.observer = new IntersectionObserver((entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        this.observer?.disconnect();
        this.observer = undefined;
        this.ensure();
        this.refresh();
      });
      // Watched from just after the page's load event on (see afterLoad).
      const observer = this.observer;
      afterLoad(() => {
        if (this.observer === observer) observer.observe(spec.canvas);
      });
    }
  }

  private ensure(): Chart<'line', Point[]> {
    this.chart ??= new Chart(this.spec.canvas, this.config);
    return this.chart;
  }

  /** The options Chart.js reads: the config's until the chart exists, then the chart's. */
  private get options(): ChartOptions<'line'> {
    return (this.chart?.options ?? this.config.options)!;
  }

  private get datasets(): ChartDataset<'line', Point[]>[] {
    return this.chart?.data.datasets ?? this.config.data.datasets;
  }

  private yScale(type: 'linear' | 'logarithmic'): Partial<ScaleOptionsByType<'linear' | 'logarithmic'>> {
    return {
      type,
      // Chart.js prints log ticks as long decimals (0.000010); powers of ten read better.
      ...(type === 'logarithmic' ? { ticks: { callback: (v: number | string) => formatLogTick(Number(v)) } } : {}),
      min: this.spec.yMin,
      max: this.spec.yMax,
      title: { display: true, text: this.spec.yTitle },
    } as Partial<ScaleOptionsByType<'linear' | 'logarithmic'>>;
  }

  applyTheme(theme: Theme): void {
    this.theme(this.options, this.datasets, theme);
    this.chart?.update('none');
  }

  private theme(o: ChartOptions<'line'>, datasets: ChartDataset<'line', Point[]>[], theme: Theme): void {
    this.cursorColor = theme.focus;
    const font = { family: theme.fontFamily, size: Math.max(10, theme.fontSize - 2) };
    for (const axis of ['x', 'y'] as const) {
      const sc = o.scales?.[axis];
      if (!sc) continue;
      sc.grid = { ...(sc.grid ?? {}), color: theme.grid };
      sc.border = { ...(sc.border ?? {}), color: theme.grid };
      sc.ticks = { ...(sc.ticks ?? {}), color: theme.muted, font };
      const t = (sc as { title?: { color?: string; font?: unknown } }).title;
      if (t) {
        t.color = theme.muted;
        t.font = font;
      }
    }
    const tip = o.plugins?.tooltip;
    if (tip) {
      // Chart.js's own tooltip is black on white-ish text; the editor's hover widget colours fit every theme.
      tip.backgroundColor = theme.hoverBackground;
      tip.titleColor = theme.hoverForeground;
      tip.bodyColor = theme.hoverForeground;
      tip.borderColor = theme.hoverBorder;
      tip.borderWidth = 1;
      tip.titleFont = font;
      tip.bodyFont = font;
    }
    if (o.plugins?.legend?.labels) {
      o.plugins.legend.labels.color = theme.fg;
      o.plugins.legend.labels.font = font;
    }
    datasets.forEach((d, i) => {
      const c = theme.series[this.spec.series[i].color % theme.series.length];
      d.borderColor = c;
      d.backgroundColor = c;
    });
  }

  setYType(type: 'linear' | 'logarithmic'): void {
    this.spec.yType = type;
    const o = this.options;
    if (o.scales) {
      const old = o.scales.y;
      const fresh = this.yScale(type) as { ticks?: { callback?: unknown } };
      const ticks: Record<string, unknown> = { ...(old?.ticks ?? {}) };
      if (fresh.ticks?.callback) ticks.callback = fresh.ticks.callback;
      else delete ticks.callback;
      o.scales.y = { ...fresh, ticks, grid: old?.grid, border: old?.border } as typeof old;
      const t = (old as { title?: object } | undefined)?.title;
      if (t) (o.scales.y as { title?: object }).title = { ...t };
    }
    this.refresh();
  }

  /** Renames the series and notes what the x axis currently shows (e.g. which epoch). */
  setLabels(labels: readonly string[], note: string): void {
    this.datasets.forEach((d, i) => (d.label = labels[i] ?? d.label));
    const x = this.options.scales?.x as { title?: { text?: string } } | undefined;
    if (x?.title) x.title.text = note ? `${this.spec.xTitle} (${note})` : this.spec.xTitle;
  }

  /** Shows or hides the legend: a second series only some runs have (the held-out curves). */
  setLegend(on: boolean): void {
    const legend = this.options.plugins?.legend;
    if (legend) legend.display = on;
  }

  /** Replaces a series; non-finite values are dropped (and non-positive ones on a log axis). */
  setSeries(i: number, points: Point[]): void {
    this.full[i] = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  }

  appendSeries(i: number, points: Point[]): void {
    const f = this.full[i];
    for (const p of points) if (Number.isFinite(p.x) && Number.isFinite(p.y)) f.push(p);
  }

  /** Draws points up to x only, with a line there (the playhead); null draws them all. */
  setCursor(x: number | null): void {
    this.cursor = x;
  }

  /** Fixes the x axis (a run's whole epoch range, so a curve grows across it during playback). */
  setXRange(min: number | undefined, max: number | undefined): void {
    const x = this.options.scales?.x;
    if (!x) return;
    x.min = min;
    x.max = max;
  }

  /** Hands Chart.js the (decimated) data and redraws synchronously; called at most once per frame. */
  refresh(): void {
    const log = this.spec.yType === 'logarithmic';
    // Two points (a min and a max) per device pixel column are all a line can show.
    const maxPoints = Math.max(200, Math.min(MAX_POINTS, 2 * this.spec.canvas.width));
    let lo = Infinity;
    let hi = -Infinity;
    this.datasets.forEach((d, i) => {
      const upTo = this.cursor === null || this.spec.series[i].whole ? this.full[i] : this.full[i].slice(0, cutAt(this.full[i], this.cursor));
      const pts = log ? upTo.filter((p) => p.y > 0) : upTo;
      d.data = decimateMinMax(pts, maxPoints);
      if (this.cursor !== null && !this.spec.series[i].whole) {
        for (const p of this.full[i]) {
          if (log && !(p.y > 0)) continue;
          lo = Math.min(lo, p.y);
          hi = Math.max(hi, p.y);
        }
      }
    });
    // During playback the y axis holds the whole run's range, so the curve grows into a fixed frame.
    const y = this.options.scales?.y;
    if (y) {
      const fixed = this.cursor !== null && lo <= hi;
      y.min = this.spec.yMin ?? (fixed ? (log ? lo : lo - 0.02 * (hi - lo || 1)) : undefined);
      y.max = this.spec.yMax ?? (fixed ? (log ? hi : hi + 0.02 * (hi - lo || 1)) : undefined);
    }
    this.chart?.update('none');
  }

  /**
   * Redraws at a pixel ratio (a figure export renders at 2×; undefined goes back to the
   * device's) and returns the canvas, whose bitmap then has that density.
   */
  renderAt(ratio: number | undefined): HTMLCanvasElement {
    const chart = this.ensure();
    chart.options.devicePixelRatio = ratio;
    chart.resize();
    this.refresh();
    return this.spec.canvas;
  }

  /** What Chart.js currently plots, for tests and the text alternative. */
  plotted(i = 0): Point[] {
    return this.datasets[i].data.map((p) => ({ x: p.x, y: p.y }));
  }

  destroy(): void {
    this.observer?.disconnect();
    this.chart?.destroy();
  }
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(3);
  return Number(v.toPrecision(5)).toString();
}

/** Labels only the decades (1e-3, 0.01, 1, 100); Chart.js also ticks 2× and 5× in between. */
export function formatLogTick(v: number): string {
  if (!(v > 0)) return '';
  const l = Math.log10(v);
  if (Math.abs(l - Math.round(l)) > 1e-9) return '';
  const e = Math.round(l);
  return e >= -2 && e <= 3 ? String(Number(v.toPrecision(1))) : `1e${e}`;
}
