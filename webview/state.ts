// The panel's model of one run: its description, its metrics (the shared MetricsStore, whose
// columns the charts and the heatmap read directly), its state, and the copy of it saved with
// vscode.setState (the shared persisted type, so the host's serializer reads the same thing).
import type { EpochBlock } from '../src/shared/epochBlock';
import { DEFAULT_BUDGET, MetricsStore } from '../src/shared/metricsStore';
import { PERSIST_VERSION, persistStore, type PersistedRun } from '../src/shared/persist';
import type { RunInfo, RunState } from '../src/shared/protocol';
import type { EpochProgress } from '../src/core/types';
import { isPlaybackSnapshot, type PlaybackSnapshot } from './playback';
import { t } from './l10n';
import { UNIT_SORTS, type UnitSort } from './activations';

export type GradKey = 'gradNorm' | 'lastLossGradNorm' | 'cellGradNorm' | 'lastLossCellGradNorm';

export const GRAD_KEYS: readonly { key: GradKey; label: string; short: string }[] = [
  { key: 'gradNorm', label: t('‖∂L/∂h_t‖ total loss'), short: '‖∂L/∂h_t‖' },
  { key: 'lastLossGradNorm', label: t('‖∂L_T/∂h_t‖ last loss: vanishing'), short: '‖∂L_T/∂h_t‖' },
  { key: 'cellGradNorm', label: t('‖∂L/∂c_t‖ LSTM cell, total'), short: '‖∂L/∂c_t‖' },
  { key: 'lastLossCellGradNorm', label: t('‖∂L_T/∂c_t‖ LSTM cell, last loss'), short: '‖∂L_T/∂c_t‖' },
];

export interface Prefs {
  lossLog: boolean;
  gradKey: GradKey;
  /** Ids of the folded sections. */
  collapsed: string[];
  /** "Show in Editor". */
  overlay: boolean;
  /** "Inside the network": the heatmap's tab (h, c, a gate) and how its units are sorted; absent in views saved before they were kept. */
  insideTab?: string;
  insideSort?: UnitSort;
}

export const DEFAULT_PREFS: Readonly<Prefs> = Object.freeze({ lossLog: false, gradKey: 'lastLossGradNorm', collapsed: [], overlay: true });

/** What the training panel saves besides the run: its prefs and its playback. */
export interface ViewState {
  prefs: Prefs;
  playback: PlaybackSnapshot;
}

export function isPrefs(v: unknown): v is Prefs {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Partial<Prefs>;
  return (
    typeof p.lossLog === 'boolean' &&
    GRAD_KEYS.some((k) => k.key === p.gradKey) &&
    Array.isArray(p.collapsed) &&
    p.collapsed.every((c) => typeof c === 'string') &&
    typeof p.overlay === 'boolean' &&
    (p.insideTab === undefined || (typeof p.insideTab === 'string' && /^[hcifgorzn]$/.test(p.insideTab))) &&
    (p.insideSort === undefined || UNIT_SORTS.some((s) => s.value === p.insideSort))
  );
}

export function isViewState(v: unknown): v is ViewState {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<ViewState>;
  return isPrefs(s.prefs) && isPlaybackSnapshot(s.playback);
}

export class RunModel {
  run: RunInfo | undefined;
  store: MetricsStore | undefined;
  state: RunState = 'starting';
  message: string | undefined;
  /** The epoch the last `state` message was about (e.g. where it diverged). */
  stateEpoch: number | undefined;
  restored = false;
  /** Epochs whose rows the host's budget dropped (the panel says so). */
  droppedRows = 0;
  /** A long epoch part-way through, as the host last reported it; shown until that epoch arrives. */
  progress: EpochProgress | undefined;
  prefs: Prefs = { ...DEFAULT_PREFS, collapsed: [] };

  reset(run: RunInfo, history: readonly EpochBlock[], state: RunState, message: string | undefined, restored: boolean, droppedRows: number): void {
    this.run = run;
    this.store = undefined;
    this.state = state;
    this.message = message;
    this.stateEpoch = undefined;
    this.progress = undefined;
    this.restored = restored;
    this.droppedRows = droppedRows;
    for (const b of history) this.append(b);
  }

  /** Adds the next epochs (the store is made from the first block: it carries the layout). */
  append(block: EpochBlock): void {
    if (block.count === 0) return;
    if (!this.store) {
      const printEvery = this.run?.printEvery ?? 1;
      this.store = MetricsStore.fromBlock(block, DEFAULT_BUDGET, (epoch) => epoch % printEvery === 0);
    } else this.store.append(block);
  }

  get length(): number {
    return this.store?.length ?? 0;
  }

  /** Index of the newest epoch, −1 while none arrived. */
  get latest(): number {
    return this.length - 1;
  }

  indexOf(epoch: number): number {
    return this.store ? this.store.indexOf(epoch) : -1;
  }

  hasCellRows(): boolean {
    return !!this.store?.hasRowKind('cellGradNorm');
  }

  /** The copy for setState: every epoch's scalars, rows of an even spread, the printed predictions. */
  snapshot(view: unknown): PersistedRun | undefined {
    if (!this.run) return undefined;
    return {
      version: PERSIST_VERSION,
      run: this.run,
      state: this.state,
      message: this.message,
      restored: this.restored,
      history: this.store ? persistStore(this.store, this.run.printEvery) : null,
      view,
    };
  }
}
