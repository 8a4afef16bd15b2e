// The pure part of "Compare Cells": which configs the three runs get and which webview messages
// the compare panel accepts. Free of `vscode` so it is unit-tested directly.
import type { CellKind, TrainConfig } from '../core/types';
import type { WebviewToHost } from '../shared/protocol';
import { parseWebviewMessage, type Parsed } from '../shared/validate';
import type { CompareConnectivityReply, ConnectivityReply } from '../shared/inside';
import { t } from '../core/l10n';

/** The order of the runs everywhere: columns, datasets, the command's returned ids. */
export const COMPARE_CELLS: readonly CellKind[] = ['rnn', 'lstm', 'gru'];

/**
 * One config per cell, identical except for the cell, so a difference between the runs can only
 * come from the cell. The activation is kept as the settings say; LSTM and GRU ignore it.
 */
export function compareConfigs(base: TrainConfig): TrainConfig[] {
  return COMPARE_CELLS.map((cell) => ({ ...base, mode: { ...base.mode }, cell }));
}

export type CompareWebviewToHost =
  | Extract<WebviewToHost, { type: 'ready' } | { type: 'control' } | { type: 'reply' }>
  | Extract<WebviewToHost, { type: 'request'; kind: 'saveFigure' | 'compareConnectivity' }>;

/** The compare webview may say `ready`, send the shared controls, save figures, compare connectivity and answer; anything else is refused. */
export function parseCompareMessage(v: unknown): Parsed<CompareWebviewToHost> {
  const parsed = parseWebviewMessage(v);
  if (!parsed.ok) return parsed;
  const m = parsed.value;
  if (m.type === 'ready' || m.type === 'control' || m.type === 'reply') return { ok: true, value: m };
  if (m.type === 'request' && (m.kind === 'saveFigure' || m.kind === 'compareConnectivity')) return { ok: true, value: m };
  return { ok: false, error: t('the compare panel does not handle "{0}" messages', m.type === 'request' ? `request ${m.kind}` : m.type) };
}

/** The part of a run the connectivity comparison uses (TrainingRun; tests pass fakes). */
export interface ConnectivitySource {
  readonly runId: string;
  askInside(kind: 'connectivity', params: { epoch: number; t: number }): Promise<ConnectivityReply>;
}

/** The same step's connectivity in every run, asked in parallel; a run that cannot answer (not that far yet, no worker) says why in its entry. */
export async function compareConnectivity(runs: readonly ConnectivitySource[], epoch: number, t: number): Promise<CompareConnectivityReply> {
  const answers = await Promise.all(
    runs.map((r) =>
      r.askInside('connectivity', { epoch, t }).then(
        (c) => ({ runId: r.runId, start: c.start, values: c.values }),
        (e: unknown) => ({ runId: r.runId, start: 0, values: null, error: e instanceof Error ? e.message : String(e) }),
      ),
    ),
  );
  return { epoch, t, runs: answers };
}
