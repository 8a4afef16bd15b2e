// Pause, Step, Resume and Stop of a long run, read off the panel's status line.
import type { Frame } from 'playwright-core';
import {
  check,
  clickPanelButton,
  expectSteady,
  readPanel,
  LONG_EPOCHS,
  screenshot,
  startLongRun,
  waitForPanel,
  waitForSettled,
  type UiScenario,
} from './helpers';

/**
 * How long a count must stay put to count as stopped: the status line writes a changed count at
 * most once a second, and epochs in flight when the pause was asked for arrive within that.
 */
const STEADY_MS = 2_500;

/** What "the count" is: the status line's epoch and the loss chart's latest epoch. */
const count = async (frame: Frame) => {
  const r = await readPanel(frame);
  return { state: r.state, done: r.done, chartEpoch: r.lossChart?.epoch ?? null };
};

const pauseStepResume: UiScenario = {
  name: 'pause-step-resume',
  async run(ctx) {
    const checked: string[] = [];
    const { frame, moving } = await startLongRun(ctx);
    checked.push(`running: ${moving.statusLine}`);

    await clickPanelButton(frame, 'pause');
    const { panel: paused, host } = await waitForSettled(ctx, frame, 'paused');
    check(host.loss === Number(paused.loss).toFixed(4), 'panel and status bar show the same loss', { panel: paused.loss, host });
    check(paused.enabled.resume && paused.enabled.step && !paused.enabled.pause, 'paused: Resume and Step enabled, Pause disabled', paused.enabled);
    await expectSteady('epoch count while paused', () => count(frame), await count(frame), STEADY_MS);
    checked.push(`Pause: count stays at ${paused.done} for ${STEADY_MS / 1000} s`);
    await screenshot(ctx, 'paused');

    await clickPanelButton(frame, 'step');
    await waitForPanel(frame, 'the step taken', (r) => r.done !== paused.done);
    const { panel: stepped } = await waitForSettled(ctx, frame, 'paused');
    check(stepped.done === paused.done! + 1, `Step advances by exactly one epoch (${paused.done} → ${paused.done! + 1})`, stepped.statusLine);
    await expectSteady('epoch count after the step', () => count(frame), await count(frame), STEADY_MS);
    checked.push(`Step: ${paused.done} → ${stepped.done}, then steady for ${STEADY_MS / 1000} s`);

    await clickPanelButton(frame, 'resume');
    const resumed = await waitForPanel(frame, 'running again', (r) => r.state === 'running' && r.done! > stepped.done! + 1);
    const later = await waitForPanel(frame, 'the count still moving', (r) => r.state === 'running' && r.done! > resumed.done!);
    checked.push(`Resume: ${stepped.done} → ${resumed.done} → ${later.done}`);

    await clickPanelButton(frame, 'stop');
    const { panel: stopped } = await waitForSettled(ctx, frame, 'stopped');
    check(stopped.done! < LONG_EPOCHS, 'Stop ended the run before its last epoch', stopped.statusLine);
    check(!stopped.enabled.pause && !stopped.enabled.resume && !stopped.enabled.step && !stopped.enabled.stop, 'stopped: no run control enabled', stopped.enabled);
    check(stopped.enabled.exportCsv && stopped.enabled.exportWeights, 'stopped: the exports stay available', stopped.enabled);
    await expectSteady('epoch count after Stop', () => count(frame), await count(frame), STEADY_MS);
    checked.push(`Stop: ends at ${stopped.done} of ${LONG_EPOCHS}, count steady, only exports enabled`);
    await screenshot(ctx, 'stopped');
    return checked;
  },
};

export const scenarios: UiScenario[] = [pauseStepResume];
