// The one message protocol between the extension host, the training worker and the webview.
// Every message is an object with a `type` discriminant. Metrics travel as EpochBlocks (typed
// columns); questions travel as requests whose replies are paired by id (rpc.ts).
//
//   worker ──started / epochs{block} / state / error / reply──▶ host ──init / epochs{block} / state / notice / reply──▶ webview
//   worker ◀──start / control / request{matrix, weights}─────── host ◀──ready / control / restart / request{…}──────── webview
import type { EpochProgress, TrainConfig } from '../core/types';
import type { EpochBlock } from './epochBlock';
import type { ReplyMessage, RequestMessage } from './rpc';
import type { CompareInsideRequests, InsideRequests } from './inside';
import { sliceCodePoints } from './codePoints';

// 'queued': waiting for a free slot (rnnLab.maxConcurrentRuns); no worker exists yet.
export type RunState = 'queued' | 'starting' | 'running' | 'paused' | 'stopped' | 'done' | 'diverged' | 'crashed';
export type ControlAction = 'pause' | 'resume' | 'step' | 'stop';

export const RUN_STATES: readonly RunState[] = ['queued', 'starting', 'running', 'paused', 'stopped', 'done', 'diverged', 'crashed'];
/** States after which a run's worker trains no more. */
export const ENDED_RUN_STATES: readonly RunState[] = ['stopped', 'done', 'diverged', 'crashed'];

export function isEnded(state: RunState): boolean {
  return ENDED_RUN_STATES.includes(state);
}

/**
 * Texts up to this many characters have every epoch's prediction sent to the webview; longer
 * ones only in windows the panel asks for (`prediction` requests), so a 1 MB selection does not
 * push a megabyte string per epoch into the panel.
 */
export const INLINE_PREDICTION_MAX = 10_000;

/**
 * What the panel gets of a longer text: its first this many characters (the prediction's first
 * window). The host keeps the whole; a 1 MB selection is not copied into the page, nor into the
 * state the page saves.
 */
export const TEXT_HEAD_CHARS = 2000;

/** Static description of a run, sent once so the webview can label axes and cells. */
export interface RunInfo {
  runId: string;
  title: string;
  /**
   * The training text (one string; the panel splits what it shows into code points); for a text
   * of more than INLINE_PREDICTION_MAX characters, only its first TEXT_HEAD_CHARS.
   */
  text: string;
  /** The whole text's length in code points (an emoji is one character). */
  textLength: number;
  /**
   * Set when `text` is only the head: the name of the copy of the whole text the host keeps in
   * its storage, so a panel restored after a reload can still restart.
   */
  textKey?: string;
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
  /** Set when the run comes from a lesson file (src/lessons): its words, in the display language. */
  lesson?: LessonInfo;
}

/** A lesson's words for the panel, and what it shows first; notes appear as the playhead reaches their epoch. */
export interface LessonInfo {
  summary: string;
  notes: { epoch: number | null; text: string }[];
  heatmap?: 'gradNorm' | 'lastLossGradNorm' | 'cellGradNorm' | 'lastLossCellGradNorm';
  /** Folding sections open at the start (ids without the `sec-` prefix); absent: the panel's own. */
  open?: string[];
}

/** What the training panel shows, reported so "Save as Lesson" can write it. */
export interface PanelView {
  heatmap: NonNullable<LessonInfo['heatmap']>;
  open: string[];
  /** Playback speed 1× times the chosen speed, in epochs per second; 0 for Live. */
  epochsPerSecond: number;
}

/** The part of a training text a panel is given (see RunInfo.text). */
export function panelText(text: string, textLength: number): string {
  return textLength <= INLINE_PREDICTION_MAX ? text : sliceCodePoints(text, 0, TEXT_HEAD_CHARS);
}

export function inlinePredictions(info: Pick<RunInfo, 'textLength'>): boolean {
  return info.textLength <= INLINE_PREDICTION_MAX;
}

/** ‖∂L_t/∂h_k‖ for k ≤ t, size × size row-major with t as the row; NaN above the diagonal. */
export interface MatrixReply {
  epoch: number;
  size: number;
  values: Float64Array;
}

/** Code points [start, start + length) of an epoch's prediction. */
export interface PredictionSlice {
  /** The epoch asked for. */
  epoch: number;
  /** The epoch whose prediction this is: the one asked for, or the nearest earlier one kept; null if none. */
  shownEpoch: number | null;
  start: number;
  predicted: string;
}

export interface ExportReply {
  /** Where it was written; null when the user cancelled the dialog. */
  uri: string | null;
}

/** A figure rendered by the webview: a PNG (base64, no data: prefix) and its size in pixels. */
export interface RenderedFigure {
  png: string;
  width: number;
  height: number;
}

/** What a panel may ask its host, and what each answers (the inside views' requests: inside.ts). */
export interface PanelRequests extends InsideRequests, CompareInsideRequests {
  /** Save a rendered figure through the host's save dialog. */
  saveFigure: { params: { figure: string } & RenderedFigure; result: ExportReply };
  matrix: { params: { epoch: number }; result: MatrixReply };
  prediction: { params: { epoch: number; start: number; length: number }; result: PredictionSlice };
  exportWeights: { params: Record<string, never>; result: ExportReply };
  exportMetrics: { params: { format: 'csv' | 'json' }; result: ExportReply };
}

/**
 * The `top` likeliest next characters of every step of one epoch (window mode: of the window
 * holding `position`), from an inspection replayed in the worker: what the editor overlay's
 * hover shows. ids and p are steps×top, row-major, likeliest first.
 */
export interface GuessesReply {
  epoch: number;
  /** Code-point position in the text of the first step's input. */
  start: number;
  steps: number;
  top: number;
  vocab: string[];
  ids: Int32Array;
  p: Float64Array;
}

/** What the host may ask a training worker (the inside views' requests are passed on as they are). */
export interface WorkerRequests extends InsideRequests {
  matrix: { params: { epoch: number }; result: MatrixReply };
  guesses: { params: { epoch: number; position: number; top: number }; result: GuessesReply };
  weights: { params: Record<string, never>; result: { json: string } };
}

/** What the host may ask a panel's webview (`rnnLab.exportFigure`). */
export interface WebviewRequests {
  renderFigure: { params: { figure: string }; result: RenderedFigure };
}

export type PanelRequest = RequestMessage<PanelRequests>;
export type WorkerRequest = RequestMessage<WorkerRequests>;

// ---------- host → webview ----------
export type HostToWebview =
  | {
      type: 'init';
      run: RunInfo;
      /** Every epoch the host keeps, oldest first (rows beyond the budget dropped, see MetricsStore). */
      history: EpochBlock[];
      /** Epochs whose rows the host's budget has dropped so far. */
      droppedRows: number;
      state: RunState;
      message?: string;
      restored: boolean;
      /** Playback speed 1× (`rnnLab.playback.epochsPerSecond`; 0: start in Live). */
      epochsPerSecond: number;
    }
  | { type: 'epochs'; runId: string; block: EpochBlock; droppedRows: number }
  /** How far the epoch in training has got, while a long one runs (the panel shows it until that epoch arrives). */
  | { type: 'progress'; runId: string; progress: EpochProgress }
  | { type: 'state'; runId: string; state: RunState; message?: string; epoch?: number }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; text: string }
  /**
   * The answer to a new document's `ready` when its init was posted before the document loaded:
   * everything posted before this has been delivered, so a document that has had no init by now
   * missed it (it went to a document that was replaced before its script ran) and says `ready` again.
   */
  | { type: 'sync' }
  /**
   * Whether the trained text is coloured in its editor. `available` is false when there is no
   * editor text to colour (a text given by a command argument, a restored panel, an edited
   * document); `reason` then says why, in a sentence for the panel.
   */
  | { type: 'overlayState'; on: boolean; available: boolean; reason?: string }
  /** Pick this unit in "Inside the network" (the toggle command's `unit`; null unpicks). */
  | { type: 'insidePick'; unit: number | null; array?: string }
  /** The editor's cursor is at this position of the trained text: window mode inspects the window holding it. */
  | { type: 'insidePosition'; position: number }
  | RequestMessage<WebviewRequests>
  | ReplyMessage;

/** The heatmap's colour scale: log10 of the norms at the bottom and the top of viridis. */
export interface LogScale {
  lo: number;
  hi: number;
}

// ---------- webview → host ----------
export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'control'; action: ControlAction }
  | { type: 'restart'; config: TrainConfig }
  /** The epoch the panel shows (its playhead), with the heatmap's scale, so the editor can follow (at most ~10 a second). */
  | { type: 'playhead'; epoch: number; scale: LogScale | null }
  /** The "Show in Editor" toggle. */
  | { type: 'overlay'; on: boolean }
  /**
   * The unit picked in "Inside the network" (null: none), its array and a position of the
   * inspected window: the editor overlay colours the text by that unit instead of the gradients.
   */
  | { type: 'insideUnit'; unit: number | null; array: string; position: number }
  /** The panel's view changed (heatmap rows, open sections, speed), for "Save as Lesson". */
  | { type: 'view'; view: PanelView }
  | PanelRequest
  | ReplyMessage;

// ---------- host → worker ----------
/**
 * `threads` (start, and later while training): 2 lets a large RNN train with its output layer in
 * a second thread (src/core/partner.ts); 1 after that suspends it, 2 resumes it. A run that
 * started with 1 keeps one thread.
 */
export type HostToWorker =
  | { type: 'start'; text: string; config: TrainConfig; initWeights?: string; threads?: 1 | 2 }
  | { type: 'control'; action: ControlAction }
  | { type: 'threads'; threads: 1 | 2 }
  | WorkerRequest;

// ---------- worker → host ----------
export type WorkerToHost =
  | { type: 'started'; steps: number; stepLabels: string[]; firstEpoch: number }
  | { type: 'epochs'; block: EpochBlock }
  /** A long epoch part-way through (sent only while one has run for a while; see trainWorker.ts). */
  | { type: 'progress'; progress: EpochProgress }
  | { type: 'state'; state: RunState; message?: string; epoch?: number }
  | { type: 'error'; message: string }
  | ReplyMessage;

// ---------- compare panel (three cells trained side by side) ----------
// The compare webview receives the ordinary HostToWebview messages of each of its runs (told
// apart by runId) plus one layout message naming the runs.
export interface CompareRunRef {
  runId: string;
  cell: TrainConfig['cell'];
}

export type CompareHostToWebview = HostToWebview | { type: 'compareLayout'; title: string; runs: CompareRunRef[] };
