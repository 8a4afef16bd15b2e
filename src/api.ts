// The value `activate()` returns. Integration tests (and other extensions) read the state of
// runs through it instead of scraping the UI.
import type { TrainConfig } from './core/types';
import type { EpochRecord } from './shared/metricsStore';
import type { LessonInfo, RunState } from './shared/protocol';

export interface RunSnapshot {
  runId: string;
  title: string;
  state: RunState;
  config: TrainConfig;
  /** Epochs whose metrics reached the host (including epochs of a loaded model's earlier training). */
  epochsDone: number;
  /** The metrics of the last epoch received, if any (its rows are always kept). */
  last?: EpochRecord;
  /** True while the run's panel is open. */
  panelOpen: boolean;
  /** True while the run's worker thread exists (false after the panel closes). */
  workerAlive: boolean;
  /** The latest message shown in the panel for this run (divergence, crash, notes). */
  message?: string;
  /** The words of the lesson the run comes from, as its panel shows them. */
  lesson?: LessonInfo;
  /** The editor overlay of the run's training panel (absent when no training panel shows the run). */
  overlay?: OverlaySnapshot;
}

/** The editor overlay: the trained text coloured by ‖∂L_T/∂h_t‖ at the panel's playhead. */
export interface OverlaySnapshot {
  on: boolean;
  /** False when there is nothing (left) to colour; `reason` says why, as the panel shows it. */
  available: boolean;
  reason?: string;
  /** The epoch last painted (the playhead's), null before any. */
  epoch: number | null;
  /** Editors showing the coloured text at the last paint. */
  editors: number;
  /** Characters coloured and underlined at the last paint (only the visible ranges are painted). */
  decorated: number;
  underlined: number;
  /** The first runs painted in the first editor: document offsets [start, end) and colour bucket. */
  sample: { start: number; end: number; bucket: number }[];
  /**
   * What the colours mean at the last paint: 'gradient' (‖∂L_T/∂h_t‖, viridis), or a picked
   * unit's activation: 'signed' (−1…1, blue–light–red) or 'unit' (a gate in 0…1, viridis).
   */
  palette: 'gradient' | 'signed' | 'unit';
  /** The unit picked in the panel's "Inside the network" (null: the gradient colours), with the steps its last paint covered. */
  unit: { unit: number; array: string; position: number; epoch: number | null; start: number | null; steps: number | null } | null;
}

/** What every command returns, so callers (and tests) see failures without reading the UI. */
export type CommandResult<T = undefined> = { ok: true; value: T } | { ok: false; error: string };

export interface RnnLabApi {
  runs(): RunSnapshot[];
  /** Resolves when the run reaches one of the given states, rejects after timeoutMs. */
  waitForState(runId: string, states: RunState[], timeoutMs: number): Promise<RunSnapshot>;
}
