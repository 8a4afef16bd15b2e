// The one message protocol between the extension host, the training worker and the webview.
// Every message is a plain JSON-compatible object with a `type` discriminant.

import type { EpochMetrics, TrainConfig } from '../core/types';

export type RunState = 'starting' | 'running' | 'paused' | 'stopped' | 'done' | 'diverged' | 'crashed';
export type ControlAction = 'pause' | 'resume' | 'step' | 'stop';

/** Static description of a run, sent once so the webview can label axes and cells. */
export interface RunInfo {
  runId: string;
  title: string;
  /** The training text, as code points (one entry per character, emoji included). */
  chars: string[];
  config: TrainConfig;
  /** Epoch numbering starts here (non-zero when continuing a loaded model). */
  firstEpoch: number;
  /** Length of the per-timestep rows (T in full/truncate mode, K in window mode). */
  steps: number;
  /** Labels of the per-timestep columns: the input character at each step. */
  stepLabels: string[];
  /** Interval of the seed-style prediction history. */
  printEvery: number;
  /** Human-readable notes about where the text came from or what was adjusted (e.g. window mode forced). */
  notes: string[];
}

// ---------- host → webview ----------
export type HostToWebview =
  | { type: 'init'; run: RunInfo; history: EpochMetrics[]; state: RunState; message?: string; restored: boolean }
  | { type: 'epochs'; runId: string; epochs: EpochMetrics[] }
  | { type: 'state'; runId: string; state: RunState; message?: string; epoch?: number }
  | { type: 'matrix'; runId: string; epoch: number; size: number; values: (number | null)[] }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; text: string };

// ---------- webview → host ----------
export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'control'; action: ControlAction }
  | { type: 'restart'; config: TrainConfig }
  | { type: 'exportWeights' }
  | { type: 'exportMetrics'; format: 'csv' | 'json' }
  | { type: 'requestMatrix'; epoch: number };

// ---------- host → worker ----------
export type HostToWorker =
  | { type: 'start'; text: string; config: TrainConfig; initWeights?: string }
  | { type: 'control'; action: ControlAction }
  | { type: 'matrix'; epoch: number; requestId: number }
  | { type: 'exportWeights'; requestId: number };

// ---------- worker → host ----------
export type WorkerToHost =
  | { type: 'started'; steps: number; stepLabels: string[]; firstEpoch: number }
  | { type: 'epoch'; metrics: EpochMetrics }
  | { type: 'state'; state: RunState; message?: string; epoch?: number }
  | { type: 'matrix'; requestId: number; epoch: number; size: number; values: (number | null)[] }
  | { type: 'weights'; requestId: number; json: string }
  | { type: 'error'; message: string; requestId?: number };

// ---------- compare panel (three cells trained side by side) ----------
// The compare webview receives the ordinary HostToWebview messages of each of its runs (told
// apart by runId) plus one layout message naming the runs; it sends only these two kinds back.
export interface CompareRunRef {
  runId: string;
  cell: TrainConfig['cell'];
}

export type CompareHostToWebview = HostToWebview | { type: 'compareLayout'; title: string; runs: CompareRunRef[] };

export type CompareWebviewToHost = { type: 'ready' } | { type: 'control'; action: ControlAction };
