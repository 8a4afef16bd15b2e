// One training panel's editor overlay: which document and spans its text came from, whether it
// is on, whether it can still be shown (an edit inside the trained text ends it for good), the
// panel's playhead, and the paint and hover of that epoch. The manager (overlayManager.ts) owns
// the decoration types and the editor events and asks each overlay what to draw.
import type { OverlaySnapshot } from '../api';
import type { LogScale } from '../shared/protocol';
import type { TrainingRun } from '../host/run';
import type { TextMap, DocumentEdit } from '../host/textMap';
import { paint, rowScale, stepOf, type Paint, type StepLayout } from '../host/overlayPaint';
import { guessesAt, hoverMarkdown } from '../host/overlayHover';
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
}

// Functions, not constants: the display language's translator is installed at activation.
export const editedReason = (): string => t('The document was edited inside the trained text, so the editor colours are off (they would mark the wrong characters). Train again to see them.');
export const changedReason = (): string => t('The editor no longer holds the text this run trained on, so the editor colours are off. Train again to see them.');
export const noEditorReason = (): string => t('This run’s text did not come from an editor, so there is nothing to colour there.');
export const restoredReason = (): string => t('Restored after a reload: the link to the editor text is not kept. Train again to see the colours in the editor.');

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
  /** Last paint's figures, kept for the snapshot. */
  last: { epoch: number | null; editors: number; decorated: number; underlined: number; sample: OverlaySnapshot['sample'] } = { epoch: null, editors: 0, decorated: 0, underlined: 0, sample: [] };

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

  /** The panel's playhead moved (or its colour scale changed). */
  setPlayhead(epoch: number, scale: LogScale | null): void {
    this.playhead = { epoch, scale };
    this.host.repaint();
  }

  /** New epochs arrived: they matter only while the overlay shows the newest (no playhead yet) or waits for the playhead's. */
  runAdvanced(): void {
    if (!this.showing) return;
    if (this.playhead === null || this.last.epoch !== this.playhead.epoch) this.host.repaint();
  }

  /** A restart: new run, new epochs; the text (and so the map) stays. */
  runChanged(): void {
    this.playhead = null;
    this.guesses.clear();
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
    return { on: this._on, available: this.available, ...(this._reason === undefined ? {} : { reason: this._reason }), ...this.last, sample: [...this.last.sample] };
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
  paintFor(visible: readonly { start: number; end: number }[]): (Paint & { epoch: number }) | null {
    const run = this.host.run();
    if (!run || !this.showing || !this._map) return null;
    const shown = this.shown(run);
    if (!shown) return null;
    const store = run.store!;
    const row = store.row('lastLossGradNorm', shown.index);
    if (!row) return null;
    const scale = shown.scale ?? rowScale(row);
    if (!scale) return null;
    const predicted = store.predicted(shown.index);
    return { ...paint({ map: this._map, text: run.text, layout: this.layout(run), row, scale, predicted, visible }), epoch: shown.epoch };
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
    const markdown = hoverMarkdown({ epoch: shown.epoch, step, position, input, target, gradNorm: value('gradNorm'), lastLossGradNorm: value('lastLossGradNorm'), predictedHere, guesses });
    return { markdown, ...range };
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
