// Messages between the host and the model panel (a loaded weights file). Kept apart from
// protocol.ts because the model panel is its own webview bundle with its own small vocabulary.

import type { Activation, CellKind, TrainConfig } from '../core/types';

/** One vocabulary entry as the panel shows it. */
export interface VocabEntry {
  /** The character itself. */
  char: string;
  /** What to draw: the character, or a visible stand-in for whitespace and control characters. */
  shown: string;
  /** e.g. "U+0020 space": the tooltip, so a stand-in is never ambiguous. */
  label: string;
}

export interface ParamEntry {
  name: string;
  shape: number[];
  count: number;
}

/** Everything the model panel draws, computed on the host from a validated WeightsFile. */
export interface ModelSummary {
  /** The file name, e.g. "rnn-hello-world-h20-e600.json". */
  name: string;
  /** Full path or URI of the file, for the tooltip. */
  location: string;
  cell: CellKind;
  activation: Activation;
  hiddenSize: number;
  vocab: VocabEntry[];
  params: ParamEntry[];
  totalParams: number;
  /** Largest singular value of W_hh (H×H, or H×4H / H×3H for the gated cells). */
  sigmaMaxWhh: number;
  training?: {
    epochsDone?: number;
    finalLoss?: number;
    finalAccuracy?: number;
    seed?: number;
    firstChar?: VocabEntry;
    config?: TrainConfig;
  };
  hasOptimizerState: boolean;
}

export type ModelHostToWebview = { type: 'model'; model: ModelSummary };

export type ModelWebviewToHost = { type: 'ready' } | { type: 'continueTraining' } | { type: 'generateText' } | { type: 'exportTorch' };

const WEBVIEW_TYPES = new Set(['ready', 'continueTraining', 'generateText', 'exportTorch']);

/** The model panel sends no payloads, so a message is valid when its type is one we know. */
export function parseModelWebviewMessage(v: unknown): ModelWebviewToHost | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const type = (v as { type?: unknown }).type;
  if (typeof type !== 'string' || !WEBVIEW_TYPES.has(type)) return undefined;
  if (Object.keys(v).length !== 1) return undefined;
  return { type } as ModelWebviewToHost;
}
