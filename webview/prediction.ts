// The predicted string under the target text, character by character, and the seed-style log of
// predictions every `printEvery` epochs.
import type { EpochMetrics } from '../src/core/types';
import { formatSeedLine } from '../src/core/format';
import { codePointsOf, visibleChar } from './text';

export class PredictionView {
  readonly element: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly target: HTMLElement;
  private readonly predicted: HTMLElement;
  private readonly summary: HTMLElement;
  private chars: readonly string[] = [];
  private shownKey = '';

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'prediction';
    this.heading = document.createElement('div');
    this.heading.className = 'caption';
    const scroller = document.createElement('div');
    scroller.className = 'prediction-lines';
    scroller.tabIndex = 0;
    scroller.setAttribute('role', 'group');
    scroller.setAttribute('aria-label', 'Target text and predicted text, aligned by character');
    this.target = document.createElement('div');
    this.target.className = 'line target';
    this.predicted = document.createElement('div');
    this.predicted.className = 'line predicted';
    scroller.append(this.labelled('target', this.target), this.labelled('predicted', this.predicted));
    this.summary = document.createElement('div');
    this.summary.className = 'caption';
    this.element.append(this.heading, scroller, this.summary);
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

  setTarget(chars: readonly string[]): void {
    this.chars = chars;
    this.target.textContent = chars.map(visibleChar).join('');
    this.shownKey = '';
    this.predicted.textContent = '';
    this.summary.textContent = '';
    this.heading.textContent = 'Prediction: waiting for the first epoch.';
  }

  /** `selected` says whether this is a chosen epoch rather than the latest one. */
  show(m: EpochMetrics | undefined, selected: boolean): void {
    if (!m) return;
    const key = `${m.epoch}|${selected}|${m.predicted}`;
    if (key === this.shownKey) return;
    this.shownKey = key;
    this.heading.textContent = selected ? `Prediction at selected epoch #${m.epoch} (Escape in the heatmap returns to the latest)` : `Prediction at the latest epoch #${m.epoch}`;
    const pred = codePointsOf(m.predicted);
    if (pred.length === 0) {
      this.predicted.textContent = '(not kept for this epoch)';
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
      if (i > 0 && ok) right++;
      if (ok !== runOk) {
        flush();
        runOk = ok;
      }
      run += visibleChar(pred[i]);
    }
    flush();
    this.predicted.textContent = '';
    this.predicted.append(frag);
    const scored = Math.max(0, Math.min(pred.length, this.chars.length) - 1);
    this.summary.textContent = `${right} of ${scored} predicted characters right (position 0 is the given first character); wrong ones are underlined.`;
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
    this.element.setAttribute('aria-label', 'Prediction history');
    this.list = document.createElement('div');
    this.last = document.createElement('div');
    this.last.className = 'history-last';
    this.element.append(this.list, this.last);
  }

  reset(printEvery: number, history: readonly EpochMetrics[]): void {
    this.printEvery = Math.max(1, Math.floor(printEvery) || 1);
    this.list.textContent = '';
    this.last.textContent = '';
    this.lines = 0;
    this.append(history);
  }

  append(epochs: readonly EpochMetrics[]): void {
    if (epochs.length === 0) return;
    const frag = document.createDocumentFragment();
    let added = 0;
    for (const m of epochs) {
      if (m.epoch % this.printEvery !== 0 || !m.predicted) continue;
      const d = document.createElement('div');
      d.textContent = historyLine(m);
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
    const latest = epochs[epochs.length - 1];
    // The run's last epoch is shown even when it is not a multiple of printEvery.
    const lastLine = latest.epoch % this.printEvery === 0 || !latest.predicted ? '' : historyLine(latest);
    if (this.last.textContent !== lastLine) this.last.textContent = lastLine;
    if (stick) this.element.scrollTop = this.element.scrollHeight;
  }

  text(): string {
    return [...this.list.children].map((c) => c.textContent ?? '').concat(this.last.textContent ? [this.last.textContent] : []).join('\n');
  }
}
