// Compare view entry (dist/webview/compare.js): the training panel's styles and modules, one
// app for the three runs, and the host connection. `ready` asks the host for the layout and runs.
import '../styles.css';
import './compare.css';
import type { CompareHostToWebview } from '../../src/shared/protocol';
import { connectHost, isHostMessage } from '../host';
import { CompareApp } from './app';

const host = connectHost();
const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
const app = new CompareApp(root, host);

function isLayout(v: unknown): v is Extract<CompareHostToWebview, { type: 'compareLayout' }> {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { type?: unknown; title?: unknown; runs?: unknown };
  return m.type === 'compareLayout' && typeof m.title === 'string' && Array.isArray(m.runs) && m.runs.every((r) => typeof (r as { runId?: unknown })?.runId === 'string');
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (host.receive(event.data)) return;
  if (isLayout(event.data)) app.layout(event.data.title, event.data.runs);
  else if (isHostMessage(event.data)) app.handle(event.data);
});

if (__TEST_HOOKS__) Object.defineProperty(window, '__rnnLabCompare', { value: Object.freeze(app.debug()), writable: false, enumerable: false });

host.post({ type: 'ready' });
