// `rnn-lab inspect` and `rnn-lab gradcheck`: the core's Inspection and GradCheckReport as JSON.

import { codePoints, gradCheck, inspectWeights, type Inspection, type WeightsFile } from '../core';
import { UsageError } from './args';
import type { GradcheckArgs, InspectArgs } from './inspectArgs';
import { splitsInspection } from '../core/split';
import { startProductThread } from '../worker/productThread';

/** Rows of a T×H block as JSON arrays of arrays, built row by row (no intermediate arrays of arrays). */
function rows(a: Float64Array, T: number, H: number): string {
  const out: string[] = [];
  for (let t = 0; t < T; t++) out.push(JSON.stringify(Array.from(a.subarray(t * H, (t + 1) * H))));
  return `[${out.join(',')}]`;
}

/**
 * One JSON object: {"cell", "steps", "chars" (the text's steps + 1 code points: step t reads
 * chars[t] and predicts chars[t+1]), "h", "c"?, "gates"?, "top", "targetP", "connectivity"?}.
 */
export function inspectionJson(r: Inspection, chars: readonly string[]): string {
  const { steps: T, hiddenSize: H } = r;
  const parts = [`"cell":${JSON.stringify(r.cell)}`, `"steps":${T}`, `"chars":${JSON.stringify(chars)}`, `"h":${rows(r.h, T, H)}`];
  if (r.c) parts.push(`"c":${rows(r.c, T, H)}`);
  if (r.gates) parts.push(`"gates":{${r.gateNames.map((g) => `${JSON.stringify(g)}:${rows(r.gates![g], T, H)}`).join(',')}}`);
  const k = r.top.k;
  const top: string[] = [];
  for (let t = 0; t < T; t++) {
    const row: { char: string; p: number }[] = [];
    for (let i = 0; i < k; i++) row.push({ char: r.vocab[r.top.ids[t * k + i]], p: r.top.p[t * k + i] });
    top.push(JSON.stringify(row));
  }
  parts.push(`"top":[${top.join(',')}]`, `"targetP":${JSON.stringify(Array.from(r.targetP))}`);
  if (r.connectivity) parts.push(`"connectivity":${JSON.stringify({ t: r.connectivity.t, values: Array.from(r.connectivity.values) })}`);
  return `{${parts.join(',')}}`;
}

export function inspectCommand(a: InspectArgs, w: WeightsFile, text: string, out: (line: string) => void): void {
  const chars = codePoints(text);
  const steps = chars.length - 1;
  if (a.connectivity !== undefined && steps >= 1 && a.connectivity >= steps) {
    throw new UsageError(`--connectivity must be an output step from 0 to ${steps - 1} for this text of ${chars.length} characters (got ${a.connectivity})`);
  }
  // Large LSTMs: W_hh's product in two threads (src/core/split.ts), same bits.
  const thread = splitsInspection(w.cell, w.hiddenSize) ? startProductThread() : null;
  try {
    const r = inspectWeights(w, text, { top: a.top, connectivity: a.connectivity });
    out(inspectionJson(r, chars));
  } finally {
    void thread?.stop();
  }
}

/** One JSON object per parameter, one per line. */
export function gradcheckCommand(a: GradcheckArgs, w: WeightsFile, text: string, out: (line: string) => void): void {
  const report = gradCheck(w, text, { samples: a.samples, seed: a.seed });
  const mode = report.mode.kind === 'full' ? 'full' : `${report.mode.kind} ${report.mode.k}`;
  for (const p of report.params) out(JSON.stringify({ ...p, mode, start: report.start, steps: report.steps }));
}
