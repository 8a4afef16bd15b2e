// One training panel's editor overlay: which document and spans its text came from, whether it
// is on, whether it can still be shown (an edit inside the trained text ends it for good), the
// panel's playhead, and the paint and hover of that epoch. The manager (overlayManager.ts) owns
// the decoration types and the editor events and asks each overlay what to draw.
import type { OverlaySnapshot } from '../api';
import type { LogScale } from '../shared/protocol';
import type { TrainingRun } from '../host/run';
import type { TextMap, DocumentEdit } from '../host/textMap';
import { paint, rowScale, stepOf, type Paint, type Palette, type StepLayout } from '../host/overlayPaint';
import { arrayScale, type UnitReply } from '../shared/inside';
import { RequestSuperseded } from '../shared/rpc';
import { guessesAt, hoverMarkdown, type HoverFacts } from '../host/overlayHover';
import type { GuessesReply } from '../shared/protocol';
import { splitText } from '../core/validation';
import { codePointLength, sliceCodePoints } from '../shared/codePoints';
import { t } from '../core/l10n';

/** Where a run's text came from in an editor, decided by the command that trained it. */
export interface OverlayTarget {
  uri: string;
  map: TextMap;
}

export type { OverlaySnapshot } from '../api';

export interface OverlayHost {
  /** The panel's current run (a restart replaces it). */
  run(): TrainingRun | undefined;
  /** Tells the panel the overlay's state (it shows the toggle and the note). */
  postState(state: { on: boolean; available: boolean; reason?: string }): void;
  /** Something the overlay shows changed: repaint (throttled by the manager). */
  repaint(): void;
  /** The editor's cursor entered another window of the trained text (window mode): the panel inspects that window. */
  postPosition?(position: number): void;
}

// Functions, not constants: the display language's translator is installed at activation.
export const editedReason = (): string => t('The document was edited inside the trained text, so the editor colours are off (they would mark the wrong characters). Train again to see them.');
export const changedReason = (): string => t('The editor no longer holds the text this run trained on, so the editor colours are off. Train again to see them.');
export const noEditorReason = (): string => t('This run’s text did not come from an editor, so there is nothing to colour there.');
export const restoredReason = (): string => t('Restored after a reload: the link to the editor text is not kept. Train again to see the colours in the editor.');

/** A unit picked in the panel's "Inside the network": its array ('h', 'c', a gate), and a position of the inspected window. */
export interface UnitPick {
  unit: number;
  array: string;
  position: number;
}

/** Inspections kept for hovering (each is one epoch's or window's top guesses). */
const GUESS_CACHE = 8;
const TOP = 3;

export class EditorOverlay {
  private _on = true;
  private _reason: string | undefined;
  private _map: TextMap | null;
  readonly uri: string | null;
  private playhead: { epoch: number; scale: LogScale | null } | null = null;
  private readonly guesses = new Map<string, Promise<GuessesReply>>();
  private hoverSeq = 0;
  /** The document version the map was last checked against (see the manager). */
  verified: { doc: object; version: number } | null = null;
  /** The panel's picked unit: the text is coloured by its activation instead of the gradients. */
  private pick: UnitPick | null = null;
  /** The picked unit's values at the newest epoch the worker answered for (kept while the next is computed, so moving the playhead does not flash). */
  private unitData: { runId: string; reply: UnitReply } | null = null;
  private unitError: string | null = null;
  /** The unit request in flight (its run, epoch and pick), so the same question is not asked twice. */
  private unitAsked: string | null = null;
  /** Last paint's figures, kept for the snapshot. */
  last: { epoch: number | null; editors: number; decorated: number; underlined: number; sample: OverlaySnapshot['sample']; palette: Palette; start: number | null; steps: number | null } = { epoch: null, editors: 0, decorated: 0, underlined: 0, sample: [], palette: 'gradient', start: null, steps: null };

  constructor(
    private readonly host: OverlayHost,
    target: OverlayTarget | undefined,
    unavailable?: string,
  ) {
    this.uri = target?.uri ?? null;
    this._map = target?.map ?? null;
    this._reason = target ? unavailable : (unavailable ?? noEditorReason());
  }

  get on(): boolean {
    return this._on;
  }

  get available(): boolean {
    return this._map !== null && this._reason === undefined;
  }

  /** On and able to draw. */
  get showing(): boolean {
    return this._on && this.available;
  }

  get map(): TextMap | null {
    return this._map;
  }

  get runId(): string | undefined {
    return this.host.run()?.runId;
  }

  setOn(on: boolean): void {
    if (on === this._on) return;
    this._on = on;
    this.announce();
    this.host.repaint();
  }

  /** The window the cursor was last reported in (window mode), so the panel hears only of a change. */
  private cursorWindow: number | null = null;

  /**
   * The editor's cursor is at document offset `offset`: in window mode, when it enters another
   * window of the trained text, the panel is told to inspect that window (a learner looks where
   * the cursor is). Full and truncate mode inspect the whole training part: nothing to follow.
   */
  cursorAt(offset: number): void {
    const run = this.host.run();
    const map = this._map;
    if (!run || !map || !this.available) return;
    const layout = this.layout(run);
    if (layout.window === null) return;
    const position = map.indexAt(offset);
    if (position < 0 || position >= layout.positions) return;
    const window = Math.floor(position / layout.window);
    if (window === this.cursorWindow) return;
    this.cursorWindow = window;
    this.host.postPosition?.(position);
  }

  /** The panel's playhead moved (or its colour scale changed). */
  setPlayhead(epoch: number, scale: LogScale | null): void {
    this.playhead = { epoch, scale };
    this.askUnit();
    this.host.repaint();
  }

  /** The unit picked in the panel (null: back to the gradient colours). */
  setUnit(pick: UnitPick | null): void {
    const same = pick === null ? this.pick === null : this.pick !== null && pick.unit === this.pick.unit && pick.array === this.pick.array && pick.position === this.pick.position;
    if (same) return;
    if (pick === null || this.pick === null || pick.unit !== this.pick.unit || pick.array !== this.pick.array) this.unitData = null;
    this.pick = pick;
    this.unitError = null;
    this.askUnit();
    this.host.repaint();
  }

  get pickedUnit(): UnitPick | null {
    return this.pick;
  }

  /** The picked unit's values (the worker computes them) at the shown epoch, unless already there or asked for. */
  private askUnit(): void {
    const run = this.host.run();
    const pick = this.pick;
    if (!run || !pick || !this.showing) return;
    const shown = this.shown(run);
    if (!shown) return;
    const have = this.unitData;
    if (have && have.runId === run.runId && have.reply.epoch === shown.epoch && this.covers(have.reply, pick)) return;
    const key = `${run.runId}:${shown.epoch}:${pick.unit}:${pick.array}:${pick.position}`;
    if (this.unitAsked === key) return;
    this.unitAsked = key;
    run.askInside('unit', { epoch: shown.epoch, array: pick.array, unit: pick.unit, position: pick.position }).then(
      (reply) => {
        if (this.unitAsked === key) this.unitAsked = null;
        // Drop what no longer answers the question: another run, unit or array.
        if (this.host.run() !== run || this.pick?.unit !== reply.unit || this.pick.array !== reply.array) return;
        this.unitData = { runId: run.runId, reply };
        this.unitError = null;
        this.host.repaint();
      },
      (err: unknown) => {
        if (this.unitAsked === key) this.unitAsked = null;
        if (err instanceof RequestSuperseded || this.host.run() !== run) return;
        this.unitError = err instanceof Error ? err.message : String(err);
        this.host.repaint();
      },
    );
  }

  /** The reply's steps hold the pick's position (window mode), and its unit and array. */
  private covers(reply: UnitReply, pick: UnitPick): boolean {
    return reply.unit === pick.unit && reply.array === pick.array && pick.position >= reply.start && pick.position < reply.start + reply.steps;
  }

  /** New epochs arrived: they matter only while the overlay shows the newest (no playhead yet) or waits for the playhead's. */
  runAdvanced(): void {
    if (!this.showing) return;
    if (this.playhead === null || this.last.epoch !== this.playhead.epoch) {
      this.askUnit();
      this.host.repaint();
    }
  }

  /** A restart: new run, new epochs; the text (and so the map) stays. */
  runChanged(): void {
    this.cursorWindow = null;
    this.playhead = null;
    this.guesses.clear();
    this.unitData = null;
    this.unitAsked = null;
    this.unitError = null;
    this.askUnit();
    this.host.repaint();
  }

  /** The overlay can never be shown again for this panel. */
  disable(reason: string): void {
    if (this._reason !== undefined) return;
    this._reason = reason;
    this._map = null;
    this.announce();
    this.host.repaint();
  }

  /**
   * True when `doc` (at `version`) holds the trained text where the map says: checked once per
   * document and version not seen through its change events (reopened, changed on disk), so the
   * colours never land on other characters. A mismatch turns the overlay off for good.
   */
  verify(doc: object, version: number, text: () => string): boolean {
    const v = this.verified;
    if (v && v.doc === doc && v.version === version) return true;
    const run = this.host.run();
    if (!run || !this._map) return false;
    if (!this._map.matches(text(), run.text)) {
      this.disable(changedReason());
      return false;
    }
    this.verified = { doc, version };
    return true;
  }

  /** A change event of the overlay's document (offsets before the change). */
  documentEdited(edits: readonly DocumentEdit[], doc: object, version: number): void {
    if (!this._map) return;
    const moved = this._map.afterEdits(edits);
    if (!moved) {
      this.disable(editedReason());
      return;
    }
    this._map = moved;
    if (this.verified?.doc === doc) this.verified = { doc, version };
    this.host.repaint();
  }

  /** Sends the state to the panel (on its every load, and on every change). */
  announce(): void {
    this.host.postState({ on: this._on, available: this.available, ...(this._reason === undefined ? {} : { reason: this._reason }) });
  }

  snapshot(): OverlaySnapshot {
    const { start, steps, ...last } = this.last;
    const pick = this.pick;
    return {
      on: this._on,
      available: this.available,
      ...(this._reason === undefined ? {} : { reason: this._reason }),
      ...last,
      sample: [...last.sample],
      unit: pick ? { ...pick, epoch: this.last.palette === 'gradient' ? null : this.last.epoch, start, steps } : null,
    };
  }

  /** The epoch to show: the playhead's, or the newest before the panel has said. */
  private shown(run: TrainingRun): { index: number; epoch: number; scale: LogScale | null } | null {
    const store = run.store;
    if (!store || store.length === 0) return null;
    const wanted = this.playhead ? store.indexOf(this.playhead.epoch) : store.length - 1;
    if (wanted < 0) return null;
    return { index: wanted, epoch: store.epochAt(wanted), scale: this.playhead?.scale ?? null };
  }

  private layout(run: TrainingRun): StepLayout {
    const n = codePointLength(run.text);
    const train = splitText(n, run.config.validationSplit ?? 0).trainChars;
    return { positions: train - 1, window: run.config.mode.kind === 'window' ? run.config.mode.k : null };
  }

  /** What to draw in an editor whose visible document offsets are `visible`; null when nothing. */
  paintFor(visible: readonly { start: number; end: number }[]): (Paint & { epoch: number; palette: Palette; start: number | null; steps: number | null }) | null {
    const run = this.host.run();
    if (!run || !this.showing || !this._map) return null;
    const shown = this.shown(run);
    if (!shown) return null;
    const store = run.store!;
    const predicted = store.predicted(shown.index);
    const pick = this.pick;
    if (pick) {
      // The unit's colours, from the newest epoch answered (the playhead's once the worker has it).
      this.askUnit();
      const data = this.unitData?.runId === run.runId ? this.unitData.reply : null;
      const palette = arrayScale(pick.array);
      const values = data ?? { start: 0, values: new Float64Array(0), epoch: shown.epoch, steps: 0 };
      const p = paint({ map: this._map, text: run.text, layout: this.layout(run), row: [], scale: { lo: 0, hi: 1 }, predicted, visible, unit: { start: values.start, values: values.values, scale: palette } });
      return { ...p, epoch: values.epoch, palette, start: data ? data.start : null, steps: data ? data.steps : null };
    }
    const row = store.row('lastLossGradNorm', shown.index);
    if (!row) return null;
    const scale = shown.scale ?? rowScale(row);
    if (!scale) return null;
    return { ...paint({ map: this._map, text: run.text, layout: this.layout(run), row, scale, predicted, visible }), epoch: shown.epoch, palette: 'gradient', start: null, steps: null };
  }

  /**
   * The hover of the character at document offset `offset`: null when it is not coloured. The
   * newest hover supersedes older ones still waiting for the worker (`cancelled` also ends one).
   */
  async hover(offset: number, cancelled: () => boolean): Promise<{ markdown: string; start: number; end: number } | null> {
    const run = this.host.run();
    const map = this._map;
    if (!run || !this.showing || !map) return null;
    const position = map.indexAt(offset);
    const layout = this.layout(run);
    const step = stepOf(position, layout);
    const shown = this.shown(run);
    if (step < 0 || !shown) return null;
    const range = map.docRange(position)!;
    const store = run.store!;
    const value = (key: 'gradNorm' | 'lastLossGradNorm'): number | null => {
      const row = store.row(key, shown.index);
      return row ? row[step] : null;
    };
    const [input, target] = Array.from(sliceCodePoints(run.text, position, 2));
    const predicted = store.predicted(shown.index);
    const predictedHere = predicted !== null && position >= 1 ? (Array.from(sliceCodePoints(predicted, position, 1))[0] ?? null) : null;
    const seq = ++this.hoverSeq;
    let guesses: { char: string; p: number }[] | string | null;
    try {
      const reply = await this.guessesFor(run, shown.epoch, position, layout);
      guesses = guessesAt(reply, position) ?? t('not in the inspected window');
    } catch (err) {
      guesses = t('unavailable ({0})', err instanceof Error ? err.message : String(err));
    }
    if (seq !== this.hoverSeq || cancelled()) return null;
    const markdown = hoverMarkdown({ epoch: shown.epoch, step, position, input, target, gradNorm: value('gradNorm'), lastLossGradNorm: value('lastLossGradNorm'), predictedHere, guesses, unit: this.unitHover(run, position) });
    return { markdown, ...range };
  }

  /** The picked unit's value at `position`, for the hover (undefined when no unit is picked). */
  private unitHover(run: TrainingRun, position: number): HoverFacts['unit'] {
    const pick = this.pick;
    if (!pick) return undefined;
    const data = this.unitData?.runId === run.runId ? this.unitData.reply : null;
    if (!data) return { unit: pick.unit, array: pick.array, note: this.unitError === null ? t('computing…') : t('unavailable ({0})', this.unitError) };
    const step = position - data.start;
    if (step < 0 || step >= data.steps) return { unit: pick.unit, array: pick.array, note: t('not in the inspected window (characters {0}–{1}); move the cursor there to inspect it', data.start, data.start + data.steps - 1) };
    return { unit: pick.unit, array: pick.array, epoch: data.epoch, step, value: data.values[step] };
  }

  private guessesFor(run: TrainingRun, epoch: number, position: number, layout: StepLayout): Promise<GuessesReply> {
    const window = layout.window === null ? 0 : Math.floor(position / layout.window);
    const key = `${run.runId}:${epoch}:${window}`;
    let p = this.guesses.get(key);
    if (!p) {
      p = run.requestGuesses(epoch, position, TOP);
      // A failure is not kept: the next hover asks again.
      p.catch(() => this.guesses.delete(key));
      this.guesses.set(key, p);
      while (this.guesses.size > GUESS_CACHE) this.guesses.delete(this.guesses.keys().next().value!);
    }
    return p;
  }
}
