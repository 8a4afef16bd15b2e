// The shared steps of the UI scenarios: what a user does in the workbench (palette, Explorer,
// file dialogs, settings, window size, theme) and what the training panel shows (read from its
// DOM). scripts/vscode/test-ui.mjs owns the processes and calls the scenarios with a UiContext.
import type { Frame, Locator, Page } from 'playwright-core';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { hooksGlobal, panel as P, workbench as W } from './selectors';

export interface UiContext {
  page: Page;
  /** Name of the running scenario; screenshots are prefixed with it. */
  scenario: string;
  /** Absolute path of the folder the workbench has open (a copy of media/sample). */
  workspace: string;
  /** Name of the sample file in it. */
  sampleFile: string;
  /** The sample's content: the sentence the model learns. */
  sentence: string;
  /** test-artifacts/ui */
  screenshotsDir: string;
  /** The extension under development (schema/, media/). */
  repoRoot: string;
  log(msg: string): void;
}

export interface UiScenario {
  /** Unique across the scenario files; RNN_LAB_UI_GREP matches it. */
  name: string;
  /** Cap on the whole scenario (the rig's default otherwise). */
  timeoutMs?: number;
  /** Returns one line per behaviour it checked. */
  run(ctx: UiContext): Promise<string[]>;
}

/** 1440×900: the first-screen checks of the panel are specified for exactly this window. */
export const DEFAULT_WINDOW = { width: 1440, height: 900 } as const;

export const TRAIN_COMMAND = 'RNN Lab: Train RNN on Selection';

// ---------- waiting ----------

/**
 * Polls `probe` until it returns a truthy value and returns it; on timeout the error names what
 * was awaited and the last thing seen, so a failure says more than "timeout".
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs = 30_000, intervalMs = 200, last }: { timeoutMs?: number; intervalMs?: number; last?: () => unknown } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let error: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
      error = undefined;
    } catch (e) {
      error = e;
    }
    if (Date.now() > deadline) {
      const seen = last ? `; last seen: ${JSON.stringify(last())}` : error ? `; last error: ${(error as Error).message?.split('\n')[0]}` : '';
      throw new Error(`${what}: not reached after ${timeoutMs / 1000} s${seen}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Asserts that `read` keeps returning `expected` for `forMs`. Proving that something does not
 * move takes an observation window; it fails as soon as the value changes.
 */
export async function expectSteady<T>(what: string, read: () => Promise<T>, expected: T, forMs: number): Promise<void> {
  const until = Date.now() + forMs;
  while (Date.now() < until) {
    const v = await read();
    if (JSON.stringify(v) !== JSON.stringify(expected)) throw new Error(`${what}: changed from ${JSON.stringify(expected)} to ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** A step that may hit a not-yet-ready workbench: retried a bounded number of times. */
export async function retry<T>(ctx: Pick<UiContext, 'log'>, what: string, attempts: number, fn: (attempt: number) => Promise<T>): Promise<T> {
  let last: unknown;
  for (let i = 1; i <= attempts; i++) {
    try {
      return await fn(i);
    } catch (e) {
      last = e;
      ctx.log(`${what}: attempt ${i}/${attempts} failed: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`${what} failed after ${attempts} attempts: ${(last as Error)?.message}`);
}

/** Throws with the reading attached, so a failed check shows the panel as it was. */
export function check(ok: boolean, msg: string, seen?: unknown): void {
  if (!ok) throw new Error(seen === undefined ? msg : `${msg}\n  seen: ${JSON.stringify(seen)}`);
}

// ---------- screenshots ----------

/** Saves `<scenario>-<name>.png` in test-artifacts/ui; a failed screenshot is logged, not fatal. */
export async function screenshot(ctx: UiContext, name: string, target?: Locator): Promise<void> {
  const file = path.join(ctx.screenshotsDir, `${ctx.scenario}-${name}.png`);
  try {
    if (target) await target.screenshot({ path: file, timeout: 10_000 });
    else await ctx.page.screenshot({ path: file, timeout: 10_000 });
    ctx.log(`screenshot ${path.basename(file)}`);
  } catch (e) {
    ctx.log(`screenshot ${name} failed: ${(e as Error).message.split('\n')[0]}`);
  }
}

// ---------- the workbench ----------

export async function waitForWorkbench(page: Page, sampleFile: string, timeoutMs = 90_000): Promise<void> {
  await page.waitForSelector(W.root, { timeout: timeoutMs });
  await page.locator(W.explorerRow(sampleFile)).first().waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Resizes the page and waits until the workbench has laid itself out at that size. */
export async function setWindowSize(page: Page, size: { width: number; height: number } = DEFAULT_WINDOW): Promise<void> {
  await page.setViewportSize(size);
  await waitFor(`workbench laid out at ${size.width}×${size.height}`, async () => {
    const box = await page.locator(W.root).first().boundingBox();
    return box !== null && Math.round(box.width) === size.width && Math.round(box.height) === size.height;
  });
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Runs a command by its palette title ("Category: Title"). A freshly started extension host may
 * not have registered the command yet, and the palette lists commands as of its opening, so it
 * is closed and reopened until the row shows up. `before` runs before every attempt (focus and
 * select what the command acts on). The row whose label is exactly the title is clicked, so
 * "Close All Editors" never runs "Close All Editors in Group".
 */
/** Runs a command from the palette; resolves with the time (Date.now()) of the click that chose it. */
export async function runCommand(ctx: UiContext, title: string, { attempts = 8, before }: { attempts?: number; before?: () => Promise<void> } = {}): Promise<number> {
  const { page } = ctx;
  let chosenAt = 0;
  await retry(ctx, `run "${title}" from the palette`, attempts, async (attempt) => {
    if (attempt > 1) {
      await page.keyboard.press('Escape');
      await page.locator(W.quickInput).waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
      // Backoff for a host still registering its commands; the row below is what is awaited.
      await page.waitForTimeout(500 * attempt);
    }
    if (before) await before();
    await page.keyboard.press('F1');
    const input = page.locator(W.quickInputBox);
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${title}`);
    // The row's visible label is exactly the title (its aria-label may add the keybinding).
    const row = page.locator(`${W.quickInput} .monaco-list-row`).filter({ has: page.locator(W.quickInputLabel, { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) }).first();
    await row.waitFor({ state: 'visible', timeout: 5_000 });
    chosenAt = Date.now();
    await row.click();
    await page.locator(W.quickInput).waitFor({ state: 'hidden', timeout: 10_000 });
  });
  return chosenAt;
}

/** Opens a file of the workspace from the Explorer and returns its editor's text area. */
export async function openFileFromExplorer(ctx: UiContext, name: string, textStart: string): Promise<Locator> {
  const { page } = ctx;
  const row = page.locator(W.explorerRow(name)).first();
  await row.waitFor({ state: 'visible', timeout: 60_000 });
  const lines = page.locator(W.editorLines, { hasText: textStart }).first();
  await retry(ctx, `open ${name} from the Explorer`, 4, async () => {
    await row.click();
    await lines.waitFor({ timeout: 15_000 });
  });
  return lines;
}

/**
 * Answers VS Code's "simple" file dialog (code-server's save/open dialog): a quick input with a
 * path box. It opens with the folder only, then lists the folder and fills in the default name.
 * A path typed in another folder makes it list that folder; an Enter that comes before it has
 * done so only makes it list the folder (its accept handler navigates first) and a second Enter
 * would be needed — and a second Enter that comes after the dialog has closed lands on whatever
 * has the focus again, such as the export button. So: wait for the first listing, type the
 * path, wait until the listing is the typed folder's, and press Enter once.
 * Precondition: a target in another folder than the default one must be in a folder whose
 * listing differs from the default folder's (a fresh folder does), or the wait cannot tell.
 */
export async function answerFileDialog(ctx: UiContext, absolutePath: string, timeoutMs = 30_000): Promise<void> {
  const { page } = ctx;
  const input = page.locator(W.quickInputBox);
  const rowLabels = () => page.locator(`${W.quickInput} .monaco-list-row`).evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
  const shown = await waitFor(
    'the file dialog listing its folder',
    async () => {
      if (!(await input.isVisible())) return undefined;
      const value = await input.inputValue();
      const rows = await rowLabels();
      return value.startsWith('/') && rows.length > 0 ? { value, rows } : undefined;
    },
    { timeoutMs },
  );
  const folderOf = (p: string) => (p.endsWith('/') ? p.slice(0, -1) : path.posix.dirname(p));
  await input.fill(absolutePath);
  if (folderOf(absolutePath) !== folderOf(shown.value)) {
    let rows: string[] = [];
    await waitFor(`the file dialog listing ${folderOf(absolutePath)}`, async () => JSON.stringify((rows = await rowLabels())) !== JSON.stringify(shown.rows), {
      timeoutMs: 10_000,
      last: () => ({ rows, value: 'listing unchanged: does the folder look like the default one?' }),
    });
  }
  await waitFor(`path box reads ${absolutePath}`, async () => (await input.inputValue()) === absolutePath, { timeoutMs: 5_000 });
  await page.keyboard.press('Enter');
  let message: string | null = '';
  await waitFor(
    `file dialog accepted ${absolutePath}`,
    async () => {
      message = await page.locator(`${W.quickInput} .quick-input-message`).textContent().catch(() => '');
      return page.locator(W.quickInput).isHidden();
    },
    { timeoutMs: 10_000, last: () => ({ message }) },
  );
}

/**
 * Waits for a notification whose text matches and returns that text. Toasts did not show in
 * this headless workbench (the notification went straight to the centre), so the centre is
 * opened and read; resetWorkbench clears and closes it.
 */
export async function waitForNotification(ctx: UiContext, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const { page } = ctx;
  if (!(await page.locator(W.notificationCenter).isVisible())) {
    await runCommand(ctx, 'Notifications: Show Notifications');
    await page.locator(W.notificationCenter).waitFor({ state: 'visible', timeout: 10_000 });
  }
  const messages = page.locator(W.notificationMessage);
  let seen: string[] = [];
  return waitFor(
    `a notification matching ${pattern}`,
    async () => {
      seen = await messages.allTextContents();
      return seen.find((t) => pattern.test(t));
    },
    { timeoutMs, last: () => seen },
  );
}

/**
 * Waits until `file` exists and `parse` accepts its content (exports are written to a temporary
 * file and renamed, so a file that exists is complete); returns what `parse` returned.
 */
export async function waitForFile<T>(file: string, parse: (text: string) => T, timeoutMs = 20_000): Promise<T> {
  let problem = 'no file';
  return waitFor(
    `${file} written`,
    () => {
      if (!existsSync(file)) return undefined;
      try {
        return { value: parse(readFileSync(file, 'utf8')) };
      } catch (e) {
        problem = (e as Error).message;
        return undefined;
      }
    },
    { timeoutMs, last: () => problem },
  ).then((r) => r.value);
}

// ---------- settings and theme ----------

const settingsFile = (ctx: UiContext) => path.join(ctx.workspace, '.vscode', 'settings.json');
const TITLE_KEY = 'window.title';

/**
 * Replaces the workspace's .vscode/settings.json and waits until the workbench has applied it.
 * A `window.title` carrying a fresh mark is written with the settings: the title changes only
 * once the workbench has read the new file, and the extension host receives configuration
 * changes before any later command, so a run started afterwards reads the new values. (Every
 * scenario file bundles its own copy of this module, so the mark is not a module counter.)
 */
export async function setWorkspaceSettings(ctx: UiContext, settings: Record<string, unknown>): Promise<void> {
  const mark = `rnnlab-settings-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  mkdirSync(path.dirname(settingsFile(ctx)), { recursive: true });
  writeFileSync(settingsFile(ctx), JSON.stringify({ ...settings, [TITLE_KEY]: `\${activeEditorShort}\${separator}\${rootName} [${mark}]` }, null, 2));
  await waitFor(`workspace settings applied (${mark})`, async () => (await ctx.page.title()).includes(`[${mark}]`), {
    timeoutMs: 20_000,
    last: () => 'window title without the mark',
  });
}

/** The workspace settings as the last setWorkspaceSettings wrote them (without the title mark). */
export function workspaceSettings(ctx: UiContext): Record<string, unknown> {
  let current: Record<string, unknown> = {};
  try {
    current = JSON.parse(readFileSync(settingsFile(ctx), 'utf8')) as Record<string, unknown>;
  } catch {
    // no file yet
  }
  delete current[TITLE_KEY];
  return current;
}

/** Adds to (or, with `undefined`, removes from) the current workspace settings. */
export async function updateWorkspaceSettings(ctx: UiContext, patch: Record<string, unknown>): Promise<void> {
  const next = { ...workspaceSettings(ctx), ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete next[k];
  await setWorkspaceSettings(ctx, next);
}

export type ThemeKind = 'light' | 'dark' | 'hc-dark' | 'hc-light';

const THEMES: Record<ThemeKind, { name: string; workbenchClass: string; webviewKind: string }> = {
  light: { name: 'Default Light Modern', workbenchClass: 'vs', webviewKind: 'vscode-light' },
  dark: { name: 'Default Dark Modern', workbenchClass: 'vs-dark', webviewKind: 'vscode-dark' },
  'hc-dark': { name: 'Default High Contrast', workbenchClass: 'hc-black', webviewKind: 'vscode-high-contrast' },
  'hc-light': { name: 'Default High Contrast Light', workbenchClass: 'hc-light', webviewKind: 'vscode-high-contrast-light' },
};

/**
 * Switches the colour theme through the workspace settings and waits until the workbench wears
 * it and, when a panel frame is given, until the webview has been told.
 */
export async function setColorTheme(ctx: UiContext, kind: ThemeKind, frame?: Frame): Promise<void> {
  const t = THEMES[kind];
  await updateWorkspaceSettings(ctx, { 'workbench.colorTheme': t.name });
  await waitFor(`workbench in theme ${t.name}`, () =>
    ctx.page.evaluate((cls) => {
      const g = globalThis as unknown as { document: { querySelector(s: string): { classList: { contains(c: string): boolean } } | null } };
      return g.document.querySelector('.monaco-workbench')?.classList.contains(cls) ?? false;
    }, t.workbenchClass),
  );
  if (frame) await waitFor(`panel in theme kind ${t.webviewKind}`, async () => (await panelThemeKind(frame)) === t.webviewKind);
}

// ---------- the training panel ----------

// Functions passed to frame.evaluate() run in the webview. The root tsconfig has no DOM types
// (host code must not use them), so the few browser APIs they touch are described here.
interface El {
  textContent: string | null;
  innerText: string;
  hasAttribute(name: string): boolean;
  getAttribute(name: string): string | null;
}
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
interface Doc {
  querySelector(selector: string): El | null;
  body: El & { dataset: Record<string, string | undefined> };
}
interface Win {
  document: Doc;
  getComputedStyle(el: unknown): { backgroundColor: string };
  [hooks: string]: unknown;
}

/**
 * The training panel's own document: the inner frame of the webview's nested iframes. The
 * workbench page itself has canvases and lists, so the main frame is skipped. `not` excludes
 * frames already seen (a webview that is being torn down).
 */
export async function findPanelFrame(page: Page, { timeoutMs = 60_000, not = [] }: { timeoutMs?: number; not?: Frame[] } = {}): Promise<Frame> {
  return waitFor(
    'the training panel frame',
    async () => {
      for (const f of page.frames()) {
        if (f === page.mainFrame() || f.isDetached() || not.includes(f)) continue;
        const ok = await f.evaluate((sel) => (globalThis as unknown as Win).document.querySelector(sel) !== null, P.marker).catch(() => false);
        if (ok) return f;
      }
      return undefined;
    },
    { timeoutMs, intervalMs: 250 },
  );
}

/** Whether any training panel document is attached to the page. */
export async function panelFrameCount(page: Page): Promise<number> {
  let n = 0;
  for (const f of page.frames()) {
    if (f === page.mainFrame() || f.isDetached()) continue;
    if (await f.evaluate((sel) => (globalThis as unknown as Win).document.querySelector(sel) !== null, P.marker).catch(() => false)) n++;
  }
  return n;
}

export type ButtonName = 'pause' | 'resume' | 'step' | 'stop' | 'exportWeights' | 'exportCsv' | 'exportJson';
const BUTTONS: readonly ButtonName[] = ['pause', 'resume', 'step', 'stop', 'exportWeights', 'exportCsv', 'exportJson'];

/** What the panel shows, read from its DOM (the status line, the history, the charts' labels). */
export interface PanelReading {
  /** The panel's title (the run's: text snippet, cell, size, epochs), as on its editor tab. */
  title: string;
  /** Run state as the status line names it, lower case: running, paused, done, stopped, … */
  state: string;
  /** Latest epoch number (#N) on the status line, null before the first epoch. */
  epoch: number | null;
  /** Epochs of this run done so far, and the run's total, from "(13 of 600)". */
  done: number | null;
  total: number | null;
  /** Latest loss as printed (6 decimals). */
  loss: string | null;
  statusLine: string;
  statusMessage: string;
  /** Lines of the prediction history (seed format). */
  history: string[];
  /** "latest L at epoch N" from the loss chart's label, or null before any epoch. */
  lossChart: { loss: string; epoch: number } | null;
  predicted: string;
  target: string;
  /** Which controls are enabled. */
  enabled: Record<ButtonName, boolean>;
}

const STATUS_RE = /epoch #(\d+) \((\d+) of (\d+)\)(?: · loss (\S+))?/;
const LOSS_LABEL_RE = /latest (\S+) at epoch (\d+)/;

export async function readPanel(frame: Frame): Promise<PanelReading> {
  const raw = await frame.evaluate(
    ({ sel, buttons }) => {
      const d = (globalThis as unknown as Win).document;
      const text = (s: string) => d.querySelector(s)?.textContent ?? '';
      const enabled: Record<string, boolean> = {};
      for (const b of buttons) {
        const el = d.querySelector((sel as Record<string, string>)[b]);
        enabled[b] = el !== null && !el.hasAttribute('disabled');
      }
      return {
        title: d.querySelector(sel.root)?.getAttribute('data-title') ?? '',
        statusLine: text(sel.statusLine),
        statusMessage: text(sel.statusMessage),
        history: d.querySelector(sel.history)?.innerText ?? '',
        lossLabel: d.querySelector(sel.lossChart)?.getAttribute('aria-label') ?? '',
        predicted: text(sel.predictedLine),
        target: text(sel.targetLine),
        enabled,
      };
    },
    { sel: P, buttons: BUTTONS },
  );
  const m = STATUS_RE.exec(raw.statusLine);
  const l = LOSS_LABEL_RE.exec(raw.lossLabel);
  return {
    title: raw.title,
    state: (raw.statusLine.split(' · ')[0] ?? '').replace('…', '').trim().toLowerCase(),
    epoch: m ? Number(m[1]) : null,
    done: m ? Number(m[2]) : null,
    total: m ? Number(m[3]) : null,
    loss: m?.[4] ?? null,
    statusLine: raw.statusLine,
    statusMessage: raw.statusMessage,
    history: raw.history.split('\n').map((s) => s.trim()).filter(Boolean),
    lossChart: l ? { loss: l[1], epoch: Number(l[2]) } : null,
    predicted: raw.predicted,
    target: raw.target,
    enabled: raw.enabled as Record<ButtonName, boolean>,
  };
}

/** Polls the panel until `ok(reading)`; returns that reading. */
export async function waitForPanel(frame: Frame, what: string, ok: (r: PanelReading) => boolean, timeoutMs = 60_000): Promise<PanelReading> {
  let last: PanelReading | undefined;
  return waitFor(
    what,
    async () => {
      last = await readPanel(frame);
      return ok(last) ? last : undefined;
    },
    { timeoutMs, intervalMs: 150, last: () => last && { statusLine: last.statusLine, statusMessage: last.statusMessage, lossChart: last.lossChart, enabled: last.enabled } },
  );
}

/** Run states the panel cannot leave without a restart. */
export const FINAL_STATES = ['done', 'stopped', 'diverged', 'crashed'];

/**
 * Waits for the run to end and the panel to have settled on its last epoch (see waitForSettled);
 * fails at once if it ends any other way than `done`.
 */
export async function waitForDone(ctx: UiContext, frame: Frame, epochs: number, timeoutMs = 180_000): Promise<PanelReading> {
  const end = await waitForPanel(frame, `run over after ${epochs} epochs`, (p) => FINAL_STATES.includes(p.state), timeoutMs);
  check(end.state === 'done', `run ended as "${end.state}", expected "done"`, end.statusLine + ' ' + end.statusMessage);
  const { panel } = await waitForSettled(ctx, frame, 'done');
  check(panel.done === epochs, `the run has ${epochs} epochs`, panel.statusLine);
  return panel;
}

/** The extension's status bar item: the host's own view of the active run. */
export interface HostStatus {
  epoch: number;
  /** Loss as the status bar prints it (4 decimals). */
  loss: string;
  /** running, paused, done, stopped, … */
  state: string;
}

const HOST_STATUS_RE = /RNN #(\d+) loss (\S+)(?: \((\w+)\))?/;

export async function readHostStatus(page: Page): Promise<HostStatus | null> {
  const texts = await page.locator(W.statusBarItem).allTextContents();
  for (const t of texts) {
    const m = HOST_STATUS_RE.exec(t);
    if (m) return { epoch: Number(m[1]), loss: m[2], state: m[3] ?? 'running' };
  }
  return null;
}

/**
 * Waits until the run is in `state` and the panel has caught up with the host: the status line,
 * the loss chart, the last history line and the workbench's status bar item name the same last
 * epoch. When a fast run pauses or ends, and when a reloaded panel gets its history back, the host
 * resends the history in slices; until the last one has landed the panel already shows the new
 * state but an earlier epoch, and its status line (rewritten at most once a second) can still
 * show the count from before the resend while the charts and history hold the first slice.
 */
export async function waitForSettled(ctx: UiContext, frame: Frame, state: string, timeoutMs = 30_000): Promise<{ panel: PanelReading; host: HostStatus }> {
  let seen: { panel?: string; chart?: number | null; lastLine?: string; host?: HostStatus | null } = {};
  return waitFor(
    `panel and host agree the run is ${state}`,
    async () => {
      const panel = await readPanel(frame);
      const host = await readHostStatus(ctx.page);
      const lastLine = panel.history[panel.history.length - 1] ?? '';
      seen = { panel: panel.statusLine, chart: panel.lossChart?.epoch ?? null, lastLine: lastLine.slice(0, 40), host };
      const ok =
        panel.state === state && host?.state === state && panel.epoch === host.epoch && panel.lossChart?.epoch === host.epoch && lastLine.startsWith(`#${host.epoch},`);
      return ok ? { panel, host: host! } : undefined;
    },
    { timeoutMs, intervalMs: 150, last: () => seen },
  );
}

/** Clicks a panel control once it is enabled. */
export async function clickPanelButton(frame: Frame, name: ButtonName, timeoutMs = 20_000): Promise<void> {
  await waitForPanel(frame, `${name} enabled`, (r) => r.enabled[name], timeoutMs);
  await frame.locator(P[name]).click({ timeout: timeoutMs });
}

export interface HeatmapStats {
  width: number;
  height: number;
  /** Distinct opaque colours: a drawn viridis heatmap has many, a blank or flat canvas few. */
  colors: number;
  opaque: number;
  /** A hash of the pixels: changes when the canvas is repainted differently. */
  checksum: number;
}

export async function heatmapStats(frame: Frame): Promise<HeatmapStats> {
  return frame.evaluate((sel) => {
    const c = (globalThis as unknown as Win).document.querySelector(sel) as unknown as CanvasLike | null;
    const out = { width: 0, height: 0, colors: 0, opaque: 0, checksum: 0 };
    if (!c || c.width === 0 || c.height === 0) return out;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const colors = new Set<number>();
    let hash = 0;
    for (let i = 0; i < data.length; i += 4) {
      const rgb = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      hash = (Math.imul(hash, 31) + rgb + data[i + 3]) | 0;
      if (data[i + 3] === 0) continue;
      out.opaque++;
      colors.add(rgb);
    }
    return { width: c.width, height: c.height, colors: colors.size, opaque: out.opaque, checksum: hash };
  }, P.heatmap);
}

/**
 * Waits until the heatmap canvas shows a drawn heatmap (it paints on animation frames); with
 * `unlike`, until it also differs from that earlier picture (a repaint, e.g. in a new theme).
 */
export async function waitForHeatmap(frame: Frame, { timeoutMs = 20_000, unlike }: { timeoutMs?: number; unlike?: HeatmapStats } = {}): Promise<HeatmapStats> {
  let last: HeatmapStats | undefined;
  return waitFor(
    unlike ? 'heatmap repainted' : 'heatmap drawn',
    async () => {
      last = await heatmapStats(frame);
      return last.opaque > 0 && last.colors >= 8 && (!unlike || last.checksum !== unlike.checksum) ? last : undefined;
    },
    { timeoutMs, intervalMs: 250, last: () => last },
  );
}

/**
 * Points the loss chart plots: the one reading only the test hooks give (see selectors.ts). A
 * long run's curve is decimated (first, last, and each bucket's extremes), so `count` equals the
 * epochs only up to a few hundred; the first and last epoch always survive.
 */
export async function lossChartPoints(frame: Frame): Promise<{ count: number; firstEpoch: number | null; lastEpoch: number | null }> {
  return frame.evaluate((name) => {
    const hooks = (globalThis as unknown as Win)[name] as { chart(n: 'loss'): { x: number }[] } | undefined;
    if (!hooks) throw new Error(`the panel has no window.${name} test hooks`);
    const pts = hooks.chart('loss');
    return { count: pts.length, firstEpoch: pts.length ? pts[0].x : null, lastEpoch: pts.length ? pts[pts.length - 1].x : null };
  }, hooksGlobal);
}

/** The webview's theme kind (VS Code sets data-vscode-theme-kind on its body). */
export async function panelThemeKind(frame: Frame): Promise<string> {
  return frame.evaluate(() => (globalThis as unknown as Win).document.body.dataset.vscodeThemeKind ?? '');
}

export async function panelBackground(frame: Frame): Promise<string> {
  return frame.evaluate(() => {
    const w = globalThis as unknown as Win;
    return w.getComputedStyle(w.document.body).backgroundColor;
  });
}

// ---------- composite steps ----------

/**
 * Opens the sample, selects all of it and runs Train RNN on Selection; returns the new panel's
 * frame. The sample has no trailing newline, so Control+A selects exactly the sentence.
 */
export async function trainOnSample(ctx: UiContext): Promise<Frame> {
  const lines = await openFileFromExplorer(ctx, ctx.sampleFile, ctx.sentence.slice(0, 11));
  const before = ctx.page.frames().slice();
  await runCommand(ctx, TRAIN_COMMAND, {
    attempts: 10,
    before: async () => {
      await lines.click();
      await ctx.page.keyboard.press('Control+A');
    },
  });
  return findPanelFrame(ctx.page, { not: before });
}

/**
 * A run still going when a scenario is done with it (it is stopped at the end). With the default
 * 20 hidden units the sentence trains at ~15,000 epochs a second on this machine, so even 20,000
 * epochs are over in under two seconds; 128 units bring that to ~700–1,000 a second (the CLI:
 * 5,000 epochs in 0.37 s at H = 20, in 7.5 s at H = 128), so 50,000 epochs last about a minute,
 * several times what a scenario needs (the pause scenario stops after ~6,500).
 */
export const LONG_EPOCHS = 50_000;
export const LONG_HIDDEN = 128;

/** Starts a LONG_EPOCHS run through the workspace settings and waits until its count moves. */
export async function startLongRun(ctx: UiContext): Promise<{ frame: Frame; moving: PanelReading }> {
  await updateWorkspaceSettings(ctx, { 'rnnLab.epochs': LONG_EPOCHS, 'rnnLab.hiddenSize': LONG_HIDDEN });
  const frame = await trainOnSample(ctx);
  const first = await waitForPanel(frame, 'the run under way', (r) => r.state === 'running' && r.done !== null);
  check(first.total === LONG_EPOCHS, `the run has the workspace's rnnLab.epochs = ${LONG_EPOCHS}`, first.statusLine);
  const moving = await waitForPanel(frame, 'the epoch count moving', (r) => r.state === 'running' && r.done! > first.done!);
  return { frame, moving };
}

/**
 * Brings the workbench back to the state a scenario starts from: no quick input, no editors
 * (so no panel and no worker), no notifications, no bottom panel, the base settings, the default
 * window size.
 */
export async function resetWorkbench(ctx: UiContext): Promise<void> {
  const { page } = ctx;
  for (let i = 0; i < 2 && (await page.locator(W.quickInput).isVisible()); i++) await page.keyboard.press('Escape');
  if ((await page.locator(W.tabs).count()) > 0) await runCommand(ctx, 'View: Close All Editors');
  await waitFor('no editor tabs and no panel frame', async () => (await page.locator(W.tabs).count()) === 0 && (await panelFrameCount(page)) === 0);
  // Notifications may sit in the centre without a toast, so they are cleared every time.
  await runCommand(ctx, 'Notifications: Clear All Notifications');
  if (await page.locator(W.notificationCenter).isVisible()) await runCommand(ctx, 'Notifications: Hide Notifications');
  await waitFor('no notifications shown', async () => (await page.locator(W.notificationMessage).count()) === 0 && !(await page.locator(W.notificationCenter).isVisible()));
  // The palette only offers a toggle, so it runs only when the panel is open.
  if (await page.locator(W.bottomPanel).isVisible()) {
    await runCommand(ctx, 'View: Toggle Panel Visibility');
    await waitFor('bottom panel hidden', async () => !(await page.locator(W.bottomPanel).isVisible()));
  }
  await setWorkspaceSettings(ctx, {});
  await setWindowSize(page);
}
