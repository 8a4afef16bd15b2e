// What the "Inside the network" views ask the training worker and get back: one epoch's
// inspection (hidden states, cell states, gates, the top guesses per step), one connectivity row,
// and a gradient check. Bulk data stays in typed arrays so the worker can transfer their buffers
// and the webview receives them without a JSON detour (as the T×T matrix does).
import type { CellKind } from '../core/types';
import type { EpochInspection } from '../core/trainer';
import type { GradCheckReport } from '../core/gradcheck';

/** One epoch's inspection as it travels: the core's Inspection flattened to typed arrays. */
export interface InspectReply {
  epoch: number;
  cell: CellKind;
  hiddenSize: number;
  /** T: step t reads inputs[t] and predicts targets[t] (indices into vocab). */
  steps: number;
  /** Code-point position of step 0's input in the training text. */
  start: number;
  vocab: string[];
  inputs: Int32Array;
  targets: Int32Array;
  /** T×H, row t = h_t. */
  h: Float64Array;
  /** LSTM only: T×H cell states. */
  c: Float64Array | null;
  /** LSTM i, f, g, o; GRU r, z, n (empty for the plain RNN). */
  gateNames: string[];
  gates: Record<string, Float64Array> | null;
  /** Guesses per step. */
  topK: number;
  /** T×topK vocabulary indices, likeliest first, and their probabilities. */
  topIds: Int32Array;
  topP: Float64Array;
  /** T: the probability of each step's target. */
  targetP: Float64Array;
  loss: number;
}

/** values[k] = ‖∂L_t/∂x_k‖₂ for k = 0..t of one epoch's inspected window (k counted from `start`). */
export interface ConnectivityReply {
  epoch: number;
  t: number;
  start: number;
  values: Float64Array;
}

export type GradCheckReply = GradCheckReport;

/** One unit's activations over an epoch's inspected steps: what the editor overlay colours the text by. */
export interface UnitReply {
  epoch: number;
  /** 'h', 'c' or a gate name. */
  array: string;
  unit: number;
  /** Code-point position of step 0's input in the training text; step t is position start + t. */
  start: number;
  steps: number;
  values: Float64Array;
}

/** The requests of the inside views; the same map on both edges (panel → host → worker). */
export interface InsideRequests {
  inspect: { params: { epoch: number; position?: number }; result: InspectReply };
  connectivity: { params: { epoch: number; t: number; position?: number }; result: ConnectivityReply };
  gradCheck: { params: Record<string, never>; result: GradCheckReply };
  unit: { params: { epoch: number; array: string; unit: number; position?: number }; result: UnitReply };
}

/** The compare panel's one question: the same step's connectivity in each of its runs (one run failing leaves the others). */
export interface CompareConnectivityReply {
  epoch: number;
  t: number;
  runs: { runId: string; start: number; values: Float64Array | null; error?: string }[];
}

export interface CompareInsideRequests {
  compareConnectivity: { params: { epoch: number; t: number }; result: CompareConnectivityReply };
}

/** Arrays squashed by tanh (h, c clipped, the LSTM's g, the GRU's n) span −1…1; the sigmoid gates 0…1. */
export function arrayScale(array: string): 'signed' | 'unit' {
  return array === 'h' || array === 'c' || array === 'g' || array === 'n' ? 'signed' : 'unit';
}

/** Kinds where only the newest request matters: the playhead has moved on. */
export const LATEST_ONLY_INSIDE: readonly (keyof InsideRequests)[] = ['inspect', 'connectivity', 'unit'];
export const LATEST_ONLY_COMPARE: readonly (keyof CompareInsideRequests)[] = ['compareConnectivity'];

/** A gradient check runs 2 forward passes per sampled entry: give it longer than a lookup. */
export const GRADCHECK_TIMEOUT_MS = 5 * 60_000;

export function inspectReply(x: EpochInspection): InspectReply {
  return {
    epoch: x.epoch,
    cell: x.cell,
    hiddenSize: x.hiddenSize,
    steps: x.steps,
    start: x.start,
    vocab: [...x.vocab],
    inputs: x.inputs,
    targets: x.targets,
    h: x.h,
    c: x.c,
    gateNames: [...x.gateNames],
    gates: x.gates,
    topK: x.top.k,
    topIds: x.top.ids,
    topP: x.top.p,
    targetP: x.targetP,
    loss: x.loss,
  };
}

/** Every typed array's buffer in a reply (top level and one level down, as in `gates`), to transfer rather than copy. */
export function replyBuffers(value: unknown): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const visit = (v: unknown, depth: number): void => {
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) out.add(v.buffer);
    } else if (depth < 2 && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      for (const x of Object.values(v)) visit(x, depth + 1);
    }
  };
  visit(value, 0);
  return [...out];
}
