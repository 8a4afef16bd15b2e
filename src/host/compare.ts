// The pure part of "Compare Cells": which configs the three runs get, what the panel's state is
// as a whole, and which webview messages the compare panel accepts. Free of `vscode` so it is
// unit-tested directly.
import type { CellKind, TrainConfig } from '../core/types';
import type { CompareWebviewToHost, RunState } from '../shared/protocol';
import { parseWebviewMessage, type Parsed } from '../shared/validate';

/** The order of the runs everywhere: columns, datasets, the command's returned ids. */
export const COMPARE_CELLS: readonly CellKind[] = ['rnn', 'lstm', 'gru'];

export const CELL_LABELS: Readonly<Record<CellKind, string>> = { rnn: 'RNN', lstm: 'LSTM', gru: 'GRU' };

/**
 * One config per cell, identical except for the cell, so a difference between the runs can only
 * come from the cell. The activation is kept as the settings say; LSTM and GRU ignore it.
 */
export function compareConfigs(base: TrainConfig): TrainConfig[] {
  return COMPARE_CELLS.map((cell) => ({ ...base, mode: { ...base.mode }, cell }));
}

const ORDER: readonly RunState[] = ['crashed', 'diverged', 'starting', 'running', 'paused', 'stopped', 'done'];

/**
 * One state for the three runs, for the panel's status line and title: the runs that still work
 * decide (any running → running), and only when all have ended does the worst ending show.
 */
export function compareState(states: readonly RunState[]): RunState {
  if (states.length === 0) return 'starting';
  if (states.includes('running')) return 'running';
  if (states.includes('starting')) return 'starting';
  if (states.includes('paused')) return 'paused';
  return [...states].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b))[0];
}

/** True once every run has ended (done, stopped, diverged or crashed). */
export function allEnded(states: readonly RunState[]): boolean {
  return states.length > 0 && states.every((s) => s === 'done' || s === 'stopped' || s === 'diverged' || s === 'crashed');
}

/** The compare webview may only ask for `ready` and the shared controls; anything else is refused. */
export function parseCompareMessage(v: unknown): Parsed<CompareWebviewToHost> {
  const parsed = parseWebviewMessage(v);
  if (!parsed.ok) return parsed;
  const m = parsed.value;
  if (m.type === 'ready' || m.type === 'control') return { ok: true, value: m };
  return { ok: false, error: `the compare panel does not handle "${m.type}" messages` };
}
