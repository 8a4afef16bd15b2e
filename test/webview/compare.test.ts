// The compare bundle (dist/webview/compare.js) in headless Chromium, under the real CSP: three
// heatmaps on one colour scale, overlaid curves, the shared controls, and a screenshot.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { CellKind, EpochMetrics, TrainConfig } from '../../src/core/types';
import { Trainer } from '../../src/core';
import { parsePersistedCompare } from '../../src/shared/persist';
import type { CompareHostToWebview, HostToWebview } from '../../src/shared/protocol';
import { ARTIFACTS, launch, openPanel, startServer, type Browser, type Panel, type PanelServer } from './harness';
import { CONFIG, epochs as epochsMsg, init, runInfo } from './fixtures';
import { VIRIDIS } from '../../webview/colormap';

let browser: Browser;
let server: PanelServer;

before(async () => {
  server = await startServer('Compare cells', 'dark', 'compare');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const CELLS: CellKind[] = ['rnn', 'lstm', 'gru'];
const TEXT = 'hello world! nice to meet you! i love iron-man';
const STEPS = TEXT.length - 1;
/** How fast each cell's last-loss gradient decays per step back: the RNN's vanishes, the LSTM's barely. */
const DECAY: Record<CellKind, number> = { rnn: 0.6, lstm: 0.97, gru: 0.85 };

function epochOf(cell: CellKind, n: number): EpochMetrics {
  const last = Array.from({ length: STEPS }, (_, t) => Math.pow(DECAY[cell], STEPS - 1 - t));
  return {
    epoch: n,
    loss: { rnn: 3, lstm: 3.2, gru: 3.1 }[cell] / (1 + n / 10),
    accuracy: Math.min(1, n / { rnn: 40, lstm: 60, gru: 50 }[cell]),
    predicted: TEXT,
    gradNorm: last.map((v) => v * 3),
    lastLossGradNorm: last,
    ...(cell === 'lstm' ? { cellGradNorm: last.map((v) => v * 2), lastLossCellGradNorm: last.map((v) => v * 0.5) } : {}),
    paramGradNorm: { W_hh: 1 },
    sigmaMaxWhh: 1,
  };
}

interface Debug {
  whenIdle(): Promise<void>;
  shared(): { lo: number; hi: number } | null;
  ranges(): { lo: number; hi: number; scaleLo: number; scaleHi: number }[];
  cells(): CellKind[];
  lossData(): { x: number; y: number }[][];
  accuracyData(): { x: number; y: number }[][];
  rowData(): { x: number; y: number }[][];
  pixel(column: number, index: number, step: number): number[];
  view(): string;
  connectivity(): { cell: string; values: number[]; backgrounds: string[] }[];
  epochs(): number[];
}

function call<T>(p: Panel, name: keyof Debug, ...args: unknown[]): Promise<T> {
  return p.page.evaluate(
    async ([n, a]) => {
      const d = (window as unknown as { __rnnLabCompare: Record<string, (...x: unknown[]) => unknown> }).__rnnLabCompare;
      return (await d[n as string](...(a as unknown[]))) as unknown;
    },
    [name, args] as const,
  ) as Promise<T>;
}

async function idle(p: Panel): Promise<void> {
  await call(p, 'whenIdle');
  await p.rawFrames(2);
}

async function openWithRuns(epochs: number): Promise<Panel> {
  const p = await openPanel(browser, server);
  const send = (m: CompareHostToWebview) => p.send(m as HostToWebview);
  await send({ type: 'compareLayout', title: 'Compare cells: hello world! nice… · h20 e600', runs: CELLS.map((cell) => ({ runId: `run-${cell}`, cell })) });
  for (const cell of CELLS) {
    const config: TrainConfig = { ...CONFIG, cell };
    const history = Array.from({ length: epochs }, (_, n) => epochOf(cell, n));
    await send(init(runInfo({ runId: `run-${cell}`, config, title: cell }), history));
  }
  await idle(p);
  return p;
}

describe('compare view', () => {
  it('a click on a character colours each cell’s inputs by connectivity on one shared log scale', async () => {
    const p = await openWithRuns(5);
    const t = 3;
    await p.page.locator(`#compare-connectivity-picker span[data-step="${t}"]`).click();
    // RNN: decades 1e-4…1e-1 (short reach on a wide range); LSTM flat at 1e-1; GRU one missing run.
    const rnn = Float64Array.from([1e-4, 1e-3, 1e-2, 1e-1]);
    const lstm = Float64Array.from([1e-1, 1e-1, 1e-1, 1e-1]);
    const asked = await p.answer('compareConnectivity', {
      epoch: 4,
      t,
      runs: [
        { runId: 'run-rnn', start: 0, values: rnn },
        { runId: 'run-lstm', start: 0, values: lstm },
        { runId: 'run-gru', start: 0, values: null, error: 'not that far yet' },
      ],
    });
    assert.deepEqual(asked.params, { epoch: 4, t }, 'the playhead’s epoch and the clicked step');
    await p.page.waitForFunction(() => document.querySelectorAll('#compare-connectivity-rows .line-row').length === 3);
    const rows = await call<{ cell: string; values: number[]; backgrounds: string[] }[]>(p, 'connectivity');
    assert.deepEqual(rows.map((r) => r.cell), CELLS);
    const rgb = (i: number): string => `rgb(${VIRIDIS[i].join(', ')})`;
    assert.deepEqual(rows[0].backgrounds, [0, 85, 170, 255].map(rgb), 'the RNN spans the shared scale');
    assert.deepEqual(rows[1].backgrounds, [255, 255, 255, 255].map(rgb), 'the LSTM’s 1e-1 is the top of the same scale');
    assert.deepEqual(rows[2].values, []);
    assert.match((await p.page.locator('#compare-connectivity-rows').textContent()) ?? '', /not available: not that far yet/);
    assert.match((await p.page.locator('#compare-connectivity-caption').textContent()) ?? '', /step 3\) at epoch #4/);
    assert.deepEqual(await p.problems(), []);
    await p.page.close();
  });

  it("each column says how far its long epoch has got until that epoch arrives", async () => {
    const p = await openWithRuns(0);
    await p.send({ type: 'progress', runId: 'run-lstm', progress: { epoch: 0, done: 250, total: 1000, loss: 3.21, accuracy: 0.1 } });
    await idle(p);
    const captions = await p.page.locator('.compare-run-status').allTextContents();
    assert.match(captions[1], /epoch #0 in progress: 25% of the text, loss so far 3\.2100/);
    assert.doesNotMatch(captions[0] + captions[2], /in progress/, 'only the column it is about');
    await p.send(epochsMsg(runInfo({ runId: 'run-lstm', config: { ...CONFIG, cell: 'lstm' }, title: 'lstm' }), [epochOf('lstm', 0)]));
    await idle(p);
    assert.doesNotMatch((await p.page.locator('.compare-run-status').allTextContents())[1], /in progress/, 'the epoch replaces its progress');
    assert.deepEqual(await p.problems(), []);
    await p.page.close();
  });

  it('says ready first, draws three columns under the real CSP without errors', async () => {
    const p = await openWithRuns(20);
    const posted = await p.posted();
    assert.deepEqual(posted[0], { type: 'ready' });
    assert.deepEqual(await call(p, 'cells'), CELLS);
    assert.deepEqual(await p.problems(), []);
    const headings = await p.page.locator('.compare-cell').allTextContents();
    assert.deepEqual(headings, ['RNN', 'LSTM', 'GRU']);
    await p.page.close();
  });

  it('puts the three heatmaps on one colour scale that covers all of them', async () => {
    const p = await openWithRuns(20);
    const ranges = await call<Debug['ranges'] extends () => infer R ? R : never>(p, 'ranges');
    const shared = await call<{ lo: number; hi: number }>(p, 'shared');
    const lo = Math.min(...ranges.map((r) => r.lo));
    const hi = Math.max(...ranges.map((r) => r.hi));
    assert.ok(ranges[0].lo < ranges[1].lo, 'the RNN row decays further than the LSTM row');
    assert.deepEqual(shared, { lo, hi });
    for (const r of ranges) assert.deepEqual([r.scaleLo, r.scaleHi], [lo, hi], 'every heatmap paints on the shared scale');
    // The last step has norm 1 in every cell: the same value must be the same colour everywhere.
    const last = await Promise.all([0, 1, 2].map((c) => call<number[]>(p, 'pixel', c, 19, STEPS - 1)));
    assert.deepEqual(last[1], last[0]);
    assert.deepEqual(last[2], last[0]);
    assert.deepEqual(last[0].slice(0, 3), [0xfd, 0xe7, 0x25], 'the largest value is the top of viridis in all three');
    // The RNN's first step holds the smallest value of all: the bottom of the scale; the LSTM's is not.
    const first = await Promise.all([0, 1].map((c) => call<number[]>(p, 'pixel', c, 19, 0)));
    assert.deepEqual(first[0].slice(0, 3), [0x44, 0x01, 0x54]);
    assert.notDeepEqual(first[1], first[0]);
    await p.page.close();
  });

  it('overlays the three loss and accuracy curves and the latest ‖∂L_T/∂h_t‖ rows', async () => {
    const p = await openWithRuns(20);
    const loss = await call<{ x: number; y: number }[][]>(p, 'lossData');
    const acc = await call<{ x: number; y: number }[][]>(p, 'accuracyData');
    CELLS.forEach((cell, i) => {
      assert.equal(loss[i].length, 20);
      assert.deepEqual(loss[i][5], { x: 5, y: epochOf(cell, 5).loss }, `${cell} loss`);
      assert.deepEqual(acc[i][10], { x: 10, y: epochOf(cell, 10).accuracy }, `${cell} accuracy`);
    });
    const rows = await call<{ x: number; y: number }[][]>(p, 'rowData');
    assert.equal(rows.length, 4);
    CELLS.forEach((cell, i) => assert.deepEqual(rows[i].map((q) => q.y), epochOf(cell, 19).lastLossGradNorm, `${cell} row`));
    assert.deepEqual(rows[3].map((q) => q.y), epochOf('lstm', 19).lastLossCellGradNorm, 'LSTM cell-state row');
    const legend = await p.page.evaluate(() => document.querySelector('.compare-legend')?.getAttribute('aria-label') ?? '');
    assert.match(legend, /Shared colour scale/);
    // Later epochs append to every curve.
    await p.send(epochsMsg(runInfo({ runId: 'run-lstm', config: { ...CONFIG, cell: 'lstm' } }), [epochOf('lstm', 20)]));
    await idle(p);
    const after = await call<{ x: number; y: number }[][]>(p, 'lossData');
    assert.deepEqual([after[0].length, after[1].length, after[2].length], [20, 21, 20]);
    await p.page.close();
  });

  it('the view toggle applies to all three; the memory view shows the LSTM cell state', async () => {
    const p = await openWithRuns(20);
    const before = await call<{ lo: number }[]>(p, 'ranges');
    await p.page.selectOption('#compare-view', 'memory');
    await idle(p);
    assert.equal(await call(p, 'view'), 'memory');
    const memory = await call<{ lo: number; hi: number; scaleLo: number; scaleHi: number }[]>(p, 'ranges');
    assert.equal(memory[0].lo, before[0].lo, 'the RNN still shows its h_t');
    assert.ok(Math.abs(memory[1].hi - Math.log10(0.5)) < 1e-12, 'the LSTM shows ‖∂L_T/∂c_t‖ (max 0.5)');
    await p.page.selectOption('#compare-view', 'total');
    await idle(p);
    const total = await call<{ hi: number; scaleHi: number }[]>(p, 'ranges');
    for (const r of total) assert.ok(Math.abs(r.hi - Math.log10(3)) < 1e-12, 'every cell shows ‖∂L/∂h_t‖ (max 3)');
    for (const r of total) assert.equal(r.scaleHi, total[0].scaleHi);
    await p.page.waitForFunction(() => (window as unknown as { __state?: { view?: { view?: string } } }).__state?.view?.view === 'total');
    await p.page.close();
  });

  it('saves the three histories and the view; a panel shown again (or reloaded) draws them before the host answers', async () => {
    const p = await openWithRuns(20);
    await p.page.selectOption('#compare-view', 'memory');
    await p.page.waitForFunction(() => (window as unknown as { __state?: { view?: { view?: string } } }).__state?.view?.view === 'memory');
    const saved = (await p.savedState()) as { kind: string; runs: unknown[] };
    const parsed = parsePersistedCompare(saved);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    assert.deepEqual(parsed.value.runs.map((r) => [r.run.config.cell, r.history?.count]), [['rnn', 20], ['lstm', 20], ['gru', 20]]);
    await p.page.close();
    const q = await openPanel(browser, server, saved);
    await idle(q);
    assert.equal(await call(q, 'view'), 'memory');
    assert.equal(await q.page.locator('#compare-view').inputValue(), 'memory');
    assert.deepEqual(await call(q, 'epochs'), [20, 20, 20]);
    assert.deepEqual((await call<{ x: number; y: number }[][]>(q, 'lossData'))[1][5], { x: 5, y: epochOf('lstm', 5).loss });
    await q.page.close();
  });

  it('one playhead for the three runs: the scrubber moves every heatmap, curve and row to the same epoch', async () => {
    const p = await openWithRuns(20);
    await p.page.locator('#scrubber').focus();
    await p.page.keyboard.press('Home');
    for (let k = 0; k < 5; k++) await p.page.keyboard.press('ArrowRight');
    await p.page.waitForFunction(() => (document.querySelector('#scrubber') as HTMLInputElement | null)?.value === '5');
    await idle(p);
    const loss = await call<{ x: number; y: number }[][]>(p, 'lossData');
    for (const series of loss) assert.equal(series[series.length - 1].x, 5, 'each curve is drawn up to the playhead');
    assert.match(await p.page.locator('#timeline-epoch').innerText(), /epoch #5 of #19/);
    await p.page.waitForFunction(() => {
      const pb = (window as unknown as { __state?: { view?: { playback?: { epoch?: number; playing?: boolean } } } }).__state?.view?.playback;
      return pb?.epoch === 5 && pb.playing === false;
    });
    await p.page.close();
  });

  it('pause, resume and stop post one control message each for all three runs', async () => {
    const p = await openWithRuns(5);
    const pause = p.page.locator('button[data-action="pause"]');
    const resume = p.page.locator('button[data-action="resume"]');
    const stop = p.page.locator('button[data-action="stop"]');
    assert.equal(await resume.isDisabled(), true, 'nothing is paused yet');
    await pause.click();
    for (const cell of CELLS) await p.send({ type: 'state', runId: `run-${cell}`, state: 'paused' });
    await idle(p);
    assert.equal(await pause.isDisabled(), true);
    await resume.click();
    await stop.click();
    const controls = (await p.posted()).filter((m) => m.type === 'control');
    assert.deepEqual(controls, [
      { type: 'control', action: 'pause' },
      { type: 'control', action: 'resume' },
      { type: 'control', action: 'stop' },
    ]);
    for (const cell of CELLS) await p.send({ type: 'state', runId: `run-${cell}`, state: 'stopped' });
    await idle(p);
    assert.equal(await stop.isDisabled(), true, 'nothing left to stop');
    await p.page.close();
  });

  it('shows real runs of the three cells on the seed sentence (screenshot)', async () => {
    // The core trains all three here, so the picture is what a user sees, not a synthetic decay.
    const p = await openPanel(browser, server);
    const send = (m: CompareHostToWebview) => p.send(m as HostToWebview);
    await send({ type: 'compareLayout', title: 'Compare cells: hello world! nice… · h20 e300', runs: CELLS.map((cell) => ({ runId: `run-${cell}`, cell })) });
    for (const cell of CELLS) {
      const config: TrainConfig = { ...CONFIG, cell, epochs: 300 };
      const trainer = new Trainer(TEXT, config);
      const history: EpochMetrics[] = [];
      while (!trainer.finished) {
        const m = trainer.advance();
        if (m) history.push(m);
      }
      await send(init(runInfo({ runId: `run-${cell}`, config, title: cell }), history, { state: 'done' }));
    }
    await p.page.setViewportSize({ width: 1200, height: 1250 });
    await idle(p);
    const rows = await call<{ x: number; y: number }[][]>(p, 'rowData');
    assert.ok(rows[0][0].y < rows[1][0].y, 'after training, the RNN\'s last-loss gradient at t = 0 is smaller than the LSTM\'s');
    await p.page.screenshot({ path: join(ARTIFACTS, 'compare-real.png'), fullPage: true });
    assert.deepEqual(await p.problems(), []);
    await p.page.close();
  });

  for (const theme of ['dark', 'light'] as const) {
    it(`renders a readable ${theme} compare panel (screenshot)`, async () => {
      const themed = theme === 'dark' ? server : await startServer('Compare cells', 'light', 'compare');
      const saved = server;
      server = themed;
      try {
        const p = await openWithRuns(60);
        await p.page.setViewportSize({ width: 1200, height: 1250 });
        await idle(p);
        await p.page.screenshot({ path: join(ARTIFACTS, theme === 'dark' ? 'compare.png' : 'compare-light.png'), fullPage: true });
        assert.deepEqual(await p.problems(), []);
        await p.page.close();
      } finally {
        server = saved;
        if (themed !== saved) await themed.close();
      }
    });
  }
});
