// The model panel's bundle (dist/webview/model.test.js) in headless Chromium, inside the real
// renderWebviewHtml page (CSP with nonce): it draws a summary made by the host code from a
// trained model, shows blank characters visibly, and its buttons work from the keyboard.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { DEFAULT_CONFIG, Trainer } from '../../src/core';
import type { ModelHostToWebview } from '../../src/shared/modelProtocol';
import { summarizeModel } from '../../src/weights/display';
import { launch, startServer, type Browser, type PanelServer } from './harness';

let server: PanelServer;
let browser: Browser;

before(async () => {
  server = await startServer('Model: m.json', 'dark', 'model');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

interface Stub {
  __posted: unknown[];
  __problems: string[];
}

async function openModelPanel(): Promise<{ page: Page; problems: () => Promise<string[]>; posted: () => Promise<unknown[]> }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    const w = window as unknown as Stub & { acquireVsCodeApi: () => unknown };
    w.__posted = [];
    w.__problems = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__problems.push(`CSP: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`));
    w.acquireVsCodeApi = () => ({ postMessage: (m: unknown) => w.__posted.push(m), getState: () => undefined, setState: () => undefined });
  });
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => (window as unknown as Stub).__posted.length > 0);
  return {
    page,
    problems: async () => [...errors, ...(await page.evaluate(() => (window as unknown as Stub).__problems))],
    posted: () => page.evaluate(() => (window as unknown as Stub).__posted),
  };
}

test('draws the model a host summary describes, with visible blanks, under the real CSP', async () => {
  const t = new Trainer('hi there\nhi\tyou', { ...DEFAULT_CONFIG, cell: 'gru', hiddenSize: 6, epochs: 4 });
  while (!t.finished) t.runEpoch();
  const model = summarizeModel(t.toWeights(), 'gru-hi.json', '/tmp/gru-hi.json');
  const panel = await openModelPanel();
  assert.deepEqual(await panel.posted(), [{ type: 'ready' }]);
  const msg: ModelHostToWebview = { type: 'model', model };
  await panel.page.evaluate((m) => window.postMessage(m, '*'), msg as unknown as Record<string, unknown>);
  await panel.page.waitForSelector('h1');
  const text = await panel.page.locator('body').innerText();
  assert.match(text, /gru-hi\.json/);
  assert.match(text, /GRU/);
  assert.match(text, /σ_max\(W_hh\)\s+\d+\.\d{4}/);
  assert.match(text, /Epochs done\s+4/);
  assert.match(text, /b_hn\s+6\s+6/);
  assert.match(text, /W_xh\s+\d+ × 18/);
  const chips = await panel.page.locator('.vocab .char').allTextContents();
  assert.deepEqual(chips, model.vocab.map((v) => v.shown));
  assert.ok(chips.includes('␠') && chips.includes('⏎') && chips.includes('⇥'), chips.join(' '));
  assert.equal(await panel.page.locator('.char', { hasText: '⏎' }).getAttribute('title'), 'U+000A line feed');
  assert.deepEqual(await panel.problems(), []);
  await panel.page.close();
});

test('both buttons are reachable with Tab and post their action on Enter and Space', async () => {
  const t = new Trainer('hello', { ...DEFAULT_CONFIG, hiddenSize: 3, epochs: 1 });
  t.runEpoch();
  const panel = await openModelPanel();
  const msg: ModelHostToWebview = { type: 'model', model: summarizeModel(t.toWeights(), 'm.json', '/m.json') };
  await panel.page.evaluate((m) => window.postMessage(m, '*'), msg as unknown as Record<string, unknown>);
  await panel.page.waitForSelector('button');
  await panel.page.keyboard.press('Tab');
  assert.equal(await panel.page.evaluate(() => document.activeElement?.textContent), 'Continue Training on Selection');
  await panel.page.keyboard.press('Enter');
  await panel.page.keyboard.press('Tab');
  assert.equal(await panel.page.evaluate(() => document.activeElement?.textContent), 'Generate Text');
  await panel.page.keyboard.press('Space');
  assert.deepEqual(await panel.posted(), [{ type: 'ready' }, { type: 'continueTraining' }, { type: 'generateText' }]);
  // Colours come from the theme's variables: the primary button uses --vscode-button-background.
  const [bg, themeBg] = await panel.page.evaluate(() => {
    const b = document.querySelector('button')!;
    const probe = document.createElement('div');
    probe.style.background = 'var(--vscode-button-background)';
    document.body.append(probe);
    return [getComputedStyle(b).backgroundColor, getComputedStyle(probe).backgroundColor];
  });
  assert.equal(bg, themeBg);
  assert.deepEqual(await panel.problems(), []);
  await panel.page.close();
});
