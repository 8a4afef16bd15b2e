// Drives the "Inside the network" views of the training panel: asks the worker for the
// playhead's inspection once the playhead rests (a held arrow key walks many epochs; only the one
// it stops on is computed), for the picked step's connectivity, and for a gradient check; drops
// replies that arrive for an epoch or a run no longer shown.
import type { ConnectivityReply, InspectReply } from '../src/shared/inside';
import { RequestSuperseded } from '../src/shared/rpc';
import type { HostConnection } from './host';
import { InsideView } from './inside';
import { TargetStrip, type StripHost } from './targetStrip';
import { GradCheckView } from './gradcheckView';
import type { Theme } from './theme';

const INSPECT_DEBOUNCE_MS = 150;

export class InsideController {
  readonly view: InsideView;
  readonly strip: TargetStrip;
  readonly gradCheck: GradCheckView;
  private epoch: number | null = null;
  private runId: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inspected: InspectReply | null = null;

  constructor(
    private readonly host: HostConnection,
    theme: Theme,
    prediction: StripHost,
    private readonly epochsDone: () => number | null,
  ) {
    this.view = new InsideView(theme);
    this.strip = new TargetStrip(theme, prediction, (t) => this.askConnectivity(t));
    this.gradCheck = new GradCheckView(() => this.askGradCheck());
  }

  /** A new run (or the same run's history again). */
  reset(runId: string): void {
    if (runId !== this.runId) {
      this.view.clear();
      this.strip.clear();
    }
    this.runId = runId;
    this.epoch = null;
    clearTimeout(this.timer);
  }

  /** The playhead is on `epoch`; its inspection is asked for once it stays there a moment. */
  follow(epoch: number): void {
    if (epoch === this.epoch) return;
    this.epoch = epoch;
    clearTimeout(this.timer);
    const runId = this.runId;
    // No DOM work while the playhead moves every frame: the caption changes when the request goes out.
    this.timer = setTimeout(() => {
      this.view.pending(epoch);
      this.host.request('inspect', { epoch }).then(
        (r) => {
          if (runId !== this.runId || r.epoch !== this.epoch) return;
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
    this.host.request('connectivity', { epoch, t }).then(
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
