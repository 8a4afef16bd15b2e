// The first screen and the film: at half of a 1440×900 window (700×800 CSS px) the panel shows,
// without scrolling, its header and training controls, the timeline, the heatmap in the
// vanishing view, the prediction and the loss curve; a new run plays from its first epoch.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Trainer } from '../../src/core';
import type { EpochMetrics } from '../../src/core/types';
import { ARTIFACTS, hook, openPanel, type Panel, useSharedBrowser } from './harness';
import { CONFIG, TEXT, init, runInfo } from './fixtures';

const shared = useSharedBrowser();
let history: EpochMetrics[];

before(() => {
  // The seed's default run, trained by the core: the picture is what a learner sees.
  const trainer = new Trainer(TEXT, CONFIG);
  history = [];
  while (!trainer.finished) history.push(trainer.runEpoch());
});

type Box = { top: number; bottom: number; left: number; right: number; height: number } | null;

async function box(p: Panel, selector: string): Promise<Box> {
  return p.page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height };
  }, selector);
}

describe('first screen and playback', () => {
  for (const [w, h] of [
    [700, 800],
    [1400, 800],
  ] as const) {
    it(`at ${w}×${h} the first screen holds the controls, the timeline, the vanishing view, the prediction and the loss`, async () => {
      const p = await openPanel(shared.browser, shared.server);
      await p.page.setViewportSize({ width: w, height: h });
      const run = runInfo();
      await p.send(init(run, history, { state: 'done', epochsPerSecond: 60 }));
      await p.frames();
      await p.page.screenshot({ path: join(ARTIFACTS, `first-screen-${w}x${h}.png`) });
      assert.equal(await hook(p, 'heatmapKey'), 'lastLossGradNorm', 'the vanishing view is the default');
      for (const sel of ['#btn-pause', '#btn-stop', '#btn-play', '#scrubber', '.heatmap-canvas', '.legend', '.line.predicted', '#sec-loss canvas']) {
        const b = await box(p, sel);
        assert.ok(b && b.height > 0, `${sel} is laid out`);
        assert.ok(b.top >= 0 && b.bottom <= h, `${sel} lies within the first ${h} px (${b.top.toFixed(0)}–${b.bottom.toFixed(0)})`);
      }
      if (w >= 1000) {
        const heat = await box(p, '.heatmap-canvas');
        const loss = await box(p, '#sec-loss canvas');
        assert.ok(heat && loss && loss.left >= heat.right, 'a wide panel puts the loss beside the heatmap');
      }
      assert.deepEqual(await p.problems(), []);
      await p.page.close();
    });
  }

  it('a new run plays from its first epoch; the scrubber rises to the last epoch and the film stops there', async () => {
    const p = await openPanel(shared.browser, shared.server);
    await p.page.setViewportSize({ width: 700, height: 800 });
    const run = runInfo();
    // 600 epochs at 16 × 60 epochs a second take about 0.6 s.
    await p.send(init(run, history, { state: 'done', epochsPerSecond: 60 }));
    // The speed is a toolkit dropdown (selectOption does not reach it): open it and pick 16×.
    await p.page.locator('#sel-speed').click();
    await p.page.locator('#sel-speed vscode-option', { hasText: '16×' }).click();
    const seen: number[] = [];
    // Playback runs on wall time and frames do not: the wait is bounded by time, not by a frame count.
    for (const until = Date.now() + 20_000; Date.now() < until; ) {
      const v = Number(await p.page.locator('#scrubber').inputValue());
      if (seen[seen.length - 1] !== v) seen.push(v);
      if (v === 599) break;
      await p.rawFrames(3);
    }
    assert.ok(seen.length >= 3, `the scrubber moved through ${seen.join(', ')}`);
    assert.ok(seen.every((v, i) => i === 0 || v > seen[i - 1]), 'it only rises');
    assert.equal(seen[seen.length - 1], 599);
    const pb = await hook<{ playing: boolean }>(p, 'playback');
    assert.equal(pb.playing, false, 'the film stops at the end of a finished run');
    // The charts are redrawn at most every few of their own costs: they catch up once the panel is idle.
    await p.frames();
    const loss = await hook<{ x: number }[]>(p, 'chart', 'loss');
    assert.equal(loss[loss.length - 1].x, 599);
    await p.page.close();
  });

  it('the scrubber and the heatmap move the playhead; every view follows it', async () => {
    const p = await openPanel(shared.browser, shared.server);
    await p.page.setViewportSize({ width: 700, height: 800 });
    const run = runInfo();
    await p.send(init(run, history, { state: 'done', epochsPerSecond: 60 }));
    await p.page.locator('#scrubber').focus();
    await p.page.keyboard.press('Home');
    await p.page.keyboard.press('ArrowRight');
    await p.page.keyboard.press('ArrowRight');
    await p.page.waitForFunction(() => (window as unknown as { __rnnLab: { selected(): number | null } }).__rnnLab.selected() === 2);
    await p.frames();
    const loss = await hook<{ x: number }[]>(p, 'chart', 'loss');
    assert.deepEqual(loss.map((q) => q.x), [0, 1, 2], 'the loss curve is drawn up to the playhead');
    assert.match(await p.page.locator('#timeline-epoch').innerText(), /epoch #2 of #599/);
    assert.match((await p.page.locator('.prediction .caption').first().textContent()) ?? '', /epoch #2/);
    assert.match(await hook<string>(p, 'whyText'), /^Epoch 2: going back one step multiplies/);
    // The matrix follows the paused playhead.
    const asked = await p.answer('matrix', { epoch: 2, size: 2, values: new Float64Array([1, NaN, 0.5, 1]) });
    assert.deepEqual(asked.params, { epoch: 2 });
    // A click on a heatmap row moves it there.
    const c = await hook<{ x: number; y: number }>(p, 'cellCenter', 300, 5);
    await p.page.mouse.click(c.x, c.y);
    await p.page.waitForFunction(() => (window as unknown as { __rnnLab: { selected(): number | null } }).__rnnLab.selected() === 300);
    // The scrubber is redrawn on the next frame: wait for it rather than read it at once (a race on a loaded machine).
    await p.page.waitForFunction(() => (document.querySelector('#scrubber') as HTMLInputElement | null)?.value === '300', undefined, { timeout: 5000 }).catch(() => undefined);
    assert.equal(Number(await p.page.locator('#scrubber').inputValue()), 300);
    await p.page.close();
  });

  it('playback survives being hidden: the saved state brings back its speed and epoch', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const run = runInfo();
    await p.send(init(run, history, { state: 'done', epochsPerSecond: 60 }));
    await p.page.selectOption('#sel-speed', '4').catch(() => undefined);
    await p.page.locator('#scrubber').focus();
    await p.page.keyboard.press('End');
    await p.page.keyboard.press('ArrowLeft');
    await p.page.waitForFunction(() => (window as unknown as { __state?: { view?: { playback?: { epoch?: number } } } }).__state?.view?.playback?.epoch === 598);
    const saved = await p.savedState();
    await p.page.close();
    const q = await openPanel(shared.browser, shared.server, saved);
    await q.frames();
    const pb = await hook<{ playing: boolean; speed: unknown }>(q, 'playback');
    assert.deepEqual([pb.playing, await hook(q, 'selected')], [false, 598]);
    await q.page.close();
  });
});
