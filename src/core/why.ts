// "Why it vanishes", in numbers drawn from one epoch's ‖∂L_T/∂h_t‖ row. Pascanu, Mikolov &
// Bengio (2013): ‖∂h_t/∂h_{t−1}‖ ≤ ‖W_hh‖·max|f′(a_t)|, so the row shrinks by at most that much
// per step going back. Pure, so the host and the webview derive these from stored rows instead of
// storing them.

/** The three numbers that follow from a lastLossGradNorm row alone. */
export interface ShrinkFields {
  /** n_t / n_{t+1} for t = 0..S−2: how much the gradient shrinks in the step back from t+1 to t. */
  stepShrink: (number | null)[];
  /** Geometric mean of stepShrink: (n_0 / n_{S−1})^(1/(S−1)). */
  shrinkPerStep: number | null;
  /** Steps back from the last output until the gradient last falls below 1% of its value there. */
  reach1pct: number | null;
}

/** Below this fraction of the last step's norm the gradient counts as gone (reach1pct). */
export const REACH_FRACTION = 0.01;

function known(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/**
 * stepShrink, shrinkPerStep and reach1pct of a row n_t = ‖∂L_T/∂h_t‖ (t = 0..S−1). Entries that
 * are null or not finite (a stored row that went through JSON) make what depends on them null,
 * as does a division by 0.
 */
export function deriveShrink(lastLossGradNorm: readonly (number | null)[]): ShrinkFields {
  const n = lastLossGradNorm;
  const S = n.length;
  const stepShrink = new Array<number | null>(Math.max(0, S - 1));
  for (let t = 0; t + 1 < S; t++) {
    const a = n[t];
    const b = n[t + 1];
    const r = typeof a === 'number' && typeof b === 'number' && b !== 0 ? a / b : NaN;
    stepShrink[t] = Number.isFinite(r) ? r : null;
  }
  if (S < 2) return { stepShrink, shrinkPerStep: null, reach1pct: null };
  const first = n[0];
  const last = n[S - 1];
  // The product of the factors telescopes to n_0 / n_{S−1}.
  const mean = known(first) && known(last) && last !== 0 ? Math.pow(first / last, 1 / (S - 1)) : NaN;
  let reach1pct: number | null = null;
  if (known(last)) {
    const floor = REACH_FRACTION * last;
    for (let t = S - 2; t >= 0; t--) {
      const x = n[t];
      if (typeof x === 'number' && x < floor) {
        reach1pct = S - 1 - t;
        break;
      }
    }
  }
  return { stepShrink, shrinkPerStep: Number.isFinite(mean) ? mean : null, reach1pct };
}
