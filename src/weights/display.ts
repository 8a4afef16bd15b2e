// How a loaded model is shown: visible stand-ins for characters that would otherwise be blank
// or invisible, and the summary the model panel draws. Free of `vscode` so it is unit-tested.
import { SigmaMaxSolver, type WeightsFile } from '../core';
import { GATES } from '../core/model';
import type { ModelSummary, ParamEntry, VocabEntry } from '../shared/modelProtocol';
import { t, tKey } from '../core/l10n';

/** Names for the characters whose stand-in alone might not say what they are. */
const NAMED: Record<string, [shown: string, name: string]> = {
  ' ': ['␠', tKey('space')],
  '\n': ['⏎', tKey('line feed')],
  '\r': ['␍', tKey('carriage return')],
  '\t': ['⇥', tKey('tab')],
  '\u00a0': ['⍽', tKey('no-break space')],
  '\u200b': ['␣', tKey('zero width space')],
  '\u007f': ['␡', tKey('delete')],
};

export function codeLabel(ch: string): string {
  return 'U+' + ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * A printable stand-in for `ch`: Unicode's Control Pictures for C0 controls (U+2400 + code),
 * fixed symbols for the common whitespace, and the code point for any other blank character,
 * so every vocabulary entry has something to see and nothing collapses into an empty cell.
 */
export function visibleChar(ch: string): string {
  const named = NAMED[ch];
  if (named) return named[0];
  const cp = ch.codePointAt(0)!;
  if (cp < 0x20) return String.fromCodePoint(0x2400 + cp);
  if (ch.trim() === '' || /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]$/u.test(ch)) return codeLabel(ch);
  return ch;
}

export function vocabEntry(ch: string): VocabEntry {
  const name = NAMED[ch]?.[1];
  return { char: ch, shown: visibleChar(ch), label: name ? `${codeLabel(ch)} ${t(name)}` : codeLabel(ch) };
}

/** σ_max of W_hh, with the same solver the trainer reports each epoch with. */
export function sigmaMaxWhh(w: WeightsFile): number {
  const H = w.hiddenSize;
  const G = GATES[w.cell] * H;
  return new SigmaMaxSolver(H, G).solve(Float64Array.from(w.params.W_hh.data));
}

export function summarizeModel(w: WeightsFile, name: string, location: string): ModelSummary {
  const params: ParamEntry[] = Object.entries(w.params).map(([pname, t]) => ({
    name: pname,
    shape: [...t.shape],
    count: t.shape.reduce((a, b) => a * b, 1),
  }));
  const summary: ModelSummary = {
    name,
    location,
    cell: w.cell,
    activation: w.activation,
    hiddenSize: w.hiddenSize,
    vocab: w.vocab.map(vocabEntry),
    params,
    totalParams: params.reduce((a, p) => a + p.count, 0),
    sigmaMaxWhh: sigmaMaxWhh(w),
    hasOptimizerState: w.optimizerState !== undefined,
  };
  const t = w.training;
  if (t) {
    // The validator checks the fields training resumes from; the rest is informational and may be anything.
    const finite = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
    const metrics = typeof t.finalMetrics === 'object' && t.finalMetrics !== null ? t.finalMetrics : undefined;
    summary.training = {
      epochsDone: t.epochsDone,
      finalLoss: finite(metrics?.loss),
      finalAccuracy: finite(metrics?.accuracy),
      seed: finite(t.seed),
      firstChar: t.firstChar === undefined ? undefined : vocabEntry(t.firstChar),
      config: t.config,
    };
  }
  return summary;
}

/** "hello.json" from a path or URI path. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
