// A lesson's run in the panel, in headless Chromium: its summary as Markdown built from DOM nodes
// (a script in it stays text), its notes appearing as the playhead passes their epochs, its first
// view applied, and the view reported to the host for "Save as Lesson".
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hook, openPanel, useSharedBrowser } from './harness';
import { epoch, epochs, init, runInfo } from './fixtures';
import type { LessonInfo, WebviewToHost } from '../../src/shared/protocol';

const shared = useSharedBrowser();

const LESSON: LessonInfo = {
  summary: 'A **tanh** RNN and `W_hh`.\n\n- first point\n- second <img src=x onerror=alert(1)>\n\nThe *end*.',
  notes: [
    { epoch: 8, text: 'late note' },
    { epoch: null, text: 'from the start' },
    { epoch: 3, text: 'early note' },
  ],
  heatmap: 'gradNorm',
  open: ['why'],
};

describe('lesson in the panel', () => {
  it('shows the summary as safe Markdown and the notes as the playhead passes them; applies and reports the view', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const run = runInfo({ title: '1. Gradients vanish', lesson: LESSON });
    await p.send(init(run, [0, 1, 2].map((n) => epoch(n, run.steps))));
    await p.frames();
    assert.equal(await p.page.locator('header h1').innerText(), '1. Gradients vanish');
    assert.deepEqual(await p.page.locator('#lesson .lesson-summary strong').allInnerTexts(), ['tanh']);
    assert.deepEqual(await p.page.locator('#lesson .lesson-summary code').allInnerTexts(), ['W_hh']);
    assert.deepEqual(await p.page.locator('#lesson .lesson-summary li').allInnerTexts(), ['first point', 'second <img src=x onerror=alert(1)>']);
    assert.equal(await p.page.locator('#lesson img').count(), 0, 'Markdown never becomes HTML');
    // Live playback at epoch 2: only the note without an epoch.
    assert.deepEqual(await hook<string[]>(p, 'lessonNotes'), ['from the start']);
    await p.send(epochs(run, [3, 4].map((n) => epoch(n, run.steps))));
    await p.frames();
    assert.deepEqual(await hook<string[]>(p, 'lessonNotes'), ['from the start', '#3 early note']);
    assert.match(await p.page.locator('#lesson .lesson-note.current').innerText(), /early note/);
    await p.send(epochs(run, [5, 6, 7, 8].map((n) => epoch(n, run.steps))));
    await p.frames();
    assert.deepEqual(await hook<string[]>(p, 'lessonNotes'), ['from the start', '#3 early note', '#8 late note']);
    // The lesson's first view: the heatmap's rows and the open sections.
    assert.equal(await hook<string>(p, 'heatmapKey'), 'gradNorm');
    assert.equal(await p.page.locator('#sec-why details').evaluate((d) => (d as HTMLDetailsElement).open), true);
    assert.equal(await p.page.locator('#sec-rows details').evaluate((d) => (d as HTMLDetailsElement).open), false);
    const views = (await p.allPosted()).filter((m): m is Extract<WebviewToHost, { type: 'view' }> => m.type === 'view');
    assert.ok(views.length >= 1, 'the view is reported');
    assert.deepEqual(views.at(-1)!.view, { heatmap: 'gradNorm', open: ['why'], epochsPerSecond: 0 });
    assert.deepEqual(await p.problems(), []);
    await p.page.close();
  });

  it('a run without a lesson shows no lesson', async () => {
    const p = await openPanel(shared.browser, shared.server);
    const run = runInfo();
    await p.send(init(run, [epoch(0, run.steps)]));
    await p.frames();
    assert.equal(await p.page.locator('#lesson').isVisible(), false);
    await p.page.close();
  });
});
