// The worker's side of the "Inside the network" requests. Inspections follow the panel's
// playhead, so a request still waiting when a newer one of its kind arrives is answered as
// superseded without being computed: requests wait one turn of the event loop (setImmediate),
// during which the port delivers whatever else is queued.
import type { Trainer } from '../core';
import type { ReplyMessage } from '../shared/rpc';
import { answer } from '../shared/rpc';
import { LATEST_ONLY_INSIDE, inspectReply, replyBuffers, type InsideRequests } from '../shared/inside';
import type { RequestMessage } from '../shared/rpc';
import { t, tKey } from '../core/l10n';

export type InsideRequest = RequestMessage<InsideRequests>;

const INSIDE_KINDS: ReadonlySet<string> = new Set<keyof InsideRequests>(['inspect', 'connectivity', 'gradCheck', 'unit']);

export function isInsideRequest(msg: { kind: string }): msg is InsideRequest {
  return INSIDE_KINDS.has(msg.kind);
}

/** Marked for the bundle; posted through t() so the panel shows it in the display language. */
export const SUPERSEDED = tKey('superseded by a newer request');

export class InsideResponder {
  /** The request of each latest-only kind that waits for its turn. */
  private readonly waiting = new Map<string, InsideRequest>();

  constructor(
    private readonly trainer: () => Trainer | undefined,
    private readonly post: (reply: ReplyMessage, transfer: ArrayBuffer[]) => void,
  ) {}

  handle(msg: InsideRequest): void {
    if (!(LATEST_ONLY_INSIDE as readonly string[]).includes(msg.kind)) {
      void this.run(msg);
      return;
    }
    const older = this.waiting.get(msg.kind);
    if (older) this.post({ type: 'reply', id: older.id, ok: false, error: t(SUPERSEDED) }, []);
    this.waiting.set(msg.kind, msg);
    setImmediate(() => {
      if (this.waiting.get(msg.kind) !== msg) return;
      this.waiting.delete(msg.kind);
      void this.run(msg);
    });
  }

  private run(msg: InsideRequest): Promise<void> {
    return answer(
      msg.id,
      () => {
        const trainer = this.trainer();
        if (!trainer) throw new Error(t('No run has started in this worker.'));
        switch (msg.kind) {
          case 'inspect':
            return inspectReply(trainer.inspect(msg.params.epoch, { position: msg.params.position }));
          case 'connectivity': {
            const { epoch, t, position } = msg.params;
            const row = trainer.connectivity(epoch, t, position);
            const mode = trainer.config.mode;
            const start = mode.kind === 'window' ? Math.floor((position ?? 0) / mode.k) * mode.k : 0;
            return { epoch, t: row.t, start, values: row.values };
          }
          case 'gradCheck':
            return trainer.gradCheck();
          case 'unit': {
            const { epoch, array, unit, position } = msg.params;
            return { epoch, array, unit, ...trainer.unitValues(epoch, array, unit, position) };
          }
        }
      },
      (reply) => this.post(reply, reply.ok ? replyBuffers(reply.value) : []),
    );
  }
}
