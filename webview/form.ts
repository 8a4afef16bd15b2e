// Restart with edited hyperparameters. Fields are checked here, with the core's limits, so a bad
// value is reported next to its field instead of round-tripping to the host; the host still
// validates what it receives.
import { CELL_LABELS } from '../src/shared/cellLabels';
import type { Activation, BpttMode, CellKind, OptimizerName, TrainConfig } from '../src/core/types';
import { LIMITS, SUPPORTED_CELLS, validateConfig } from '../src/core/config';
import { button, dropdown, textField, type Button, type Select, type TextInput } from './toolkit';
import { t } from './l10n';

/** The core's own limits and cells: the form refuses exactly what validateConfig would. */
export const FORM_LIMITS = LIMITS;

type ModeKind = BpttMode['kind'];

export type FieldResult<T> = { ok: true; value: T } | { ok: false; error: string };

function parseNumber(raw: string): number {
  const s = raw.trim();
  // Number('') is 0 and Number('0x10') is 16; only plain decimal notation is accepted.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return NaN;
  return Number(s);
}

export function parseInteger(raw: string, min: number, max: number): FieldResult<number> {
  const v = parseNumber(raw);
  if (!Number.isInteger(v) || v < min || v > max) return { ok: false, error: t('Enter a whole number from {0} to {1}.', min, max) };
  return { ok: true, value: v };
}

export function parseReal(raw: string, min: number, max: number, minExclusive: boolean): FieldResult<number> {
  const v = parseNumber(raw);
  if (!Number.isFinite(v) || (minExclusive ? v <= min : v < min) || v > max) {
    return { ok: false, error: minExclusive ? t('Enter a number greater than {0} and at most {1}.', min, max) : t('Enter a number from {0} to {1}.', min, max) };
  }
  return { ok: true, value: v };
}

export class RestartForm {
  readonly element: HTMLElement;
  private readonly cell: Select<CellKind>;
  private readonly activation: Select<Activation>;
  private readonly optimizer: Select<OptimizerName>;
  private readonly mode: Select<ModeKind>;
  private readonly hiddenSize: TextInput;
  private readonly epochs: TextInput;
  private readonly learningRate: TextInput;
  private readonly k: TextInput;
  private readonly clip: TextInput;
  private readonly seed: TextInput;
  private readonly heldOut: TextInput;
  private readonly submit: Button;
  private readonly status: HTMLElement;

  constructor(private readonly onRestart: (config: TrainConfig) => void) {
    this.element = document.createElement('div');
    this.element.className = 'restart-form';
    this.element.setAttribute('role', 'form');
    this.element.setAttribute('aria-label', t('Restart with these hyperparameters'));
    const L = FORM_LIMITS;
    this.cell = dropdown(t('Cell'), SUPPORTED_CELLS.map((c) => ({ value: c, label: CELL_LABELS[c] })), { id: 'f-cell', value: 'rnn' });
    this.activation = dropdown(t('Activation'), [{ value: 'tanh', label: 'tanh' }, { value: 'relu', label: 'ReLU' }], { id: 'f-activation', value: 'tanh' });
    this.optimizer = dropdown(
      t('Optimizer'),
      (['adam', 'sgd', 'momentum', 'rmsprop', 'adagrad'] as const).map((o) => ({ value: o, label: o })),
      { id: 'f-optimizer', value: 'adam' },
    );
    this.mode = dropdown(
      'BPTT',
      [
        { value: 'full', label: t('full') },
        { value: 'truncate', label: t('truncated (K steps)') },
        { value: 'window', label: t('sliding window (K)') },
      ],
      { id: 'f-mode', value: 'full', onChange: () => this.syncK() },
    );
    this.hiddenSize = textField(t('Hidden size'), { id: 'f-hiddenSize', size: 6, inputMode: 'numeric', hint: `${L.hiddenSize.min}–${L.hiddenSize.max}` });
    this.epochs = textField(t('Epochs'), { id: 'f-epochs', size: 7, inputMode: 'numeric', hint: `${L.epochs.min}–${L.epochs.max}` });
    this.learningRate = textField(t('Learning rate'), { id: 'f-learningRate', size: 8, inputMode: 'decimal', hint: `> 0, ≤ ${L.learningRate.max}` });
    this.k = textField('K', { id: 'f-k', size: 5, inputMode: 'numeric', hint: `${L.k.min}–${L.k.max}` });
    this.clip = textField(t('Clip (0 = off)'), { id: 'f-clip', size: 6, inputMode: 'decimal', hint: `0–${L.clip.max}` });
    this.seed = textField(t('Seed'), { id: 'f-seed', size: 10, inputMode: 'numeric', hint: `${L.seed.min}–${L.seed.max}` });
    this.heldOut = textField(t('Held out (0 = off)'), { id: 'f-validationSplit', size: 5, inputMode: 'decimal', hint: t('fraction of the text, {0}–{1}', L.validationSplit.min, L.validationSplit.max) });
    this.submit = button(t('Restart'), { id: 'btn-restart', ariaLabel: t('Restart training with these hyperparameters'), onClick: () => this.send() });
    this.status = document.createElement('div');
    this.status.className = 'form-status';
    this.status.setAttribute('aria-live', 'polite');
    const fields = document.createElement('div');
    fields.className = 'fields';
    fields.append(this.cell.el, this.activation.el, this.hiddenSize.el, this.epochs.el, this.learningRate.el, this.optimizer.el, this.mode.el, this.k.el, this.clip.el, this.seed.el, this.heldOut.el);
    const actions = document.createElement('div');
    actions.className = 'form-actions';
    actions.append(this.submit.el, this.status);
    this.element.append(fields, actions);
  }

  fill(c: TrainConfig): void {
    this.cell.value = c.cell;
    this.activation.value = c.activation;
    this.optimizer.value = c.optimizer;
    this.mode.value = c.mode.kind;
    this.hiddenSize.value = String(c.hiddenSize);
    this.epochs.value = String(c.epochs);
    this.learningRate.value = String(c.learningRate);
    this.k.value = c.mode.kind === 'full' ? '20' : String(c.mode.k);
    this.clip.value = String(c.clip);
    this.seed.value = String(c.seed);
    this.heldOut.value = String(c.validationSplit ?? 0);
    for (const f of [this.hiddenSize, this.epochs, this.learningRate, this.k, this.clip, this.seed, this.heldOut]) f.setError(undefined);
    this.status.textContent = '';
    this.syncK();
  }

  setEnabled(enabled: boolean): void {
    this.submit.disabled = !enabled;
  }

  private syncK(): void {
    this.k.disabled = this.mode.value === 'full';
  }

  /** The config the fields describe, or undefined after marking the bad fields. */
  read(): TrainConfig | undefined {
    const L = FORM_LIMITS;
    const checks: [TextInput, FieldResult<number>][] = [
      [this.hiddenSize, parseInteger(this.hiddenSize.value, L.hiddenSize.min, L.hiddenSize.max)],
      [this.epochs, parseInteger(this.epochs.value, L.epochs.min, L.epochs.max)],
      [this.learningRate, parseReal(this.learningRate.value, L.learningRate.min, L.learningRate.max, true)],
      [this.clip, parseReal(this.clip.value, L.clip.min, L.clip.max, false)],
      [this.seed, parseInteger(this.seed.value, L.seed.min, L.seed.max)],
      [this.heldOut, parseReal(this.heldOut.value, L.validationSplit.min, L.validationSplit.max, false)],
    ];
    const kind = this.mode.value;
    if (kind !== 'full') checks.push([this.k, parseInteger(this.k.value, L.k.min, L.k.max)]);
    else this.k.setError(undefined);
    let firstBad: TextInput | undefined;
    for (const [field, r] of checks) {
      field.setError(r.ok ? undefined : r.error);
      if (!r.ok) firstBad ??= field;
    }
    if (firstBad) {
      this.status.textContent = t('Fix the highlighted fields to restart.');
      firstBad.focus();
      return undefined;
    }
    const num = (i: number): number => (checks[i][1] as { value: number }).value;
    const mode: BpttMode = kind === 'full' ? { kind } : { kind, k: num(6) };
    const config: TrainConfig = {
      cell: this.cell.value,
      activation: this.activation.value,
      hiddenSize: num(0),
      epochs: num(1),
      learningRate: num(2),
      optimizer: this.optimizer.value,
      clip: num(3),
      mode,
      seed: num(4),
      validationSplit: num(5),
    };
    // The per-field checks mirror the core; its validator has the last word on combinations.
    try {
      return validateConfig(config);
    } catch (e) {
      this.status.textContent = e instanceof Error ? e.message : String(e);
      return undefined;
    }
  }

  private send(): void {
    const config = this.read();
    if (!config) return;
    this.status.textContent = t('Restarting…');
    this.onRestart(config);
  }
}
