// Under the vanishing view: how much the last output's gradient shrinks at each step back
// (stepShrink, from the epoch's ‖∂L_T/∂h_t‖ row), the bound on each step (stepBound, plain RNN),
// the line 1 (above it a step amplifies), and the sentence that reads the numbers out.
import { deriveShrink } from '../src/core/why';
import type { MetricsStore } from '../src/shared/metricsStore';
import type { RunInfo } from '../src/shared/protocol';
import { LineChart, type Point } from './charts';
import { chartBox } from './canvas';
import type { Theme } from './theme';
import { visibleChar } from './text';
import { whySentence } from './whyText';
import { t } from './l10n';

export class WhyView {
  readonly element: HTMLElement;
  readonly chart: LineChart;
  private readonly sentence: HTMLElement;
  private shown = '';
  private labels: readonly string[] = [];

  constructor(theme: Theme) {
    this.element = document.createElement('div');
    this.element.className = 'why';
    this.sentence = document.createElement('p');
    this.sentence.className = 'why-sentence';
    this.sentence.id = 'why-sentence';
    this.sentence.setAttribute('aria-live', 'polite');
    const box = chartBox(t('How much the last output’s gradient shrinks at each step back, with the bound on each step'), 'chart small');
    this.chart = new LineChart(
      {
        canvas: box.canvas,
        series: [
          { label: t('step shrink n_t / n_{t+1}'), color: 1 },
          { label: t('bound {0}', 'σ_max(W_hh)·max f′(a_{t+1})'), color: 4, dashed: true },
          { label: t('1 (above: the step amplifies)'), color: 3, dashed: true, whole: true },
        ],
        xTitle: t('timestep t'),
        yTitle: t('factor per step back'),
        yType: 'linear',
        yMin: 0,
        xTickLabel: (x) => (Number.isInteger(x) ? visibleChar(this.labels[x] ?? '') : ''),
        tooltipTitle: (x) => t("from t = {0} back to t = {1} '{2}'", x + 1, x, visibleChar(this.labels[x] ?? '')),
      },
      theme,
    );
    this.element.append(this.sentence, box.box);
  }

  get text(): string {
    return this.sentence.textContent ?? '';
  }

  /** Shows epoch index i of the store (its nearest kept row when its own was dropped). */
  show(run: RunInfo, store: MetricsStore | undefined, i: number): void {
    this.labels = run.stepLabels;
    const r = store && i >= 0 ? store.rowsAtOrBefore(i) : -1;
    const key = `${run.runId}|${i}|${r}|${store?.length}`;
    if (key === this.shown) return;
    this.shown = key;
    if (!store || i < 0) {
      this.sentence.textContent = t('Waiting for the first epoch…');
      this.chart.setSeries(0, []);
      this.chart.setSeries(1, []);
      this.chart.setSeries(2, []);
      this.chart.refresh();
      return;
    }
    const last = r >= 0 ? store.row('lastLossGradNorm', r) : null;
    const shrink = last ? deriveShrink(Array.from(last)).stepShrink : [];
    const bound = r >= 0 ? store.row('stepBound', r) : null;
    const slope = r >= 0 ? store.row('activationSlope', r) : null;
    const points = (v: ArrayLike<number | null>): Point[] => Array.from(v, (y, x) => ({ x, y: y ?? NaN }));
    this.chart.setSeries(0, points(shrink));
    this.chart.setSeries(1, bound ? points(bound) : []);
    const S = run.steps;
    this.chart.setSeries(2, S > 1 ? [{ x: 0, y: 1 }, { x: S - 2, y: 1 }] : []);
    this.chart.refresh();
    let slopeMean: number | null = null;
    if (slope && slope.length > 0) {
      let sum = 0;
      for (let t = 0; t < slope.length; t++) sum += slope[t];
      slopeMean = sum / slope.length;
    }
    let maxBound: number | null = null;
    if (bound) for (let t = 0; t < bound.length; t++) if (Number.isFinite(bound[t]) && (maxBound === null || bound[t] > maxBound)) maxBound = bound[t];
    const nullable = (v: number): number | null => (Number.isNaN(v) ? null : v);
    const text = whySentence({
      cell: run.config.cell,
      activation: run.config.activation,
      epoch: store.epochAt(i),
      steps: S,
      shrinkPerStep: nullable(store.value('shrinkPerStep', i)),
      reach1pct: nullable(store.value('reach1pct', i)),
      sigmaMax: store.value('sigmaMaxWhh', i),
      slopeMean,
      maxBound: run.config.cell === 'rnn' ? maxBound : null,
    });
    const note = r >= 0 && r !== i ? ` ${t('(The per-step rows of this epoch were not kept; the chart shows epoch {0}.)', store.epochAt(r))}` : '';
    this.sentence.textContent = text + note;
  }

  applyTheme(theme: Theme): void {
    this.chart.applyTheme(theme);
  }
}
