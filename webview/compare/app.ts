// The compare view: three runs (RNN, LSTM, GRU) of one text. Curves are overlaid on shared
// charts, the heatmaps stand side by side on one colour scale, and the controls act on all three.
// Built from the training panel's own modules (heatmap, charts, theme, colormap).
import type { CellKind } from '../../src/core/types';
import { CELL_LABELS } from '../../src/shared/cellLabels';
import { PERSIST_VERSION, parsePersistedCompare, type PersistedCompare } from '../../src/shared/persist';
import { isEnded, type CompareRunRef, type ControlAction, type HostToWebview, type RunState } from '../../src/shared/protocol';
import { RunModel } from '../state';
import { LineChart, formatNumber, type SeriesSpec } from '../charts';
import { GradHeatmap, drawColourLegend } from '../heatmap';
import { chartBox } from '../canvas';
import type { HostConnection } from '../host';
import { onThemeChange, readTheme, type Theme } from '../theme';
import { COMPARE_VIEWS, curve, gradKeyFor, latestWithRows, movedVisibly, rowPoints, sharedRange, type CompareView, type LogRange } from './model';

/** Theme.series indices: blue, orange, green — distinct in every built-in theme. */
const CELL_COLOURS: Record<CellKind, number> = { rnn: 0, lstm: 1, gru: 2 };
/** Longest the shared scale may lag the data by less than a colour step. */
const RANGE_LAG_MS = 500;
/** Longest wait between two saves of the three histories while they stream. */
const PERSIST_INTERVAL_MS = 1000;

interface Column {
  ref: CompareRunRef;
  /** The run's description, metrics and state: the training panel's own model. */
  model: RunModel;
  heatmap: GradHeatmap;
  status: HTMLElement;
  /** Epochs of the store already handed to the charts. */
  charted: number;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export class CompareApp {
  private theme: Theme = readTheme();
  private columns: Column[] = [];
  private view: CompareView = 'last';
  private shared: LogRange | null = null;
  private sharedAt = 0;
  private frame = 0;
  private idleWaiters: (() => void)[] = [];
  private loss: LineChart | undefined;
  private accuracy: LineChart | undefined;
  private rows: LineChart | undefined;
  private readonly heading = el('h1', undefined, 'Compare cells');
  private readonly status = el('p', 'caption');
  private readonly notes = el('p', 'caption');
  private readonly notice = el('p', 'caption compare-notice');
  private readonly buttons: Record<'pause' | 'resume' | 'stop', HTMLButtonElement>;
  private readonly viewSelect = el('select');
  private readonly charts = el('div', 'compare-charts');
  private readonly heatmaps = el('div', 'compare-heatmaps');
  private readonly legend = el('canvas', 'legend-bar compare-legend');
  private readonly rowChartBox = el('div');

  constructor(
    root: HTMLElement,
    private readonly host: HostConnection,
  ) {
    root.classList.add('compare');
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    const controls = el('div', 'compare-controls');
    const button = (action: 'pause' | 'resume' | 'stop', label: string, secondary: boolean): HTMLButtonElement => {
      const b = el('button', secondary ? 'secondary' : undefined, label);
      b.type = 'button';
      b.dataset.action = action;
      b.addEventListener('click', () => this.control(action));
      controls.append(b);
      return b;
    };
    this.buttons = { pause: button('pause', 'Pause all', false), resume: button('resume', 'Resume all', false), stop: button('stop', 'Stop all', true) };
    for (const v of COMPARE_VIEWS) {
      const o = el('option', undefined, v.label);
      o.value = v.view;
      this.viewSelect.append(o);
    }
    // A hidden panel's document is dropped; the chosen view survives in the webview state.
    const saved = parsePersistedCompare(host.getState());
    const savedView = saved.ok ? (saved.value.view as { view?: unknown } | undefined)?.view : undefined;
    if (COMPARE_VIEWS.some((v) => v.view === savedView)) this.view = savedView as CompareView;
    this.viewSelect.value = this.view;
    this.viewSelect.id = 'compare-view';
    this.viewSelect.addEventListener('change', () => this.setView(this.viewSelect.value as CompareView));
    const viewLabel = el('label', 'compare-view-label', 'Heatmaps show ');
    viewLabel.htmlFor = 'compare-view';
    controls.append(viewLabel, this.viewSelect);

    const legendWrap = el('div', 'legend');
    const swatch = el('span', 'legend-nodata');
    swatch.append(el('span', 'swatch'), document.createTextNode('no data (zero or not finite)'));
    swatch.firstElementChild?.setAttribute('aria-hidden', 'true');
    legendWrap.append(this.legend, swatch);
    this.legend.setAttribute('role', 'img');

    root.append(
      this.heading,
      this.status,
      controls,
      this.notes,
      this.notice,
      el('h2', undefined, 'Loss and accuracy'),
      this.charts,
      el('h2', undefined, 'Per-timestep gradient norms (one colour scale for all three)'),
      this.heatmaps,
      legendWrap,
      el('h2', undefined, '‖∂L_T/∂h_t‖ of the latest epoch: how the last output’s gradient decays back through time'),
      this.rowChartBox,
    );
    onThemeChange(() => this.applyTheme());
    new ResizeObserver(() => this.schedule()).observe(root);
    this.updateControls();
    // The saved histories are drawn before the host answers `ready` (and are all a reloaded panel has).
    if (saved.ok) {
      this.layout(saved.value.title, saved.value.runs.map((r) => ({ runId: r.run.runId, cell: r.run.config.cell })));
      saved.value.runs.forEach((r, i) => {
        const col = this.columns[i];
        col.model.reset(r.run, r.history ? [r.history] : [], r.state, r.message, r.restored, 0);
        this.resetColumn(col);
      });
      this.updateControls();
    }
  }

  // ---------- messages ----------

  layout(title: string, runs: CompareRunRef[]): void {
    if (runs.length === this.columns.length && runs.every((r, i) => r.runId === this.columns[i].ref.runId)) return;
    this.heading.textContent = title;
    this.heatmaps.textContent = '';
    this.columns = runs.map((ref) => {
      const box = el('div', 'compare-column');
      const label = el('h3', 'compare-cell', CELL_LABELS[ref.cell]);
      label.style.setProperty('--cell-colour', `var(${['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green'][CELL_COLOURS[ref.cell]]})`);
      const status = el('p', 'caption compare-run-status', 'starting…');
      const col: Column = { ref, model: new RunModel(), status, charted: 0, heatmap: undefined as unknown as GradHeatmap };
      col.heatmap = new GradHeatmap(this.theme, {
        hover: () => undefined,
        select: (index) => {
          col.heatmap.setSelected(index);
          this.schedule();
        },
      });
      box.append(label, status, col.heatmap.element);
      this.heatmaps.append(box);
      return col;
    });
    this.buildCharts();
    this.shared = null;
    this.schedule();
  }

  handle(msg: HostToWebview): void {
    if (msg.type === 'notice') {
      this.notice.textContent = msg.text;
      return;
    }
    if (msg.type === 'reply' || msg.type === 'overlayState') return;
    const runId = msg.type === 'init' ? msg.run.runId : msg.runId;
    const col = this.columns.find((c) => c.ref.runId === runId);
    if (!col) return;
    switch (msg.type) {
      case 'init':
        col.model.reset(msg.run, msg.history, msg.state, msg.message, msg.restored, msg.droppedRows);
        this.resetColumn(col);
        if (msg.run.notes.length > 0) this.notes.textContent = msg.run.notes.join(' ');
        break;
      case 'epochs':
        col.model.append(msg.block);
        col.model.droppedRows = msg.droppedRows;
        break;
      case 'state':
        col.model.state = msg.state;
        col.model.message = msg.message;
        this.persistSoon(true);
        break;
    }
    this.updateControls();
    this.schedule();
    this.persistSoon(false);
  }

  private resetColumn(col: Column): void {
    const run = col.model.run!;
    col.heatmap.reset(col.model.store, run.steps, run.stepLabels, gradKeyFor(this.view, col.ref.cell));
    this.rebuildCurves(col);
  }

  // ---------- persistence ----------

  private persistTimer: ReturnType<typeof setTimeout> | undefined;
  private lastPersist = 0;

  /** The three histories and the view, for a hidden panel and for the serializer after a reload. */
  private persistSoon(now: boolean): void {
    if (this.persistTimer !== undefined) {
      if (!now) return;
      clearTimeout(this.persistTimer);
    }
    const wait = now ? 0 : Math.max(0, PERSIST_INTERVAL_MS - (Date.now() - this.lastPersist));
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      this.lastPersist = Date.now();
      const runs = this.columns.map((c) => c.model.snapshot(undefined)).filter((r) => r !== undefined);
      if (runs.length !== this.columns.length || runs.length === 0) return;
      const state: PersistedCompare = { version: PERSIST_VERSION, kind: 'compare', title: this.heading.textContent ?? '', runs, view: { view: this.view } };
      this.host.setState(state);
    }, wait);
  }

  // ---------- controls ----------

  private control(action: ControlAction): void {
    this.host.post({ type: 'control', action });
  }

  private updateControls(): void {
    const live = this.columns.filter((c) => !c.model.restored);
    const states: RunState[] = live.map((c) => c.model.state);
    this.buttons.pause.disabled = !states.includes('running');
    this.buttons.resume.disabled = !states.includes('paused');
    this.buttons.stop.disabled = states.length === 0 || states.every(isEnded);
  }

  private setView(view: CompareView): void {
    this.view = view;
    this.persistSoon(true);
    for (const c of this.columns) c.heatmap.setKey(gradKeyFor(view, c.ref.cell));
    // A new quantity has a new range: the scale starts over from the data.
    this.shared = null;
    this.schedule();
  }

  // ---------- charts ----------

  private series(suffix = ''): SeriesSpec[] {
    return this.columns.map((c) => ({ label: CELL_LABELS[c.ref.cell] + suffix, color: CELL_COLOURS[c.ref.cell] }));
  }

  private buildCharts(): void {
    this.loss?.destroy();
    this.accuracy?.destroy();
    this.rows?.destroy();
    this.charts.textContent = '';
    this.rowChartBox.textContent = '';
    const l = chartBox();
    const a = chartBox();
    const r = chartBox();
    this.charts.append(l.box, a.box);
    this.rowChartBox.append(r.box);
    this.loss = new LineChart({ canvas: l.canvas, series: this.series(), xTitle: 'epoch', yTitle: 'loss', yType: 'linear' }, this.theme);
    this.accuracy = new LineChart({ canvas: a.canvas, series: this.series(), xTitle: 'epoch', yTitle: 'accuracy', yType: 'linear', yMin: 0, yMax: 1 }, this.theme);
    const lstm = this.columns.find((c) => c.ref.cell === 'lstm');
    const rowSeries: SeriesSpec[] = [...this.series(' ‖∂L_T/∂h_t‖'), ...(lstm ? [{ label: 'LSTM ‖∂L_T/∂c_t‖', color: CELL_COLOURS.lstm, dashed: true }] : [])];
    this.rows = new LineChart({ canvas: r.canvas, series: rowSeries, xTitle: 'timestep t', yTitle: 'norm (log scale)', yType: 'logarithmic' }, this.theme);
  }

  private rebuildCurves(col: Column): void {
    const i = this.columns.indexOf(col);
    this.loss?.setSeries(i, curve(col.model.store, 'loss'));
    this.accuracy?.setSeries(i, curve(col.model.store, 'accuracy'));
    col.charted = col.model.length;
  }

  private updateRowChart(): void {
    if (!this.rows) return;
    this.columns.forEach((c, i) => this.rows!.setSeries(i, rowPoints(c.model.store, latestWithRows(c.model.store), 'lastLossGradNorm')));
    const lstm = this.columns.find((c) => c.ref.cell === 'lstm');
    if (lstm) this.rows.setSeries(this.columns.length, rowPoints(lstm.model.store, latestWithRows(lstm.model.store), 'lastLossCellGradNorm'));
    const epochs = this.columns.map((c) => (latestWithRows(c.model.store) >= 0 ? c.model.store!.epochAt(latestWithRows(c.model.store)) : undefined)).filter((e): e is number => e !== undefined);
    const labels = [...this.series(' ‖∂L_T/∂h_t‖').map((s) => s.label), 'LSTM ‖∂L_T/∂c_t‖'];
    this.rows.setLabels(labels, epochs.length ? `epoch #${Math.max(...epochs)}` : '');
  }

  // ---------- frames ----------

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    this.columns.forEach((c, i) => {
      if (c.model.length > c.charted) {
        this.loss?.appendSeries(i, curve(c.model.store, 'loss', c.charted));
        this.accuracy?.appendSeries(i, curve(c.model.store, 'accuracy', c.charted));
        c.charted = c.model.length;
      }
      if (c.model.run) c.heatmap.sync(c.model.store);
    });
    const exact = sharedRange(this.columns.map((c) => c.heatmap.range));
    const now = performance.now();
    const differs = exact !== null && (this.shared === null || exact.lo !== this.shared.lo || exact.hi !== this.shared.hi);
    if (movedVisibly(this.shared, exact) || (differs && now - this.sharedAt > RANGE_LAG_MS)) {
      this.shared = exact;
      this.sharedAt = now;
      for (const c of this.columns) c.heatmap.setFixedRange(exact);
    }
    for (const c of this.columns) c.heatmap.render();
    this.updateRowChart();
    this.loss?.refresh();
    this.accuracy?.refresh();
    this.rows?.refresh();
    this.drawLegend();
    this.updateStatus();
    const busy = this.columns.some((c) => c.heatmap.repainting) || differs;
    if (busy) this.schedule();
    else this.resolveIdle();
  }

  private drawLegend(): void {
    drawColourLegend(this.legend, this.theme, this.shared ?? null, 'Shared colour scale of the three heatmaps');
  }

  private updateStatus(): void {
    const parts: string[] = [];
    for (const c of this.columns) {
      const m = c.model;
      const i = m.latest;
      const info = m.run;
      const total = info ? info.firstEpoch + info.config.epochs : undefined;
      const text =
        m.store && i >= 0
          ? `${m.state} · epoch ${m.store.epochAt(i) + 1}${total ? `/${total}` : ''} · loss ${formatNumber(m.store.value('loss', i))} · accuracy ${(m.store.value('accuracy', i) * 100).toFixed(1)}%`
          : m.state;
      const full = m.message ? `${text} — ${m.message}` : text;
      if (c.status.textContent !== full) c.status.textContent = full;
      parts.push(`${CELL_LABELS[c.ref.cell]} ${m.state}`);
    }
    const line = parts.join(', ');
    if (this.status.textContent !== line) this.status.textContent = line;
  }

  private applyTheme(): void {
    this.theme = readTheme();
    for (const c of this.columns) c.heatmap.applyTheme(this.theme);
    this.loss?.applyTheme(this.theme);
    this.accuracy?.applyTheme(this.theme);
    this.rows?.applyTheme(this.theme);
    this.schedule();
  }

  private resolveIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  // ---------- test hooks ----------

  debug() {
    return {
      whenIdle: (): Promise<void> =>
        new Promise<void>((ok) => {
          this.idleWaiters.push(ok);
          this.schedule();
        }),
      view: () => this.view,
      shared: () => this.shared,
      ranges: () => this.columns.map((c) => c.heatmap.range),
      cells: () => this.columns.map((c) => c.ref.cell),
      epochs: () => this.columns.map((c) => c.model.length),
      lossData: () => this.columns.map((_, i) => this.loss?.plotted(i) ?? []),
      accuracyData: () => this.columns.map((_, i) => this.accuracy?.plotted(i) ?? []),
      rowData: () => [0, 1, 2, 3].map((i) => (this.rows && (i < this.columns.length || this.columns.some((c) => c.ref.cell === 'lstm')) ? this.rows.plotted(i) : [])),
      /** The pixel at the centre of a heatmap cell, read back from that column's canvas. */
      pixel: (column: number, index: number, step: number): number[] => {
        const h = this.columns[column].heatmap;
        const p = h.cellCenter(index, step);
        const dpr = window.devicePixelRatio || 1;
        const d = h.canvas.getContext('2d')!.getImageData(Math.floor(p.x * dpr), Math.floor(p.y * dpr), 1, 1).data;
        return [d[0], d[1], d[2], d[3]];
      },
    };
  }
}
