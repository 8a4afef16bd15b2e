// The panel's life in the workbench: hidden behind another editor and shown again while it
// trains, and brought back by a window reload after the run has finished.
import type { Frame } from 'playwright-core';
import { workbench as W } from './selectors';
import {
  FINAL_STATES,
  check,
  clickPanelButton,
  findPanelFrame,
  lossChartPoints,
  panelFrameCount,
  readHostStatus,
  runCommand,
  screenshot,
  startLongRun,
  trainOnSample,
  waitFor,
  waitForDone,
  waitForHeatmap,
  waitForPanel,
  waitForSettled,
  waitForWorkbench,
  type PanelReading,
  type UiScenario,
} from './helpers';

const EPOCHS = 600;
const RESTORED = /Restored after reload/;

/** History lines and chart points agree with the epoch count: the panel holds the whole run. */
async function checkWholeHistory(frame: Frame, r: PanelReading, printEvery = 30): Promise<string> {
  const points = await lossChartPoints(frame);
  // Up to 200 points the chart plots every epoch; beyond, a decimated curve over the whole run.
  const exact = r.done! <= 200 ? points.count === r.done : points.count >= 200 && points.count <= r.done!;
  check(exact && points.firstEpoch === 0 && points.lastEpoch === r.epoch, `the loss chart spans all ${r.done} epochs`, points);
  // One line every printEvery epochs, plus the latest when it falls between.
  const expected = Math.floor(r.epoch! / printEvery) + 1 + (r.epoch! % printEvery === 0 ? 0 : 1);
  check(r.history.length === expected, `the history has the run's ${expected} lines`, { lines: r.history.length, last: r.history[r.history.length - 1] });
  check(r.history[r.history.length - 1]?.startsWith(`#${r.epoch}, Loss: ${r.loss},`), 'the last history line is the latest epoch', r.history[r.history.length - 1]);
  return `loss chart from #0 to #${points.lastEpoch} (${points.count} points), ${r.history.length} history lines`;
}

const hideShow: UiScenario = {
  name: 'hide-show',
  async run(ctx) {
    const { page } = ctx;
    const checked: string[] = [];
    const { frame, moving } = await startLongRun(ctx);
    await waitForHeatmap(frame);
    const tab = page.locator(W.tab(moving.title)).first();

    // Another editor in the panel's group hides it; the webview's document goes away.
    await tab.click();
    await runCommand(ctx, 'File: New Untitled Text File');
    await waitFor('the panel hidden and its document gone', async () => frame.isDetached() && (await panelFrameCount(page)) === 0);
    const atHide = await waitFor('the host status while hidden', () => readHostStatus(page));
    check(!FINAL_STATES.includes(atHide.state), 'the run is still going when hidden', atHide);
    const whileHidden = await waitFor('training goes on while the panel is hidden', async () => {
      const h = await readHostStatus(page);
      return h && h.epoch > atHide.epoch + 100 ? h : undefined;
    });
    checked.push(`hidden: the webview is disposed, the host goes on (#${atHide.epoch} → #${whileHidden.epoch})`);
    await screenshot(ctx, 'hidden');

    await tab.click();
    const shown = await findPanelFrame(page, { not: [frame] });
    const redrawn = await waitForPanel(shown, 'the panel redrawn past the hidden epochs', (r) => r.state === 'running' && r.epoch! >= whileHidden.epoch);
    const heat = await waitForHeatmap(shown);
    const later = await waitForPanel(shown, 'the panel still updating', (r) => r.state === 'running' && r.done! > redrawn.done!);
    checked.push(`shown: redrawn at #${redrawn.epoch} (heatmap ${heat.colors} colours), still updating (#${later.epoch})`);
    await screenshot(ctx, 'shown', page.locator(W.webviewFrame).last());

    await clickPanelButton(shown, 'pause');
    const { panel: paused } = await waitForSettled(ctx, shown, 'paused');
    checked.push(`paused at #${paused.epoch}: ${await checkWholeHistory(shown, paused)}`);
    await clickPanelButton(shown, 'stop');
    await waitForSettled(ctx, shown, 'stopped');
    return checked;
  },
};

const reload: UiScenario = {
  name: 'reload',
  async run(ctx) {
    const { page } = ctx;
    const checked: string[] = [];
    const frame = await trainOnSample(ctx);
    const before = await waitForDone(ctx, frame, EPOCHS);
    await waitForHeatmap(frame);
    check(!RESTORED.test(before.statusMessage), 'a live panel does not say it was restored', before.statusMessage);

    const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 30_000 });
    await runCommand(ctx, 'Developer: Reload Window');
    await navigated;
    await waitForWorkbench(page, ctx.sampleFile);
    const revived = await findPanelFrame(page, { not: [frame] });
    await waitForPanel(revived, 'the panel says it was restored', (p) => RESTORED.test(p.statusMessage));
    const { panel: r, host } = await waitForSettled(ctx, revived, 'done');
    check(r.done === EPOCHS && host.epoch === EPOCHS - 1, `the restored run has its ${EPOCHS} epochs, in the panel and the status bar`, { panel: r.statusLine, host });
    check(r.statusMessage.split(RESTORED).length === 2, 'the panel says once that it was restored', r.statusMessage);
    checked.push(`after the reload: "${r.statusMessage}"`);
    check(r.state === 'done' && r.statusLine === before.statusLine, 'the status line is the finished run’s', { before: before.statusLine, after: r.statusLine });
    check(JSON.stringify(r.history) === JSON.stringify(before.history), 'the history is the one shown before the reload', {
      missing: before.history.filter((l) => !r.history.includes(l)),
      added: r.history.filter((l) => !before.history.includes(l)),
    });
    check(JSON.stringify(r.lossChart) === JSON.stringify(before.lossChart), 'the loss chart ends where it did', { before: before.lossChart, after: r.lossChart });
    checked.push(`same status line, ${r.history.length} history lines and loss chart as before; ${await checkWholeHistory(revived, r)}`);
    const heat = await waitForHeatmap(revived);
    checked.push(`heatmap drawn again (${heat.colors} colours)`);
    // No worker came back: the weights cannot be exported, the metrics can.
    check(!r.enabled.exportWeights && r.enabled.exportCsv && r.enabled.exportJson && !r.enabled.pause && !r.enabled.stop, 'restored: metrics exports only', r.enabled);
    checked.push('restored: Export weights and the run controls disabled, metrics exports enabled');
    await screenshot(ctx, 'restored');
    return checked;
  },
};

export const scenarios: UiScenario[] = [hideShow, reload];
