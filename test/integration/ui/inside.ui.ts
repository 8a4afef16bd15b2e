// Inside the network in the real workbench, at a panel about 700 px wide (side bar hidden): an
// LSTM trains on the sample; the section shows the last epoch's activations; a click on a unit
// colours the text, a click on a character of the p(target) strip colours the inputs before it,
// and Check gradients fills its table from the worker. Screenshots of the section are kept.
import type { Frame } from 'playwright-core';
import { panel as P, stripStep, workbench as W } from './selectors';
import { TRAIN_COMMAND, check, findPanelFrame, openFileFromExplorer, runCommand, screenshot, updateWorkspaceSettings, waitFor, waitForDone, type UiScenario } from './helpers';

const EPOCHS = 300;

async function text(frame: Frame, selector: string): Promise<string> {
  return (await frame.locator(selector).first().textContent()) ?? '';
}

const inside: UiScenario = {
  name: 'inside',
  timeoutMs: 180_000,
  async run(ctx) {
    const checked: string[] = [];
    await updateWorkspaceSettings(ctx, { 'rnnLab.cell': 'lstm', 'rnnLab.epochs': EPOCHS });
    const lines = await openFileFromExplorer(ctx, ctx.sampleFile, ctx.sentence.slice(0, 11));
    // Half of the window for the panel, about 700 px: the side bar goes (Ctrl+B).
    await runCommand(ctx, 'View: Toggle Primary Side Bar Visibility');
    try {
      const before = ctx.page.frames().slice();
      await runCommand(ctx, TRAIN_COMMAND, {
        attempts: 10,
        before: async () => {
          await lines.click();
          await ctx.page.keyboard.press('Control+A');
        },
      });
      const frame = await findPanelFrame(ctx.page, { not: before });
      const r = await waitForDone(ctx, frame, EPOCHS);
      checked.push(`an LSTM trained ${EPOCHS} epochs: ${r.statusLine}`);
      const width = await frame.evaluate(() => (globalThis as unknown as { innerWidth: number }).innerWidth);
      checked.push(`panel ${width} px wide`);
      const steps = ctx.sentence.length - 1;
      const caption = await waitFor('the last epoch inspected', async () => {
        const c = await text(frame, P.insideCaption);
        return new RegExp(`Epoch #${EPOCHS - 1}: 20 units × ${steps} steps`).test(c) ? c : null;
      });
      checked.push(`inspection shown: ${caption}`);
      const tabs = await frame.locator(`${P.inside} [role=tab]`).allTextContents();
      check(tabs.join(',') === 'h,c,i,f,g,o', 'tabs for h, c and the four LSTM gates', tabs);

      // A unit: the first row of the heatmap.
      const canvas = frame.locator(P.insideCanvas);
      await canvas.scrollIntoViewIfNeeded();
      await canvas.click({ position: { x: 40, y: 3 } });
      await waitFor('the unit’s text', async () => (await frame.locator(P.unitText).count()) === steps);
      const colours = new Set(await frame.locator(P.unitText).evaluateAll((els) => els.map((e) => (e as unknown as { style: { backgroundColor: string } }).style.backgroundColor)));
      check(colours.size > 3, 'the text is coloured by the unit, in several colours', [...colours]);
      checked.push(`clicking unit 0 colours the ${steps} characters in ${colours.size} colours`);
      await screenshot(ctx, 'section', frame.locator(P.inside));

      // A character of the strip: its connectivity.
      const strip = await frame.locator(P.targetStrip).count();
      check(strip === steps, 'p(target) strip has one cell per step', strip);
      const t = Math.min(30, steps - 1);
      await frame.locator(stripStep(t)).click();
      await waitFor('the connectivity line', async () => (await frame.locator(P.connectivity).count()) === t + 1);
      const conn = await text(frame, P.connectivityCaption);
      check(new RegExp(`step ${t} .*epoch #${EPOCHS - 1}`).test(conn), 'the connectivity caption names the step and epoch', conn);
      checked.push(`clicking step ${t} colours the ${t + 1} inputs before it: ${conn}`);
      await screenshot(ctx, 'prediction', frame.locator('#sec-prediction'));

      await frame.locator(P.gradCheck).scrollIntoViewIfNeeded();
      await frame.locator(P.gradCheck).click();
      const rows = await waitFor('the gradient check table', async () => {
        const n = await frame.locator(P.gradCheckRows).count();
        return n > 0 ? n : null;
      }, { timeoutMs: 60_000 });
      const bad = await frame.locator(`${P.gradCheckRows}.bad`).count();
      const gc = await text(frame, P.gradCheckCaption);
      check(bad === 0 && /agree/.test(gc), 'the worker’s gradient check finds every parameter right', gc);
      checked.push(`Check gradients: ${rows} parameters, ${gc}`);
      await screenshot(ctx, 'gradcheck', frame.locator('#sec-gradcheck'));
      await screenshot(ctx, 'panel', ctx.page.locator(W.webviewFrame).last());
      return checked;
    } finally {
      await runCommand(ctx, 'View: Toggle Primary Side Bar Visibility');
    }
  },
};

/** The compare panel: one character's connectivity in the three cells, from their three workers. */
const compareConnectivity: UiScenario = {
  name: 'compare-connectivity',
  timeoutMs: 180_000,
  async run(ctx) {
    const checked: string[] = [];
    const epochs = 200;
    await updateWorkspaceSettings(ctx, { 'rnnLab.epochs': epochs });
    const lines = await openFileFromExplorer(ctx, ctx.sampleFile, ctx.sentence.slice(0, 11));
    await runCommand(ctx, 'View: Toggle Primary Side Bar Visibility');
    try {
      await runCommand(ctx, 'RNN Lab: Compare Cells on Selection', {
        attempts: 10,
        before: async () => {
          await lines.click();
          await ctx.page.keyboard.press('Control+A');
        },
      });
      const frame = await waitFor(
        'the compare panel frame',
        async () => {
          for (const f of ctx.page.frames()) {
            if (f === ctx.page.mainFrame() || f.isDetached()) continue;
            if ((await f.locator('#compare-connectivity-picker').count().catch(() => 0)) > 0) return f;
          }
          return undefined;
        },
        { timeoutMs: 60_000 },
      );
      const status = await waitFor('the three runs done', async () => {
        const t = await text(frame, '.compare p.caption[role=status]');
        return /RNN done.*LSTM done.*GRU done/.test(t) ? t : null;
      }, { timeoutMs: 120_000 });
      checked.push(`three runs: ${status}`);
      const t = 30;
      const picker = frame.locator(`#compare-connectivity-picker span[data-step="${t}"]`);
      await picker.scrollIntoViewIfNeeded();
      await picker.click();
      const counts = await waitFor('three rows of connectivity', async () => {
        const rows = frame.locator('#compare-connectivity-rows .line-row');
        if ((await rows.count()) !== 3) return null;
        const n = await rows.evaluateAll((rs) => rs.map((r) => (r as unknown as { querySelectorAll(s: string): { length: number } }).querySelectorAll('span[data-step]').length));
        return n.every((k) => k === t + 1) ? n : null;
      }, { timeoutMs: 30_000 });
      const caption = await text(frame, '#compare-connectivity-caption');
      check(new RegExp(`step ${t}\\) at epoch #${epochs - 1}`).test(caption), 'the caption names the step and the last epoch', caption);
      checked.push(`step ${t}: ${counts.join(', ')} inputs coloured in RNN, LSTM, GRU — ${caption}`);
      await screenshot(ctx, 'rows', frame.locator('.compare-connectivity'));
      return checked;
    } finally {
      await runCommand(ctx, 'View: Toggle Primary Side Bar Visibility');
    }
  },
};

export const scenarios: UiScenario[] = [inside, compareConnectivity];
