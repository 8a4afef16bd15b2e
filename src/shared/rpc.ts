// Requests with replies paired by id, for both edges that ask questions: webview → host and
// host → worker. A request map names each kind's parameters and result, so both ends are typed
// by one declaration; every request ends — with its reply, the other end's error, a timeout,
// or the channel's disposal.
import { t } from '../core/l10n';

/** A map from request kind to its parameters and result (an interface, checked against itself). */
export type RequestMap<M> = { [K in keyof M]: { params: unknown; result: unknown } };

export type RequestMessage<M extends RequestMap<M>> = { [K in keyof M & string]: { type: 'request'; id: number; kind: K; params: M[K]['params'] } }[keyof M & string];

export type ReplyMessage = { type: 'reply'; id: number; ok: true; value: unknown } | { type: 'reply'; id: number; ok: false; error: string };

export class RequestTimeout extends Error {}
/** A newer request of the same kind replaced this one before it was answered. */
export class RequestSuperseded extends Error {}

interface Pending {
  kind: string;
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export interface RequesterOptions {
  timeoutMs?: number;
  /** Kinds where only the newest request matters (a scrubbed epoch's inspection): older ones are dropped. */
  latestOnly?: readonly string[];
  /** What the other end is, for messages ("the training worker", "the host"). */
  peer?: string;
}

export class Requester<M extends RequestMap<M>> {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed: Error | undefined;
  private readonly timeoutMs: number;
  private readonly latestOnly: ReadonlySet<string>;
  private readonly peer: string;

  constructor(
    private readonly send: (msg: RequestMessage<M>) => void,
    options: RequesterOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.latestOnly = new Set(options.latestOnly ?? []);
    this.peer = options.peer ?? t('the other side');
  }

  request<K extends keyof M & string>(kind: K, params: M[K]['params'], timeoutMs = this.timeoutMs): Promise<M[K]['result']> {
    if (this.closed) return Promise.reject(this.closed);
    if (this.latestOnly.has(kind)) {
      for (const [id, p] of this.pending) {
        if (p.kind === kind) this.settle(id, undefined, new RequestSuperseded(t('a newer {0} request replaced this one', kind)));
      }
    }
    const id = this.nextId++;
    return new Promise<M[K]['result']>((resolve, reject) => {
      const timer = setTimeout(() => this.settle(id, undefined, new RequestTimeout(t('{0} did not answer the {1} request within {2} s', this.peer, kind, timeoutMs / 1000))), timeoutMs);
      this.pending.set(id, { kind, resolve: resolve as (v: unknown) => void, reject, timer });
      try {
        this.send({ type: 'request', id, kind, params } as RequestMessage<M>);
      } catch (err) {
        this.settle(id, undefined, err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  /** Hands a reply to its request; false when nothing waits for it (late, or not ours). */
  receive(msg: ReplyMessage): boolean {
    if (!this.pending.has(msg.id)) return false;
    if (msg.ok) this.settle(msg.id, msg.value);
    else this.settle(msg.id, undefined, new Error(msg.error));
    return true;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Rejects everything pending and every later request with `reason`. */
  close(reason: Error): void {
    this.closed = reason;
    for (const id of [...this.pending.keys()]) this.settle(id, undefined, reason);
  }

  private settle(id: number, value: unknown, err?: Error): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (err) p.reject(err);
    else p.resolve(value);
  }
}

/** Runs a handler for a request and sends its reply or its error, never throwing. */
export async function answer(id: number, run: () => unknown, reply: (msg: ReplyMessage) => void): Promise<void> {
  try {
    const value = await run();
    reply({ type: 'reply', id, ok: true, value });
  } catch (err) {
    reply({ type: 'reply', id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
}

export function isReply(v: unknown): v is ReplyMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  return m.type === 'reply' && typeof m.id === 'number' && typeof m.ok === 'boolean' && (m.ok === true || typeof m.error === 'string');
}
