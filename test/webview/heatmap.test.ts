// The gradient heatmap read back pixel by pixel, its interaction, and the T×T matrix.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeForPage, hook, openPanel, type Panel, useSharedBrowser } from './harness';
import { epoch, epochs, init, initKeeping, runInfo } from './fixtures';
import type { Point } from '../../webview/charts';

const shared = useSharedBrowser();

type Rgba = [number, number, number, number];

async function pixel(p: Panel, index: number, step: number): Promise<Rgba> {
  const c = await hook<{ canvasX: number; canvasY: number }>(p, 'cellCenter', index, step);
  return hook<Rgba>(p, 'heatmapPixel', c.canvasX, c.canvasY);
}

const rgb = (px: Rgba): number[] => px.slice(0, 3);
const hex = (h: string): number[] => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));

/** Steps "hello" → five columns; row values chosen so the log10 range is exactly [-4, 0]. */
function smallRun(): { run: ReturnType<typeof runInfo>; rows: number[][] } {
  const run = runInfo({ text: 'hello!', steps: 5, stepLabels: Array.from('hello') });
  const rows = [
    [1e-4, 1e-3, 1e-2, 1e-1, 1],
    [1e-2, 1e-2, 1e-2, 1e-2, 1e-2],
    [1e-3, 0, NaN, Infinity, 0.5],
  ];
  return { run, rows };
}

function rowsAsEpochs(rows: number[][], steps: number) {
  // The vanishing view (‖∂L_T/∂h_t‖) is what the heatmap shows first: it carries the rows.
  return rows.map((r, n) => epoch(n, steps, { lastLossGradNorm: r, gradNorm: r.map((v) => v * 10), predicted: 'hxllo!' }));
}

describe('gradient heatmap', () => {
  it('colours cells by log10 on viridis: the minimum and maximum at the ends of the map', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const { run, rows } = smallRun();
    await p.send(init(run, rowsAsEpochs(rows, run.steps)));
    await p.frames();
    const lut = await hook<number[][]>(p, 'colormap');
    assert.equal(lut.length, 256);
    assert.deepEqual(lut[0], hex('#440154'), 'viridis starts dark purple');
    assert.deepEqual(lut[255], hex('#fde725'), 'viridis ends yellow');
    const mid = lut[128];
    hex('#21918c').forEach((v, i) => assert.ok(Math.abs(v - mid[i]) <= 8, `viridis middle ${mid} ≈ #21918c`));
    const range = await hook<{ lo: number; hi: number }>(p, 'heatmapRange');
    assert.deepEqual([range.lo, range.hi], [-4, 0]);
    assert.deepEqual(rgb(await pixel(p, 0, 0)), lut[0], 'minimum cell');
    assert.deepEqual(rgb(await pixel(p, 0, 4)), lut[255], 'maximum cell');
    for (let t = 0; t < 5; t++) {
      const expected = lut[Math.round(((Math.log10(rows[0][t]) + 4) / 4) * 255)];
      assert.deepEqual(rgb(await pixel(p, 0, t)), expected, `row 0 step ${t}`);
      assert.deepEqual(rgb(await pixel(p, 1, t)), lut[Math.round(0.5 * 255)], `row 1 step ${t}`);
    }
    assert.equal((await pixel(p, 0, 0))[3], 255, 'opaque');
    assert.deepEqual(await p.problems(), []);
    await p.page.close();
  });

  it('draws zero, NaN and infinite values in the "no data" colour, never on the colour scale', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const { run, rows } = smallRun();
    await p.send(init(run, rowsAsEpochs(rows, run.steps)));
    await p.frames();
    const noData = await hook<number[]>(p, 'noDataColor');
    const lut = await hook<number[][]>(p, 'colormap');
    assert.ok(!lut.some((c) => c.every((v, i) => v === noData[i])), 'no-data colour is not in viridis');
    for (const t of [1, 2, 3]) assert.deepEqual(rgb(await pixel(p, 2, t)), noData, `step ${t}`);
    assert.deepEqual(rgb(await pixel(p, 2, 4)), lut[Math.round(((Math.log10(0.5) + 4) / 4) * 255)]);
    await p.page.close();
  });

  it('appends rows incrementally and recolours everything when the range grows', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const { run, rows } = smallRun();
    await p.send(init(run, rowsAsEpochs(rows.slice(0, 2), run.steps)));
    await p.frames();
    const lut = await hook<number[][]>(p, 'colormap');
    const more = rowsAsEpochs([[1e-6, 1e-6, 1e-6, 1e-6, 1e-6]], run.steps).map((e) => ({ ...e, epoch: 2 }));
    await p.send(epochs(run, more));
    await p.frames();
    assert.deepEqual(await hook(p, 'heatmapRange'), { lo: -6, hi: 0, scaleLo: -6, scaleHi: 0, stride: 1, rows: 3 });
    assert.deepEqual(rgb(await pixel(p, 2, 0)), lut[0], 'new minimum');
    assert.deepEqual(rgb(await pixel(p, 0, 0)), lut[Math.round((2 / 6) * 255)], 'old cell recoloured on the wider range');
    assert.deepEqual(rgb(await pixel(p, 0, 4)), lut[255]);
    await p.page.close();
  });

  it('shows epochs whose rows the host or the saved state dropped as "no data" or as the last kept row', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const { run, rows } = smallRun();
    const eps = rowsAsEpochs([rows[0], rows[0], rows[1], rows[1]], run.steps);
    // Trimmed by the host (oldest first) and, after a kept row, dropped from a saved state.
    await p.send(initKeeping(run, eps, [2], { restored: true, state: 'done' }));
    await p.frames();
    const noData = await hook<number[]>(p, 'noDataColor');
    for (const t of [0, 4]) {
      assert.deepEqual(rgb(await pixel(p, 0, t)), noData, `trimmed row 0, step ${t}`);
      assert.deepEqual(rgb(await pixel(p, 1, t)), noData, `trimmed row 1, step ${t}`);
      assert.deepEqual(rgb(await pixel(p, 3, t)), rgb(await pixel(p, 2, t)), `row 3 repeats row 2 at step ${t}`);
    }
    const c = await hook<{ x: number; y: number }>(p, 'cellCenter', 3, 1);
    await p.page.mouse.move(c.x, c.y);
    const tip = p.page.locator('.heatmap .tooltip');
    await tip.waitFor({ state: 'visible' });
    assert.match(await tip.innerText(), /Epoch #3[\s\S]*row not kept; showing epoch #2/);
    const c0 = await hook<{ x: number; y: number }>(p, 'cellCenter', 0, 1);
    await p.page.mouse.move(c0.x, c0.y);
    await p.page.waitForFunction(() => /gradient row not kept/.test(document.querySelector('.heatmap .tooltip')?.textContent ?? ''));
    await p.page.close();
  });

  it('shows epoch, timestep, character and exact value on hover', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const { run, rows } = smallRun();
    await p.send(init(run, rowsAsEpochs(rows, run.steps)));
    await p.frames();
    const c = await hook<{ x: number; y: number }>(p, 'cellCenter', 0, 2);
    await p.page.mouse.move(c.x, c.y);
    const tip = p.page.locator('.heatmap .tooltip');
    await tip.waitFor({ state: 'visible' });
    const text = (await tip.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Epoch #0/);
    assert.match(text, /Timestep 2: 'l'/);
    assert.match(text, /‖∂L_T\/∂h_t‖ = 0\.01\b/);
    await p.page.mouse.move(1, 1);
    await tip.waitFor({ state: 'hidden' });
    await p.page.close();
  });

  it('selects an epoch by click or keyboard, requests its matrix and draws the reply', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const { run, rows } = smallRun();
    await p.send(init(run, rowsAsEpochs(rows, run.steps)));
    await p.frames();
    const c = await hook<{ x: number; y: number }>(p, 'cellCenter', 1, 3);
    await p.page.mouse.click(c.x, c.y);
    await p.page.waitForFunction(() => (window as unknown as { __rnnLab: { selected(): number | null } }).__rnnLab.selected() === 1);
    // A request for the newest epoch may precede the click on a slow machine; the one for epoch 1 is what the click asks.
    const asked = await p.answer('matrix', { epoch: 1, size: 2, values: new Float64Array([1, NaN, 0.5, 1]) }, undefined, { epoch: 1 });
    assert.deepEqual(asked.params, { epoch: 1 });
    await p.page.waitForFunction(() => /playhead, epoch #1/.test(document.querySelector('.prediction .caption')?.textContent ?? ''));
    // The row chart shows the selected epoch once the pointer has left the heatmap.
    await p.page.mouse.move(1, 1);
    await p.frames();
    assert.deepEqual((await hook<Point[]>(p, 'chart', 'row', 1)).map((q) => q.y), rows[1]);

    await p.frames();
    assert.match((await p.page.locator('.matrix .caption').textContent()) ?? '', /epoch #1.*2×2/);

    await p.page.locator('.heatmap-canvas').focus();
    await p.page.keyboard.press('ArrowUp');
    await p.page.waitForFunction(() => (window as unknown as { __rnnLab: { selected(): number | null } }).__rnnLab.selected() === 0);
    await p.frames();
    const live = (await p.page.locator('#row-text').textContent()) ?? '';
    assert.match(live, /Playhead at epoch #0/);
    assert.match(live, /0 'h' 1\.000e-4; 1 'e' 0\.001; 2 'l' 0\.01; 3 'l' 0\.1; 4 'o' 1/);
    // Three presses faster than a frame: each one moves from where the last one left the selection.
    await p.page.keyboard.press('ArrowDown');
    await p.page.keyboard.press('ArrowDown');
    await p.page.keyboard.press('ArrowDown');
    await p.page.waitForFunction(() => (window as unknown as { __rnnLab: { selected(): number | null } }).__rnnLab.selected() === 2, undefined, { timeout: 5000 });
    assert.equal(await hook(p, 'selected'), 2, 'stops at the last epoch');
    await p.page.keyboard.press('Escape');
    await p.page.waitForFunction(() => (window as unknown as { __rnnLab: { selected(): number | null } }).__rnnLab.selected() === 2, undefined, { timeout: 5000 });
    await p.page.close();
  });

  it('switches to ‖∂L/∂h_t‖ and offers the cell-state rows for an LSTM', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const { run, rows } = smallRun();
    const eps = rowsAsEpochs(rows, run.steps).map((e) => ({ ...e, cellGradNorm: e.gradNorm.map((v) => v * 3), lastLossCellGradNorm: e.gradNorm.map((v) => v * 2) }));
    await p.send(init({ ...run, config: { ...run.config, cell: 'lstm' } }, eps));
    await p.frames();
    const options = await p.page.locator('#sel-grad-key vscode-option').allTextContents();
    assert.equal(options.length, 4, options.join('|'));
    await p.page.locator('#sel-grad-key').click();
    await p.page.locator('#sel-grad-key vscode-option', { hasText: 'total loss' }).click();
    await p.frames();
    assert.equal(await hook(p, 'heatmapKey'), 'gradNorm');
    const range = await hook<{ lo: number; hi: number }>(p, 'heatmapRange');
    assert.deepEqual([range.lo, range.hi], [-3, 1]);
    await p.page.waitForFunction(() => (window as unknown as { __state?: { view?: { prefs?: { gradKey?: string } } } }).__state?.view?.prefs?.gradKey === 'gradNorm');
    await p.page.close();
  });

  it('follows a theme change (VS Code swaps the body class and the variables)', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const { run, rows } = smallRun();
    await p.send(init(run, rowsAsEpochs(rows, run.steps)));
    await p.frames();
    await p.page.evaluate(() => {
      document.documentElement.style.setProperty('--vscode-disabledForeground', '#ff00ff');
      document.body.className = 'vscode-light';
    });
    await p.page.waitForFunction(() => (window as unknown as { __rnnLab: { noDataColor(): number[] } }).__rnnLab.noDataColor().join() === '255,0,255');
    await p.frames();
    assert.deepEqual(rgb(await pixel(p, 2, 1)), [255, 0, 255], 'no-data cells repainted in the new theme colour');
    await p.page.close();
  });

  it('coalesces a burst of epochs batches into few frames and keeps every epoch', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const run = runInfo();
    await p.send(init(run, []));
    await p.frames();
    const before = await hook<number>(p, 'frames');
    // All hundred blocks are posted in one turn of the page's event loop, as a burst from the host.
    const burst = Array.from({ length: 100 }, (_, b) =>
      encodeForPage(
        epochs(
          run,
          Array.from({ length: 10 }, (_, i) => {
            const n = b * 10 + i;
            return epoch(n, run.steps, { loss: 1 / (n + 1), lastLossGradNorm: new Array(run.steps).fill(0.1 + n), gradNorm: new Array(run.steps).fill(0.01) });
          }),
        ),
      ),
    );
    await p.page.evaluate((jsons) => {
      const revive = (_k: string, v: { $$typed?: string; b64?: string }) => {
        if (!v || typeof v.$$typed !== 'string' || typeof v.b64 !== 'string') return v;
        const bin = atob(v.b64);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        return new (globalThis as unknown as Record<string, new (b: ArrayBuffer) => unknown>)[v.$$typed](bytes.buffer);
      };
      for (const j of jsons) window.postMessage(JSON.parse(j, revive), '*');
    }, burst);
    await p.page.waitForFunction(() => (window as unknown as { __rnnLab: { epochs(): number } }).__rnnLab.epochs() === 1000);
    await p.frames();
    const frames = (await hook<number>(p, 'frames')) - before;
    assert.ok(frames < 100, `100 batches drawn in ${frames} frames`);
    const loss = await hook<Point[]>(p, 'chart', 'loss');
    assert.deepEqual([loss[0].x, loss[loss.length - 1].x], [0, 999], 'the curve spans every epoch (decimated to the canvas width)');
    const lo = Math.log10(0.1);
    const hi = Math.log10(999.1);
    assert.deepEqual(await hook(p, 'heatmapRange'), { lo, hi, scaleLo: lo, scaleHi: hi, stride: 1, rows: 1000 }, 'settled on the exact range');
    await p.page.close();
  });
});
