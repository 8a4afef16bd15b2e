// Wires the views to the run model. Host messages only queue work; everything visible is
// updated in one pass per animation frame, so a flood of `epochs` batches costs one redraw.
import type { EpochBlock } from '../src/shared/epochBlock';
import { parsePersistedRun } from '../src/shared/persist';
import { inlinePredictions, type HostToWebview } from '../src/shared/protocol';
import { RequestSuperseded } from '../src/shared/rpc';
import { LineChart, formatNumber, type Point } from './charts';
import { chartBox } from './canvas';
import { Controls } from './controls';
import { RestartForm } from './form';
import { GradHeatmap } from './heatmap';
import type { HostConnection } from './host';
import { MatrixView } from './matrix';
import { HistoryView, PREDICTION_WINDOW, PredictionView } from './prediction';
import { GRAD_KEYS, RunModel, isPrefs, type GradKey } from './state';
import { StatusView } from './status';
import { onThemeChange, readTheme, type Theme } from './theme';
import { checkbox, divider, dropdown, type Select } from './toolkit';
import { visibleChar } from './text';

const PERSIST_INTERVAL_MS = 1000;
const MATRIX_DEBOUNCE_MS = 150;
const SETTLE_MS = 300;
const CHART_COST_FACTOR = 4;
const CHART_MAX_DELAY_MS = 250;

function section(title: string, id: string): HTMLElement {
  const s = document.createElement('section');
  s.id = id;
  s.setAttribute('aria-labelledby', `${id}-h`);
  const h = document.createElement('h2');
  h.id = `${id}-h`;
  h.textContent = title;
  s.append(h);
  return s;
}

export class App {
  readonly model = new RunModel();
  private theme: Theme;
  private readonly status = new StatusView();
  private readonly controls: Controls;
  private readonly form: RestartForm;
  private readonly loss: LineChart;
  private readonly accuracy: LineChart;
  private readonly row: LineChart;
  private readonly sigma: LineChart;
  private readonly heatmap: GradHeatmap;
  private readonly matrix: MatrixView;
  private readonly prediction = new PredictionView();
  private readonly history = new HistoryView();
  private readonly rowText: HTMLElement;
  private readonly keySlot: HTMLElement;
  private keySelect: Select<GradKey> | undefined;
  /** Whether the heatmap's row picker offers the LSTM cell-state rows. */
  private keySelectHasCells = false;
  private readonly lossCanvas: HTMLCanvasElement;
  private readonly titleEl: HTMLElement;

  private pending: EpochBlock[] = [];
  /** Epochs of the store already handed to the charts and the history view. */
  private absorbed = 0;
  /** The window of a long text's prediction on screen: [epoch, prediction] once the host answered. */
  private window: { epoch: number; predicted: string | null } | undefined;
  private windowAsked = -1;
  private frameRequested = false;
  private dataDirty = false;
  private selectedEpoch: number | null = null;
  private hoverIndex: number | null = null;
  private persistTimer: ReturnType<typeof setTimeout> | undefined;
  private lastPersist = 0;
  private matrixTimer: ReturnType<typeof setTimeout> | undefined;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private chartsDueAt = 0;
  private rowShown = '';
  /** Grows with the cost of a save, so persisting a long run never eats the frame budget. */
  private persistInterval = PERSIST_INTERVAL_MS;
  /** Animation frames that did work; the throughput bench reads it. */
  framesRendered = 0;
  /** Main-thread time spent in frame(), total and worst; the bench reports them. */
  private frameWorkMs = 0;
  private frameWorkMaxMs = 0;

  constructor(root: HTMLElement, private readonly host: HostConnection) {
    this.theme = readTheme();
    this.controls = new Controls({
      control: (action) => host.post({ type: 'control', action }),
      exportWeights: () => void host.request('exportWeights', {}).catch((e: Error) => this.status.notice('error', e.message)),
      exportMetrics: (format) => void host.request('exportMetrics', { format }).catch((e: Error) => this.status.notice('error', e.message)),
    });
    this.form = new RestartForm((config) => host.post({ type: 'restart', config }));

    const header = document.createElement('header');
    const title = (this.titleEl = document.createElement('h1'));
    title.textContent = root.dataset.title ?? 'RNN Lab';
    header.append(title, this.status.element, this.controls.element);

    const metrics = section('Loss and accuracy', 'sec-metrics');
    const lossLog = checkbox('Log scale', {
      id: 'chk-loss-log',
      checked: this.model.prefs.lossLog,
      onChange: (on) => {
        this.model.prefs.lossLog = on;
        this.loss.setYType(on ? 'logarithmic' : 'linear');
        this.persistSoon(true);
      },
    });
    const lossBox = chartBox('Loss per epoch');
    this.lossCanvas = lossBox.canvas;
    const accBox = chartBox('Accuracy per epoch');
    const pair = document.createElement('div');
    pair.className = 'pair';
    const lossCol = document.createElement('div');
    lossCol.append(lossLog.el, lossBox.box);
    pair.append(lossCol, accBox.box);
    metrics.append(pair);
    this.loss = new LineChart({ canvas: lossBox.canvas, series: [{ label: 'loss', color: 0 }], xTitle: 'epoch', yTitle: 'loss', yType: 'linear' }, this.theme);
    this.accuracy = new LineChart({ canvas: accBox.canvas, series: [{ label: 'accuracy', color: 2 }], xTitle: 'epoch', yTitle: 'accuracy', yType: 'linear', yMin: 0, yMax: 1 }, this.theme);

    const pred = section('Prediction', 'sec-prediction');
    pred.append(this.prediction.element, this.history.element);

    const grads = section('Gradients through time', 'sec-gradients');
    this.keySlot = document.createElement('div');
    this.keySlot.className = 'key-slot';
    this.heatmap = new GradHeatmap(this.theme, {
      hover: (i) => {
        this.hoverIndex = i;
        this.requestFrame(false);
      },
      select: (i) => this.select(this.model.store && i >= 0 && i < this.model.length ? this.model.store.epochAt(i) : null),
      clearSelection: () => this.select(null),
    });
    this.rowText = document.createElement('div');
    this.rowText.className = 'visually-hidden';
    this.rowText.setAttribute('aria-live', 'polite');
    this.rowText.id = 'row-text';
    this.heatmap.canvas.setAttribute('aria-describedby', 'row-text');
    const rowBox = chartBox('Gradient norm per timestep of the shown epoch', 'chart small');
    const sigmaBox = chartBox('Largest singular value of the recurrent matrix per epoch', 'chart small');
    this.row = new LineChart(
      {
        canvas: rowBox.canvas,
        series: [{ label: '‖∂L/∂h_t‖', color: 0 }, { label: '‖∂L_T/∂h_t‖', color: 1 }],
        xTitle: 'timestep',
        yTitle: 'norm (log)',
        yType: 'logarithmic',
        xTickLabel: (x) => (Number.isInteger(x) ? visibleChar(this.model.run?.stepLabels[x] ?? '') : ''),
        tooltipTitle: (x) => `t = ${x} '${visibleChar(this.model.run?.stepLabels[x] ?? '')}'`,
      },
      this.theme,
    );
    this.sigma = new LineChart(
      {
        canvas: sigmaBox.canvas,
        series: [{ label: 'σ_max(W_hh)', color: 4 }, { label: '1 (below: tanh gradients must vanish)', color: 3, dashed: true }],
        xTitle: 'epoch',
        yTitle: 'σ_max',
        yType: 'linear',
        yMin: 0,
      },
      this.theme,
    );
    this.matrix = new MatrixView(this.theme);
    const below = document.createElement('div');
    below.className = 'pair';
    below.append(rowBox.box, sigmaBox.box);
    grads.append(this.keySlot, this.heatmap.element, this.rowText, below, this.matrix.element);

    const restart = section('Restart with new hyperparameters', 'sec-restart');
    restart.append(this.form.element);

    root.append(header, divider(), metrics, pred, grads, restart);

    window.addEventListener('resize', () => this.requestFrame(false));
    onThemeChange(() => this.applyTheme());
  }

  // ---------- messages ----------

  /** Draws the saved state right away, before the host has answered `ready`. */
  restore(saved: unknown): boolean {
    const parsed = parsePersistedRun(saved);
    if (!parsed.ok) return false;
    const s = parsed.value;
    if (isPrefs(s.view)) this.model.prefs = { ...s.view };
    this.load({ type: 'init', run: s.run, history: s.history ? [s.history] : [], droppedRows: 0, state: s.state, message: s.message, restored: s.restored }, false);
    return true;
  }

  handle(m: HostToWebview): void {
    switch (m.type) {
      case 'init':
        this.load(m, true);
        break;
      case 'epochs':
        if (m.runId !== this.model.run?.runId) return;
        this.pending.push(m.block);
        this.model.droppedRows = m.droppedRows;
        this.requestFrame(true);
        break;
      case 'state':
        if (m.runId !== this.model.run?.runId) return;
        this.model.state = m.state;
        this.model.message = m.message;
        this.model.stateEpoch = m.epoch;
        this.requestFrame(false);
        this.persistSoon(true);
        break;
      case 'notice':
        this.status.notice(m.level, m.text);
        break;
      case 'reply':
      case 'overlayState':
        break;
    }
  }

  private load(m: Extract<HostToWebview, { type: 'init' }>, persist: boolean): void {
    this.model.reset(m.run, m.history, m.state, m.message, m.restored, m.droppedRows);
    this.pending = [];
    this.absorbed = this.model.length;
    this.selectedEpoch = null;
    this.hoverIndex = null;
    this.rowShown = '';
    this.chartsDueAt = 0;
    this.window = undefined;
    this.windowAsked = -1;
    const store = this.model.store;
    // A restart keeps the document, so the heading follows the run, not the initial HTML.
    this.titleEl.textContent = m.run.title;
    this.status.setNotes(m.run.notes);
    this.status.clearNotices();
    this.form.fill(m.run.config);
    const chars = Array.from(m.run.text);
    this.prediction.setTarget(inlinePredictions(m.run) ? chars : chars.slice(0, PREDICTION_WINDOW), 0, m.run.textLength);
    this.history.reset(m.run.printEvery, store);
    this.matrix.clear();
    this.buildKeySelect();
    this.loss.setYType(this.model.prefs.lossLog ? 'logarithmic' : 'linear');
    this.loss.setSeries(0, this.points('loss', 0));
    this.accuracy.setSeries(0, this.points('accuracy', 0));
    this.sigma.setSeries(0, this.points('sigmaMaxWhh', 0));
    this.heatmap.reset(store, m.run.steps, m.run.stepLabels, this.model.prefs.gradKey);
    this.dataDirty = true;
    this.requestFrame(false);
    if (persist) this.persistSoon(true);
  }

  /** A scalar column from epoch index `from` on, as chart points. */
  private points(key: 'loss' | 'accuracy' | 'sigmaMaxWhh', from: number): Point[] {
    const store = this.model.store;
    if (!store) return [];
    const col = store.scalar(key);
    const out: Point[] = new Array(Math.max(0, col.length - from));
    for (let i = from; i < col.length; i++) out[i - from] = { x: store.epochAt(i), y: col[i] };
    return out;
  }

  private buildKeySelect(): void {
    const cells = this.model.hasCellRows();
    this.keySelectHasCells = cells;
    const keys = GRAD_KEYS.filter((k) => cells || (k.key !== 'cellGradNorm' && k.key !== 'lastLossCellGradNorm'));
    if (!keys.some((k) => k.key === this.model.prefs.gradKey)) this.model.prefs.gradKey = 'gradNorm';
    this.keySelect = dropdown(
      'Heatmap shows',
      keys.map((k) => ({ value: k.key, label: k.label })),
      {
        id: 'sel-grad-key',
        value: this.model.prefs.gradKey,
        onChange: (key) => {
          this.model.prefs.gradKey = key;
          this.heatmap.setKey(key);
          this.updateRowText();
          this.requestFrame(false);
          this.persistSoon(true);
        },
      },
    );
    this.keySlot.textContent = '';
    this.keySlot.append(this.keySelect.el);
  }

  // ---------- selection ----------

  select(epoch: number | null): void {
    this.selectedEpoch = epoch;
    clearTimeout(this.matrixTimer);
    if (epoch === null) {
      this.matrix.clear();
    } else {
      this.matrix.pending(epoch);
      // Holding an arrow key walks many rows; only the row it stops on is worth computing.
      const runId = this.model.run?.runId;
      this.matrixTimer = setTimeout(() => {
        this.host.request('matrix', { epoch }).then(
          (r) => {
            const run = this.model.run;
            if (run && runId === run.runId && r.epoch === this.selectedEpoch) this.matrix.show(r.epoch, r.size, r.values, run.stepLabels);
          },
          (e: Error) => {
            if (!(e instanceof RequestSuperseded) && epoch === this.selectedEpoch) this.matrix.failed(epoch, e.message);
          },
        );
      }, MATRIX_DEBOUNCE_MS);
    }
    this.updateRowText();
    this.requestFrame(false);
  }

  get selected(): number | null {
    return this.selectedEpoch;
  }

  private updateRowText(): void {
    const i = this.selectedEpoch === null ? -1 : this.model.indexOf(this.selectedEpoch);
    const store = this.model.store;
    if (i < 0 || !store || !this.model.run) {
      this.rowText.textContent = 'No epoch selected; the charts follow the latest epoch.';
      return;
    }
    const key = this.heatmap.currentKey;
    const label = GRAD_KEYS.find((k) => k.key === key)?.short ?? key;
    const values = store.row(key, i);
    const labels = this.model.run.stepLabels;
    const cells = values ? Array.from(values, (v, t) => `${t} '${visibleChar(labels[t] ?? '')}' ${formatNumber(v)}`).join('; ') : 'not kept for this epoch';
    this.rowText.textContent = `Epoch #${store.epochAt(i)} selected, loss ${store.value('loss', i).toFixed(6)}, accuracy ${store.value('accuracy', i).toFixed(4)}. ${label} per timestep: ${cells}.`;
  }

  // ---------- frame loop ----------

  private requestFrame(data: boolean): void {
    if (data) this.dataDirty = true;
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => this.frame());
  }

  private frame(): void {
    const started = performance.now();
    this.frameRequested = false;
    if (this.absorbPending()) this.persistSoon(false);
    const store = this.model.store;
    const n = this.model.length;
    let chartsDrawn = false;
    const now = performance.now();
    if (this.dataDirty && now >= this.chartsDueAt) {
      this.loss.refresh();
      this.accuracy.refresh();
      const first = store && n > 0 ? store.first : (this.model.run?.firstEpoch ?? 0);
      const last = store && n > 0 ? store.epochAt(n - 1) : first;
      this.sigma.setSeries(1, [{ x: first, y: 1 }, { x: Math.max(last, first + 1), y: 1 }]);
      this.sigma.refresh();
      if (store && n > 0) this.lossCanvas.setAttribute('aria-label', `Loss per epoch; latest ${store.value('loss', n - 1).toFixed(6)} at epoch ${last}`);
      this.dataDirty = false;
      chartsDrawn = true;
    }
    this.renderRowAndPrediction(chartsDrawn);
    if (chartsDrawn) {
      // Chart.js redraws cost several ms each; while epochs stream in, spacing them by a few
      // times their cost keeps most of every frame for the heatmap and input.
      const cost = performance.now() - now;
      this.chartsDueAt = performance.now() + Math.min(CHART_MAX_DELAY_MS, cost * CHART_COST_FACTOR);
    } else if (this.dataDirty) {
      this.requestFrame(true);
    }
    this.heatmap.setSelected(this.selectedEpoch === null ? null : this.model.indexOf(this.selectedEpoch));
    this.heatmap.render();
    if (this.heatmap.repainting) this.requestFrame(false);
    else if (this.heatmap.drifted && this.settleTimer === undefined) {
      this.settleTimer = setTimeout(() => {
        this.settleTimer = undefined;
        this.heatmap.settle();
        this.requestFrame(false);
      }, SETTLE_MS);
    }
    this.status.update({
      run: this.model.run,
      state: this.model.state,
      message: this.model.message,
      stateEpoch: this.model.stateEpoch,
      latest: store && n > 0 ? { epoch: store.epochAt(n - 1), loss: store.value('loss', n - 1), accuracy: store.value('accuracy', n - 1) } : undefined,
      restored: this.model.restored,
      droppedRows: this.model.droppedRows,
    });
    this.controls.update(this.model.state, this.model.restored, n > 0);
    this.form.setEnabled(this.model.state !== 'starting');
    this.framesRendered++;
    const spent = performance.now() - started;
    this.frameWorkMs += spent;
    this.frameWorkMaxMs = Math.max(this.frameWorkMaxMs, spent);
  }

  /**
   * The row chart and the prediction follow hover and selection at once; when they follow the
   * latest epoch they are redrawn together with the epoch charts (which are throttled).
   */
  private renderRowAndPrediction(chartsDrawn: boolean): void {
    const store = this.model.store;
    const n = this.model.length;
    const selIndex = this.selectedEpoch === null ? -1 : this.model.indexOf(this.selectedEpoch);
    const following = this.hoverIndex === null && selIndex < 0;
    const i = this.hoverIndex ?? (selIndex >= 0 ? selIndex : n - 1);
    const shown = store && i >= 0 ? store.rowsAtOrBefore(i) : -1;
    const rowKey = `${shown}|${this.heatmap.currentKey}|${n}`;
    const waitForCharts = following && !chartsDrawn && this.rowShown !== '';
    if (rowKey !== this.rowShown && waitForCharts) this.dataDirty = true;
    if (rowKey !== this.rowShown && !waitForCharts) {
      this.rowShown = rowKey;
      const cell = this.heatmap.currentKey === 'cellGradNorm' || this.heatmap.currentKey === 'lastLossCellGradNorm';
      const rowOf = (v: Float64Array | null | undefined): Point[] => (v ? Array.from(v, (y, x) => ({ x, y })) : []);
      this.row.setSeries(0, rowOf(store?.row(cell ? 'cellGradNorm' : 'gradNorm', shown)));
      this.row.setSeries(1, rowOf(store?.row(cell ? 'lastLossCellGradNorm' : 'lastLossGradNorm', shown)));
      this.row.setLabels(cell ? ['‖∂L/∂c_t‖', '‖∂L_T/∂c_t‖'] : ['‖∂L/∂h_t‖', '‖∂L_T/∂h_t‖'], store && shown >= 0 ? `epoch #${store.epochAt(shown)}` : '');
      this.row.refresh();
    }
    if (!waitForCharts && store) {
      const p = selIndex >= 0 ? selIndex : n - 1;
      if (p >= 0) this.prediction.show(store.epochAt(p), this.predictionAt(p), selIndex >= 0);
    }
  }

  /** The prediction shown for epoch index i: the store's for short texts, a window fetched from the host for long ones. */
  private predictionAt(i: number): string | null {
    const store = this.model.store!;
    const run = this.model.run!;
    if (inlinePredictions(run)) return store.predicted(i);
    const epoch = store.epochAt(i);
    if (this.window?.epoch === epoch) return this.window.predicted;
    if (this.windowAsked !== epoch) {
      this.windowAsked = epoch;
      const runId = run.runId;
      this.host.request('prediction', { epoch, start: 0, length: PREDICTION_WINDOW }).then(
        (r) => {
          if (runId !== this.model.run?.runId) return;
          this.window = { epoch, predicted: r.shownEpoch === null ? null : r.predicted };
          this.requestFrame(false);
        },
        () => undefined,
      );
    }
    return this.window?.predicted ?? null;
  }

  private applyTheme(): void {
    this.theme = readTheme();
    for (const c of [this.loss, this.accuracy, this.row, this.sigma]) c.applyTheme(this.theme);
    this.heatmap.applyTheme(this.theme);
    this.matrix.applyTheme(this.theme);
    this.requestFrame(true);
  }

  /**
   * Moves epochs received since the last frame into the model and the charts' data. Runs in each
   * frame, and before each save: a hidden panel gets no animation frames, and a save must not
   * miss epochs that arrived just before a state change.
   */
  private absorbPending(): boolean {
    if (this.pending.length === 0) return false;
    const batch = this.pending;
    this.pending = [];
    for (const b of batch) this.model.append(b);
    const from = this.absorbed;
    this.absorbed = this.model.length;
    this.loss.appendSeries(0, this.points('loss', from));
    this.accuracy.appendSeries(0, this.points('accuracy', from));
    this.sigma.appendSeries(0, this.points('sigmaMaxWhh', from));
    this.heatmap.sync(this.model.store);
    if (this.model.store) this.history.append(this.model.store, from);
    if (!this.keySelect || this.model.hasCellRows() !== this.keySelectHasCells) this.buildKeySelect();
    this.dataDirty = true;
    return true;
  }

  // ---------- persistence ----------

  /** At most one setState per second; `now` (state changes, prefs) skips the wait. */
  private persistSoon(now: boolean): void {
    if (this.persistTimer !== undefined) {
      if (!now) return;
      clearTimeout(this.persistTimer);
    }
    const wait = now ? 0 : Math.max(0, this.persistInterval - (Date.now() - this.lastPersist));
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      const started = performance.now();
      this.absorbPending();
      const snap = this.model.snapshot({ ...this.model.prefs });
      if (snap) this.host.setState(snap);
      const cost = performance.now() - started;
      this.lastPersist = Date.now();
      this.persistInterval = Math.max(PERSIST_INTERVAL_MS, Math.min(10_000, cost * 50));
    }, wait);
  }

  // ---------- read-only hooks for tests and the bench ----------

  debug(): Record<string, unknown> {
    return {
      chart: (name: 'loss' | 'accuracy' | 'row' | 'sigma', series = 0): Point[] => ({ loss: this.loss, accuracy: this.accuracy, row: this.row, sigma: this.sigma })[name].plotted(series),
      heatmapRange: () => this.heatmap.range,
      heatmapKey: () => this.heatmap.currentKey,
      /** Centre of a cell in page coordinates (CSS pixels). */
      cellCenter: (index: number, step: number) => {
        const c = this.heatmap.cellCenter(index, step);
        const r = this.heatmap.canvas.getBoundingClientRect();
        return { x: r.left + c.x, y: r.top + c.y, canvasX: c.x, canvasY: c.y };
      },
      /** RGBA of the visible heatmap canvas at a point in CSS pixels relative to the canvas. */
      heatmapPixel: (x: number, y: number) => {
        const dpr = window.devicePixelRatio || 1;
        const d = this.heatmap.canvas.getContext('2d')!.getImageData(Math.floor(x * dpr), Math.floor(y * dpr), 1, 1).data;
        return [d[0], d[1], d[2], d[3]];
      },
      selected: () => this.selectedEpoch,
      epochs: () => this.model.length,
      /** Bytes of per-step rows the panel's store holds (typed arrays, outside the JS heap figure). */
      rowBytes: () => this.model.store?.rowBytes ?? 0,
      /** Epochs whose per-step rows the panel holds. */
      rowsKept: () => {
        const st = this.model.store;
        let n = 0;
        for (let i = 0; st && i < st.length; i++) if (st.hasRows(i)) n++;
        return n;
      },
      runState: () => this.model.state,
      frames: () => this.framesRendered,
      frameWork: () => ({ frames: this.framesRendered, totalMs: this.frameWorkMs, maxMs: this.frameWorkMaxMs }),
      pending: () => this.pending.length,
      historyText: () => this.history.text(),
      noDataColor: () => [...this.theme.noData],
      /** Resolves once no queued, throttled or settling work is left (tests wait on it). */
      whenIdle: () =>
        new Promise<void>((resolve) => {
          const check = (): void => {
            const busy = this.pending.length > 0 || this.dataDirty || this.frameRequested || this.heatmap.repainting || this.settleTimer !== undefined || this.heatmap.drifted;
            if (busy) setTimeout(check, 16);
            else resolve();
          };
          check();
        }),
    };
  }
}
