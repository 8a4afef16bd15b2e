// The predicted string under the target text, character by character, and the seed-style log of
// predictions every `printEvery` epochs.
import { formatSeedLine } from '../src/core/format';
import type { MetricsStore } from '../src/shared/metricsStore';
import { codePointsOf, visibleChar } from './text';
import { t } from './l10n';
import { TEXT_HEAD_CHARS } from '../src/shared/protocol';

/** Characters of a long text shown at once (the host sends windows of this size on request). */
export const PREDICTION_WINDOW = TEXT_HEAD_CHARS;

export class PredictionView {
  readonly element: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly target: HTMLElement;
  private readonly predicted: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly scroller: HTMLElement;
  private chars: readonly string[] = [];
  private start = 0;
  private total = 0;
  private shownKey = '';

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'prediction';
    this.heading = document.createElement('div');
    this.heading.className = 'caption';
    const scroller = (this.scroller = document.createElement('div'));
    scroller.className = 'prediction-lines';
    scroller.tabIndex = 0;
    scroller.setAttribute('role', 'group');
    scroller.setAttribute('aria-label', t('Target text and predicted text, aligned by character'));
    this.target = document.createElement('div');
    this.target.className = 'line target';
    this.predicted = document.createElement('div');
    this.predicted.className = 'line predicted';
    scroller.append(this.labelled(t('target'), this.target), this.labelled(t('predicted'), this.predicted));
    this.summary = document.createElement('div');
    this.summary.className = 'caption';
    this.element.append(this.heading, scroller, this.summary);
  }

  /** A further line under target and predicted, scrolled and aligned with them (the p(target) strip, the connectivity). */
  addLine(label: string, line: HTMLElement, title: string): HTMLElement {
    const row = this.labelled(label, line);
    row.title = title;
    this.scroller.append(row);
    return row;
  }

  private labelled(label: string, line: HTMLElement): HTMLElement {
    const row = document.createElement('div');
    row.className = 'line-row';
    const l = document.createElement('span');
    l.className = 'line-label';
    l.textContent = label;
    row.append(l, line);
    return row;
  }

  /** `chars`: the target's code points from `start` (the whole text, or the window shown of a long one). */
  setTarget(chars: readonly string[], start = 0, total = chars.length): void {
    this.chars = chars;
    this.start = start;
    this.total = total;
    this.target.textContent = chars.map(visibleChar).join('');
    this.shownKey = '';
    this.predicted.textContent = '';
    this.summary.textContent = '';
    this.heading.textContent = t('Prediction: waiting for the first epoch.');
  }

  /**
   * `predicted`: the epoch's prediction over the characters set with setTarget (null: not kept);
   * `selected` says whether this is a chosen epoch rather than the latest one.
   */
  show(epoch: number, predicted: string | null, selected: boolean): void {
    const key = `${epoch}|${selected}|${this.start}|${predicted}`;
    if (key === this.shownKey) return;
    this.shownKey = key;
    const where = this.total > this.chars.length ? ` — ${t('characters {0}–{1} of {2}', this.start, this.start + this.chars.length - 1, this.total)}` : '';
    this.heading.textContent = (selected ? t('At the playhead, epoch #{0}', epoch) : t('At the newest epoch, #{0}', epoch)) + where;
    const pred = codePointsOf(predicted ?? '');
    if (pred.length === 0) {
      this.predicted.textContent = t('(not kept for this epoch)');
      this.summary.textContent = '';
      return;
    }
    // Runs of equal correctness share one span, so a long text costs a few nodes, not thousands.
    const frag = document.createDocumentFragment();
    let run = '';
    let runOk: boolean | null = null;
    let right = 0;
    const flush = (): void => {
      if (!run) return;
      const s = document.createElement('span');
      s.className = runOk ? 'ok' : 'bad';
      s.textContent = run;
      frag.append(s);
      run = '';
    };
    for (let i = 0; i < pred.length; i++) {
      const ok = pred[i] === this.chars[i];
      if ((i > 0 || this.start > 0) && ok) right++;
      if (ok !== runOk) {
        flush();
        runOk = ok;
      }
      run += visibleChar(pred[i]);
    }
    flush();
    this.predicted.textContent = '';
    this.predicted.append(frag);
    const scored = Math.max(0, Math.min(pred.length, this.chars.length) - (this.start === 0 ? 1 : 0));
    const summary = where ? t('{0} of {1} predicted characters shown right; wrong ones are underlined.', right, scored) : t('{0} of {1} predicted characters right; wrong ones are underlined.', right, scored);
    this.summary.textContent = this.start === 0 ? `${summary} ${t('(Position 0 is the given first character.)')}` : summary;
  }
}

/** The seed's progress line, formatted by the core so the panel, CLI and exports agree. */
export const historyLine = formatSeedLine;

/** DOM lines kept; older ones are dropped from view (the export has them all). */
const MAX_LINES = 2000;

export class HistoryView {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly last: HTMLElement;
  private printEvery = 1;
  private lines = 0;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'history';
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'log');
    this.element.setAttribute('aria-label', t('Prediction history'));
    this.list = document.createElement('div');
    this.last = document.createElement('div');
    this.last.className = 'history-last';
    this.element.append(this.list, this.last);
  }

  reset(printEvery: number, store: MetricsStore | undefined): void {
    this.printEvery = Math.max(1, Math.floor(printEvery) || 1);
    this.list.textContent = '';
    this.last.textContent = '';
    this.lines = 0;
    if (store) this.append(store, 0);
  }

  /** Adds the printed lines of epochs [from, store.length). */
  append(store: MetricsStore, from: number): void {
    const to = store.length;
    if (to <= from) return;
    const frag = document.createDocumentFragment();
    let added = 0;
    const line = (i: number): string =>
      historyLine({ epoch: store.epochAt(i), loss: store.value('loss', i), accuracy: store.value('accuracy', i), predicted: store.predicted(i) ?? '' });
    // Only the lines that stay on screen are built: a burst of a long run's epochs costs MAX_LINES at most.
    for (let i = from; i < to; i++) {
      if (store.epochAt(i) % this.printEvery !== 0 || store.predicted(i) === null) continue;
      if (to - i > this.printEvery * MAX_LINES) continue;
      const d = document.createElement('div');
      d.textContent = line(i);
      frag.append(d);
      added++;
    }
    // Scroll metrics force a layout, so they are read only when lines are actually added.
    const stick = added > 0 && this.element.scrollTop + this.element.clientHeight >= this.element.scrollHeight - 4;
    this.lines += added;
    if (added > 0) this.list.append(frag);
    while (this.lines > MAX_LINES && this.list.firstChild) {
      this.list.firstChild.remove();
      this.lines--;
    }
    const latest = to - 1;
    // The run's last epoch is shown even when it is not a multiple of printEvery.
    const lastLine = store.epochAt(latest) % this.printEvery === 0 || store.predicted(latest) === null ? '' : line(latest);
    if (this.last.textContent !== lastLine) this.last.textContent = lastLine;
    if (stick) this.element.scrollTop = this.element.scrollHeight;
  }

  text(): string {
    return [...this.list.children].map((c) => c.textContent ?? '').concat(this.last.textContent ? [this.last.textContent] : []).join('\n');
  }
}
