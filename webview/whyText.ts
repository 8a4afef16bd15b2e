// The "why" of the vanishing view in one plain sentence, computed from the epoch's numbers: how
// much the last output's gradient shrinks per step back, how far 1 % of it reaches, and what
// bounds each step — σ_max(W_hh)·max f′ for the plain RNN (Pascanu, Mikolov & Bengio 2013), the
// forget gate for the LSTM, the update gate for the GRU. Pure, so it is unit-tested.
import type { Activation, CellKind } from '../src/core/types';
import { t } from './l10n';

export interface WhyInput {
  cell: CellKind;
  activation: Activation;
  epoch: number;
  /** Steps S of the row. */
  steps: number;
  shrinkPerStep: number | null;
  reach1pct: number | null;
  sigmaMax: number;
  /** Mean over steps of activationSlope: f′ for the RNN, the forget gate (LSTM), the update gate (GRU). */
  slopeMean: number | null;
  /** Largest stepBound[t] of the epoch (RNN only). */
  maxBound: number | null;
}

/** Two significant digits: what a learner reads; the chart and the exports have the exact values. */
export function two(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(2)));
}

function shrinkClause(x: WhyInput): string {
  if (x.shrinkPerStep === null) return t('the last output’s gradient is zero or undefined here, so there is nothing to follow back');
  const s = x.shrinkPerStep;
  // Judged on the printed value, so the words never contradict the number.
  const shown = Number(two(s));
  if (shown < 1) return t('going back one step multiplies the last output’s gradient by {0} on average', two(s));
  if (shown === 1) return t('going back one step multiplies the last output’s gradient by {0} on average: it gains about as much as it loses, so it neither vanishes nor explodes', two(s));
  return t('going back one step multiplies the last output’s gradient by {0} on average: it grows going back', two(s));
}

function reachClause(x: WhyInput): string {
  if (x.shrinkPerStep === null) return '';
  if (x.reach1pct === null) return t('; more than 1 % of it is still there {0} steps back, at the first character', x.steps - 1);
  return x.reach1pct === 1 ? t('; 1 % of it is left {0} step back', x.reach1pct) : t('; 1 % of it is left {0} steps back', x.reach1pct);
}

export function whySentence(x: WhyInput): string {
  const head = t('Epoch {0}: {1}{2}.', x.epoch, shrinkClause(x), reachClause(x));
  if (x.steps < 2) return t('Epoch {0}: the text has one step, so there is no step back to follow.', x.epoch);
  const slope = x.slopeMean === null ? null : two(x.slopeMean);
  if (x.cell === 'lstm') {
    return `${head} ${t('In the LSTM the cell state carries the gradient back through the forget gate, not through W_hh: each step multiplies it by f_t, which averages {0} here (1 keeps it all, 0 forgets).', slope ?? '—')}`;
  }
  if (x.cell === 'gru') {
    return `${head} ${t('In the GRU the update gate z_t decides how much of h_{t−1} passes to h_t, and with it the gradient: z averages {0} here (near 1 the path back is almost free).', slope ?? '—')}`;
  }
  const fname = x.activation === 'relu' ? t('ReLU′ (the share of active units)') : 'tanh′';
  const bound = x.maxBound === null ? null : two(x.maxBound);
  const tail =
    x.maxBound === null
      ? ''
      : x.maxBound <= 1
        ? t(', so no step can amplify it by more than {0}', bound!)
        : x.shrinkPerStep !== null && x.shrinkPerStep < 1
          ? t(', so a step can amplify it by up to {0} — yet on average it still shrinks', bound!)
          : t(', so a step can amplify it by up to {0}', bound!);
  const rnn =
    x.sigmaMax > 1
      ? t('σ_max(W_hh) = {0}, but {1} averages {2} here{3}.', two(x.sigmaMax), fname, slope ?? '—', tail)
      : t('σ_max(W_hh) = {0}, and {1} averages {2} here{3}.', two(x.sigmaMax), fname, slope ?? '—', tail);
  return `${head} ${rnn}`;
}
