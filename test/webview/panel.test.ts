// The panel in headless Chromium: handshake, CSP, charts, controls, restart form, saved state.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, hook, openPanel, startServer, useSharedBrowser } from './harness';
import { CONFIG, epoch, epochs, init, matrixValues, runInfo } from './fixtures';
import type { Point } from '../../webview/charts';
import { parsePersistedRun } from '../../src/shared/persist';

const shared = useSharedBrowser();

describe('webview panel', () => {
  it('posts ready on load without CSP violations or console errors', async () => {
    const p = await openPanel(shared.browser, shared.server);
    await p.frames();
    assert.deepEqual(await p.posted(), [{ type: 'ready' }]);
    const run = runInfo();
    await p.send(init(run, [epoch(0, run.steps)]));
    await p.frames();
    assert.deepEqual(await p.problems(), []);
    await p.page.close();
  });

  it('says ready again when a sync comes before any init (its early init went to a replaced document), and not after one', async () => {
    const p = await openPanel(shared.browser, shared.server);
    await p.frames();
    await p.send({ type: 'sync' });
    await p.frames();
    assert.deepEqual(await p.posted(), [{ type: 'ready' }, { type: 'ready' }], 'no init yet: it asks again');
    const run = runInfo();
    await p.send(init(run, [epoch(0, run.steps)]));
    await p.send({ type: 'sync' });
    await p.frames();
    assert.deepEqual(await p.posted(), [{ type: 'ready' }, { type: 'ready' }], 'with an init, a sync asks for nothing');
    assert.deepEqual(await p.problems(), []);
    await p.page.close();
  });

  it("says how far a long epoch has got until that epoch arrives, and not for another run", async () => {
    const p = await openPanel(shared.browser, shared.server);
    const run = runInfo();
    await p.send(init(run, []));
    await p.send({ type: 'progress', runId: 'another-run', progress: { epoch: 0, done: 500, total: 1000, loss: 9, accuracy: 0 } });
    await p.frames();
    assert.doesNotMatch(await p.page.locator('#status-line').innerText(), /in progress/);
    await p.send({ type: 'progress', runId: run.runId, progress: { epoch: 0, done: 437, total: 1000, loss: 2.34567, accuracy: 0.1 } });
    assert.equal(await p.waitText('#status-line', /in progress/), 'Running · epoch #0 in progress: 43% of the text, loss so far 2.3457');
    await p.send(epochs(run, [epoch(0, run.steps)]));
    const line = await p.waitText('#status-line', /^Running · epoch #0 \(/);
    assert.doesNotMatch(line, /in progress/, 'the epoch itself replaces its progress');
    assert.deepEqual(await p.problems(), []);
    await p.page.close();
  });

  it('plots exactly the received losses and accuracies, skipping non-finite ones', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const run = runInfo();
    const first = [0, 1, 2].map((n) => epoch(n, run.steps));
    await p.send(init(run, first));
    const batch = [3, 4, 5, 6].map((n) => epoch(n, run.steps));
    batch[1].loss = NaN;
    await p.send(epochs(run, batch));
    // A batch for another run must be ignored.
    await p.send(epochs({ ...run, runId: 'other' }, [epoch(7, run.steps)]));
    await p.frames();
    const all = [...first, ...batch];
    const loss = await hook<Point[]>(p, 'chart', 'loss');
    assert.deepEqual(loss, all.filter((e) => Number.isFinite(e.loss)).map((e) => ({ x: e.epoch, y: e.loss })));
    const acc = await hook<Point[]>(p, 'chart', 'accuracy');
    assert.deepEqual(acc, all.map((e) => ({ x: e.epoch, y: e.accuracy })));
    const sigma = await hook<Point[]>(p, 'chart', 'sigma', 1);
    assert.deepEqual(sigma.map((q) => q.y), [1, 1], 'reference line at σ = 1');
    assert.match(await p.waitText('#status-line', /epoch #6/), /^Running · epoch #6 \(7 of 600\) · loss /);
    await p.page.close();
  });

  it('switches the loss axis to log scale', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const run = runInfo();
    await p.send(init(run, [0, 1].map((n) => epoch(n, run.steps))));
    await p.frames();
    await p.page.locator('#chk-loss-log').click();
    await p.frames();
    await p.page.waitForFunction(() => (window as unknown as { __state?: { view?: { prefs?: { lossLog?: boolean } } } }).__state?.view?.prefs?.lossLog === true);
    assert.equal((await hook<Point[]>(p, 'chart', 'loss')).length, 2);
    await p.page.close();
  });

  it('enables controls by run state and sends control and export messages', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const run = runInfo();
    await p.send(init(run, [epoch(0, run.steps)]));
    await p.frames();
    const disabled = async (id: string): Promise<boolean> => p.page.locator(id).evaluate((el) => el.hasAttribute('disabled'));
    assert.equal(await disabled('#btn-pause'), false);
    assert.equal(await disabled('#btn-resume'), true);
    assert.equal(await disabled('#btn-step'), true);
    await p.page.locator('#btn-pause').click();
    await p.send({ type: 'state', runId: run.runId, state: 'paused' });
    await p.frames();
    assert.equal(await disabled('#btn-pause'), true);
    assert.equal(await disabled('#btn-step'), false);
    await p.page.locator('#btn-step').click();
    // Keyboard: focus Resume and press Enter.
    await p.page.locator('#btn-resume').focus();
    await p.page.keyboard.press('Enter');
    await p.page.locator('#btn-export-weights').click();
    await p.page.locator('#btn-export-csv').click();
    await p.page.locator('#btn-export-json').click();
    await p.page.locator('#btn-stop').click();
    // The matrix and inspection requests that follow the playhead are not what this test is about.
    const sent = (await p.posted())
      .slice(1)
      .filter((m) => !(m.type === 'request' && (m.kind === 'matrix' || m.kind === 'inspect')))
      .map((m) => (m.type === 'request' ? { kind: m.kind, params: m.params } : m));
    assert.deepEqual(sent, [
      { type: 'control', action: 'pause' },
      { type: 'control', action: 'step' },
      { type: 'control', action: 'resume' },
      { kind: 'exportWeights', params: {} },
      { kind: 'exportMetrics', params: { format: 'csv' } },
      { kind: 'exportMetrics', params: { format: 'json' } },
      { type: 'control', action: 'stop' },
    ]);
    const ids = (await p.posted()).flatMap((m) => (m.type === 'request' && m.kind !== 'matrix' && m.kind !== 'inspect' ? [m.id] : []));
    assert.equal(new Set(ids).size, 3, 'each request has its own id');
    await p.send({ type: 'state', runId: run.runId, state: 'done' });
    await p.frames();
    for (const id of ['#btn-pause', '#btn-resume', '#btn-step', '#btn-stop']) assert.equal(await disabled(id), true, id);
    assert.equal(await disabled('#btn-export-csv'), false);
    await p.page.close();
  });

  it('restart form sends a valid config and refuses an invalid one', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const run = runInfo({ config: { ...CONFIG, hiddenSize: 32, learningRate: 0.01, mode: { kind: 'truncate', k: 8 } } });
    await p.send(init(run, [epoch(0, run.steps)], { state: 'done' }));
    await p.frames();
    const field = (id: string) => p.page.locator(`#${id} input`);
    assert.equal(await field('f-hiddenSize').inputValue(), '32');
    assert.equal(await field('f-k').inputValue(), '8');
    await field('f-hiddenSize').fill('0');
    await field('f-learningRate').fill('abc');
    await p.page.locator('#btn-restart').click();
    assert.equal((await p.posted()).filter((m) => m.type === 'restart').length, 0, 'nothing sent while invalid');
    const errors = await p.page.locator('.field-error').allTextContents();
    assert.ok(errors.some((e) => /whole number from 1 to 1024/.test(e)), errors.join('|'));
    assert.ok(errors.some((e) => /greater than 0/.test(e)), errors.join('|'));
    await field('f-hiddenSize').fill('64');
    await field('f-learningRate').fill('0.005');
    await field('f-epochs').fill('1200');
    await p.page.locator('#btn-restart').click();
    const sent = (await p.posted()).filter((m) => m.type === 'restart');
    assert.deepEqual(sent, [{ type: 'restart', config: { ...CONFIG, hiddenSize: 64, learningRate: 0.005, epochs: 1200, mode: { kind: 'truncate', k: 8 } } }]);
    await p.page.close();
  });

  it('marks each predicted character and prints the seed-style history', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const run = runInfo({ printEvery: 2 });
    const len = Array.from(run.text).length;
    const eps = [0, 1, 2, 3].map((n) => epoch(n, run.steps, { predicted: n === 3 ? 'hellx' + 'e'.repeat(len - 5) : 'h' + 'e'.repeat(len - 1) }));
    await p.send(init(run, eps));
    await p.frames();
    const ok = await p.page.locator('.line.predicted .ok').allTextContents();
    const bad = await p.page.locator('.line.predicted .bad').allTextContents();
    // "hell" right, then "x" and the 'e's wrong until the text has an 'e' again.
    assert.equal(ok[0], 'hell');
    assert.ok(bad[0].startsWith('x'), bad[0]);
    assert.equal(await p.page.locator('.line.predicted').textContent(), 'hellx' + 'e'.repeat(len - 5));
    const history = await hook<string>(p, 'historyText');
    const lines = history.split('\n');
    assert.equal(lines.length, 3, history);
    assert.match(lines[0], /^#0, Loss: 3\.000000, Acc: 0\.000000, Test_string: "he+"$/);
    assert.match(lines[1], /^#2, Loss: /);
    assert.match(lines[2], /^#3, Loss: .*Test_string: "hellx/);
    await p.page.close();
  });

  it('shows restored, diverged and crashed messages and the run notes', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const run = runInfo({ notes: ['Trained on the whole document (no selection)'] });
    await p.send(init(run, [epoch(0, run.steps)], { restored: true, state: 'done' }));
    await p.frames();
    const text = async (sel: string): Promise<string> => (await p.page.locator(sel).textContent()) ?? '';
    assert.match(await text('#status-message'), /Restored after reload: showing the finished run’s history; training is not resumed/);
    assert.match(await text('.notes'), /Trained on the whole document \(no selection\)/);
    // With the host's own restore note (what TrainingPanelSerializer sends), it is said once.
    const note = "Restored after reload: showing the run's history; training is not resumed.";
    await p.send(init(run, [epoch(0, run.steps)], { restored: true, state: 'done', message: note }));
    await p.frames();
    assert.equal(await text('#status-message'), note);
    assert.equal(await p.page.locator('#btn-export-weights').evaluate((el) => el.hasAttribute('disabled')), true);
    await p.send(init(run, [epoch(0, run.steps)]));
    await p.send({ type: 'state', runId: run.runId, state: 'diverged', message: 'Loss became NaN at epoch #1.', epoch: 1 });
    await p.frames();
    assert.match(await text('#status-message'), /NaN at epoch #1\. Try a lower learning rate/);
    // Issue #12, defect 6: an explosion before any update gets the core's reason, no learning-rate advice.
    const untrained = 'Training diverged at epoch 0, before any update: the untrained network already explodes, so no learning rate is to blame (the loss exploded (4972); σ_max(W_hh) = 2.83 and ReLU does not saturate, so h_t can grow 2.83× per step over the 45 steps). Start from weights with a smaller σ_max(W_hh), another seed, or the tanh activation.';
    await p.send({ type: 'state', runId: run.runId, state: 'diverged', message: untrained, epoch: 0 });
    await p.frames();
    assert.equal(await text('#status-message'), untrained);
    await p.send({ type: 'state', runId: run.runId, state: 'crashed', message: 'Worker exited with code 1.' });
    await p.frames();
    assert.match(await text('#status-message'), /Worker exited with code 1\. The history received so far is kept/);
    assert.equal((await hook<Point[]>(p, 'chart', 'loss')).length, 1, 'crash keeps the history');
    await p.page.close();
  });

  it('saves its data with setState and draws it again on reload before the host answers', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const run = runInfo();
    const eps = [0, 1, 2, 3, 4].map((n) => epoch(n, run.steps));
    // JSON would turn these into null; the saved copy keeps them, and passes the host's validator.
    eps[4].gradNorm[3] = Infinity;
    eps[3].sigmaMaxWhh = NaN;
    await p.send(init(run, eps));
    await p.send({ type: 'state', runId: run.runId, state: 'paused' });
    await p.frames();
    await p.page.waitForFunction(() => (window as unknown as { __state?: { state?: string } }).__state?.state === 'paused');
    const saved = await p.savedState();
    const parsed = parsePersistedRun(saved);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    const h = parsed.value.history!;
    assert.equal(h.count, 5);
    assert.ok(Array.from(h.rowEpochs).includes(4), 'the saved state keeps gradient rows');
    const at4 = Array.from(h.rowEpochs).indexOf(4);
    assert.equal(h.rows.gradNorm![at4 * run.steps + 3], Infinity, 'Infinity survives the save');
    assert.ok(Number.isNaN(h.scalars.sigmaMaxWhh![3]), 'NaN survives the save');
    await p.page.close();
    const q = await openPanel(shared.browser, shared.server, saved);
    await q.frames();
    assert.equal((await hook<Point[]>(q, 'chart', 'loss')).length, 5);
    assert.equal(await hook<string>(q, 'runState'), 'paused');
    const posted = await q.posted();
    assert.deepEqual(posted[0], { type: 'ready' });
    assert.ok(posted.every((m) => m.type === 'ready' || (m.type === 'request' && (m.kind === 'matrix' || m.kind === 'inspect'))), 'a restored panel only says ready (and asks for the playhead’s matrix and inspection)');
    // The host's init replaces the restored history.
    await q.send(init(run, [epoch(0, run.steps)]));
    await q.frames();
    assert.equal((await hook<Point[]>(q, 'chart', 'loss')).length, 1);
    await q.page.close();
  });

  it('a state change saves every epoch received before it, even when no frame comes (hidden panel)', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const run = runInfo();
    await p.send(init(run, [epoch(0, run.steps)]));
    await p.frames();
    const more = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => epoch(n, run.steps));
    // A hidden webview gets no animation frames; the host flushes the last batch right before 'done'.
    await p.page.evaluate(() => {
      window.requestAnimationFrame = () => 0;
    });
    await p.send(epochs(run, more));
    await p.send({ type: 'state', runId: run.runId, state: 'done' });
    await p.page.waitForFunction(() => (window as unknown as { __state?: { state?: string } }).__state?.state === 'done');
    const parsed = parsePersistedRun(await p.savedState());
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    assert.deepEqual([parsed.value.history!.first, parsed.value.history!.count], [0, 10]);
    await p.page.close();
  });

  for (const theme of ['dark', 'light'] as const) {
  it(`renders a native-looking ${theme} panel (screenshot)`, async () => {
    const themed = theme === 'dark' ? shared.server : await startServer('RNN Lab: hello world', 'light');
    const p = await openPanel(shared.browser, themed);
    const run = runInfo({ printEvery: 50, notes: ['Trained on the selection (46 characters)'] });
    const eps = Array.from({ length: 300 }, (_, n) => {
      const e = epoch(n, run.steps);
      e.predicted = Array.from(run.text).map((c, i) => (i === 0 || (i * 7 + n) % 11 < Math.min(10, n / 25) ? c : 'e')).join('');
      e.accuracy = Math.min(1, n / 280);
      e.gradNorm = e.gradNorm.map((v, t) => v * Math.pow(0.85 + n / 2000, run.steps - 1 - t));
      if (n % 97 === 5) e.gradNorm[3] = 0;
      return e;
    });
    await p.send(init(run, eps));
    await p.frames();
    await p.page.mouse.click(...(await centerOf(p, 150, 30)));
    await p.answer('matrix', { epoch: 150, size: run.steps, values: matrixValues(run.steps) });
    await p.frames(3);
    await p.page.screenshot({ path: join(ARTIFACTS, theme === 'dark' ? 'webview.png' : 'webview-light.png'), fullPage: true });
    assert.deepEqual(await p.problems(), []);
    await p.page.close();
    if (themed !== shared.server) await themed.close();
  });
  }
});

async function centerOf(p: Awaited<ReturnType<typeof openPanel>>, index: number, step: number): Promise<[number, number]> {
  const c = await hook<{ x: number; y: number }>(p, 'cellCenter', index, step);
  return [c.x, c.y];
}
