// The compare view: three runs (RNN, LSTM, GRU) of one text. Curves are overlaid on shared
// charts, the heatmaps stand side by side on one colour scale, and the controls act on all three.
// Built from the training panel's own modules (heatmap, charts, theme, colormap).
import type { CellKind } from '../../src/core/types';
import { CELL_LABELS } from '../../src/shared/cellLabels';
import { PERSIST_VERSION, parsePersistedCompare, type PersistedCompare } from '../../src/shared/persist';
import { isEnded, type CompareRunRef, type ControlAction, type HostToWebview, type RunState } from '../../src/shared/protocol';
import { RunModel } from '../state';
import { Playback, isPlaybackSnapshot, type PlaybackSnapshot } from '../playback';
import { Timeline } from '../timeline';
import { LineChart, formatNumber, type SeriesSpec } from '../charts';
import { GradHeatmap, drawColourLegend } from '../heatmap';
import { chartBox } from '../canvas';
import { FigureBook, chartFigure } from '../figures';
import { answer } from '../../src/shared/rpc';
import type { HostConnection } from '../host';
import { onThemeChange, readTheme, type Theme } from '../theme';
import { CompareConnectivity } from './connectivity';
import { COMPARE_VIEWS, curve, gradKeyFor, movedVisibly, rowPoints, sharedRange, type CompareView, type LogRange } from './model';
import { t } from '../l10n';
import { LessonView } from '../lesson';
import { progressText } from '../status';

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
  private readonly heading = el('h1', undefined, t('Compare cells'));
  private readonly status = el('p', 'caption');
  private readonly notes = el('p', 'caption');
  private readonly lesson = new LessonView();
  private readonly notice = el('p', 'caption compare-notice');
  private readonly buttons: Record<'pause' | 'resume' | 'stop', HTMLButtonElement>;
  private readonly viewSelect = el('select');
  private readonly charts = el('div', 'compare-charts');
  private readonly heatmaps = el('div', 'compare-heatmaps');
  private readonly legend = el('canvas', 'legend-bar compare-legend');
  private readonly rowChartBox = el('div');
  private readonly figures: FigureBook;
  private readonly figureSlots = { heatmaps: el('span', 'figure-slot'), rows: el('span', 'figure-slot'), charts: el('span', 'figure-slot') };
  /** One playhead for the three runs (their epochs are numbered alike). */
  private readonly playback = new Playback(60);
  private readonly timeline: Timeline;
  private rateSet = false;
  private lastTick = 0;
  private savedPlayback: PlaybackSnapshot | undefined;
  /** Inside the network: the same character's connectivity in the three cells. */
  private readonly connectivity: CompareConnectivity;

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
    this.buttons = { pause: button('pause', t('Pause all'), false), resume: button('resume', t('Resume all'), false), stop: button('stop', t('Stop all'), true) };
    for (const v of COMPARE_VIEWS) {
      const o = el('option', undefined, v.label);
      o.value = v.view;
      this.viewSelect.append(o);
    }
    // A hidden panel's document is dropped; the chosen view survives in the webview state.
    const saved = parsePersistedCompare(host.getState());
    const savedState = saved.ok ? (saved.value.view as { view?: unknown; playback?: unknown } | undefined) : undefined;
    if (COMPARE_VIEWS.some((v) => v.view === savedState?.view)) this.view = savedState!.view as CompareView;
    if (isPlaybackSnapshot(savedState?.playback)) this.savedPlayback = savedState.playback;
    this.figures = new FigureBook(
      () => this.theme,
      () => this.heading.textContent ?? '',
      (figure, rendered) => void host.request('saveFigure', { figure: figure.name, ...rendered }).catch((e: Error) => (this.notice.textContent = t('Could not save the figure: {0}', e.message))),
    );
    this.figureSlots.heatmaps.append(
      this.figures.add({
        name: 'heatmaps',
        title: t('Gradient norms through time, three cells on one colour scale'),
        render: () => {
          for (const c of this.columns) c.heatmap.render();
          this.drawLegend();
          return [...this.columns.map((c) => c.heatmap.canvas), this.legend];
        },
        restore: () => {
          for (const c of this.columns) c.heatmap.render();
          this.drawLegend();
        },
      }),
    );
    this.timeline = new Timeline(this.playback, () => this.count(), () => this.allEnded(), (i) => this.epochAt(i), {
      changed: () => {
        this.schedule();
        this.persistSoon(false);
      },
    });
    this.viewSelect.value = this.view;
    this.viewSelect.id = 'compare-view';
    this.viewSelect.addEventListener('change', () => this.setView(this.viewSelect.value as CompareView));
    const viewLabel = el('label', 'compare-view-label', `${t('Heatmaps show')} `);
    viewLabel.htmlFor = 'compare-view';
    controls.append(viewLabel, this.viewSelect);

    this.connectivity = new CompareConnectivity(host, this.theme);
    const legendWrap = el('div', 'legend');
    const swatch = el('span', 'legend-nodata');
    swatch.append(el('span', 'swatch'), document.createTextNode(t('no data (zero or not finite)')));
    swatch.firstElementChild?.setAttribute('aria-hidden', 'true');
    legendWrap.append(this.legend, swatch);
    this.legend.setAttribute('role', 'img');

    root.append(
      this.heading,
      this.status,
      controls,
      this.lesson.element,
      this.timeline.element,
      this.notes,
      this.notice,
      this.headWith(t('Per-timestep gradient norms (one colour scale for all three)'), this.figureSlots.heatmaps),
      this.heatmaps,
      legendWrap,
      this.headWith(t('‖∂L_T/∂h_t‖ at the playhead: how the last output’s gradient decays back through time'), this.figureSlots.rows),
      this.rowChartBox,
      this.headWith(t('Loss and accuracy'), this.figureSlots.charts),
      this.charts,
      this.headWith(t('Connectivity: the three cells on the same character'), el('span')),
      this.connectivity.element,
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
      this.applySavedPlayback();
      this.updateControls();
    }
  }

  private headWith(title: string, tools: HTMLElement): HTMLElement {
    const head = el('div', 'section-head');
    head.append(el('h2', undefined, title), tools);
    return head;
  }

  // ---------- playhead ----------

  /** Epochs on the timeline: the longest of the three histories. */
  private count(): number {
    return Math.max(0, ...this.columns.map((c) => c.model.length));
  }

  private allEnded(): boolean {
    return this.columns.length > 0 && this.columns.every((c) => isEnded(c.model.state));
  }

  private epochAt(i: number): number {
    const c = this.columns.find((col) => col.model.length > i);
    return c?.model.store?.epochAt(i) ?? i;
  }

  private applySavedPlayback(): void {
    const saved = this.savedPlayback;
    if (!saved || this.count() === 0) return;
    this.savedPlayback = undefined;
    this.playback.restore(saved, (e) => {
      const c = this.columns.find((col) => col.model.indexOf(e) >= 0);
      return c ? c.model.indexOf(e) : -1;
    });
  }

  /** Each run's index at the shared playhead (a run that is behind shows its newest epoch). */
  private indexIn(c: Column): number {
    return Math.min(this.playback.index, c.model.length - 1);
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
          this.playback.scrub(index, this.count());
          this.schedule();
          this.persistSoon(false);
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
    if (msg.type === 'request') {
      void answer(msg.id, () => this.figures.render(msg.params.figure), (reply) => this.host.reply(reply));
      return;
    }
    // No sync comes here: the compare panel's runs wait for its ready before they post (no early document).
    if (msg.type === 'reply' || msg.type === 'sync' || msg.type === 'overlayState' || msg.type === 'insidePick' || msg.type === 'insidePosition') return;
    const runId = msg.type === 'init' ? msg.run.runId : msg.runId;
    const col = this.columns.find((c) => c.ref.runId === runId);
    if (!col) return;
    switch (msg.type) {
      case 'init':
        if (!this.rateSet) {
          this.rateSet = true;
          this.playback.setRate(msg.epochsPerSecond);
        }
        col.model.reset(msg.run, msg.history, msg.state, msg.message, msg.restored, msg.droppedRows);
        this.resetColumn(col);
        this.applySavedPlayback();
        this.offerConnectivity();
        if (msg.run.notes.length > 0) this.notes.textContent = msg.run.notes.join(' ');
        if (col === this.columns[0]) this.lesson.set(msg.run.lesson);
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
      case 'progress':
        col.model.progress = msg.progress;
        this.schedule();
        return;
    }
    this.updateControls();
    this.schedule();
    this.persistSoon(false);
  }

  private resetColumn(col: Column): void {
    const run = col.model.run!;
    // The curves grow across the run's whole budget as the film plays.
    const last = Math.max(run.firstEpoch + run.config.epochs - 1, run.firstEpoch + 1);
    this.loss?.setXRange(run.firstEpoch, last);
    this.accuracy?.setXRange(run.firstEpoch, last);
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
      const playback = this.playback.snapshot((i) => this.epochAt(i), this.count());
      const state: PersistedCompare = { version: PERSIST_VERSION, kind: 'compare', title: this.heading.textContent ?? '', runs, view: { view: this.view, playback } };
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
    this.loss = new LineChart({ canvas: l.canvas, series: this.series(), xTitle: t('epoch'), yTitle: t('loss'), yType: 'linear' }, this.theme);
    this.accuracy = new LineChart({ canvas: a.canvas, series: this.series(), xTitle: t('epoch'), yTitle: t('accuracy'), yType: 'linear', yMin: 0, yMax: 1 }, this.theme);
    const lstm = this.columns.find((c) => c.ref.cell === 'lstm');
    const rowSeries: SeriesSpec[] = [...this.series(' ‖∂L_T/∂h_t‖'), ...(lstm ? [{ label: 'LSTM ‖∂L_T/∂c_t‖', color: CELL_COLOURS.lstm, dashed: true }] : [])];
    this.rows = new LineChart({ canvas: r.canvas, series: rowSeries, xTitle: t('timestep t'), yTitle: t('norm (log scale)'), yType: 'logarithmic' }, this.theme);
    this.figureSlots.rows.replaceChildren(this.figures.add(chartFigure('rows', t('‖∂L_T/∂h_t‖ at the playhead, three cells'), this.rows)));
    this.figureSlots.charts.replaceChildren(
      this.figures.add(chartFigure('loss', t('Loss per epoch, three cells'), this.loss)),
      this.figures.add(chartFigure('accuracy', t('Accuracy per epoch, three cells'), this.accuracy)),
    );
  }

  private rebuildCurves(col: Column): void {
    const i = this.columns.indexOf(col);
    this.loss?.setSeries(i, curve(col.model.store, 'loss'));
    this.accuracy?.setSeries(i, curve(col.model.store, 'accuracy'));
    col.charted = col.model.length;
  }

  private updateRowChart(): void {
    if (!this.rows) return;
    const at = (c: Column): number => (c.model.store ? c.model.store.rowsAtOrBefore(this.indexIn(c)) : -1);
    this.columns.forEach((c, i) => this.rows!.setSeries(i, rowPoints(c.model.store, at(c), 'lastLossGradNorm')));
    const lstm = this.columns.find((c) => c.ref.cell === 'lstm');
    if (lstm) this.rows.setSeries(this.columns.length, rowPoints(lstm.model.store, at(lstm), 'lastLossCellGradNorm'));
    const epochs = this.columns.map((c) => (at(c) >= 0 ? c.model.store!.epochAt(at(c)) : undefined)).filter((e): e is number => e !== undefined);
    const labels = [...this.series(' ‖∂L_T/∂h_t‖').map((s) => s.label), 'LSTM ‖∂L_T/∂c_t‖'];
    this.rows.setLabels(labels, epochs.length ? `epoch #${Math.max(...epochs)}` : '');
    this.lesson.update(epochs.length ? Math.max(...epochs) : null);
  }

  // ---------- frames ----------

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame((t) => {
      this.frame = 0;
      this.draw(t);
    });
  }

  private draw(time: number): void {
    const n = this.count();
    const ended = this.allEnded();
    const dt = this.lastTick === 0 ? 0 : time - this.lastTick;
    this.lastTick = time;
    if (this.playback.tick(dt, n, ended)) this.persistSoon(false);
    const epoch = n > 0 ? this.epochAt(Math.min(this.playback.index, n - 1)) : null;
    this.connectivity.follow(epoch);
    this.loss?.setCursor(epoch);
    this.accuracy?.setCursor(epoch);
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
    for (const c of this.columns) {
      c.heatmap.setSelected(c.model.length > 0 ? this.indexIn(c) : null);
      c.heatmap.render();
    }
    this.timeline.update();
    this.updateRowChart();
    this.loss?.refresh();
    this.accuracy?.refresh();
    this.rows?.refresh();
    this.drawLegend();
    this.updateStatus();
    const busy = this.columns.some((c) => c.heatmap.repainting) || differs;
    const moving = this.playback.playing && this.playback.speed !== 'live' && n > 0 && this.playback.index < n - 1;
    if (busy || moving) this.schedule();
    else this.lastTick = 0;
    if (!busy) this.resolveIdle();
  }

  private drawLegend(): void {
    drawColourLegend(this.legend, this.theme, this.shared ?? null, t('Shared colour scale of the three heatmaps'));
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
          ? `${t(m.state)} · ${t('epoch {0}', `${m.store.epochAt(i) + 1}${total ? `/${total}` : ''}`)} · ${t('loss {0}', formatNumber(m.store.value('loss', i)))} · ${t('accuracy {0}', `${(m.store.value('accuracy', i) * 100).toFixed(1)}%`)}`
          : t(m.state);
      const progress = progressText(m.progress, m.state, m.store && i >= 0 ? m.store.epochAt(i) : -1);
      const going = progress ? ` · ${progress}` : '';
      const full = m.message ? `${text}${going} — ${m.message}` : `${text}${going}`;
      if (c.status.textContent !== full) c.status.textContent = full;
      parts.push(`${CELL_LABELS[c.ref.cell]} ${t(m.state)}`);
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
    this.connectivity.applyTheme(this.theme);
    this.schedule();
  }

  /** Once every run has described itself: the shared text to pick a character from. */
  private offerConnectivity(): void {
    const runs = this.columns.map((c) => c.model.run);
    if (runs.length === 0 || runs.some((r) => r === undefined)) return;
    const steps = Math.min(...runs.map((r) => r!.steps));
    this.connectivity.setRuns(this.columns.map((c) => ({ runId: c.ref.runId, cell: c.ref.cell })), runs[0]!.text, steps);
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
      connectivity: () => this.connectivity.colours(),
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
