// Under the prediction, aligned with it character by character: the probability the network gave
// each step's target, as the target characters on viridis (0 dark, 1 yellow), with the step's
// five likeliest guesses on hover (Karpathy's top-5 rows). A click on a character asks for its
// connectivity: how strongly each earlier input moved that prediction (‖∂L_t/∂x_k‖, Distill's
// "Visualizing memorization in RNNs"), shown as the input characters before it on a log scale,
// with a legend.
import type { ConnectivityReply, InspectReply } from '../src/shared/inside';
import { VIRIDIS, type Rgb } from './colormap';
import { logIndex, logRange, textOn } from './activations';
import { drawColourLegend } from './heatmap';
import { visibleChar } from './text';
import { t } from './l10n';
import type { Theme } from './theme';

/** Steps shown at most (the prediction window's size). */
const MAX_STEPS = 2000;

const css = ([r, g, b]: Rgb): string => `rgb(${r}, ${g}, ${b})`;

/** Where the strip goes: two lines in the prediction's scroller, the tooltip and a caption beside it. */
export interface StripHost {
  addLine(label: string, line: HTMLElement, title: string): HTMLElement;
  readonly element: HTMLElement;
}

export class TargetStrip {
  /** The caption and legend of the connectivity, under the prediction's lines. */
  readonly info: HTMLElement;
  readonly legend: HTMLCanvasElement;
  private readonly strip: HTMLElement;
  private readonly stripRow: HTMLElement;
  private readonly connLine: HTMLElement;
  private readonly connRow: HTMLElement;
  private readonly tooltip: HTMLDivElement;
  private readonly connCaption: HTMLElement;
  private readonly anchor: HTMLElement;
  private data: InspectReply | null = null;
  private conn: ConnectivityReply | null = null;
  private picked: number | null = null;
  private theme: Theme;

  constructor(
    theme: Theme,
    host: StripHost,
    private readonly pick: (t: number) => void,
  ) {
    this.theme = theme;
    this.anchor = host.element;
    this.strip = document.createElement('div');
    this.strip.className = 'line strip-line';
    this.strip.id = 'target-strip';
    this.strip.setAttribute('role', 'group');
    this.strip.setAttribute('aria-label', t('Probability of each target character at the playhead; choose one to see its connectivity'));
    this.stripRow = host.addLine(t('p(target)'), this.strip, t('The probability given to each target character (viridis: dark purple 0, yellow 1). Hover: the five likeliest guesses; click: what the prediction depended on.'));
    this.connLine = document.createElement('div');
    this.connLine.className = 'line strip-line connectivity-line';
    this.connLine.id = 'connectivity-line';
    this.connRow = host.addLine(t('influence'), this.connLine, t('Connectivity ‖∂L_t/∂x_k‖ of the clicked character t to each earlier input k (log scale)'));
    this.stripRow.hidden = true;
    this.connRow.hidden = true;
    this.tooltip = document.createElement('div');
    this.tooltip.className = 'tooltip';
    this.tooltip.id = 'target-tooltip';
    this.tooltip.hidden = true;
    this.anchor.append(this.tooltip);
    this.info = document.createElement('div');
    this.info.className = 'connectivity-info';
    this.connCaption = document.createElement('div');
    this.connCaption.className = 'caption';
    this.connCaption.id = 'connectivity-caption';
    this.connCaption.setAttribute('aria-live', 'polite');
    this.legend = document.createElement('canvas');
    this.legend.className = 'legend-bar';
    this.legend.setAttribute('role', 'img');
    this.info.append(this.connCaption, this.legend);
    this.info.hidden = true;
    this.strip.addEventListener('mouseover', (e) => this.hover(e.target as HTMLElement));
    this.strip.addEventListener('mouseleave', () => (this.tooltip.hidden = true));
    this.strip.addEventListener('click', (e) => {
      const t = Number((e.target as HTMLElement).dataset?.step);
      if (Number.isInteger(t)) this.choose(t);
    });
    this.strip.addEventListener('keydown', (e) => this.key(e));
  }

  /** The step whose connectivity is shown (or asked for); kept across epochs. */
  get pickedStep(): number | null {
    return this.picked;
  }

  clear(): void {
    this.data = null;
    this.conn = null;
    this.picked = null;
    this.strip.textContent = '';
    this.connLine.textContent = '';
    this.stripRow.hidden = true;
    this.connRow.hidden = true;
    this.info.hidden = true;
  }

  show(data: InspectReply): void {
    this.data = data;
    this.conn = null;
    if (this.picked !== null && this.picked >= data.steps) this.picked = null;
    const n = Math.min(data.steps, MAX_STEPS);
    const frag = document.createDocumentFragment();
    // Step t predicts the character after its input: column t + 1 of the target line above.
    for (let c = 0; c < data.start + 1; c++) frag.append(' ');
    for (let k = 0; k < n; k++) {
      const p = data.targetP[k];
      const bg = VIRIDIS[Math.max(0, Math.min(255, Math.round(p * 255)))];
      const s = document.createElement('span');
      s.textContent = visibleChar(data.vocab[data.targets[k]] ?? '');
      s.dataset.step = String(k);
      s.dataset.p = String(p);
      s.style.backgroundColor = css(bg);
      s.style.color = textOn(bg);
      s.tabIndex = k === (this.picked ?? 0) ? 0 : -1;
      s.setAttribute('aria-label', t('step {0}, {1}, p {2}', k, s.textContent, p.toFixed(3)));
      if (k === this.picked) s.classList.add('picked');
      frag.append(s);
    }
    this.strip.textContent = '';
    this.strip.append(frag);
    this.stripRow.hidden = false;
    if (this.picked === null) {
      this.connRow.hidden = true;
      this.info.hidden = true;
    }
  }

  /** Connectivity of the picked step arrived (for the epoch shown, checked by the caller). */
  showConnectivity(c: ConnectivityReply): void {
    const d = this.data;
    if (!d || c.t !== this.picked) return;
    this.conn = c;
    const range = logRange(c.values);
    const frag = document.createDocumentFragment();
    for (let k = 0; k < c.start; k++) frag.append(' ');
    for (let k = 0; k <= Math.min(c.t, MAX_STEPS - 1); k++) {
      const v = c.values[k];
      const i = range ? logIndex(v, range) : -1;
      const bg: Rgb = i >= 0 ? VIRIDIS[i] : this.theme.noData;
      const s = document.createElement('span');
      const ch = visibleChar(d.vocab[d.inputs[k]] ?? '');
      s.textContent = ch;
      s.dataset.step = String(k);
      s.dataset.value = String(v);
      s.style.backgroundColor = css(bg);
      s.style.color = textOn(bg);
      s.title = t("input {0} '{1}': ‖∂L_{2}/∂x_{0}‖ = {3}", k, ch, c.t, v.toPrecision(3));
      frag.append(s);
    }
    this.connLine.textContent = '';
    this.connLine.append(frag);
    this.connRow.hidden = false;
    const target = visibleChar(d.vocab[d.targets[c.t]] ?? '');
    this.connCaption.textContent = t("Influence on step {0} (predicting '{1}') at epoch #{2}: each earlier input k by ‖∂L_{0}/∂x_k‖, log scale.", c.t, target, c.epoch);
    this.info.hidden = false;
    drawColourLegend(this.legend, this.theme, range, t('Connectivity'));
  }

  connectivityPending(step: number, epoch: number): void {
    this.info.hidden = false;
    this.connCaption.textContent = t('Computing the influence of each input on step {0} at epoch #{1}…', step, epoch);
  }

  connectivityFailed(reason: string): void {
    this.info.hidden = false;
    this.connCaption.textContent = t('The connectivity is not available: {0}', reason);
  }

  applyTheme(theme: Theme): void {
    this.theme = theme;
    if (this.conn) this.showConnectivity(this.conn);
  }

  /** The strip's cells (for tests): per step, p(target) and the background. */
  stripColors(): { step: number; p: number; background: string }[] {
    return [...this.strip.querySelectorAll<HTMLElement>('span[data-step]')].map((s) => ({ step: Number(s.dataset.step), p: Number(s.dataset.p), background: s.style.backgroundColor }));
  }

  /** The connectivity line (for tests): per input step, its value and background. */
  connectivityColors(): { step: number; value: number; background: string }[] {
    return [...this.connLine.querySelectorAll<HTMLElement>('span[data-step]')].map((s) => ({ step: Number(s.dataset.step), value: Number(s.dataset.value), background: s.style.backgroundColor }));
  }

  private choose(t: number): void {
    this.picked = t;
    for (const s of this.strip.querySelectorAll('.picked')) s.classList.remove('picked');
    this.strip.querySelector(`span[data-step="${t}"]`)?.classList.add('picked');
    this.pick(t);
  }

  /** Left and right move along the strip (showing the guesses), Enter or Space picks. */
  private key(e: KeyboardEvent): void {
    const el = e.target as HTMLElement;
    const t = Number(el.dataset?.step);
    if (!Number.isInteger(t)) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.choose(t);
      return;
    }
    const next = e.key === 'ArrowRight' ? el.nextElementSibling : e.key === 'ArrowLeft' ? el.previousElementSibling : null;
    if (next instanceof HTMLElement && next.dataset.step !== undefined) {
      e.preventDefault();
      el.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
      this.hover(next);
    }
  }

  private hover(el: HTMLElement): void {
    const d = this.data;
    const step = Number(el.dataset?.step);
    if (!d || !Number.isInteger(step)) {
      this.tooltip.hidden = true;
      return;
    }
    const k = d.topK;
    const lines = [t("step {0}: '{1}' → '{2}', p(target) = {3}", step, visibleChar(d.vocab[d.inputs[step]] ?? ''), visibleChar(d.vocab[d.targets[step]] ?? ''), d.targetP[step].toFixed(4)), t('top {0}:', k)];
    for (let r = 0; r < k; r++) lines.push(`  ${r + 1}. '${visibleChar(d.vocab[d.topIds[step * k + r]] ?? '')}' ${d.topP[step * k + r].toFixed(4)}`);
    this.tooltip.textContent = lines.join('\n');
    this.tooltip.hidden = false;
    const box = this.anchor.getBoundingClientRect();
    const r = el.getBoundingClientRect();
    this.tooltip.style.left = `${Math.max(0, Math.min(r.left - box.left, box.width - 260))}px`;
    this.tooltip.style.top = `${r.bottom - box.top + 4}px`;
  }
}
