// "Check gradients": the worker compares the backward pass with central finite differences at
// the current weights (Trainer.gradCheck), and the panel lists the largest relative error of each
// parameter. A correct backward stays far below the threshold; a wrong one is off by orders.
import type { GradCheckReply } from '../src/shared/inside';
import { button, type Button } from './toolkit';
import { t } from './l10n';

/**
 * Relative errors above this mark a parameter as suspicious: the core's own tests hold a correct
 * backward to it. Central differences with h = 1e-5 leave errors of up to ~1e-5 on entries whose
 * gradient is small; a wrong backward (a gradient 1 % off, a sign) is at 1e-2 or beyond.
 */
export const GRADCHECK_SUSPICIOUS = 1e-4;

function sci(v: number): string {
  return Number.isFinite(v) ? v.toExponential(2) : String(v);
}

export class GradCheckView {
  readonly element: HTMLElement;
  private readonly run: Button;
  private readonly caption: HTMLElement;
  private readonly table: HTMLTableElement;

  constructor(ask: () => void) {
    this.element = document.createElement('div');
    this.element.className = 'gradcheck';
    this.run = button(t('Check gradients'), {
      id: 'btn-gradcheck',
      ariaLabel: t('Check the gradients at the current weights by finite differences'),
      title: t('Central finite differences for 100 random entries of every parameter, at the current weights, in the run’s BPTT mode'),
      onClick: ask,
    });
    this.caption = document.createElement('div');
    this.caption.className = 'caption';
    this.caption.id = 'gradcheck-caption';
    this.caption.setAttribute('aria-live', 'polite');
    this.caption.textContent = t('Compares the backward pass with finite differences at the current weights (training pauses for the time it takes).');
    this.table = document.createElement('table');
    this.table.className = 'gradcheck-table';
    this.table.id = 'gradcheck-table';
    this.table.hidden = true;
    const bar = document.createElement('div');
    bar.className = 'inside-bar';
    bar.append(this.run.el, this.caption);
    this.element.append(bar, this.table);
  }

  pending(): void {
    this.run.disabled = true;
    this.caption.textContent = t('Checking the gradients…');
  }

  failed(reason: string): void {
    this.run.disabled = false;
    this.caption.textContent = t('The gradient check failed: {0}', reason);
  }

  show(r: GradCheckReply, epochsDone: number | null): void {
    this.run.disabled = false;
    const worst = Math.max(...r.params.map((p) => p.maxRelError));
    const mode = r.mode.kind === 'full' ? t('full BPTT') : `${r.mode.kind} K = ${r.mode.k}`;
    const at = epochsDone === null ? '' : t(' after {0} epochs', epochsDone);
    this.caption.textContent =
      worst <= GRADCHECK_SUSPICIOUS
        ? t('The gradients agree with finite differences: largest relative error {0} ({1}, {2} steps from character {3}{4}; above {5} is suspicious).', sci(worst), mode, r.steps, r.start, at, sci(GRADCHECK_SUSPICIOUS))
        : t('Some gradients disagree with finite differences: largest relative error {0} ({1}, {2} steps from character {3}{4}; above {5} is suspicious).', sci(worst), mode, r.steps, r.start, at, sci(GRADCHECK_SUSPICIOUS));
    this.table.textContent = '';
    const head = this.table.createTHead().insertRow();
    for (const h of [t('parameter'), t('shape'), t('entries checked'), t('largest relative error'), t('largest absolute error')]) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = h;
      head.append(th);
    }
    const body = this.table.createTBody();
    for (const p of r.params) {
      const row = body.insertRow();
      row.dataset.param = p.param;
      if (!(p.maxRelError <= GRADCHECK_SUSPICIOUS)) row.className = 'bad';
      for (const text of [p.param, p.shape.join('×'), String(p.checked), sci(p.maxRelError), sci(p.maxAbsError)]) row.insertCell().textContent = text;
      row.title = t('worst entry {0}: backward {1}, finite differences {2}', p.worst.index, p.worst.analytic, p.worst.numeric);
    }
    this.table.hidden = false;
  }
}
