// The pure part of "Compare Cells": which configs the three runs get and which webview messages
// the compare panel accepts. Free of `vscode` so it is unit-tested directly.
import type { CellKind, TrainConfig } from '../core/types';
import type { WebviewToHost } from '../shared/protocol';
import { parseWebviewMessage, type Parsed } from '../shared/validate';

/** The order of the runs everywhere: columns, datasets, the command's returned ids. */
export const COMPARE_CELLS: readonly CellKind[] = ['rnn', 'lstm', 'gru'];

/**
 * One config per cell, identical except for the cell, so a difference between the runs can only
 * come from the cell. The activation is kept as the settings say; LSTM and GRU ignore it.
 */
export function compareConfigs(base: TrainConfig): TrainConfig[] {
  return COMPARE_CELLS.map((cell) => ({ ...base, mode: { ...base.mode }, cell }));
}

/** The compare webview may only say `ready` and send the shared controls; anything else is refused. */
export function parseCompareMessage(v: unknown): Parsed<Extract<WebviewToHost, { type: 'ready' } | { type: 'control' }>> {
  const parsed = parseWebviewMessage(v);
  if (!parsed.ok) return parsed;
  const m = parsed.value;
  if (m.type === 'ready' || m.type === 'control') return { ok: true, value: m };
  return { ok: false, error: `the compare panel does not handle "${m.type}" messages` };
}
