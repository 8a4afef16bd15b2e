// The one UI test: what a user does in the workbench, driven through Chromium by playwright-core.
// scripts/vscode/test-ui.mjs starts code-server with the extension under development, opens the
// page, and calls run(); everything here only clicks, types and reads the DOM.
import type { Frame, Locator, Page } from 'playwright-core';
import * as path from 'path';

export interface UiContext {
  page: Page;
  /** Where screenshots go (test-artifacts/ui). */
  screenshotsDir: string;
  /** Name of the sample file in the opened folder. */
  fileName: string;
  /** Its content, the sentence the model must learn. */
  sentence: string;
  epochs: number;
  log(msg: string): void;
}

const COMMAND_TITLE = 'Train RNN on Selection';

// The functions passed to frame.evaluate() run in the webview. The root tsconfig has no DOM types
// (host code must not use them), so the few browser APIs they touch are described here.
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
interface PanelHooks {
  runState(): string;
  epochs(): number;
  chart(name: 'loss'): { x: number; y: number }[];
  historyText(): string;
}
interface PageGlobals {
  document: { querySelector(selector: string): unknown };
  __rnnLab?: PanelHooks;
}

/** A step that may hit a not-yet-ready workbench: retried a bounded number of times. */
async function retry<T>(what: string, attempts: number, fn: (attempt: number) => Promise<T>, log: (m: string) => void): Promise<T> {
  let last: unknown;
  for (let i = 1; i <= attempts; i++) {
    try {
      return await fn(i);
    } catch (e) {
      last = e;
      log(`${what}: attempt ${i}/${attempts} failed: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`${what} failed after ${attempts} attempts: ${(last as Error)?.message}`);
}

async function shot(ctx: UiContext, name: string, target?: Locator): Promise<void> {
  const file = path.join(ctx.screenshotsDir, name);
  try {
    if (target) await target.screenshot({ path: file, timeout: 10_000 });
    else await ctx.page.screenshot({ path: file, timeout: 10_000 });
    ctx.log(`screenshot ${file}`);
  } catch (e) {
    ctx.log(`screenshot ${name} failed: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** The panel's own document: the inner frame of the webview's nested iframes. */
async function findPanelFrame(page: Page, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      const ok = await f
        .evaluate(() => {
          const g = globalThis as unknown as PageGlobals;
          return Boolean(g.document.querySelector('#app[data-title]')) && g.__rnnLab !== undefined;
        })
        .catch(() => false);
      if (ok) return f;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview frame with #app[data-title] and window.__rnnLab after ${timeoutMs / 1000} s`);
}

interface PanelReading {
  state: string;
  epochs: number;
  lossPoints: number;
  lastLossX: number | null;
  predicted: string;
  target: string;
  lastHistoryLine: string;
  heatmap: { width: number; height: number; colors: number; opaque: number };
}

function readPanel(frame: Frame): Promise<PanelReading> {
  return frame.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const hooks = g.__rnnLab!;
    const text = (selector: string) => (g.document.querySelector(selector) as { textContent: string | null } | null)?.textContent ?? '';
    const loss = hooks.chart('loss');
    const canvas = g.document.querySelector('canvas.heatmap-canvas') as CanvasLike | null;
    const heatmap = { width: 0, height: 0, colors: 0, opaque: 0 };
    if (canvas && canvas.width > 0 && canvas.height > 0) {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const colors = new Set<number>();
      let opaque = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] === 0) continue;
        opaque++;
        colors.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      }
      Object.assign(heatmap, { width: canvas.width, height: canvas.height, colors: colors.size, opaque });
    }
    const history = hooks.historyText().split('\n').filter(Boolean);
    return {
      state: hooks.runState(),
      epochs: hooks.epochs(),
      lossPoints: loss.length,
      lastLossX: loss.length ? loss[loss.length - 1].x : null,
      predicted: text('.prediction .line.predicted'),
      target: text('.prediction .line.target'),
      lastHistoryLine: history[history.length - 1] ?? '',
      heatmap,
    };
  });
}

export async function run(ctx: UiContext): Promise<string[]> {
  const { page, log } = ctx;
  const checked: string[] = [];
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  log('workbench loaded');

  const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label*="${ctx.fileName}"]`).first();
  await row.waitFor({ state: 'visible', timeout: 90_000 });
  const editorLines = page.locator('.editor-instance .monaco-editor .view-lines').first();
  await retry('open the sample from the Explorer', 4, async () => {
    await row.click();
    await page.locator('.editor-instance .monaco-editor .view-lines', { hasText: ctx.sentence.slice(0, 11) }).first().waitFor({ timeout: 15_000 });
  }, log);
  log(`opened ${ctx.fileName}`);

  // A freshly started extension host may not have registered the command yet, and the palette
  // lists commands as of its opening: close and reopen it until the command shows up.
  await retry('run the command from the palette', 10, async (attempt) => {
    if (attempt > 1) {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1_000);
    }
    await editorLines.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${COMMAND_TITLE}`);
    const item = page.locator(`.quick-input-widget .monaco-list-row[aria-label*="${COMMAND_TITLE}"]`).first();
    await item.waitFor({ state: 'visible', timeout: 5_000 });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  }, log);
  log('command run from the palette');

  const frame = await findPanelFrame(page, 60_000);
  log('panel frame found');

  // Training runs in the worker; wait for the end of the run as the panel sees it.
  const deadline = Date.now() + 180_000;
  let reading = await readPanel(frame);
  while (!(reading.state === 'done' && reading.epochs >= ctx.epochs) && Date.now() < deadline) {
    if (['diverged', 'crashed', 'stopped'].includes(reading.state)) break;
    await page.waitForTimeout(500);
    reading = await readPanel(frame);
  }
  // The heatmap paints on animation frames; give it one more beat after the last epoch.
  await page.waitForTimeout(1_000);
  reading = await readPanel(frame);
  log(`panel: ${JSON.stringify({ ...reading, lastHistoryLine: reading.lastHistoryLine.slice(0, 120) })}`);

  await shot(ctx, 'workbench.png');
  const outer = page.locator('iframe.webview').last();
  await shot(ctx, 'panel.png', (await outer.count()) > 0 ? outer : undefined);
  // The heatmap sits below the fold of the panel; an element screenshot scrolls it into view.
  await shot(ctx, 'heatmap.png', frame.locator('canvas.heatmap-canvas').first());

  const fail = (msg: string): never => {
    throw new Error(`${msg}\npanel reading: ${JSON.stringify(reading)}`);
  };
  if (reading.state !== 'done') fail(`run state is "${reading.state}", expected "done"`);
  checked.push('run state is done');
  if (reading.epochs !== ctx.epochs) fail(`panel has ${reading.epochs} epochs, expected ${ctx.epochs}`);
  if (reading.lossPoints !== ctx.epochs || reading.lastLossX !== ctx.epochs - 1) {
    fail(`loss chart has ${reading.lossPoints} points ending at epoch ${reading.lastLossX}, expected ${ctx.epochs} ending at ${ctx.epochs - 1}`);
  }
  checked.push(`loss chart has the run's ${ctx.epochs} epochs`);
  if (!reading.lastHistoryLine.includes(`Test_string: ${JSON.stringify(ctx.sentence)}`)) fail('the last prediction in the history is not the sentence');
  if (!reading.predicted || reading.predicted !== reading.target) fail('the latest prediction line differs from the target line');
  checked.push('latest prediction equals the sentence');
  const { heatmap } = reading;
  if (heatmap.width === 0 || heatmap.opaque === 0 || heatmap.colors < 8) {
    fail(`heatmap canvas looks blank (${heatmap.width}x${heatmap.height}, ${heatmap.opaque} opaque pixels, ${heatmap.colors} colours)`);
  }
  checked.push(`heatmap drawn (${heatmap.colors} colours over ${heatmap.opaque} pixels)`);
  return checked;
}
