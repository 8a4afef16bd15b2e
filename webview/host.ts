// The typed edge to the extension host: everything the panel sends goes through `post`, which
// accepts only WebviewToHost messages.
import type { HostToWebview, WebviewToHost } from '../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostConnection {
  post(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** acquireVsCodeApi may be called only once per page, so this is the single place that does. */
export function connectHost(): HostConnection {
  const api: VsCodeApi =
    typeof acquireVsCodeApi === 'function'
      ? acquireVsCodeApi()
      : { postMessage: () => undefined, getState: () => undefined, setState: () => undefined };
  return {
    post: (m) => api.postMessage(m),
    getState: () => api.getState(),
    setState: (s) => api.setState(s),
  };
}

const HOST_TYPES = new Set(['init', 'epochs', 'state', 'matrix', 'notice']);

/** Cheap shape check: messages come from our own host, but a stray postMessage must not crash the panel. */
export function isHostMessage(v: unknown): v is HostToWebview {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { type?: unknown };
  if (typeof m.type !== 'string' || !HOST_TYPES.has(m.type)) return false;
  const r = v as Record<string, unknown>;
  switch (m.type) {
    case 'init':
      return typeof r.run === 'object' && r.run !== null && Array.isArray(r.history);
    case 'epochs':
      return typeof r.runId === 'string' && Array.isArray(r.epochs);
    case 'state':
      return typeof r.runId === 'string' && typeof r.state === 'string';
    case 'matrix':
      return typeof r.runId === 'string' && typeof r.size === 'number' && Array.isArray(r.values);
    default:
      return typeof r.text === 'string';
  }
}
