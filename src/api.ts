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
}

/** What every command returns, so callers (and tests) see failures without reading the UI. */
export type CommandResult<T = undefined> = { ok: true; value: T } | { ok: false; error: string };

export interface RnnLabApi {
  runs(): RunSnapshot[];
  /** Resolves when the run reaches one of the given states, rejects after timeoutMs. */
  waitForState(runId: string, states: RunState[], timeoutMs: number): Promise<RunSnapshot>;
}
