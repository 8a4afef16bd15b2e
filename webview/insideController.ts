// Drives the "Inside the network" views of the training panel: asks the worker for the
// playhead's inspection once the playhead rests (a held arrow key walks many epochs; only the one
// it stops on is computed), for the picked step's connectivity, and for a gradient check; drops
// replies that arrive for an epoch or a run no longer shown.
import type { ConnectivityReply, InspectReply } from '../src/shared/inside';
import type { RunInfo } from '../src/shared/protocol';
import { RequestSuperseded } from '../src/shared/rpc';
import { splitText } from '../src/core/validation';
import type { HostConnection } from './host';
import { InsideView, type InsidePrefs } from './inside';
import { t } from './l10n';
import { TargetStrip, type StripHost } from './targetStrip';
import { GradCheckView } from './gradcheckView';
import type { Theme } from './theme';

const INSPECT_DEBOUNCE_MS = 150;
/** The report of "no unit picked". */
const NONE = 'none';

export class InsideController {
  readonly view: InsideView;
  readonly strip: TargetStrip;
  readonly gradCheck: GradCheckView;
  private epoch: number | null = null;
  private runId: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inspected: InspectReply | null = null;
  /**
   * Window mode: K and the positions of the training part, and a position of the inspected window.
   * The window follows the editor's cursor (a learner looks at the text where the cursor is) and
   * the chooser's ◀ ▶; null outside window mode, where the whole training part is inspected.
   */
  private windows: { k: number; positions: number } | null = null;
  private position = 0;
  private readonly windowLabel: HTMLElement;
  private readonly prevWindow: HTMLButtonElement;
  private readonly nextWindow: HTMLButtonElement;
  /** A pick from the host that arrived before the first run. */
  private early: { unit: number | null; array?: string } | null = null;
  /** The unit report last sent to the host (sent again only when it changes). */
  private reported = NONE;

  constructor(
    private readonly host: HostConnection,
    theme: Theme,
    prediction: StripHost,
    private readonly epochsDone: () => number | null,
    prefs: InsidePrefs = {},
    /** The tab or the sort changed: the panel saves its view. */
    private readonly prefsChanged: () => void = () => undefined,
  ) {
    this.view = new InsideView(theme, prefs, () => this.viewChanged());
    this.strip = new TargetStrip(theme, prediction, (t) => this.askConnectivity(t));
    this.gradCheck = new GradCheckView(() => this.askGradCheck());
    const button = (id: string, text: string, title: string, step: number): HTMLButtonElement => {
      const b = document.createElement('button');
      b.type = 'button';
      b.id = id;
      b.className = 'secondary';
      b.textContent = text;
      b.title = title;
      b.setAttribute('aria-label', title);
      b.addEventListener('click', () => this.moveWindow(step));
      return b;
    };
    this.prevWindow = button('btn-inside-prev-window', '◀', t('Inspect the window before'), -1);
    this.nextWindow = button('btn-inside-next-window', '▶', t('Inspect the window after'), 1);
    this.windowLabel = document.createElement('span');
    this.windowLabel.className = 'caption';
    this.windowLabel.id = 'inside-window-label';
    this.windowLabel.setAttribute('aria-live', 'polite');
    this.view.windowBar.append(this.prevWindow, this.windowLabel, this.nextWindow);
  }

  /** A new run (or the same run's history again). */
  reset(run: RunInfo): void {
    const runId = run.runId;
    if (runId !== this.runId) {
      this.view.clear();
      this.strip.clear();
      this.position = 0;
      this.inspected = null;
    }
    this.runId = runId;
    this.epoch = null;
    clearTimeout(this.timer);
    const mode = run.config.mode;
    let positions = run.textLength - 1;
    try {
      positions = splitText(run.textLength, run.config.validationSplit ?? 0).trainChars - 1;
    } catch {
      // A split the host would have refused: the whole text.
    }
    this.windows = mode.kind === 'window' && positions > mode.k ? { k: mode.k, positions } : null;
    if (this.position >= positions) this.position = 0;
    this.view.windowBar.hidden = this.windows === null;
    this.labelWindow();
    const early = this.early;
    this.early = null;
    if (early) this.pickFromHost(early.unit, early.array);
    this.report();
  }

  /** The window (0-based) holding the inspected position, in window mode. */
  get window(): number | null {
    return this.windows ? Math.floor(this.position / this.windows.k) : null;
  }

  /**
   * The editor's cursor is at `position` of the trained text: in window mode the window holding
   * it is inspected (at the playhead's epoch), so the heatmap shows the text being looked at.
   */
  setPosition(position: number): void {
    const w = this.windows;
    if (!w || !Number.isInteger(position) || position < 0 || position >= w.positions) return;
    const before = this.window;
    this.position = position;
    if (this.window !== before) this.reinspect();
  }

  private moveWindow(step: number): void {
    const w = this.windows;
    const now = this.window;
    if (!w || now === null) return;
    const last = Math.ceil(w.positions / w.k) - 1;
    const next = Math.max(0, Math.min(last, now + step));
    if (next === now) return;
    this.position = next * w.k;
    this.reinspect();
  }

  private labelWindow(): void {
    const w = this.windows;
    const now = this.window;
    if (!w || now === null) return;
    const count = Math.ceil(w.positions / w.k);
    const from = now * w.k;
    const to = Math.min(w.positions, from + w.k) - 1;
    this.windowLabel.textContent = t('window {0} of {1} (characters {2}–{3}; follows the editor cursor)', now + 1, count, from, to);
    this.prevWindow.disabled = now === 0;
    this.nextWindow.disabled = now === count - 1;
  }

  /** The same epoch, another window. */
  private reinspect(): void {
    this.labelWindow();
    const epoch = this.epoch;
    this.epoch = null;
    if (epoch !== null) this.follow(epoch);
    this.report();
  }

  /** Where the inspection is asked for: the window's position in window mode, nothing else (the whole part). */
  private where(): { position?: number } {
    return this.windows ? { position: this.position } : {};
  }

  private viewChanged(): void {
    this.prefsChanged();
    this.report();
  }

  /**
   * Tells the host the picked unit (the editor overlay colours the text by it), when it changed.
   * "No unit" is one report whatever the tab or window, and the host starts from it, so a panel
   * that never picks one sends nothing.
   */
  private report(): void {
    const unit = this.view.selectedUnit;
    const msg = { type: 'insideUnit' as const, unit, array: this.view.currentTab, position: this.windows ? this.position : 0 };
    const key = unit === null ? NONE : JSON.stringify(msg);
    if (key === this.reported) return;
    this.reported = key;
    this.host.post(msg);
  }


  /** The host's toggle command picked (or unpicked) a unit. */
  pickFromHost(unit: number | null, array?: string): void {
    if (this.runId === undefined) {
      // Before the panel's first run arrives (a panel still loading): picked once it is there.
      this.early = { unit, ...(array === undefined ? {} : { array }) };
      return;
    }
    if (array !== undefined) this.view.pickTab(array);
    this.view.pickUnit(unit);
  }

  /** The playhead is on `epoch`; its inspection is asked for once it stays there a moment. */
  follow(epoch: number): void {
    if (epoch === this.epoch) return;
    this.epoch = epoch;
    clearTimeout(this.timer);
    const runId = this.runId;
    const where = this.where();
    // No DOM work while the playhead moves every frame: the caption changes when the request goes out.
    this.timer = setTimeout(() => {
      this.view.pending(epoch);
      this.host.request('inspect', { epoch, ...where }).then(
        (r) => {
          if (runId !== this.runId || r.epoch !== this.epoch || (where.position !== undefined && Math.floor(where.position / this.windows!.k) !== this.window)) return;
          this.inspected = r;
          this.view.show(r);
          this.strip.show(r);
          const t = this.strip.pickedStep;
          if (t !== null) this.askConnectivity(t);
        },
        (e: Error) => {
          if (!(e instanceof RequestSuperseded) && epoch === this.epoch && runId === this.runId) this.view.failed(epoch, e.message);
        },
      );
    }, INSPECT_DEBOUNCE_MS);
  }

  applyTheme(theme: Theme): void {
    this.view.applyTheme(theme);
    this.strip.applyTheme(theme);
  }

  private askConnectivity(t: number): void {
    const x = this.inspected;
    if (!x) return;
    const { epoch } = x;
    const runId = this.runId;
    this.strip.connectivityPending(t, epoch);
    this.host.request('connectivity', { epoch, t, ...(this.windows ? { position: x.start } : {}) }).then(
      (c: ConnectivityReply) => {
        if (runId === this.runId && this.inspected?.epoch === c.epoch) this.strip.showConnectivity(c);
      },
      (e: Error) => {
        if (!(e instanceof RequestSuperseded) && runId === this.runId) this.strip.connectivityFailed(e.message);
      },
    );
  }

  private askGradCheck(): void {
    const runId = this.runId;
    const done = this.epochsDone();
    this.gradCheck.pending();
    this.host.request('gradCheck', {}).then(
      (r) => {
        if (runId === this.runId) this.gradCheck.show(r, done);
      },
      (e: Error) => this.gradCheck.failed(e.message),
    );
  }
}
