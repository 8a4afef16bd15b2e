// Connectivity of the three cells side by side (Distill, "Visualizing memorization in RNNs"):
// click a character of the text, and for each run the inputs before it are coloured by how
// strongly they influenced that prediction, ‖∂L_t/∂x_k‖, on one log scale for all three, so the
// LSTM's long reach and the RNN's short one are read off the same colours. Follows the playhead.
import type { CellKind } from '../../src/core/types';
import { CELL_LABELS } from '../../src/shared/cellLabels';
import type { CompareConnectivityReply } from '../../src/shared/inside';
import { RequestSuperseded } from '../../src/shared/rpc';
import type { HostConnection } from '../host';
import { VIRIDIS, type Rgb } from '../colormap';
import { logIndex, textOn } from '../activations';
import { drawColourLegend } from '../heatmap';
import { visibleChar } from '../text';
import { t } from '../l10n';
import type { Theme } from '../theme';

const DEBOUNCE_MS = 150;
/** Characters offered at most (the prediction window's size). */
const MAX_STEPS = 2000;

const css = ([r, g, b]: Rgb): string => `rgb(${r}, ${g}, ${b})`;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export class CompareConnectivity {
  readonly element = el('div', 'compare-connectivity');
  readonly legend = el('canvas', 'legend-bar');
  private readonly caption = el('p', 'caption');
  private readonly picker = el('div', 'line strip-line');
  private readonly rows = el('div');
  private runs: { runId: string; cell: CellKind }[] = [];
  private chars: string[] = [];
  private picked: number | null = null;
  private epoch: number | null = null;
  private asked = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private reply: CompareConnectivityReply | null = null;

  constructor(
    private readonly host: HostConnection,
    private theme: Theme,
  ) {
    this.caption.id = 'compare-connectivity-caption';
    this.caption.setAttribute('aria-live', 'polite');
    this.caption.textContent = t('Click a character to see, for each cell, how strongly every earlier input influenced its prediction.');
    this.picker.id = 'compare-connectivity-picker';
    this.picker.setAttribute('role', 'group');
    this.picker.setAttribute('aria-label', t('The text: choose a character'));
    this.rows.id = 'compare-connectivity-rows';
    this.legend.setAttribute('role', 'img');
    const legendWrap = el('div', 'legend');
    legendWrap.append(this.legend);
    // The text sits in the rows' box under the same label column, so a character lines up with its inputs.
    const box = el('div', 'prediction-lines');
    const textRow = el('div', 'line-row');
    textRow.append(el('span', 'line-label', t('text')), this.picker);
    box.append(textRow, this.rows);
    this.element.append(this.caption, box, legendWrap);
    this.picker.addEventListener('click', (e) => {
      const t = Number((e.target as HTMLElement).dataset?.step);
      if (Number.isInteger(t)) this.pick(t);
    });
    this.picker.addEventListener('keydown', (e) => {
      const t = Number((e.target as HTMLElement).dataset?.step);
      if ((e.key === 'Enter' || e.key === ' ') && Number.isInteger(t)) {
        e.preventDefault();
        this.pick(t);
      }
    });
  }

  /** The runs and their shared text (the runs' steps: step t reads chars[t] and predicts chars[t + 1]). */
  setRuns(runs: { runId: string; cell: CellKind }[], text: string, steps: number): void {
    const chars = Array.from(text).slice(0, Math.min(steps, MAX_STEPS) + 1);
    if (runs.map((r) => r.runId).join() === this.runs.map((r) => r.runId).join() && chars.join('') === this.chars.join('')) return;
    this.runs = runs;
    this.chars = chars;
    this.picked = null;
    this.reply = null;
    this.rows.textContent = '';
    this.picker.textContent = '';
    this.picker.append(chars[0] === undefined ? '' : visibleChar(chars[0]));
    for (let t = 0; t + 1 < chars.length; t++) {
      const s = el('span', undefined, visibleChar(chars[t + 1]));
      s.dataset.step = String(t);
      s.tabIndex = t === 0 ? 0 : -1;
      this.picker.append(s);
    }
  }

  /** The shared playhead is on `epoch`: the picked character's connectivity is asked for once it rests. */
  follow(epoch: number | null): void {
    if (epoch === this.epoch) return;
    this.epoch = epoch;
    this.ask();
  }

  applyTheme(theme: Theme): void {
    this.theme = theme;
    if (this.reply) this.show(this.reply);
  }

  /** Per run: its cell and the backgrounds of its inputs (for tests). */
  colours(): { cell: string; values: number[]; backgrounds: string[] }[] {
    return [...this.rows.querySelectorAll<HTMLElement>('.line-row')].map((row) => ({
      cell: row.dataset.cell ?? '',
      values: [...row.querySelectorAll<HTMLElement>('span[data-step]')].map((s) => Number(s.dataset.value)),
      backgrounds: [...row.querySelectorAll<HTMLElement>('span[data-step]')].map((s) => s.style.backgroundColor),
    }));
  }

  private pick(t: number): void {
    this.picked = t;
    for (const s of this.picker.querySelectorAll('.picked')) s.classList.remove('picked');
    this.picker.querySelector(`span[data-step="${t}"]`)?.classList.add('picked');
    this.asked = '';
    this.ask();
  }

  private ask(): void {
    clearTimeout(this.timer);
    const step = this.picked;
    const epoch = this.epoch;
    if (step === null || epoch === null) return;
    const key = `${epoch}|${step}`;
    if (key === this.asked) return;
    this.caption.textContent = t("Computing the influence of each input on '{0}' (step {1}) at epoch #{2} in each cell…", visibleChar(this.chars[step + 1] ?? ''), step, epoch);
    this.timer = setTimeout(() => {
      this.asked = key;
      this.host.request('compareConnectivity', { epoch, t: step }).then(
        (r) => {
          if (r.epoch === this.epoch && r.t === this.picked) this.show(r);
        },
        (e: Error) => {
          if (!(e instanceof RequestSuperseded)) this.caption.textContent = t('The connectivity is not available: {0}', e.message);
        },
      );
    }, DEBOUNCE_MS);
  }

  private show(r: CompareConnectivityReply): void {
    this.reply = r;
    // One scale for the three rows, so colours compare across cells.
    let lo = Infinity;
    let hi = -Infinity;
    for (const run of r.runs) {
      for (const v of run.values ?? []) {
        if (v > 0 && v < Infinity) {
          const l = Math.log10(v);
          lo = Math.min(lo, l);
          hi = Math.max(hi, l);
        }
      }
    }
    const range = hi >= lo ? { lo, hi } : null;
    this.rows.textContent = '';
    for (const run of r.runs) {
      const cell = this.runs.find((x) => x.runId === run.runId)?.cell;
      const row = el('div', 'line-row');
      row.dataset.cell = cell ?? '';
      const label = el('span', 'line-label', cell ? CELL_LABELS[cell] : run.runId);
      const line = el('div', 'line strip-line');
      if (!run.values) line.textContent = t('not available: {0}', run.error ?? t('no answer'));
      else {
        for (let k = 0; k < run.values.length && k < MAX_STEPS; k++) {
          const v = run.values[k];
          const i = range ? logIndex(v, range) : -1;
          const bg: Rgb = i >= 0 ? VIRIDIS[i] : this.theme.noData;
          const s = el('span', undefined, visibleChar(this.chars[run.start + k] ?? ''));
          s.dataset.step = String(k);
          s.dataset.value = String(v);
          s.style.backgroundColor = css(bg);
          s.style.color = textOn(bg);
          s.title = t('{0} input {1}: ‖∂L_{2}/∂x_{1}‖ = {3}', cell ?? '', k, r.t, v.toPrecision(3));
          line.append(s);
        }
      }
      row.append(label, line);
      this.rows.append(row);
    }
    this.caption.textContent = t("Influence of each input on '{0}' (step {1}) at epoch #{2}, ‖∂L_t/∂x_k‖ on one log scale for the three cells.", visibleChar(this.chars[r.t + 1] ?? ''), r.t, r.epoch);
    drawColourLegend(this.legend, this.theme, range, t('Connectivity, all three cells'));
  }
}
