// Run controls and exports; which are enabled follows the run state.
import type { ControlAction, RunState } from '../src/shared/protocol';
import { button, type Button } from './toolkit';
import { t } from './l10n';

export class Controls {
  readonly element: HTMLElement;
  private readonly pause: Button;
  private readonly resume: Button;
  private readonly step: Button;
  private readonly stop: Button;
  private readonly exportWeights: Button;
  private readonly exportCsv: Button;
  private readonly exportJson: Button;

  constructor(actions: { control(action: ControlAction): void; exportWeights(): void; exportMetrics(format: 'csv' | 'json'): void }) {
    const post = (m: { type: 'control'; action: ControlAction }): void => actions.control(m.action);
    this.element = document.createElement('div');
    this.element.className = 'toolbar';
    this.element.setAttribute('role', 'toolbar');
    this.element.setAttribute('aria-label', t('Training controls'));
    this.pause = button(t('Pause'), { id: 'btn-pause', ariaLabel: t('Pause training'), onClick: () => post({ type: 'control', action: 'pause' }) });
    this.resume = button(t('Resume'), { id: 'btn-resume', ariaLabel: t('Resume training'), onClick: () => post({ type: 'control', action: 'resume' }) });
    this.step = button(t('Step'), { id: 'btn-step', ariaLabel: t('Train one epoch'), secondary: true, onClick: () => post({ type: 'control', action: 'step' }) });
    this.stop = button(t('Stop'), { id: 'btn-stop', ariaLabel: t('Stop training'), secondary: true, onClick: () => post({ type: 'control', action: 'stop' }) });
    this.exportWeights = button(t('Export weights'), { id: 'btn-export-weights', ariaLabel: t('Export the model weights to a file'), secondary: true, onClick: () => actions.exportWeights() });
    this.exportCsv = button(t('Export CSV'), { id: 'btn-export-csv', ariaLabel: t('Export the metrics as CSV'), secondary: true, onClick: () => actions.exportMetrics('csv') });
    this.exportJson = button(t('Export JSON'), { id: 'btn-export-json', ariaLabel: t('Export the metrics as JSON'), secondary: true, onClick: () => actions.exportMetrics('json') });
    const run = document.createElement('div');
    run.className = 'group';
    run.append(this.pause.el, this.resume.el, this.step.el, this.stop.el);
    const exp = document.createElement('div');
    exp.className = 'group';
    exp.append(this.exportWeights.el, this.exportCsv.el, this.exportJson.el);
    this.element.append(run, exp);
    this.update('starting', false, false);
  }

  private shown = '';

  update(state: RunState, restored: boolean, hasHistory: boolean): void {
    // Called every frame; touching the toolkit's attributes only on change avoids its re-render.
    const key = `${state}|${restored}|${hasHistory}`;
    if (key === this.shown) return;
    this.shown = key;
    const live = !restored;
    this.pause.disabled = !(live && state === 'running');
    this.resume.disabled = !(live && state === 'paused');
    this.step.disabled = !(live && state === 'paused');
    this.stop.disabled = !(live && (state === 'running' || state === 'paused' || state === 'starting' || state === 'queued'));
    // A restored panel has no worker, and a crashed one lost it: there are no weights to export.
    this.exportWeights.disabled = !(live && hasHistory && state !== 'starting' && state !== 'crashed');
    this.exportCsv.disabled = !hasHistory;
    this.exportJson.disabled = !hasHistory;
  }
}
