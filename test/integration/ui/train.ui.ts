// Training from the editor: Explorer → select all → command palette → the panel fills in.
import { panel as P, workbench as W } from './selectors';
import {
  check,
  lossChartPoints,
  panelBackground,
  screenshot,
  setColorTheme,
  trainOnSample,
  waitForDone,
  waitForHeatmap,
  type ThemeKind,
  type UiScenario,
} from './helpers';

/** rnnLab.epochs' default: the seed's experiment. */
const EPOCHS = 600;

const train: UiScenario = {
  name: 'train',
  async run(ctx) {
    const checked: string[] = [];
    const frame = await trainOnSample(ctx);
    ctx.log('panel frame found');
    const r = await waitForDone(ctx, frame, EPOCHS);
    checked.push(`run ends "done" after ${EPOCHS} epochs: ${r.statusLine}`);
    const heat = await waitForHeatmap(frame);
    const points = await lossChartPoints(frame);
    await screenshot(ctx, 'workbench');
    await screenshot(ctx, 'panel', ctx.page.locator(W.webviewFrame).last());
    // The heatmap sits below the fold of the panel; an element screenshot scrolls it into view.
    await screenshot(ctx, 'heatmap', frame.locator(P.heatmap).first());

    check(r.epoch === EPOCHS - 1 && r.lossChart?.epoch === EPOCHS - 1, `status line and loss chart end at epoch ${EPOCHS - 1}`, r);
    check(points.count === EPOCHS && points.lastEpoch === EPOCHS - 1, `loss chart plots ${EPOCHS} points ending at ${EPOCHS - 1}`, points);
    checked.push(`loss chart has the run's ${EPOCHS} epochs (latest ${r.lossChart?.loss} at #${r.lossChart?.epoch})`);
    const last = r.history[r.history.length - 1] ?? '';
    check(last.startsWith(`#${EPOCHS - 1}, Loss: ${r.loss},`) && last.endsWith(`Test_string: ${JSON.stringify(ctx.sentence)}`), 'the last history line is the last epoch predicting the sentence', last);
    check(r.predicted !== '' && r.predicted === r.target, 'the latest prediction line equals the target line', { predicted: r.predicted, target: r.target });
    checked.push('latest prediction equals the sentence');
    check(heat.width > 0 && heat.colors >= 8, 'heatmap drawn', heat);
    checked.push(`heatmap drawn (${heat.colors} colours over ${heat.opaque} pixels)`);
    return checked;
  },
};

/** Relative luminance (0 black … 1 white) of a CSS "rgb(r, g, b)" colour. */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The panel follows the workbench's colour theme: light, both high contrasts, back to dark. */
const themes: UiScenario = {
  name: 'themes',
  async run(ctx) {
    const checked: string[] = [];
    const frame = await trainOnSample(ctx);
    await waitForDone(ctx, frame, EPOCHS);
    let heat = await waitForHeatmap(frame);
    const kinds: readonly { kind: ThemeKind; light: boolean }[] = [
      { kind: 'light', light: true },
      { kind: 'hc-dark', light: false },
      { kind: 'hc-light', light: true },
      { kind: 'dark', light: false },
    ];
    for (const { kind, light } of kinds) {
      await setColorTheme(ctx, kind, frame);
      const background = await panelBackground(frame);
      const lum = luminance(background);
      check(light ? lum > 0.6 : lum < 0.2, `${kind}: the panel's background follows the theme`, background);
      // The heatmap's labels and "no data" cells take the theme's colours: it must be repainted.
      heat = await waitForHeatmap(frame, { unlike: heat });
      await screenshot(ctx, `panel-${kind}`, ctx.page.locator(W.webviewFrame).last());
      checked.push(`${kind}: panel background ${background}, heatmap repainted (${heat.colors} colours)`);
    }
    return checked;
  },
};

export const scenarios: UiScenario[] = [train, themes];
