// Lessons and the Get Started walkthrough as a learner meets them: "Open Lesson…" from the
// palette with the quick pick of the shipped lessons, the panel with the lesson's title, summary
// and notes appearing as the film passes their epochs; a compare lesson; the walkthrough listed
// by "Welcome: Open Walkthrough…", and one of its step buttons running its command. The
// screenshots are what scripts/make-walkthrough.mjs crops into media/walkthrough/.
import type { Frame, Page } from 'playwright-core';
import { check, findPanelFrame, retry, runCommand, screenshot, waitFor, type UiContext, type UiScenario } from './helpers';
import { panel as P, workbench as W } from './selectors';

interface Win {
  document: { querySelector(s: string): { textContent: string | null } | null; querySelectorAll(s: string): ArrayLike<{ textContent: string | null; className: string }> };
}

const LESSON = {
  summary: '#lesson .lesson-summary',
  visibleNotes: '#lesson .lesson-note:not([hidden])',
  heading: 'header h1',
  comparePanel: '#lesson',
} as const;

/** Runs a palette command that opens a quick pick, then picks the row whose label starts with `label`. */
async function pickFromCommand(ctx: UiContext, command: string, label: string): Promise<void> {
  const { page } = ctx;
  await retry(ctx, `"${command}" → "${label}"`, 6, async (attempt) => {
    if (attempt > 1) {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(400 * attempt);
    }
    await page.keyboard.press('F1');
    const input = page.locator(W.quickInputBox);
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${command}`);
    const row = page.locator(`${W.quickInput} .monaco-list-row`).filter({ has: page.locator(W.quickInputLabel, { hasText: command }) }).first();
    await row.waitFor({ state: 'visible', timeout: 5_000 });
    await row.click();
    const item = page.locator(`${W.quickInput} .monaco-list-row`).filter({ has: page.locator(W.quickInputLabel, { hasText: label }) }).first();
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    await item.click();
    await page.locator(W.quickInput).waitFor({ state: 'hidden', timeout: 10_000 });
  });
}

async function text(frame: Frame, selector: string): Promise<string> {
  return frame.evaluate((s) => (globalThis as unknown as Win).document.querySelector(s)?.textContent ?? '', selector);
}

async function notes(frame: Frame): Promise<{ text: string; current: boolean }[]> {
  return frame.evaluate(
    (s) => Array.from((globalThis as unknown as Win).document.querySelectorAll(s), (e) => ({ text: e.textContent ?? '', current: e.className.includes('current') })),
    LESSON.visibleNotes,
  );
}

/** A webview frame holding `selector` that is not one of `not` (the compare panel has no training-panel marker). */
async function frameWith(page: Page, selector: string, not: Frame[]): Promise<Frame> {
  return waitFor(`a panel frame with ${selector}`, async () => {
    for (const f of page.frames()) {
      if (f === page.mainFrame() || f.isDetached() || not.includes(f)) continue;
      if (await f.evaluate((s) => (globalThis as unknown as Win).document.querySelector(s) !== null, selector).catch(() => false)) return f;
    }
    return undefined;
  }, { timeoutMs: 60_000, intervalMs: 250 });
}

const lessons: UiScenario = {
  name: 'lessons',
  timeoutMs: 240_000,
  async run(ctx) {
    try {
      return await lessonsAndWalkthrough(ctx);
    } finally {
      await revertUntitled(ctx);
    }
  },
};

/** The lesson's inline text and the walkthrough's sample are untitled, changed editors: reverted so the reset closes them without a prompt. */
async function revertUntitled(ctx: UiContext): Promise<void> {
  const dirty = ctx.page.locator(`${W.tabs}.dirty`);
  for (let i = 0; i < 6 && (await dirty.count()) > 0; i++) {
    await dirty.first().click();
    await runCommand(ctx, 'View: Revert and Close Editor');
  }
}

async function lessonsAndWalkthrough(ctx: UiContext): Promise<string[]> {
  const checked: string[] = [];
  const { page } = ctx;

  // 1. A single-cell lesson: title, summary, notes with the film.
  let before = page.frames().slice();
  await pickFromCommand(ctx, 'RNN Lab: Open Lesson', '1. Gradients vanish');
  const frame = await findPanelFrame(page, { not: before });
  await waitFor('the lesson heading', async () => (await text(frame, LESSON.heading)) === '1. Gradients vanish', { last: () => 'heading' });
  // The heading comes with the panel's HTML; the summary with the run's description (init).
  const summary = await waitFor('the lesson\'s summary', async () => {
    const s = await text(frame, LESSON.summary);
    return s.includes('tanh RNN') && s.includes('reach1pct') ? s : undefined;
  });
  check(summary.length > 200, 'the whole summary is shown', summary.length);
  const editor = page.locator(W.editorLines, { hasText: 'hello world! nice to meet you' }).first();
  await editor.waitFor({ timeout: 10_000 });
  checked.push('Open Lesson… → "1. Gradients vanish": the text in an editor, the panel headed by the lesson\'s title with its summary');
  const early = await notes(frame);
  await waitFor('playback to reach the last epoch', async () => {
    const v = await frame.locator(P.scrubber).evaluate((el) => { const i = el as unknown as { value: string; max: string }; return [Number(i.value), Number(i.max)]; });
    return v[1] === 599 && v[0] === 599;
  }, { timeoutMs: 90_000, intervalMs: 250 });
  const late = await notes(frame);
  check(early.length < late.length && late.length === 3, `notes appear as the playhead passes them (${early.length} at the start, ${late.length} at the end)`, { early, late });
  check(late[2].current && late[2].text.includes('#550') && late[2].text.includes('reach1pct'), 'the newest note passed is marked', late);
  checked.push(`notes: ${early.length} on screen at the start, all ${late.length} at epoch 599, the last one marked`);
  const why = (await frame.locator(P.whySentence).innerText()).trim();
  check(/^Epoch 599: going back one step/.test(why), 'the why line reads the last epoch', why);
  await page.mouse.move(360, 600);
  await screenshot(ctx, 'panel', page.locator(W.webviewFrame).last());
  await screenshot(ctx, 'why', frame.locator('#sec-why').first());

  // 2. A compare lesson: three cells, one panel, the lesson's words above them.
  before = page.frames().slice();
  await pickFromCommand(ctx, 'RNN Lab: Open Lesson', '4. Memory');
  const compare = await frameWith(page, LESSON.comparePanel, [...before, frame]);
  await waitFor('the compare lesson\'s summary', async () => (await text(compare, LESSON.summary)).includes('hidden state'));
  await page.locator(W.editorLines, { hasText: 'A.-' }).first().waitFor({ timeout: 10_000 }).catch(() => undefined);
  // The picture once the film has passed the note at epoch 150: half of the three runs drawn.
  const compareNotes = await waitFor('the compare lesson\'s note at epoch 150', async () => {
    const n = await notes(compare);
    return n.length === 2 && n[1].current && n[1].text.startsWith('#150') ? n : undefined;
  }, { timeoutMs: 90_000 });
  check(compareNotes[0].text.includes('1380'), 'the note without an epoch comes first', compareNotes);
  await page.mouse.move(360, 600);
  await screenshot(ctx, 'compare', page.locator(W.webviewFrame).last());
  checked.push('Open Lesson… → "4. Memory": the Compare Cells panel with the lesson\'s summary, its note at #150 shown once the shared playhead passed it');

  // 3. The walkthrough: listed, opened, a step's button runs its command.
  await pickFromCommand(ctx, 'Welcome: Open Walkthrough', 'Watch gradients vanish with RNN Lab');
  const steps = page.locator('.gettingStartedContainer .getting-started-step');
  await waitFor('the walkthrough\'s steps', async () => (await steps.count()) >= 7);
  const titles = await steps.allInnerTexts();
  check(titles.some((t) => t.includes('Open the seed sentence')) && titles.some((t) => t.includes('Open them in PyTorch')), 'the walkthrough lists its steps', titles.map((t) => t.split('\n')[0]));
  await steps.filter({ hasText: 'Open the seed sentence' }).first().click();
  await screenshot(ctx, 'walkthrough');
  const button = page.locator('.gettingStartedContainer .step-description-container .monaco-button', { hasText: 'Open Sample Text: seed' }).first();
  await button.click();
  await waitFor('the seed sample in an editor', async () => (await page.locator(W.editorLines, { hasText: 'hello world! nice to meet you! i love iron-man' }).count()) > 0);
  checked.push(`the walkthrough "Watch gradients vanish with RNN Lab" lists ${titles.length} steps; "Open Sample Text: seed" opened the seed sentence`);
  return checked;
}

export const scenarios: UiScenario[] = [lessons];
