// Webview entry: theme-aware styles, toolkit registration, the app, and the host connection.
// The saved state is drawn first; `ready` then asks the host for the authoritative `init`.
import './styles.css';
import { App } from './app';
import { VIRIDIS } from './colormap';
import { connectHost, isHostMessage } from './host';
import { registerToolkit } from './toolkit';

// Marks for the first-epoch latency figure (read by the UI test; a few bytes each, kept in production).
performance.mark('rnnlab:script');
registerToolkit();
performance.mark('rnnlab:toolkit');
const host = connectHost();
const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
const app = new App(root, host);
app.restore(host.getState());

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (host.receive(event.data)) return;
  if (isHostMessage(event.data)) app.handle(event.data);
});

if (__TEST_HOOKS__) {
  Object.defineProperty(window, '__rnnLab', {
    value: Object.freeze({ ...app.debug(), colormap: () => VIRIDIS.map((c) => [...c]) }),
    writable: false,
    enumerable: false,
  });
}

performance.mark('rnnlab:ready');
host.post({ type: 'ready' });
