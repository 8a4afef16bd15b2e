// The "why" of the vanishing view in one plain sentence, computed from the epoch's numbers: how
// much the last output's gradient shrinks per step back, how far 1 % of it reaches, and what
// bounds each step — σ_max(W_hh)·max f′ for the plain RNN (Pascanu, Mikolov & Bengio 2013), the
// forget gate for the LSTM, the update gate for the GRU. Pure, so it is unit-tested.
import type { Activation, CellKind } from '../src/core/types';

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
  if (x.shrinkPerStep === null) return 'the last output’s gradient is zero or undefined here, so there is nothing to follow back';
  const s = x.shrinkPerStep;
  // Judged on the printed value, so the words never contradict the number.
  const shown = Number(two(s));
  const trend = shown < 1 ? '' : shown === 1 ? ': about as much as it loses, it neither vanishes nor explodes' : ': it grows going back';
  return `going back one step multiplies the last output’s gradient by ${two(s)} on average${trend}`;
}

function reachClause(x: WhyInput): string {
  if (x.shrinkPerStep === null) return '';
  if (x.reach1pct === null) return `; more than 1 % of it is still there ${x.steps - 1} steps back, at the first character`;
  return `; 1 % of it is left ${x.reach1pct} step${x.reach1pct === 1 ? '' : 's'} back`;
}

export function whySentence(x: WhyInput): string {
  const head = `Epoch ${x.epoch}: ${shrinkClause(x)}${reachClause(x)}.`;
  if (x.steps < 2) return `Epoch ${x.epoch}: the text has one step, so there is no step back to follow.`;
  const slope = x.slopeMean === null ? null : two(x.slopeMean);
  if (x.cell === 'lstm') {
    return `${head} In the LSTM the cell state carries the gradient back through the forget gate, not through W_hh: each step multiplies it by f_t, which averages ${slope ?? '—'} here (1 keeps it all, 0 forgets).`;
  }
  if (x.cell === 'gru') {
    return `${head} In the GRU the update gate z_t decides how much of h_{t−1} passes to h_t, and with it the gradient: z averages ${slope ?? '—'} here (near 1 the path back is almost free).`;
  }
  const fname = x.activation === 'relu' ? 'ReLU′ (the share of active units)' : 'tanh′';
  const bound = x.maxBound === null ? null : two(x.maxBound);
  const tail =
    x.maxBound === null
      ? ''
      : x.maxBound <= 1
        ? `, so no step can amplify it by more than ${bound}`
        : `, so a step can amplify it by up to ${bound}${x.shrinkPerStep !== null && x.shrinkPerStep < 1 ? ' — yet on average it still shrinks' : ''}`;
  return `${head} σ_max(W_hh) = ${two(x.sigmaMax)}, ${x.sigmaMax > 1 ? 'but' : 'and'} ${fname} averages ${slope ?? '—'} here${tail}.`;
}
