// Wires the views to the run model and the playback. Host messages only queue work; everything
// visible is updated in one pass per animation frame, so a flood of blocks costs one redraw.
// Every view shows the playhead's epoch: training records at full speed, the panel plays it back.
import type { EpochBlock } from '../src/shared/epochBlock';
import { parsePersistedRun } from '../src/shared/persist';
import { inlinePredictions, isEnded, type HostToWebview } from '../src/shared/protocol';
import { RequestSuperseded, answer } from '../src/shared/rpc';
import { LineChart, formatNumber, type Point, type SeriesSpec } from './charts';
import { chartBox } from './canvas';
import { Controls } from './controls';
import { FigureBook, chartFigure } from './figures';
import { RestartForm } from './form';
import { GradHeatmap } from './heatmap';
import type { HostConnection } from './host';
import { MatrixView } from './matrix';
import { Playback } from './playback';
import { HistoryView, PREDICTION_WINDOW, PredictionView } from './prediction';
import { fixedSection, foldingSection, type Section } from './sections';
import { GRAD_KEYS, RunModel, isViewState, type GradKey, type ViewState } from './state';
import { StatusView } from './status';
import { onThemeChange, readTheme, type Theme } from './theme';
import { Timeline } from './timeline';
import { checkbox, dropdown, type Select, type Toggle } from './toolkit';
import { visibleChar } from './text';
import { WhyView } from './why';
import { t } from './l10n';
import { LessonView, applyLessonView, reportedView } from './lesson';
import { InsideController } from './insideController';

const PERSIST_INTERVAL_MS = 1000;
const MATRIX_DEBOUNCE_MS = 150;
const SETTLE_MS = 300;
const CHART_COST_FACTOR = 4;
const CHART_MAX_DELAY_MS = 250;
/** The second curves of a run with a held-out part (rnnLab.validationSplit). */
const HELD_OUT_LOSS: SeriesSpec = { label: t('held-out loss'), color: 1, dashed: true };
const HELD_OUT_ACCURACY: SeriesSpec = { label: t('held-out accuracy'), color: 1, dashed: true };
/** The editor follows the playhead at most this often. */
const PLAYHEAD_POST_MS = 100;

export class App {
  readonly model = new RunModel();
  private theme: Theme;
  private readonly status = new StatusView();
  private readonly controls: Controls;
  private readonly form: RestartForm;
  private readonly playback: Playback;
  private readonly timeline: Timeline;
  private readonly loss: LineChart;
  private readonly accuracy: LineChart;
  private readonly row: LineChart;
  private readonly sigma: LineChart;
  private readonly heatmap: GradHeatmap;
  private readonly why: WhyView;
  private readonly matrix: MatrixView;
  private readonly prediction = new PredictionView();
  private readonly history = new HistoryView();
  private readonly lesson = new LessonView();
  private viewReported = '';
  private readonly overlay: Toggle;
  private readonly overlayNote: HTMLElement;
  private readonly rowText: HTMLElement;
  private readonly keySlot: HTMLElement;
  private keySelect: Select<GradKey> | undefined;
  /** Whether the heatmap's row picker offers the LSTM cell-state rows. */
  private keySelectHasCells = false;
  private readonly lossCanvas: HTMLCanvasElement;
  private readonly titleEl: HTMLElement;
  private readonly sections: Section[] = [];
  /** Inside the network: activations, p(target), connectivity, the gradient check. */
  private readonly inside: InsideController;
  /** Every chart, the heatmap and the matrix as PNGs (Save as PNG…, rnnLab.exportFigure). */
  readonly figures: FigureBook;

  private pending: EpochBlock[] = [];
  /** Epochs of the store already handed to the charts and the history view. */
  private absorbed = 0;
  /** The window of a long text's prediction on screen, once the host answered. */
  private window: { epoch: number; predicted: string | null } | undefined;
  private windowAsked = -1;
  private frameRequested = false;
  private firstEpochMarked = false;
  private dataDirty = false;
  private hoverIndex: number | null = null;
  private lastTick = 0;
  private persistTimer: ReturnType<typeof setTimeout> | undefined;
  private lastPersist = 0;
  private matrixTimer: ReturnType<typeof setTimeout> | undefined;
  private matrixEpoch: number | null = null;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private chartsDueAt = 0;
  private rowShown = '';
  private shownPlayhead = -1;
  private playheadPosted = '';
  private lastPlayheadPost = 0;
  /** Grows with the cost of a save, so persisting a long run never eats the frame budget. */
  private persistInterval = PERSIST_INTERVAL_MS;
  /** The playback state saved with the panel, applied once the history it points into is there. */
  private savedPlayback: ViewState['playback'] | undefined;
  /** An init came from the host to this document (a saved state's is not one). */
  private hostInit = false;
  /** Animation frames that did work; the throughput bench reads it. */
  framesRendered = 0;
  /** Main-thread time spent in frame(), total and worst; the bench reports them. */
  private frameWorkMs = 0;
  private frameWorkMaxMs = 0;

  constructor(root: HTMLElement, private readonly host: HostConnection, epochsPerSecond = 60) {
    this.theme = readTheme();
    this.playback = new Playback(epochsPerSecond);
    this.controls = new Controls({
      control: (action) => host.post({ type: 'control', action }),
      exportWeights: () => void host.request('exportWeights', {}).catch((e: Error) => this.status.notice('error', e.message)),
      exportMetrics: (format) => void host.request('exportMetrics', { format }).catch((e: Error) => this.status.notice('error', e.message)),
    });
    this.form = new RestartForm((config) => host.post({ type: 'restart', config }));
    this.figures = new FigureBook(
      () => this.theme,
      () => this.model.run?.title ?? '',
      (figure, rendered) =>
        void host.request('saveFigure', { figure: figure.name, ...rendered }).catch((e: Error) => this.status.notice('error', t('Could not save the figure: {0}', e.message))),
    );

    const header = document.createElement('header');
    header.className = 'panel-header';
    const title = (this.titleEl = document.createElement('h1'));
    title.textContent = root.dataset.title ?? 'RNN Lab';
    header.append(title, this.status.element, this.controls.element);

    this.timeline = new Timeline(
      this.playback,
      () => this.model.length,
      () => isEnded(this.model.state),
      (i) => this.model.store?.epochAt(i) ?? i,
      { changed: () => this.playheadMoved() },
    );

    // ---- first screen: the vanishing view, the prediction, a compact loss curve ----
    const grads = this.add(fixedSection(t('Gradients through time'), 'sec-gradients'), 'area-grad');
    this.keySlot = document.createElement('div');
    this.keySlot.className = 'key-slot';
    this.heatmap = new GradHeatmap(this.theme, {
      hover: (i) => {
        this.hoverIndex = i;
        this.requestFrame(false);
      },
      select: (i) => {
        this.playback.scrub(i, this.model.length);
        this.playheadMoved();
      },
    });
    this.rowText = document.createElement('div');
    this.rowText.className = 'visually-hidden';
    this.rowText.setAttribute('aria-live', 'polite');
    this.rowText.id = 'row-text';
    this.heatmap.canvas.setAttribute('aria-describedby', 'row-text');
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the figure's title getter reads the current heatmap view
    const app = this;
    grads.head.append(
      this.keySlot,
      this.figures.add({
        name: 'heatmap',
        get title() {
          return t('{0} through time', GRAD_KEYS.find((k) => k.key === app.heatmap.currentKey)?.short ?? t('Gradient norm'));
        },
        render: () => {
          this.heatmap.render();
          return [this.heatmap.canvas, this.heatmap.legend];
        },
        restore: () => this.heatmap.render(),
      }),
    );
    grads.body.append(this.heatmap.element, this.rowText);

    const pred = this.add(fixedSection(t('Prediction'), 'sec-prediction'), 'area-pred');
    this.overlay = checkbox(t('Show in Editor'), {
      id: 'chk-overlay',
      checked: true,
      onChange: (on) => {
        // The toolkit also fires on programmatic changes (a restored view, the host's state): those are no news.
        if (on === this.model.prefs.overlay) return;
        this.model.prefs.overlay = on;
        host.post({ type: 'overlay', on });
        this.persistSoon(true);
      },
    });
    this.overlay.el.title = t('Colour the trained text in its editor by ‖∂L_T/∂h_t‖ at the playhead (also: RNN Lab: Toggle Gradients in Editor)');
    this.overlayNote = document.createElement('span');
    this.overlayNote.className = 'caption overlay-note';
    pred.head.append(this.overlay.el, this.overlayNote);
    pred.body.append(this.prediction.element);
    this.inside = new InsideController(
      host,
      this.theme,
      this.prediction,
      () => {
        const st = this.model.store;
        return st && st.length > 0 ? st.nextEpoch : null;
      },
      { ...(this.model.prefs.insideTab === undefined ? {} : { tab: this.model.prefs.insideTab }), ...(this.model.prefs.insideSort === undefined ? {} : { sort: this.model.prefs.insideSort }) },
      () => {
        const { tab, sort } = this.inside.view.prefs();
        this.model.prefs.insideTab = tab;
        this.model.prefs.insideSort = sort;
        this.persistSoon(true);
      },
    );
    pred.body.append(this.inside.strip.info);

    const lossSec = this.add(fixedSection(t('Loss'), 'sec-loss'), 'area-loss');
    const lossLog = checkbox(t('Log scale'), {
      id: 'chk-loss-log',
      checked: this.model.prefs.lossLog,
      onChange: (on) => {
        this.model.prefs.lossLog = on;
        this.loss.setYType(on ? 'logarithmic' : 'linear');
        this.persistSoon(true);
      },
    });
    const lossBox = chartBox(t('Loss per epoch'), 'chart compact');
    this.lossCanvas = lossBox.canvas;
    lossSec.head.append(lossLog.el);
    lossSec.body.append(lossBox.box);
    const pick = (x: number) => this.scrubToEpoch(x);
    this.loss = new LineChart({ canvas: lossBox.canvas, series: [{ label: t('loss'), color: 0 }, HELD_OUT_LOSS], xTitle: t('epoch'), yTitle: t('loss'), yType: 'linear', onPick: pick }, this.theme);
    lossSec.head.append(this.figures.add(chartFigure('loss', t('Loss per epoch'), this.loss)));

    // ---- below: the why, then the folding sections ----
    const whySec = this.add(this.folding(t('Why it vanishes'), 'sec-why'), 'area-why');
    this.why = new WhyView(this.theme);
    whySec.body.append(this.why.element);
    whySec.head.append(this.figures.add(chartFigure('why', t('Step shrink and its bound'), this.why.chart)));

    const accSec = this.add(this.folding(t('Accuracy'), 'sec-accuracy'), 'area-acc');
    const accBox = chartBox(t('Accuracy per epoch'));
    accSec.body.append(accBox.box);
    this.accuracy = new LineChart({ canvas: accBox.canvas, series: [{ label: t('accuracy'), color: 2 }, HELD_OUT_ACCURACY], xTitle: t('epoch'), yTitle: t('accuracy'), yType: 'linear', yMin: 0, yMax: 1, onPick: pick }, this.theme);
    accSec.head.append(this.figures.add(chartFigure('accuracy', t('Accuracy per epoch'), this.accuracy)));

    const rowsSec = this.add(this.folding(t('The playhead’s row and σ_max(W_hh)'), 'sec-rows'), 'area-rows');
    const rowBox = chartBox(t('Gradient norm per timestep at the playhead'), 'chart small');
    const sigmaBox = chartBox(t('Largest singular value of the recurrent matrix per epoch'), 'chart small');
    this.row = new LineChart(
      {
        canvas: rowBox.canvas,
        series: [{ label: '‖∂L/∂h_t‖', color: 0 }, { label: '‖∂L_T/∂h_t‖', color: 1 }],
        xTitle: t('timestep'),
        yTitle: t('norm (log)'),
        yType: 'logarithmic',
        xTickLabel: (x) => (Number.isInteger(x) ? visibleChar(this.model.run?.stepLabels[x] ?? '') : ''),
        tooltipTitle: (x) => `t = ${x} '${visibleChar(this.model.run?.stepLabels[x] ?? '')}'`,
      },
      this.theme,
    );
    this.sigma = new LineChart(
      {
        canvas: sigmaBox.canvas,
        series: [{ label: 'σ_max(W_hh)', color: 4 }, { label: t('1 (below: tanh gradients must vanish)'), color: 3, dashed: true, whole: true }],
        xTitle: t('epoch'),
        yTitle: 'σ_max',
        yType: 'linear',
        yMin: 0,
        onPick: pick,
      },
      this.theme,
    );
    const pair = document.createElement('div');
    pair.className = 'pair';
    pair.append(rowBox.box, sigmaBox.box);
    rowsSec.body.append(pair);
    rowsSec.head.append(this.figures.add(chartFigure('row', t('Gradient norm per timestep at the playhead'), this.row)), this.figures.add(chartFigure('sigma', t('σ_max(W_hh) per epoch'), this.sigma)));

    const matrixSec = this.add(this.folding(t('‖∂L_t/∂h_k‖ at the playhead'), 'sec-matrix'), 'area-matrix');
    this.matrix = new MatrixView(this.theme);
    matrixSec.body.append(this.matrix.element);
    matrixSec.head.append(this.figures.add({ name: 'matrix', title: t('‖∂L_t/∂h_k‖ at the playhead'), render: () => [this.matrix.redraw()], restore: () => void this.matrix.redraw() }));

    const insideSec = this.add(this.folding(t('Inside the network'), 'sec-inside'), 'area-inside');
    insideSec.body.append(this.inside.view.element);
    const activationsPng = this.figures.add({
      name: 'activations',
      get title() {
        const shown = app.inside.view.shown;
        return shown
          ? t('Activations {0} at epoch #{1}, units × steps', app.inside.view.currentTab, shown.epoch)
          : t('Activations {0}, units × steps', app.inside.view.currentTab);
      },
      render: () => (this.inside.view.render(), [this.inside.view.canvas, this.inside.view.legend]),
      restore: () => this.inside.view.render(),
    });
    const saturationPng = this.figures.add({ name: 'saturation', title: t('Gate saturation at the playhead'), render: () => [this.inside.view.drawScatter()], restore: () => void this.inside.view.drawScatter() });
    // Two figures in one heading: each button says which.
    activationsPng.textContent = t('Heatmap PNG…');
    saturationPng.textContent = t('Saturation PNG…');
    insideSec.head.append(activationsPng, saturationPng);
    const checkSec = this.add(this.folding(t('Gradient check'), 'sec-gradcheck'), 'area-gradcheck');
    checkSec.body.append(this.inside.gradCheck.element);

    const histSec = this.add(this.folding(t('History'), 'sec-history'), 'area-history');
    histSec.body.append(this.history.element);

    const restart = this.folding(t('Restart with new hyperparameters'), 'sec-restart');
    restart.body.append(this.form.element);
    this.sections.push(restart);

    const layout = document.createElement('div');
    layout.className = 'layout';
    const colA = document.createElement('div');
    colA.className = 'col col-a';
    const colB = document.createElement('div');
    colB.className = 'col col-b';
    colA.append(grads.element, whySec.element, matrixSec.element, insideSec.element);
    colB.append(pred.element, lossSec.element, accSec.element, rowsSec.element, checkSec.element, histSec.element);
    layout.append(colA, colB);
    root.append(header, this.lesson.element, this.timeline.element, layout, restart.element);

    window.addEventListener('resize', () => this.requestFrame(true));
    onThemeChange(() => this.applyTheme());
  }

  private add(s: Section, area: string): Section {
    s.element.classList.add(area);
    this.sections.push(s);
    return s;
  }

  private folding(title: string, id: string): Section {
    return foldingSection(title, id, !this.model.prefs.collapsed.includes(id), (sid, open) => {
      const set = new Set(this.model.prefs.collapsed);
      if (open) set.delete(sid);
      else set.add(sid);
      this.model.prefs.collapsed = [...set];
      // A section opened again draws its charts at their size now.
      if (open) this.requestFrame(true);
      this.persistSoon(true);
    });
  }

  // ---------- messages ----------

  /** Draws the saved state right away, before the host has answered `ready`. */
  restore(saved: unknown): boolean {
    const parsed = parsePersistedRun(saved);
    if (!parsed.ok) return false;
    const s = parsed.value;
    if (isViewState(s.view)) this.applyView(s.view);
    this.load({ type: 'init', run: s.run, history: s.history ? [s.history] : [], droppedRows: 0, state: s.state, message: s.message, restored: s.restored, epochsPerSecond: 0 }, false);
    return true;
  }

  private applyView(v: ViewState): void {
    this.model.prefs = { ...v.prefs, collapsed: [...v.prefs.collapsed] };
    for (const s of this.sections) if (s.id !== 'sec-gradients' && s.id !== 'sec-prediction' && s.id !== 'sec-loss') s.open = !v.prefs.collapsed.includes(s.id);
    this.overlay.checked = v.prefs.overlay;
    this.inside.view.setPrefs({ ...(v.prefs.insideTab === undefined ? {} : { tab: v.prefs.insideTab }), ...(v.prefs.insideSort === undefined ? {} : { sort: v.prefs.insideSort }) });
    this.savedPlayback = v.playback;
  }

  handle(m: HostToWebview): void {
    switch (m.type) {
      case 'init':
        performance.mark('rnnlab:init');
        this.hostInit = true;
        this.load(m, true);
        break;
      case 'sync':
        // Everything posted before this was delivered: without an init, this document missed it.
        if (!this.hostInit) this.host.post({ type: 'ready' });
        break;
      case 'epochs':
        if (m.runId !== this.model.run?.runId) return;
        this.pending.push(m.block);
        this.model.droppedRows = m.droppedRows;
        this.requestFrame(true);
        break;
      case 'progress':
        if (m.runId !== this.model.run?.runId) return;
        this.model.progress = m.progress;
        this.requestFrame(false);
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
      case 'overlayState':
        if (this.model.prefs.overlay !== m.on) {
          // The command toggled it: the saved view follows.
          this.model.prefs.overlay = m.on;
          this.persistSoon(true);
        }
        this.overlay.checked = m.on;
        this.overlayNote.textContent = m.available ? '' : (m.reason ?? '');
        this.overlay.el.toggleAttribute('disabled', !m.available);
        break;
      case 'insidePick':
        this.inside.pickFromHost(m.unit, m.array);
        break;
      case 'insidePosition':
        this.inside.setPosition(m.position);
        break;
      case 'request':
        void answer(m.id, () => this.figures.render(m.params.figure), (reply) => this.host.reply(reply));
        break;
      case 'reply':
        break;
    }
  }

  private load(m: Extract<HostToWebview, { type: 'init' }>, persist: boolean): void {
    const sameRun = this.model.run?.runId === m.run.runId;
    this.model.reset(m.run, m.history, m.state, m.message, m.restored, m.droppedRows);
    this.pending = [];
    this.absorbed = this.model.length;
    this.hoverIndex = null;
    this.rowShown = '';
    this.chartsDueAt = 0;
    this.window = undefined;
    this.windowAsked = -1;
    this.shownPlayhead = -1;
    this.matrixEpoch = null;
    // The same run shown again (hide/show, reload) keeps its playback; a new run plays from its start.
    const saved = this.savedPlayback;
    this.savedPlayback = undefined;
    if (persist) this.playback.setRate(m.epochsPerSecond);
    if (saved && (sameRun || !persist)) this.playback.restore(saved, (e) => this.model.indexOf(e));
    else if (!sameRun) this.playback.reset();
    const store = this.model.store;
    // A restart keeps the document, so the heading follows the run, not the initial HTML.
    this.titleEl.textContent = m.run.title;
    this.status.setNotes(m.run.notes);
    this.status.clearNotices();
    this.form.fill(m.run.config);
    this.lesson.set(m.run.lesson);
    // A lesson's first view applies when its run starts, not over a view the user saved (hide/show, reload).
    if (persist && !sameRun && m.run.lesson) applyLessonView(m.run.lesson, this.model.prefs, this.sections);
    const chars = Array.from(m.run.text);
    this.prediction.setTarget(inlinePredictions(m.run) ? chars : chars.slice(0, PREDICTION_WINDOW), 0, m.run.textLength);
    this.history.reset(m.run.printEvery, store);
    this.matrix.clear();
    this.inside.reset(m.run);
    this.buildKeySelect();
    this.loss.setYType(this.model.prefs.lossLog ? 'logarithmic' : 'linear');
    // The x axis spans the run's whole budget, so curves grow across it as the film plays.
    const last = m.run.firstEpoch + m.run.config.epochs - 1;
    for (const c of [this.loss, this.accuracy, this.sigma]) c.setXRange(m.run.firstEpoch, Math.max(last, m.run.firstEpoch + 1));
    this.loss.setSeries(0, this.points('loss', 0));
    this.accuracy.setSeries(0, this.points('accuracy', 0));
    // The held-out curves (rnnLab.validationSplit): empty, legend hidden, when the run has none.
    const heldOut = (m.run.config.validationSplit ?? 0) > 0;
    this.loss.setSeries(1, this.points('valLoss', 0));
    this.accuracy.setSeries(1, this.points('valAccuracy', 0));
    this.loss.setLegend(heldOut);
    this.accuracy.setLegend(heldOut);
    this.sigma.setSeries(0, this.points('sigmaMaxWhh', 0));
    this.sigma.setSeries(1, [{ x: m.run.firstEpoch, y: 1 }, { x: Math.max(last, m.run.firstEpoch + 1), y: 1 }]);
    this.heatmap.reset(store, m.run.steps, m.run.stepLabels, this.model.prefs.gradKey);
    this.dataDirty = true;
    this.requestFrame(false);
    if (persist) this.persistSoon(true);
  }

  /** A scalar column from epoch index `from` on, as chart points. */
  private points(key: 'loss' | 'accuracy' | 'sigmaMaxWhh' | 'valLoss' | 'valAccuracy', from: number): Point[] {
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
    if (!keys.some((k) => k.key === this.model.prefs.gradKey)) this.model.prefs.gradKey = 'lastLossGradNorm';
    this.keySelect = dropdown(
      t('Shows'),
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

  // ---------- playhead ----------

  /** Index of the epoch under the playhead (−1 before any epoch). */
  get playheadIndex(): number {
    const n = this.model.length;
    return n === 0 ? -1 : Math.min(this.playback.index, n - 1);
  }

  private scrubToEpoch(epoch: number): void {
    const store = this.model.store;
    if (!store || store.length === 0) return;
    this.playback.scrub(Math.round(epoch) - store.first, store.length);
    this.playheadMoved();
  }

  /** Called when the user moved the playhead or changed playback. */
  private playheadMoved(): void {
    this.requestFrame(false);
    this.persistSoon(false);
  }

  /** Everything that follows the playhead, when it has moved (or the data under it changed). */
  private followPlayhead(i: number): void {
    if (i === this.shownPlayhead) return;
    this.shownPlayhead = i;
    this.heatmap.setSelected(i < 0 ? null : i);
    const store = this.model.store;
    const epoch = store && i >= 0 ? store.epochAt(i) : null;
    for (const c of [this.loss, this.accuracy, this.sigma]) c.setCursor(epoch);
    this.dataDirty = true;
    this.updateRowText();
    // The matrix follows the playhead once it rests: the request waits until it has not moved for a moment.
    if (epoch !== null && epoch !== this.matrixEpoch) this.requestMatrix(epoch);
    if (epoch !== null) this.inside.follow(epoch);
  }

  private requestMatrix(epoch: number): void {
    this.matrixEpoch = epoch;
    clearTimeout(this.matrixTimer);
    this.matrix.pending(epoch);
    const runId = this.model.run?.runId;
    // Holding an arrow key walks many epochs; only the one it stops on is worth computing.
    this.matrixTimer = setTimeout(() => {
      this.host.request('matrix', { epoch }).then(
        (r) => {
          const run = this.model.run;
          if (run && runId === run.runId && r.epoch === this.matrixEpoch) this.matrix.show(r.epoch, r.size, r.values, run.stepLabels);
        },
        (e: Error) => {
          if (!(e instanceof RequestSuperseded) && epoch === this.matrixEpoch) this.matrix.failed(epoch, e.message);
        },
      );
    }, MATRIX_DEBOUNCE_MS);
  }

  /** The editor's overlay follows the playhead, at most ten times a second. */
  private postPlayhead(i: number): void {
    const store = this.model.store;
    if (!store || i < 0) return;
    const r = this.heatmap.range;
    const scale = Number.isFinite(r.scaleLo) && Number.isFinite(r.scaleHi) && r.scaleHi >= r.scaleLo ? { lo: r.scaleLo, hi: r.scaleHi } : null;
    const key = `${store.epochAt(i)}|${scale?.lo}|${scale?.hi}`;
    const now = performance.now();
    if (key === this.playheadPosted || now - this.lastPlayheadPost < PLAYHEAD_POST_MS) {
      if (key !== this.playheadPosted) this.requestFrame(false);
      return;
    }
    this.playheadPosted = key;
    this.lastPlayheadPost = now;
    this.host.post({ type: 'playhead', epoch: store.epochAt(i), scale });
  }

  private updateRowText(): void {
    const i = this.playheadIndex;
    const store = this.model.store;
    if (i < 0 || !store || !this.model.run) {
      this.rowText.textContent = t('No epoch yet.');
      return;
    }
    const key = this.heatmap.currentKey;
    const label = GRAD_KEYS.find((k) => k.key === key)?.short ?? key;
    const values = store.row(key, i);
    const labels = this.model.run.stepLabels;
    const cells = values ? Array.from(values, (v, t) => `${t} '${visibleChar(labels[t] ?? '')}' ${formatNumber(v)}`).join('; ') : t('not kept for this epoch');
    this.rowText.textContent = t('Playhead at epoch #{0}, loss {1}, accuracy {2}. {3} per timestep: {4}.', store.epochAt(i), store.value('loss', i).toFixed(6), store.value('accuracy', i).toFixed(4), label, cells);
  }

  // ---------- frame loop ----------

  private requestFrame(data: boolean): void {
    if (data) this.dataDirty = true;
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame((t) => this.frame(t));
  }

  private frame(time: number): void {
    const started = performance.now();
    this.frameRequested = false;
    if (this.absorbPending()) this.persistSoon(false);
    const n = this.model.length;
    const ended = isEnded(this.model.state);
    const dt = this.lastTick === 0 ? 0 : time - this.lastTick;
    this.lastTick = time;
    if (this.playback.tick(dt, n, ended)) this.persistSoon(false);
    const i = this.playheadIndex;
    this.followPlayhead(i);
    this.timeline.update();
    const firstEpoch = i >= 0 && !this.firstEpochMarked;
    if (firstEpoch) {
      this.firstEpochMarked = true;
      performance.mark('rnnlab:first-epoch');
    }
    let chartsDrawn = false;
    const now = performance.now();
    if (this.dataDirty && now >= this.chartsDueAt) {
      this.loss.refresh();
      this.accuracy.refresh();
      this.sigma.refresh();
      const store = this.model.store;
      if (store && i >= 0) this.lossCanvas.setAttribute('aria-label', t('Loss per epoch; latest {0} at epoch {1}; playhead at epoch {2}', store.value('loss', n - 1).toFixed(6), store.epochAt(n - 1), store.epochAt(i)));
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
    this.heatmap.render();
    if (this.heatmap.repainting) this.requestFrame(false);
    else if (this.heatmap.drifted && this.settleTimer === undefined) {
      this.settleTimer = setTimeout(() => {
        this.settleTimer = undefined;
        this.heatmap.settle();
        this.requestFrame(false);
      }, SETTLE_MS);
    }
    this.postPlayhead(i);
    const store = this.model.store;
    this.status.update({
      run: this.model.run,
      state: this.model.state,
      message: this.model.message,
      stateEpoch: this.model.stateEpoch,
      latest: store && n > 0 ? { epoch: store.epochAt(n - 1), loss: store.value('loss', n - 1), accuracy: store.value('accuracy', n - 1) } : undefined,
      restored: this.model.restored,
      droppedRows: this.model.droppedRows,
      progress: this.model.progress,
    });
    this.controls.update(this.model.state, this.model.restored, n > 0);
    this.form.setEnabled(this.model.state !== 'starting');
    // Playback needs the next frame for as long as it moves (Live moves only when epochs arrive).
    if (this.playback.playing && this.playback.speed !== 'live' && n > 0 && i < n - 1) this.requestFrame(false);
    else this.lastTick = 0;
    // The next frame's callback runs once this one is painted: the first epoch is on screen.
    if (firstEpoch) requestAnimationFrame(() => performance.mark('rnnlab:first-epoch-painted'));
    this.framesRendered++;
    const spent = performance.now() - started;
    this.frameWorkMs += spent;
    this.frameWorkMaxMs = Math.max(this.frameWorkMaxMs, spent);
  }

  /**
   * The row chart follows the hovered row, else the playhead; the prediction and the why follow
   * the playhead. While the playhead moves every frame they are redrawn with the (throttled) charts.
   */
  private renderRowAndPrediction(chartsDrawn: boolean): void {
    const store = this.model.store;
    const run = this.model.run;
    const n = this.model.length;
    const p = this.playheadIndex;
    const i = this.hoverIndex ?? p;
    const shown = store && i >= 0 ? store.rowsAtOrBefore(i) : -1;
    const rowKey = `${shown}|${this.heatmap.currentKey}|${n}`;
    const moving = this.hoverIndex === null && this.playback.playing;
    const waitForCharts = moving && !chartsDrawn && this.rowShown !== '';
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
    this.lesson.update(store && p >= 0 ? store.epochAt(p) : null);
    if (!waitForCharts && store && run && p >= 0) {
      this.prediction.show(store.epochAt(p), this.predictionAt(p), p !== n - 1);
      this.why.show(run, store, p);
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
    const theme = readTheme();
    // VS Code restyles the document as it loads it: the same colours must not redraw every chart
    // while the panel's first epoch waits for the page.
    if (JSON.stringify(theme) === JSON.stringify(this.theme)) return;
    this.theme = theme;
    for (const c of [this.loss, this.accuracy, this.row, this.sigma]) c.applyTheme(this.theme);
    this.why.applyTheme(this.theme);
    this.heatmap.applyTheme(this.theme);
    this.matrix.applyTheme(this.theme);
    this.inside.applyTheme(this.theme);
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
    this.loss.appendSeries(1, this.points('valLoss', from));
    this.accuracy.appendSeries(1, this.points('valAccuracy', from));
    this.sigma.appendSeries(0, this.points('sigmaMaxWhh', from));
    this.heatmap.sync(this.model.store);
    if (this.model.store) this.history.append(this.model.store, from);
    if (!this.keySelect || this.model.hasCellRows() !== this.keySelectHasCells) this.buildKeySelect();
    // A saved playhead whose epoch has only now arrived can be placed.
    this.shownPlayhead = -1;
    this.dataDirty = true;
    return true;
  }

  // ---------- persistence ----------

  private viewState(): ViewState {
    const store = this.model.store;
    return { prefs: { ...this.model.prefs, collapsed: [...this.model.prefs.collapsed] }, playback: this.playback.snapshot((i) => store?.epochAt(i) ?? i, this.model.length) };
  }

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
      const snap = this.model.snapshot(this.viewState());
      if (snap) this.host.setState(snap);
      this.reportView();
      const cost = performance.now() - started;
      this.lastPersist = Date.now();
      this.persistInterval = Math.max(PERSIST_INTERVAL_MS, Math.min(10_000, cost * 50));
    }, wait);
  }

  /** Tells the host what the panel shows, when it changed ("Save as Lesson" writes it). */
  private reportView(): void {
    const view = reportedView(this.model.prefs, this.sections, this.playback.speed, this.playback.epochsPerSecond);
    const key = JSON.stringify(view);
    if (key === this.viewReported) return;
    this.viewReported = key;
    this.host.post({ type: 'view', view });
  }

  // ---------- read-only hooks for tests and the bench ----------

  debug(): Record<string, unknown> {
    return {
      chart: (name: 'loss' | 'accuracy' | 'row' | 'sigma' | 'why', series = 0): Point[] =>
        ({ loss: this.loss, accuracy: this.accuracy, row: this.row, sigma: this.sigma, why: this.why.chart })[name].plotted(series),
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
      /** Inside the network: a cell's centre in page and canvas pixels, the canvas's RGBA there, the coloured texts. */
      insideCell: (unit: number, step: number) => {
        const c = this.inside.view.cellCenter(unit, step);
        const r = this.inside.view.canvas.getBoundingClientRect();
        return c && { x: r.left + c.x, y: r.top + c.y, canvasX: c.x, canvasY: c.y };
      },
      insidePixel: (x: number, y: number) => {
        const dpr = window.devicePixelRatio || 1;
        const d = this.inside.view.canvas.getContext('2d')!.getImageData(Math.floor(x * dpr), Math.floor(y * dpr), 1, 1).data;
        return [d[0], d[1], d[2], d[3]];
      },
      insideUnitText: () => this.inside.view.unitTextColors(),
      insideTab: () => this.inside.view.currentTab,
      connectivityColors: () => this.inside.strip.connectivityColors(),
      /** The epoch under the playhead (null before any). */
      selected: () => (this.playheadIndex < 0 ? null : (this.model.store?.epochAt(this.playheadIndex) ?? null)),
      playback: () => ({ playing: this.playback.playing, speed: this.playback.speed, index: this.playback.index, live: this.playback.isLive(this.model.length, isEnded(this.model.state)) }),
      whyText: () => this.why.text,
      lessonNotes: () => this.lesson.visibleNotes(),
      epochs: () => this.model.length,
      /** Bytes of per-step rows the panel's store holds (typed arrays, outside the JS heap figure). */
      rowBytes: () => this.model.store?.rowBytes ?? 0,
      /** Epochs whose per-step rows the panel holds. */
      rowsKept: () => {
        const st = this.model.store;
        let k = 0;
        for (let i = 0; st && i < st.length; i++) if (st.hasRows(i)) k++;
        return k;
      },
      runState: () => this.model.state,
      frames: () => this.framesRendered,
      frameWork: () => ({ frames: this.framesRendered, totalMs: this.frameWorkMs, maxMs: this.frameWorkMaxMs }),
      pending: () => this.pending.length,
      historyText: () => this.history.text(),
      noDataColor: () => [...this.theme.noData],
      /** Resolves once no queued, throttled or settling work is left (playback may still be moving). */
      whenIdle: () =>
        new Promise<void>((resolve) => {
          const check = (): void => {
            const busy = this.pending.length > 0 || this.dataDirty || this.heatmap.repainting || this.settleTimer !== undefined || this.heatmap.drifted;
            if (busy) setTimeout(check, 16);
            else resolve();
          };
          check();
        }),
    };
  }
}
