// The typed edge to the extension host: everything the panel sends goes through `post` (which
// accepts only WebviewToHost messages) or `request` (answered by id, see src/shared/rpc.ts).
import type { HostToWebview, PanelRequests, WebviewToHost } from '../src/shared/protocol';
import { Requester, isReply, type ReplyMessage } from '../src/shared/rpc';
import { LATEST_ONLY_COMPARE, LATEST_ONLY_INSIDE } from '../src/shared/inside';
import { t } from './l10n';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostConnection {
  post(message: Exclude<WebviewToHost, { type: 'request' } | { type: 'reply' }>): void;
  /** Answers a request of the host (a figure for rnnLab.exportFigure). */
  reply(message: ReplyMessage): void;
  request<K extends keyof PanelRequests & string>(kind: K, params: PanelRequests[K]['params']): Promise<PanelRequests[K]['result']>;
  getState(): unknown;
  setState(state: unknown): void;
  /** Hands a reply to its request; false when the message is not a reply. */
  receive(message: unknown): boolean;
}

/** acquireVsCodeApi may be called only once per page, so this is the single place that does. */
export function connectHost(): HostConnection {
  const api: VsCodeApi =
    typeof acquireVsCodeApi === 'function'
      ? acquireVsCodeApi()
      : { postMessage: () => undefined, getState: () => undefined, setState: () => undefined };
  // A newer matrix, prediction or inspection request makes an older one pointless (the user moved on).
  const requests = new Requester<PanelRequests>((m) => api.postMessage(m), { peer: t('the extension host'), latestOnly: ['matrix', 'prediction', ...LATEST_ONLY_INSIDE, ...LATEST_ONLY_COMPARE] });
  return {
    post: (m) => api.postMessage(m),
    reply: (m) => api.postMessage(m),
    request: (kind, params) => requests.request(kind, params),
    getState: () => api.getState(),
    setState: (s) => api.setState(s),
    receive: (m) => isReply(m) && (requests.receive(m), true),
  };
}

const HOST_TYPES = new Set(['init', 'epochs', 'progress', 'state', 'notice', 'sync', 'overlayState', 'insidePick', 'insidePosition', 'request', 'reply', 'compareLayout']);

function isBlock(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const b = v as Record<string, unknown>;
  return typeof b.first === 'number' && typeof b.count === 'number' && b.rowEpochs instanceof Int32Array && Array.isArray(b.predicted) && typeof b.scalars === 'object';
}

/** Cheap shape check: messages come from our own host, but a stray postMessage must not crash the panel. */
export function isHostMessage(v: unknown): v is HostToWebview {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { type?: unknown };
  if (typeof m.type !== 'string' || !HOST_TYPES.has(m.type)) return false;
  const r = v as Record<string, unknown>;
  switch (m.type) {
    case 'init':
      return typeof r.run === 'object' && r.run !== null && Array.isArray(r.history) && r.history.every(isBlock);
    case 'epochs':
      return typeof r.runId === 'string' && isBlock(r.block);
    case 'state':
      return typeof r.runId === 'string' && typeof r.state === 'string';
    case 'reply':
      return isReply(v);
    case 'request':
      return typeof r.id === 'number' && r.kind === 'renderFigure' && typeof (r.params as { figure?: unknown } | null)?.figure === 'string';
    case 'overlayState':
      return typeof r.on === 'boolean' && typeof r.available === 'boolean';
    case 'insidePick':
      return (r.unit === null || (typeof r.unit === 'number' && Number.isInteger(r.unit) && r.unit >= 0)) && (r.array === undefined || typeof r.array === 'string');
    case 'insidePosition':
      return typeof r.position === 'number' && Number.isInteger(r.position) && r.position >= 0;
    case 'compareLayout':
      return typeof r.title === 'string' && Array.isArray(r.runs);
    case 'sync':
      return true;
    case 'progress': {
      const p = r.progress as Record<string, unknown> | null;
      return typeof r.runId === 'string' && typeof p === 'object' && p !== null && ['epoch', 'done', 'total', 'loss', 'accuracy'].every((k) => typeof p[k] === 'number');
    }
    default:
      return typeof r.text === 'string';
  }
}
