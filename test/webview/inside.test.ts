// "Inside the network" in Chromium: known activations read back as known colours, a unit's text,
// the p(target) strip with its top-5 tooltip, connectivity on a click, the gradient check table,
// and the held-out curves of a run with validationSplit.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, hook, openPanel, type Panel, useSharedBrowser } from './harness';
import type { HostToWebview } from '../../src/shared/protocol';
import { epoch, init, runInfo } from './fixtures';
import type { InspectReply } from '../../src/shared/inside';
import type { GradCheckReport } from '../../src/core/gradcheck';
import type { Point } from '../../webview/charts';
import { DIVERGING_ENDS } from '../../webview/activations';
import { VIRIDIS, type Rgb } from '../../webview/colormap';

const shared = useSharedBrowser();

type Rgba = [number, number, number, number];
const rgbCss = ([r, g, b]: Rgb): string => `rgb(${r}, ${g}, ${b})`;
const parseRgb = (s: string): number[] => (s.match(/\d+/g) ?? []).slice(0, 3).map(Number);
const close = (a: readonly number[], b: readonly number[], tol = 2): boolean => [0, 1, 2].every((i) => Math.abs(a[i] - b[i]) <= tol);

const TEXT = 'hello!';
const VOCAB = [...new Set(Array.from(TEXT))].sort();
const T = 5;
const H = 3;
const ids = (s: string): Int32Array => Int32Array.from(Array.from(s), (c) => VOCAB.indexOf(c));

/**
 * h: unit 0 runs −1 → +1 across the steps, unit 1 is flat at 0 but for a +1 at step 2, unit 2
 * alternates ±0.5 (the largest variance is unit 0's, then unit 2's, then unit 1's).
 */
function knownH(): Float64Array {
  const h = new Float64Array(T * H);
  for (let t = 0; t < T; t++) {
    h[t * H + 0] = -1 + (2 * t) / (T - 1);
    h[t * H + 1] = t === 2 ? 1 : 0;
    h[t * H + 2] = t % 2 === 0 ? 0.5 : -0.5;
  }
  return h;
}

function reply(e: number, cell: 'rnn' | 'lstm' = 'rnn'): InspectReply {
  const k = 3;
  const topIds = new Int32Array(T * k);
  const topP = new Float64Array(T * k);
  const targets = ids(TEXT.slice(1));
  for (let t = 0; t < T; t++) {
    // The target first with p = t/4 (0 at step 0, 1 at step 4), then two other characters.
    topIds.set([targets[t], (targets[t] + 1) % VOCAB.length, (targets[t] + 2) % VOCAB.length], t * k);
    topP.set([t / 4, (1 - t / 4) * 0.6, (1 - t / 4) * 0.4], t * k);
  }
  const gate = (f: (t: number, j: number) => number): Float64Array => Float64Array.from({ length: T * H }, (_, i) => f(Math.floor(i / H), i % H));
  return {
    epoch: e,
    cell,
    hiddenSize: H,
    steps: T,
    start: 0,
    vocab: VOCAB,
    inputs: ids(TEXT.slice(0, T)),
    targets,
    h: knownH(),
    c: cell === 'lstm' ? knownH().map((v) => 2 * v) : null,
    gateNames: cell === 'lstm' ? ['i', 'f', 'g', 'o'] : [],
    // i: unit 0 always 0, unit 1 always 1, unit 2 half and half; f: always open; o: always shut.
    gates: cell === 'lstm' ? { i: gate((t, j) => (j === 0 ? 0 : j === 1 ? 1 : t < 2 ? 0.05 : 0.95)), f: gate(() => 0.99), g: gate(() => 0), o: gate(() => 0.01) } : null,
    topK: k,
    topIds,
    topP,
    targetP: Float64Array.from({ length: T }, (_, t) => t / 4),
    loss: 1.234,
  };
}

async function openWithInspection(cell: 'rnn' | 'lstm' = 'rnn'): Promise<{ p: Panel; e: number }> {
  const p = await openPanel(shared.browser, shared.server);
  const run = runInfo({ text: TEXT, steps: T, stepLabels: Array.from(TEXT.slice(0, T)), config: { ...runInfo().config, cell } });
  await p.send(init(run, [0, 1, 2].map((n) => epoch(n, T, { predicted: 'hxllo!' })), { state: 'done' }));
  await p.frames();
  const asked = await p.answer('inspect', reply(2, cell));
  assert.deepEqual(asked.params, { epoch: 2 }, 'the playhead’s epoch is inspected');
  await p.page.waitForFunction(() => /Epoch #2: 3 units × 5 steps/.test(document.getElementById('inside-caption')?.textContent ?? ''));
  await p.frames();
  return { p, e: 2 };
}

async function pixelOf(p: Panel, unit: number, step: number): Promise<Rgba> {
  const c = await hook<{ canvasX: number; canvasY: number } | null>(p, 'insideCell', unit, step);
  assert.ok(c, `unit ${unit} is drawn`);
  return hook<Rgba>(p, 'insidePixel', c.canvasX, c.canvasY);
}

describe('inside the network', () => {
  it('colours a known activation matrix: −1 blue, 0 light, +1 red; gates 0…1 on viridis', async () => {
    const { p } = await openWithInspection('lstm');
    assert.ok(close(await pixelOf(p, 0, 0), DIVERGING_ENDS.low), 'h = −1 is the blue end');
    assert.ok(close(await pixelOf(p, 0, 4), DIVERGING_ENDS.high), 'h = +1 is the red end');
    assert.ok(close(await pixelOf(p, 0, 2), DIVERGING_ENDS.mid), 'h = 0 is the light middle');
    assert.ok(close(await pixelOf(p, 1, 2), DIVERGING_ENDS.high), 'the lone +1 of unit 1');
    assert.ok(close(await pixelOf(p, 1, 3), DIVERGING_ENDS.mid));

    const tabs = await p.page.locator('#sec-inside [role=tab]').allTextContents();
    assert.deepEqual(tabs, ['h', 'c', 'i', 'f', 'g', 'o'], 'a tab for h, c and each LSTM gate');
    await p.page.locator('#inside-tab-c').click();
    await p.frames();
    assert.ok(close(await pixelOf(p, 0, 0), DIVERGING_ENDS.low), 'c = −2 is clipped to the blue end');
    assert.ok(close(await pixelOf(p, 2, 1), DIVERGING_ENDS.low), 'c = −1 (unit 2, step 1) is blue too');
    assert.ok(close(await pixelOf(p, 1, 0), DIVERGING_ENDS.mid), 'c = 0 stays light');
    await p.page.locator('#inside-tab-i').click();
    await p.frames();
    assert.equal(await hook(p, 'insideTab'), 'i');
    assert.ok(close(await pixelOf(p, 0, 3), VIRIDIS[0]), 'gate 0 is viridis’ dark end');
    assert.ok(close(await pixelOf(p, 1, 3), VIRIDIS[255]), 'gate 1 is viridis’ yellow end');
    assert.deepEqual(await p.problems(), []);
    await p.page.close();
  });

  it('saves the activation heatmap and the saturation scatter as PNG figures', async () => {
    const { p } = await openWithInspection('lstm');
    for (const [id, figure] of ['activations', 'saturation'].entries()) {
      await p.send({ type: 'request', id: 200 + id, kind: 'renderFigure', params: { figure } } as HostToWebview);
      const reply = await p.page.waitForFunction((rid) => (window as unknown as { __posted: { type: string; id?: number }[] }).__posted.find((m) => m.type === 'reply' && m.id === rid), 200 + id);
      const r = (await reply.jsonValue()) as unknown as { ok: boolean; value?: { png: string; width: number; height: number }; error?: string };
      assert.ok(r.ok, `${figure}: ${r.error}`);
      const png = Buffer.from(r.value!.png, 'base64');
      assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', figure);
      assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [r.value!.width, r.value!.height], `${figure}: the size it reports`);
      writeFileSync(join(ARTIFACTS, `figure-${figure}.png`), png);
    }
    await p.page.close();
  });

  it('sorts the units by variance, by saturation and by number', async () => {
    const { p } = await openWithInspection();
    const rowOf = async (u: number): Promise<number> => (await hook<{ canvasY: number }>(p, 'insideCell', u, 0)).canvasY;
    const order = async (): Promise<number[]> => {
      const ys = await Promise.all([0, 1, 2].map(rowOf));
      return [0, 1, 2].sort((a, b) => ys[a] - ys[b]);
    };
    assert.deepEqual(await order(), [0, 1, 2]);
    const pick = async (label: string): Promise<void> => {
      await p.page.locator('#sel-inside-sort').click();
      await p.page.locator('#sel-inside-sort vscode-option', { hasText: label }).click();
      await p.frames();
    };
    // Variances: unit 0 (−1…1 evenly) 0.5, unit 2 (±0.5) 0.24, unit 1 (one 1) 0.16.
    await pick('variance');
    assert.deepEqual(await order(), [0, 2, 1]);
    // |h| > 0.9: unit 0 at two steps (−1, +1), unit 1 at one, unit 2 never.
    await pick('saturation');
    assert.deepEqual(await order(), [0, 1, 2]);
    await p.page.close();
  });

  it('a click on a unit colours the text by that unit, and the arrows pick the next unit', async () => {
    const { p } = await openWithInspection();
    const c = await hook<{ x: number; y: number }>(p, 'insideCell', 1, 0);
    await p.page.mouse.click(c.x, c.y);
    await p.frames();
    const text = await hook<{ char: string; background: string; value: number }[]>(p, 'insideUnitText');
    assert.equal(text.map((s) => s.char).join(''), 'hello', 'the inputs, one span each');
    const h = knownH();
    assert.deepEqual(text.map((s) => s.value), [0, 1, 2, 3, 4].map((t) => h[t * H + 1]), 'unit 1’s values');
    assert.ok(close(parseRgb(text[2].background), DIVERGING_ENDS.high), 'its +1 step is red');
    assert.ok(close(parseRgb(text[0].background), DIVERGING_ENDS.mid), 'its zeros are light');
    assert.match((await p.page.locator('#sec-inside').textContent()) ?? '', /Unit 1: the text coloured by h\[1\]/);
    await p.page.locator('#inside-canvas').focus();
    await p.page.keyboard.press('ArrowUp');
    await p.frames();
    const up = await hook<{ background: string }[]>(p, 'insideUnitText');
    assert.ok(close(parseRgb(up[0].background), DIVERGING_ENDS.low), 'unit 0 starts at −1');
    await p.page.close();
  });

  it('tells the host the picked unit (the editor colours by it) and unpicks it on a second click or Escape', async () => {
    const { p } = await openWithInspection('lstm');
    const units = async () => (await p.posted()).filter((m) => m.type === 'insideUnit');
    const c = await hook<{ x: number; y: number }>(p, 'insideCell', 2, 1);
    await p.page.mouse.click(c.x, c.y);
    await p.frames();
    assert.deepEqual((await units()).at(-1), { type: 'insideUnit', unit: 2, array: 'h', position: 0 });
    await p.page.locator('#inside-tab-f').click();
    await p.frames();
    assert.deepEqual((await units()).at(-1), { type: 'insideUnit', unit: 2, array: 'f', position: 0 }, 'another tab: the same unit in that array');
    await p.page.mouse.click(c.x, c.y);
    await p.frames();
    assert.deepEqual((await units()).at(-1), { type: 'insideUnit', unit: null, array: 'f', position: 0 }, 'a click on the picked unit unpicks it');
    assert.equal((await hook<unknown[]>(p, 'insideUnitText')).length, 0);
    await p.page.mouse.click(c.x, c.y);
    assert.equal(await p.page.locator('#btn-inside-unpick').isVisible(), true);
    await p.page.locator('#inside-canvas').focus();
    await p.page.keyboard.press('Escape');
    await p.frames();
    assert.equal((await units()).at(-1)?.unit, null, 'Escape unpicks');
    assert.equal(await p.page.locator('#btn-inside-unpick').isVisible(), false);
    // The host's command picks one too.
    await p.send({ type: 'insidePick', unit: 1, array: 'c' });
    await p.frames();
    assert.deepEqual((await units()).at(-1), { type: 'insideUnit', unit: 1, array: 'c', position: 0 });
    assert.match((await p.page.locator('#sec-inside').textContent()) ?? '', /Unit 1: the text coloured by c\[1\]/);
    await p.page.close();
  });

  it('keeps the tab and the sort across a reload (the saved view)', async () => {
    const { p } = await openWithInspection('lstm');
    await p.page.locator('#inside-tab-c').click();
    await p.page.locator('#sel-inside-sort').click();
    await p.page.locator('#sel-inside-sort vscode-option', { hasText: 'variance over time' }).click();
    await p.frames();
    const saved = (await p.savedState()) as { view?: { prefs?: { insideTab?: string; insideSort?: string } } };
    assert.equal(saved.view?.prefs?.insideTab, 'c');
    assert.equal(saved.view?.prefs?.insideSort, 'variance');
    await p.page.close();
    const again = await openPanel(shared.browser, shared.server, saved);
    const run = runInfo({ text: TEXT, steps: T, stepLabels: Array.from(TEXT.slice(0, T)), config: { ...runInfo().config, cell: 'lstm' } });
    await again.send(init(run, [0, 1, 2].map((n) => epoch(n, T, { predicted: 'hxllo!' })), { state: 'done' }));
    await again.frames();
    await again.answer('inspect', reply(2, 'lstm'));
    await again.page.waitForFunction(() => /Epoch #2/.test(document.getElementById('inside-caption')?.textContent ?? ''));
    await again.frames();
    assert.equal(await again.page.locator('#inside-tab-c').getAttribute('aria-selected'), 'true', 'the c tab again');
    assert.equal(await again.page.locator('#sel-inside-sort').evaluate((e) => (e as unknown as { value: string }).value), 'variance');
    await again.page.close();
  });

  it('window mode: the inspected window follows the chooser and the editor cursor', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const run = runInfo({ text: TEXT, steps: 2, stepLabels: ['h', 'e'], config: { ...runInfo().config, mode: { kind: 'window', k: 2 } } });
    await p.send(init(run, [0, 1, 2].map((n) => epoch(n, 2)), { state: 'done' }));
    await p.frames();
    const first = await p.answer('inspect', { ...reply(2), steps: 2 });
    assert.deepEqual(first.params, { epoch: 2, position: 0 });
    assert.match(await p.waitText('#inside-window-label', /window 1 of 3/), /characters 0–1/);
    assert.equal(await p.page.locator('#btn-inside-prev-window').isDisabled(), true);
    await p.page.locator('#btn-inside-next-window').click();
    const second = await p.answer('inspect', { ...reply(2), steps: 2, start: 2 });
    assert.deepEqual(second.params, { epoch: 2, position: 2 }, 'the next window of the same epoch');
    await p.waitText('#inside-window-label', /window 2 of 3/);
    // The editor's cursor moves into the last window (the host reports its position).
    await p.send({ type: 'insidePosition', position: 4 });
    const third = await p.answer('inspect', { ...reply(2), steps: 1, start: 4 });
    assert.deepEqual(third.params, { epoch: 2, position: 4 });
    await p.waitText('#inside-window-label', /window 3 of 3 \(characters 4–4/);
    assert.equal(await p.page.locator('#btn-inside-next-window').isDisabled(), true);
    await p.page.close();
  });

  it('draws p(target) under the prediction and shows the top guesses on hover', async () => {
    const { p } = await openWithInspection();
    const strip = p.page.locator('#target-strip span[data-step]');
    assert.equal(await strip.count(), T);
    assert.equal((await strip.allTextContents()).join(''), 'ello!', 'the targets');
    const bg = await strip.evaluateAll((els) => els.map((e) => (e as HTMLElement).style.backgroundColor));
    assert.equal(bg[0], rgbCss(VIRIDIS[0]), 'p = 0 is viridis’ dark end');
    assert.equal(bg[4], rgbCss(VIRIDIS[255]), 'p = 1 is its yellow end');
    assert.equal(bg[2], rgbCss(VIRIDIS[128]), 'p = 0.5 the middle');
    // Aligned under the target line: step t sits under character t + 1.
    const target = await p.page.locator('.prediction .line.target').boundingBox();
    const first = await strip.first().boundingBox();
    const charW = (target!.width / TEXT.length);
    assert.ok(Math.abs(first!.x - (target!.x + charW)) < 2, `step 0 under the second character (${first!.x} vs ${target!.x + charW})`);
    await strip.nth(1).hover();
    const tip = (await p.page.locator('#target-tooltip').textContent()) ?? '';
    assert.match(tip, /step 1: 'e' → 'l', p\(target\) = 0\.2500/);
    assert.match(tip, /1\. 'l' 0\.2500/);
    assert.match(tip, /3\. '.' 0\.3000/);
    assert.ok(await p.page.locator('#target-tooltip').isVisible());
    await p.page.close();
  });

  it('a click on a predicted character colours the inputs before it by connectivity on a log scale', async () => {
    const { p, e } = await openWithInspection();
    await p.page.locator('#target-strip span[data-step="3"]').click();
    const asked = await p.answer('connectivity', { epoch: e, t: 3, start: 0, values: new Float64Array([1e-4, 1e-3, 1e-2, 1e-1]) });
    assert.deepEqual(asked.params, { epoch: e, t: 3 });
    await p.page.waitForFunction(() => document.querySelectorAll('#connectivity-line span[data-step]').length === 4);
    const colours = await hook<{ step: number; value: number; background: string }[]>(p, 'connectivityColors');
    assert.deepEqual(colours.map((c) => c.step), [0, 1, 2, 3], 'the inputs up to the clicked step');
    // Four decades evenly: log10 from −4 to −1 spreads over the map at 0, 85, 170, 255.
    assert.deepEqual(colours.map((c) => c.background), [0, 85, 170, 255].map((i) => rgbCss(VIRIDIS[i])));
    assert.match((await p.page.locator('#connectivity-caption').textContent()) ?? '', /step 3 \(predicting 'o'\) at epoch #2/);
    assert.match((await p.page.locator('.connectivity-info canvas').getAttribute('aria-label')) ?? '', /from 1\.0e-4|10\^-4|1e-4/);
    // A new inspection (the playhead moved) asks for the same step's connectivity again.
    await p.page.locator('.heatmap-canvas').focus();
    await p.page.keyboard.press('ArrowUp');
    const again = await p.answer('inspect', reply(1));
    assert.deepEqual(again.params, { epoch: 1 });
    const conn = await p.answer('connectivity', { epoch: 1, t: 3, start: 0, values: new Float64Array([1, 1, 1, 1]) });
    assert.deepEqual(conn.params, { epoch: 1, t: 3 });
    await p.page.close();
  });

  it('Check gradients asks the worker and lists the largest relative error per parameter', async () => {
    const { p } = await openWithInspection();
    assert.ok(await p.page.locator('#sec-gradcheck details').evaluate((d) => (d as HTMLDetailsElement).open), 'the section starts open');
    await p.page.locator('#btn-gradcheck').click();
    const report: GradCheckReport = {
      mode: { kind: 'full' },
      start: 0,
      steps: T,
      params: [
        { param: 'Wxh', shape: [6, 3], checked: 18, maxRelError: 3.2e-9, maxAbsError: 1e-11, worst: { index: 4, analytic: 0.1, numeric: 0.1 } },
        { param: 'Whh', shape: [3, 3], checked: 9, maxRelError: 0.02, maxAbsError: 1e-3, worst: { index: 2, analytic: 0.05, numeric: 0.051 } },
      ],
    };
    const asked = await p.answer('gradCheck', report);
    assert.deepEqual(asked.params, {});
    await p.page.waitForFunction(() => !document.getElementById('gradcheck-table')?.hidden);
    const rows = await p.page.locator('#gradcheck-table tbody tr').evaluateAll((trs) => trs.map((tr) => ({ cells: [...tr.children].map((td) => td.textContent), bad: tr.classList.contains('bad') })));
    assert.deepEqual(rows, [
      { cells: ['Wxh', '6×3', '18', '3.20e-9', '1.00e-11'], bad: false },
      { cells: ['Whh', '3×3', '9', '2.00e-2', '1.00e-3'], bad: true },
    ]);
    assert.match((await p.page.locator('#gradcheck-caption').textContent()) ?? '', /Some gradients disagree.*largest relative error 2\.00e-2/);
    await p.page.close();
  });

  it('a worker that cannot inspect says why in the section', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const run = runInfo({ text: TEXT, steps: T, stepLabels: Array.from(TEXT.slice(0, T)) });
    await p.send(init(run, [epoch(0, T)], { state: 'done' }));
    await p.answer('inspect', null, 'Looking inside the network needs the training worker, which is no longer running for this run.');
    await p.waitText('#inside-caption', /not available: Looking inside the network needs the training worker/);
    assert.equal(await p.page.locator('#target-strip').isVisible(), false, 'no strip without data');
    await p.page.close();
  });

  it('draws the held-out loss and accuracy beside the training curves', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const run = runInfo({ text: TEXT, steps: 4, stepLabels: Array.from(TEXT.slice(0, 4)), config: { ...runInfo().config, validationSplit: 0.2 } });
    const eps = [0, 1, 2].map((n) => epoch(n, 4, { valLoss: 3 - n / 2, valAccuracy: n / 4, predicted: 'hxlll' }));
    await p.send(init(run, eps, { state: 'done' }));
    await p.frames();
    assert.deepEqual((await hook<Point[]>(p, 'chart', 'loss', 1)).map((q) => q.y), [3, 2.5, 2]);
    assert.deepEqual((await hook<Point[]>(p, 'chart', 'accuracy', 1)).map((q) => q.y), [0, 0.25, 0.5]);
    assert.deepEqual((await hook<Point[]>(p, 'chart', 'loss', 0)).map((q) => q.y), eps.map((m) => m.loss));
    await p.page.close();
  });
});
