// The editor overlay's hover text, as Markdown, built without `vscode` so its content is tested.
import type { GuessesReply } from '../shared/protocol';
import { t } from '../core/l10n';

export interface HoverFacts {
  epoch: number;
  /** Step index in the row (window mode: position in the window). */
  step: number;
  /** Position in the training text of the step's input. */
  position: number;
  input: string;
  target: string;
  gradNorm: number | null;
  lastLossGradNorm: number | null;
  /** The character the epoch predicted at this position (step position − 1), null when not kept or the first character. */
  predictedHere: string | null;
  /** The top guesses for the target, likeliest first; null while unknown, a string when they failed. */
  guesses: { char: string; p: number }[] | string | null;
  /**
   * The unit picked in the panel: its value after reading this character at `epoch` (step
   * counted in the inspected steps), or a note when there is none to show.
   */
  unit?: { unit: number; array: string; epoch: number; step: number; value: number } | { unit: number; array: string; note: string };
}

/** A character in an inline code span: control characters and spaces by name, backticks safe. */
export function showChar(c: string): string {
  const names: Record<string, string> = { '\n': t('↵ newline'), '\r': t('␍ carriage return'), '\t': t('⇥ tab'), ' ': t('␠ space') };
  if (names[c]) return names[c];
  const cp = c.codePointAt(0) ?? 0;
  if (cp < 0x20 || cp === 0x7f) return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return c === '`' ? '`` ` ``' : `\`${c}\``;
}

function norm(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return t('n/a');
  if (v === 0) return '0';
  return `${v.toExponential(2)} (log10 ${Math.log10(v).toFixed(2)})`;
}

function percent(p: number): string {
  return p >= 0.001 ? `${(p * 100).toFixed(1)} %` : `${(p * 100).toExponential(1)} %`;
}

/** The top guesses of `step` in a reply (row `step − reply's first step`), as characters and probabilities. */
export function guessesAt(reply: GuessesReply, position: number): { char: string; p: number }[] | null {
  const row = position - reply.start;
  if (row < 0 || row >= reply.steps) return null;
  const out: { char: string; p: number }[] = [];
  for (let j = 0; j < reply.top; j++) out.push({ char: reply.vocab[reply.ids[row * reply.top + j]], p: reply.p[row * reply.top + j] });
  return out;
}

export function hoverMarkdown(f: HoverFacts): string {
  const lines = [f.step !== f.position ? t('**RNN Lab** · epoch {0} · step t = {1} (text position {2})', f.epoch, f.step, f.position) : t('**RNN Lab** · epoch {0} · step t = {1}', f.epoch, f.step)];
  lines.push(t('input {0} → target {1}', showChar(f.input), showChar(f.target)));
  if (Array.isArray(f.guesses)) {
    const right = f.guesses[0]?.char === f.target;
    lines.push(t('top 3: {0}', `${f.guesses.map((g) => `${showChar(g.char)} ${percent(g.p)}`).join(' · ')}${right ? ' ✓' : ' ✗'}`));
  } else if (typeof f.guesses === 'string') {
    lines.push(t('top 3: {0}', f.guesses));
  } else {
    lines.push(t('top 3: computing…'));
  }
  lines.push(`‖∂L/∂h_t‖ = ${norm(f.gradNorm)}`);
  lines.push(`‖∂L_T/∂h_t‖ = ${norm(f.lastLossGradNorm)}`);
  const u = f.unit;
  if (u) {
    if ('note' in u) lines.push(t('unit {0} ({1}[{0}]): {2}', u.unit, u.array, u.note));
    else lines.push(t('unit {0} · step {1} · {2} · {3}[{0}] = {4} (epoch {5})', u.unit, u.step, showChar(f.input), u.array, Number.isFinite(u.value) ? u.value.toFixed(4) : String(u.value), u.epoch));
  }
  if (f.predictedHere !== null) lines.push(f.predictedHere === f.input ? t('this character was predicted as {0} ✓', showChar(f.predictedHere)) : t('this character was predicted as {0} ✗ (underlined)', showChar(f.predictedHere)));
  // Two spaces: a Markdown line break.
  return lines.join('  \n');
}
