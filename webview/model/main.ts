// Model panel entry (dist/webview/model.js): draws the summary the host sends and turns the two
// buttons into messages. Everything is built with textContent, never HTML strings, because the
// vocabulary and file name come from a file the user picked.
import './model.css';
import type { ModelHostToWebview, ModelSummary, ModelWebviewToHost, VocabEntry } from '../../src/shared/modelProtocol';
import type { TrainConfig } from '../../src/core/types';
import { t } from '../l10n';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : { postMessage: () => undefined };
const post = (m: ModelWebviewToHost) => api.postMessage(m);
const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function facts(rows: [string, string][]): HTMLDListElement {
  const dl = el('dl', undefined, 'facts');
  for (const [k, v] of rows) dl.append(el('dt', k), el('dd', v));
  return dl;
}

function charChip(v: VocabEntry): HTMLElement {
  const chip = el('span', v.shown, v.shown === v.char ? 'char' : 'char standin');
  chip.title = v.label;
  // A screen reader should hear "U+0020 space", not the stand-in glyph's own name.
  chip.setAttribute('aria-label', v.shown === v.char ? `${v.char} ${v.label}` : v.label);
  return chip;
}

function button(label: string, type: 'continueTraining' | 'generateText' | 'exportTorch', secondary: boolean, title: string): HTMLButtonElement {
  const b = el('button', label, secondary ? 'secondary' : undefined);
  b.type = 'button';
  b.title = title;
  b.addEventListener('click', () => post({ type }));
  return b;
}

function describeMode(c: TrainConfig): string {
  return c.mode.kind === 'full' ? t('full BPTT') : `${c.mode.kind}, K = ${c.mode.k}`;
}

function render(m: ModelSummary): void {
  root.replaceChildren();
  root.append(el('h1', m.name));
  const where = el('p', m.location, 'location');
  root.append(where);

  const actions = el('div', undefined, 'actions');
  actions.setAttribute('role', 'toolbar');
  actions.setAttribute('aria-label', t('Model actions'));
  actions.append(
    button(t('Continue Training on Selection'), 'continueTraining', false, t('Train this model further on the selected text (same vocabulary), resuming its optimizer state')),
    button(t('Generate Text'), 'generateText', true, t('Sample text from this model')),
    button(t('Export for PyTorch…'), 'exportTorch', true, t('Write the weights with torch.nn.RNN/LSTM/GRU and torch.nn.Linear parameter names and orientations')),
  );
  root.append(actions);

  root.append(el('h2', t('Model')));
  const gated = m.cell !== 'rnn';
  root.append(
    facts([
      [t('Cell'), m.cell.toUpperCase()],
      [t('Activation'), gated ? t('sigmoid gates, tanh') : m.activation],
      [t('Hidden units'), String(m.hiddenSize)],
      [t('Parameters'), m.totalParams.toLocaleString('en-US')],
      ['σ_max(W_hh)', m.sigmaMaxWhh.toFixed(4)],
    ]),
  );

  root.append(el('h2', t('Vocabulary ({0} characters)', m.vocab.length)));
  const list = el('ul', undefined, 'vocab');
  list.setAttribute('aria-label', t('Vocabulary in index order'));
  for (const v of m.vocab) {
    const li = el('li');
    li.append(charChip(v));
    list.append(li);
  }
  root.append(list);

  root.append(el('h2', t('Parameters')));
  const table = el('table');
  const head = el('tr');
  head.append(el('th', t('Name')), el('th', t('Shape')), el('th', t('Numbers')));
  table.append(head);
  for (const p of m.params) {
    const tr = el('tr');
    const name = el('td');
    name.append(el('code', p.name));
    tr.append(name, el('td', p.shape.join(' × ')), el('td', p.count.toLocaleString('en-US'), 'num'));
    table.append(tr);
  }
  root.append(table);

  root.append(el('h2', t('Training')));
  const tr = m.training;
  if (!tr) {
    root.append(el('p', t('The file has no training summary.'), 'empty'));
    return;
  }
  const rows: [string, string][] = [];
  if (tr.epochsDone !== undefined) rows.push([t('Epochs done'), String(tr.epochsDone)]);
  if (tr.finalLoss !== undefined) rows.push([t('Final loss'), tr.finalLoss.toFixed(6)]);
  if (tr.finalAccuracy !== undefined) rows.push([t('Final accuracy'), `${(tr.finalAccuracy * 100).toFixed(1)} %`]);
  if (tr.seed !== undefined) rows.push([t('Seed'), String(tr.seed)]);
  if (tr.firstChar) rows.push([t('First character of the text'), tr.firstChar.shown === tr.firstChar.char ? tr.firstChar.char : `${tr.firstChar.shown} (${tr.firstChar.label})`]);
  const c = tr.config;
  if (c) {
    rows.push(
      [t('Optimizer'), t('{0}, learning rate {1}', c.optimizer, c.learningRate)],
      [t('Gradient clipping'), c.clip > 0 ? t('global norm {0}', c.clip) : t('off')],
      [t('Backpropagation'), describeMode(c)],
      [t('Epochs of the last run'), String(c.epochs)],
    );
  }
  rows.push([t('Optimizer state'), m.hasOptimizerState ? t('saved (training resumes exactly)') : t('not saved (training restarts the optimizer)')]);
  root.append(facts(rows));
}

function isModelMessage(v: unknown): v is ModelHostToWebview {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'model' && typeof (v as { model?: unknown }).model === 'object';
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isModelMessage(event.data)) render(event.data.model);
});

root.append(el('p', t('Loading the model…'), 'empty'));
post({ type: 'ready' });
