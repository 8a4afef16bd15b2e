// The panel's side of the editor overlay: it reports its playhead with the heatmap's scale, its
// "Show in Editor" toggle reaches the host and is saved with the view, and the host's
// overlayState (the command's toggle, or "not available" with a reason) shows in the panel.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openPanel, type Panel, useSharedBrowser } from './harness';
import { epoch, init, runInfo } from './fixtures';

const shared = useSharedBrowser();

type Posted = { type: string; epoch?: number; scale?: { lo: number; hi: number } | null; on?: boolean };

function allPosted(p: Panel): Promise<Posted[]> {
  return p.page.evaluate(() => (window as unknown as { __posted: Posted[] }).__posted);
}

function savedOverlayPref(p: Panel): Promise<boolean | undefined> {
  return p.page.evaluate(() => (window as unknown as { __state?: { view?: { prefs?: { overlay?: boolean } } } }).__state?.view?.prefs?.overlay);
}

describe('the editor overlay in the panel', () => {
  it('reports the playhead with the heatmap scale, sends the toggle, shows the host’s state and saves it with the view', async () => {
    const run = runInfo();
    const p = await openPanel(shared.browser, shared.server);
    await p.send(init(run, Array.from({ length: 12 }, (_, n) => epoch(n, run.steps))));
    await p.frames();
    await p.page.waitForFunction(() => (window as unknown as { __posted: Posted[] }).__posted.some((m) => m.type === 'playhead' && m.epoch === 11));
    const head = (await allPosted(p)).filter((m) => m.type === 'playhead').pop()!;
    assert.ok(head.scale && head.scale.lo < head.scale.hi, `the playhead carries the heatmap's log10 scale: ${JSON.stringify(head.scale)}`);
    // The fixture's rows span 0.8^(steps−1) … 1 times their largest value: the scale covers them.
    const row = epoch(11, run.steps).lastLossGradNorm;
    assert.ok(head.scale!.lo <= Math.log10(Math.min(...row)) + 1e-9 && head.scale!.hi >= Math.log10(Math.max(...row)) - 1e-9, JSON.stringify({ scale: head.scale, row: [Math.min(...row), Math.max(...row)] }));

    await p.page.locator('#chk-overlay').click();
    await p.page.waitForFunction(() => (window as unknown as { __posted: Posted[] }).__posted.some((m) => m.type === 'overlay' && m.on === false));
    await p.page.waitForFunction(() => (window as unknown as { __state?: { view?: { prefs?: { overlay?: boolean } } } }).__state?.view?.prefs?.overlay === false);

    // The command turned it on again, but the document was edited: on, disabled, with the reason.
    await p.send({ type: 'overlayState', on: true, available: false, reason: 'The document was edited inside the trained text.' });
    await p.waitText('.overlay-note', /edited inside the trained text/);
    assert.equal(await p.page.locator('#chk-overlay').evaluate((el) => el.hasAttribute('disabled')), true);
    await p.page.waitForFunction(() => (window as unknown as { __state?: { view?: { prefs?: { overlay?: boolean } } } }).__state?.view?.prefs?.overlay === true);
    await p.send({ type: 'overlayState', on: true, available: true });
    assert.equal((await p.page.locator('.overlay-note').textContent())?.trim(), '');
    assert.equal(await p.page.locator('#chk-overlay').evaluate((el) => el.hasAttribute('disabled')), false);
    assert.deepEqual(await p.problems(), []);
    await p.page.close();
  });

  it('a view saved with the toggle off shows it off again, and sends no toggle of its own (the host keeps the state)', async () => {
    const run = runInfo();
    const first = await openPanel(shared.browser, shared.server);
    await first.send(init(run, [epoch(0, run.steps)]));
    await first.frames();
    await first.page.locator('#chk-overlay').click();
    await first.page.waitForFunction(() => (window as unknown as { __state?: { view?: { prefs?: { overlay?: boolean } } } }).__state?.view?.prefs?.overlay === false);
    const saved = await first.savedState();
    assert.equal(await savedOverlayPref(first), false);
    await first.page.close();

    const again = await openPanel(shared.browser, shared.server, saved);
    const posted = await allPosted(again);
    assert.equal(posted[0].type, 'ready');
    assert.ok(!posted.some((m) => m.type === 'overlay'), `no toggle message for a restored view: ${JSON.stringify(posted.map((m) => m.type))}`);
    assert.equal(await again.page.locator('#chk-overlay').evaluate((el) => (el as unknown as { checked: boolean }).checked), false);
    await again.page.close();
  });
});
