// A long selection must not freeze the workbench (issue "Hardening", defect 2: a 1 MB text froze
// code-server's page 3 s after training started). For each size, the scenario trains the whole
// file and, while it trains, opens the command palette and runs a command, timing both, and
// samples the memory of Chromium's renderers and of the extension host.
import { execFileSync } from 'child_process';
import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { check, findPanelFrame, runCommand, screenshot, TRAIN_COMMAND, waitFor, type UiContext, type UiScenario } from './helpers';
import { panel as P, workbench as W } from './selectors';

/** Sizes in bytes; RNN_LAB_UI_LONG_SIZES="20000,200000" picks others (the default is the issue's three). */
const SIZES = (process.env.RNN_LAB_UI_LONG_SIZES ?? '20000,200000,1000000').split(',').map(Number);

/** Targets of the issue, for the 1 MB case. */
const PALETTE_MS = 300;
const RENDERER_MB = 800;
/** What training a 1 MB text may add to the largest renderer (measured: +54 to +81 MB). */
const RENDERER_GROWTH_MB = 400;
const HOST_MB = 500;
const FIRST_EPOCH_MS = 2000;

/** Deterministic English-like text of `bytes` ASCII characters: the GPL excerpt of bench/data, repeated. */
function longText(repoRoot: string, bytes: number): string {
  const base = readFileSync(path.join(repoRoot, 'bench', 'data', 'gpl3-5000.txt'), 'utf8').replace(/[^\x20-\x7e\n]/g, ' ');
  let s = '';
  while (s.length < bytes) s += base;
  return s.slice(0, bytes);
}

interface Rss {
  rendererMaxMb: number;
  hostMb: number;
}

/**
 * RSS from ps, of this run's processes only (other rigs may run beside it): the largest Chromium
 * renderer whose --user-data-dir lies in the run folder, and the extension host forked by the
 * code-server whose --user-data-dir does (its worker threads are inside it).
 */
function sampleRss(runRoot: string): Rss {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const procs = out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), mb: Number(m[3]) / 1024, args: m[4] }));
  const mine = new Set(procs.filter((p) => p.args.includes(runRoot)).map((p) => p.pid));
  // Descendants of this run's processes (the code-server entry forks the extension host without the folder in its arguments).
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) if (!mine.has(p.pid) && mine.has(p.ppid)) grew = mine.add(p.pid) !== undefined;
  }
  let rendererMaxMb = 0;
  let hostMb = 0;
  for (const p of procs) {
    if (!mine.has(p.pid)) continue;
    if (p.args.includes('--type=renderer')) rendererMaxMb = Math.max(rendererMaxMb, p.mb);
    if (p.args.includes('--type=extensionHost')) hostMb = Math.max(hostMb, p.mb);
  }
  return { rendererMaxMb, hostMb };
}

/** F1 until the palette's input is visible, in ms; then Escape. */
async function paletteOpenMs(ctx: UiContext): Promise<number> {
  const t0 = Date.now();
  await ctx.page.keyboard.press('F1');
  await ctx.page.locator(W.quickInputBox).waitFor({ state: 'visible', timeout: 60_000 });
  const ms = Date.now() - t0;
  await ctx.page.keyboard.press('Escape');
  await ctx.page.locator(W.quickInput).waitFor({ state: 'hidden', timeout: 30_000 });
  return ms;
}

/**
 * Opens a file just written into the workspace: from the Explorer once its watcher shows the row,
 * else by Quick Open (which searches the disk, but keeps a cache that may not have it yet either).
 */
async function openNewFile(ctx: UiContext, name: string, textStart: string) {
  const lines = ctx.page.locator(W.editorLines, { hasText: textStart }).first();
  const row = ctx.page.locator(W.explorerRow(name)).first();
  await waitFor(`${name} open in an editor`, async () => {
    if (await row.isVisible()) {
      await row.click();
    } else {
      await ctx.page.keyboard.press('Control+P');
      await ctx.page.locator(W.quickInputBox).fill(name);
      const pick = ctx.page.locator(`${W.quickInput} .monaco-list-row`, { hasText: name }).first();
      const found = await pick.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false);
      if (!found) {
        await ctx.page.keyboard.press('Escape');
        return false;
      }
      await pick.click();
    }
    await lines.waitFor({ timeout: 15_000 });
    return true;
  }, { timeoutMs: 90_000, intervalMs: 500 });
  return lines;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function oneSize(ctx: UiContext, bytes: number, checked: string[]): Promise<void> {
  const name = `long-${bytes}.txt`;
  const text = longText(ctx.repoRoot, bytes);
  writeFileSync(path.join(ctx.workspace, name), text);
  const idle = [await paletteOpenMs(ctx), await paletteOpenMs(ctx)];
  const lines = await openNewFile(ctx, name, text.slice(0, 12));
  const before = ctx.page.frames().slice();
  const runRoot = path.dirname(ctx.workspace);
  const baseline = sampleRss(runRoot);
  const commandAt = await runCommand(ctx, TRAIN_COMMAND, {
    attempts: 6,
    before: async () => {
      await lines.click();
      await ctx.page.keyboard.press('Control+A');
    },
  });
  const frame: Frame = await findPanelFrame(ctx.page, { not: before, timeoutMs: 120_000 });
  // A long epoch says how far it has got while the panel waits for it (a figure: a fast machine may finish first).
  let progressSeen: string | undefined;
  await waitFor(
    'the first epoch on screen',
    async () => {
      if (/^epoch #\d+/.test((await frame.locator(P.timelineEpoch).innerText()).trim())) return true;
      if (progressSeen === undefined && bytes >= 1_000_000) {
        const line = (await frame.locator(P.statusLine).innerText()).trim();
        if (/in progress/.test(line)) {
          progressSeen = line;
          await screenshot(ctx, 'epoch-in-progress');
        }
      }
      return false;
    },
    { timeoutMs: 120_000, intervalMs: 50 },
  ).catch(async (e: Error) => {
    // What the page got: its marks say whether an init or an epoch ever arrived.
    const seen = await frame.evaluate(() => performance.getEntriesByType('mark').map((m) => `${m.name}@${Math.round(m.startTime)}`).join(' ')).catch((err: Error) => `unreadable: ${err.message.split('\n')[0]}`);
    throw new Error(`${e.message}; the panel's marks: ${seen}`);
  });
  const firstEpochMs = Date.now() - commandAt;
  const marks = await frame.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((e) => [e.name.replace('rnnlab:', ''), Math.round(e.startTime)])));
  const origin = await frame.evaluate(() => performance.timeOrigin);
  ctx.log(`${bytes} B: panel document started ${Math.round(origin - commandAt)} ms after the command; marks ${JSON.stringify(marks)}`);
  if (bytes >= 1_000_000) ctx.log(`${bytes} B: before the first epoch the status line said ${progressSeen === undefined ? 'nothing of its progress' : `"${progressSeen}"`}`);
  // The page's clock says when the first epoch's frame was painted; the polling above sees it later by its own round trips.
  // Its paint mark comes from the next animation frame, which a busy or covered page may not have had yet; the epoch's arrival then stands in.
  const paintedMark = marks['first-epoch-painted'] ?? marks['first-epoch'];
  const paintedMs = paintedMark === undefined ? NaN : Math.round(origin - commandAt) + paintedMark;

  // While it trains: the palette, a command, and memory, sampled over ~10 s.
  const palette: number[] = [];
  const commands: number[] = [];
  let peak: Rss = { rendererMaxMb: 0, hostMb: 0 };
  for (let i = 0; i < 4; i++) {
    palette.push(await paletteOpenMs(ctx));
    const t0 = Date.now();
    await runCommand(ctx, 'View: Toggle Primary Side Bar Visibility', { attempts: 3 });
    commands.push(Date.now() - t0);
    const r = sampleRss(runRoot);
    peak = { rendererMaxMb: Math.max(peak.rendererMaxMb, r.rendererMaxMb), hostMb: Math.max(peak.hostMb, r.hostMb) };
    await ctx.page.waitForTimeout(1500);
  }
  if (commands.length % 2 === 1) await runCommand(ctx, 'View: Toggle Primary Side Bar Visibility');
  const status = (await frame.locator(P.statusLine).innerText()).trim();
  const stillTraining = /Running|Starting/.test(status);

  const figure =
    `${bytes.toLocaleString('en')} B: first epoch on screen ${paintedMs} ms by the page's clock${marks['first-epoch-painted'] === undefined ? ' (arrival; no paint mark yet)' : ''} (the test's polling saw it at ${firstEpochMs} ms); palette while training median ${median(palette)} ms, max ${Math.max(...palette)} ms ` +
    `(idle ${idle.join('/')} ms); a palette command took ${commands.join('/')} ms (typing included); largest renderer ${peak.rendererMaxMb.toFixed(0)} MB ` +
    `(before training ${baseline.rendererMaxMb.toFixed(0)} MB); extension host ${peak.hostMb.toFixed(0)} MB (before ${baseline.hostMb.toFixed(0)} MB); status "${status.slice(0, 80)}"`;
  ctx.log(figure);
  checked.push(figure);
  check(stillTraining, `the run was still training while measured (${status})`);
  // Times are figures for the closing note (printed above), not assertions: a loaded machine
  // must not fail the run. Memory is asserted: it does not depend on the machine's load.
  if (bytes >= 1_000_000) {
    // The workbench's renderer carries the earlier scenarios' pages (1 GB after a full run), so
    // what training adds is asserted; the absolute figure, on a fresh workbench, is the target.
    check(peak.rendererMaxMb - baseline.rendererMaxMb <= RENDERER_GROWTH_MB, `training a 1 MB text added ${(peak.rendererMaxMb - baseline.rendererMaxMb).toFixed(0)} MB to the largest renderer (budget ${RENDERER_GROWTH_MB} MB; target on a fresh workbench ${RENDERER_MB} MB in all, now ${peak.rendererMaxMb.toFixed(0)} MB)`);
    check(peak.hostMb > 0 && peak.hostMb <= HOST_MB, `extension host ${peak.hostMb.toFixed(0)} MB while a 1 MB text trains (budget ${HOST_MB} MB)`);
    // Logged, not pushed to the checked lines: a figure against its target is not a passed check.
    const verdict = (ms: number, target: number): string => (Number.isFinite(ms) ? (ms <= target ? 'met' : 'missed') : 'not measured');
    const paletteMedian = median(palette);
    ctx.log(`1 MB against the targets (figures, not asserted): palette median ${paletteMedian} ms (≤ ${PALETTE_MS}: ${verdict(paletteMedian, PALETTE_MS)}), first epoch ${paintedMs} ms (≤ ${FIRST_EPOCH_MS}: ${verdict(paintedMs, FIRST_EPOCH_MS)})`);
  }

  await frame.locator(P.stop).click();
  await waitFor('the run to stop', async () => /Stopped|Done/.test(await frame.locator(P.statusLine).innerText()), { timeoutMs: 60_000 });
  await runCommand(ctx, 'View: Close All Editors');
}

const long: UiScenario = {
  name: 'long-selection',
  timeoutMs: 600_000,
  async run(ctx) {
    const checked: string[] = [];
    for (const bytes of SIZES) await oneSize(ctx, bytes, checked);
    return checked;
  },
};

export const scenarios: UiScenario[] = [long];
