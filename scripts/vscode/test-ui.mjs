// Runs the UI scenarios (out/test/integration/ui/*.ui.js, each exporting `scenarios`) against a
// real workbench: one code-server with the extension under development and one headless
// Chromium for the whole run. Each scenario is one test: it gets a bounded time, a failure
// leaves test-artifacts/ui/failure-<scenario>.png, and between scenarios the workbench is
// brought back to a known state. Ends with "ui: N passed, N failed".
// Env: RNN_LAB_UI_GREP=<regexp> runs the scenarios whose name matches; RNN_LAB_UI_TIMEOUT_MS caps
// each scenario; RNN_LAB_UI_FRESH_PAGE=1 opens a fresh page for every scenario.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { log, makeRunDir, repoRoot, rmrf, runOrThrow, writeResult } from './common.mjs';
import { ensureInstalled } from './install.mjs';
import { cleanupAll, copySampleWorkspace, launchChromium, newPage, runDirs, startCodeServer, workbenchUrl } from './rig.mjs';

const SAMPLE = 'hello.txt';
const DEFAULT_SCENARIO_TIMEOUT_MS = 3 * 60_000;
const TIMEOUT_CAP_MS = process.env.RNN_LAB_UI_TIMEOUT_MS ? Number(process.env.RNN_LAB_UI_TIMEOUT_MS) : undefined;
const FRESH_PAGE = process.env.RNN_LAB_UI_FRESH_PAGE === '1';
const uiDir = join(repoRoot, 'out', 'test', 'integration', 'ui');
const require = createRequire(import.meta.url);

// Only for the UI run: a reload must not stop at a "leave this page?" prompt.
// Playback in Live for the scenarios that check views against the newest epoch; the scenario of
// the first minute of use (watch.ui.ts) sets the default 60 epochs/s in its workspace settings.
const UI_USER_SETTINGS = { 'window.confirmBeforeClose': 'never', 'workbench.editor.closeEmptyGroups': true, 'rnnLab.playback.epochsPerSecond': 0 };

/** @typedef {import('../../test/integration/ui/helpers').UiScenario} UiScenario */
/** @typedef {import('../../test/integration/ui/helpers').UiContext} UiContext */

/** Every scenario of every *.ui.js file, in file then declaration order; names must be unique. */
function loadScenarios() {
  /** @type {{ file: string, scenario: UiScenario }[]} */
  const all = [];
  for (const name of readdirSync(uiDir).filter((n) => n.endsWith('.ui.js')).sort()) {
    const mod = require(join(uiDir, name));
    if (!Array.isArray(mod.scenarios)) throw new Error(`${name} exports no \`scenarios\` array`);
    for (const scenario of mod.scenarios) all.push({ file: name, scenario });
  }
  const seen = new Set();
  for (const { file, scenario } of all) {
    if (seen.has(scenario.name)) throw new Error(`scenario name "${scenario.name}" is used twice (again in ${file})`);
    seen.add(scenario.name);
  }
  return all;
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} still running after ${Math.round(ms / 1000)} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function main() {
  const runStarted = Date.now();
  if (!existsSync(join(uiDir, 'helpers.js')) || process.argv.includes('--build')) runOrThrow(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')]);
  const helpers = require(join(uiDir, 'helpers.js'));
  const grep = process.env.RNN_LAB_UI_GREP ? new RegExp(process.env.RNN_LAB_UI_GREP) : undefined;
  const all = loadScenarios();
  const selected = all.filter(({ scenario }) => !grep || grep.test(scenario.name));
  if (selected.length === 0) {
    console.log(`[rig] RNN_LAB_UI_GREP=${process.env.RNN_LAB_UI_GREP} matches no scenario; there are: ${all.map((s) => s.scenario.name).join(', ')}`);
    console.log('ui: 0 passed, 1 failed');
    writeResult(0, 1);
    return 1;
  }

  const paths = await ensureInstalled();
  const dirs = runDirs(makeRunDir('ui'));
  const workspace = copySampleWorkspace(dirs);
  // The settings file exists before the workbench opens: edits of a watched file apply in
  // ~0.3 s, while the first appearance of a new one took ~2 s.
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(join(workspace, '.vscode', 'settings.json'), '{}\n');
  const screenshotsDir = join(repoRoot, 'test-artifacts', 'ui');
  rmrf(screenshotsDir);
  mkdirSync(screenshotsDir, { recursive: true });
  const sentence = readFileSync(join(workspace, SAMPLE), 'utf8');

  const server = await startCodeServer(paths, dirs, { settings: UI_USER_SETTINGS });
  log(`code-server ${server.url} healthy in ${Date.now() - runStarted} ms (run folder ${dirs.root})`);
  const browser = await launchChromium(dirs);
  const url = workbenchUrl(server, workspace);
  const serverGone = server.exited.then((code) => {
    throw new Error(`code-server exited (${code})`);
  });
  serverGone.catch(() => {});

  /** @param {string} scenario @returns {UiContext} */
  const context = (page, scenario) => ({
    page,
    scenario,
    workspace,
    sampleFile: SAMPLE,
    sentence,
    screenshotsDir,
    repoRoot,
    log: (m) => log(`ui:${scenario}: ${m}`),
  });

  let page;
  const openPage = async () => {
    const started = Date.now();
    if (page) await page.context().close().catch(() => {});
    page = await newPage(browser, dirs, helpers.DEFAULT_WINDOW);
    await page.goto(url);
    await helpers.waitForWorkbench(page, SAMPLE);
    log(`workbench ready in ${Date.now() - started} ms`);
  };

  const timings = { startupMs: 0, scenarios: {}, resetMs: [] };
  await openPage();
  timings.startupMs = Date.now() - runStarted;
  let passed = 0;
  let failed = 0;
  let needFreshPage = false;
  for (const [i, { scenario }] of selected.entries()) {
    const name = scenario.name;
    // Reset before every scenario but the first: a reset that fails gets a fresh page instead.
    if (i > 0) {
      const started = Date.now();
      try {
        if (needFreshPage || FRESH_PAGE) await openPage();
        await withTimeout(helpers.resetWorkbench(context(page, `reset-before-${name}`)), 60_000, 'reset');
      } catch (e) {
        log(`reset before ${name} failed (${e?.message?.split('\n')[0]}); opening a fresh page`);
        await openPage();
        await withTimeout(helpers.resetWorkbench(context(page, `reset-before-${name}`)), 60_000, 'reset');
      }
      timings.resetMs.push(Date.now() - started);
    }
    needFreshPage = false;
    const timeoutMs = Math.min(scenario.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS, TIMEOUT_CAP_MS ?? Infinity);
    const started = Date.now();
    console.log(`\n  ▶ ${name}`);
    try {
      const checked = await Promise.race([withTimeout(scenario.run(context(page, name)), timeoutMs, `scenario ${name}`), serverGone]);
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`  ✔ ${name} (${secs} s)`);
      for (const c of checked) console.log(`      ✔ ${c}`);
      passed++;
    } catch (e) {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`  ✘ ${name} (${secs} s): ${e?.message ?? e}`);
      failed++;
      await page.screenshot({ path: join(screenshotsDir, `failure-${name}.png`) }).catch(() => {});
      // Whatever the failed scenario still has in flight dies with its page.
      needFreshPage = true;
    }
    timings.scenarios[name] = Date.now() - started;
  }
  await cleanupAll();
  const totalMs = Date.now() - runStarted;
  writeFileSync(join(screenshotsDir, 'timings.json'), JSON.stringify({ ...timings, totalMs }, null, 2) + '\n');
  if (failed === 0 && !process.env.RNN_LAB_KEEP_RUN) rmrf(dirs.root);
  const resets = timings.resetMs.length ? ` resets ${timings.resetMs.map((ms) => (ms / 1000).toFixed(1)).join('/')} s;` : '';
  log(`ui run took ${Math.round(totalMs / 1000)} s (startup ${(timings.startupMs / 1000).toFixed(1)} s;${resets} per scenario in ${join(screenshotsDir, 'timings.json')})`);
  console.log(`ui: ${passed} passed, ${failed} failed`);
  writeResult(passed, failed);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (e) => {
    console.error(`[rig] ${e?.stack ?? e}`);
    await cleanupAll();
    console.log('ui: 0 passed, 1 failed');
    writeResult(0, 1);
    process.exit(1);
  },
);
