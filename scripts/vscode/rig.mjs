// The real-VS-Code rig: code-server (VS Code workbench + real Node extension host) bound to
// 127.0.0.1, driven by headless Chromium through playwright-core. Every directory code-server
// or Chromium would write to lives under a per-run folder in test-artifacts/.
import { createWriteStream, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS, freePort, killGroup, log, repoRoot, sleep, spawnGroup } from './common.mjs';

const cleanups = [];
let signalled = false;
// Tests report an interrupted run as a failure; `npm start` treats Ctrl+C as the normal way out.
let interruptExitCode = 130;
export function setInterruptExitCode(code) {
  interruptExitCode = code;
}

/** Registers a teardown step; teardowns run in reverse order on exit, failure and Ctrl+C. */
export function onCleanup(fn) {
  cleanups.push(fn);
}

export async function cleanupAll() {
  while (cleanups.length > 0) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (e) {
      console.error('[rig] cleanup:', e?.message ?? e);
    }
  }
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (signalled) return;
    signalled = true;
    log(`${sig}: stopping code-server and Chromium`);
    cleanupAll().finally(() => process.exit(interruptExitCode));
  });
}
// Last resort for synchronous exits (process.exit from elsewhere): the groups still die.
const groups = new Set();
process.on('exit', () => {
  for (const child of groups) killGroup(child, 'SIGKILL');
});

/** Per-run dirs; HOME/XDG/TMPDIR point here so neither $HOME nor /tmp gets written. */
export function runDirs(runDir) {
  const d = {
    root: runDir,
    userData: join(runDir, 'cs', 'user-data'),
    extensions: join(runDir, 'cs', 'extensions'),
    home: join(runDir, 'cs', 'home'),
    xdgConfig: join(runDir, 'cs', 'xdg-config'),
    xdgData: join(runDir, 'cs', 'xdg-data'),
    xdgCache: join(runDir, 'cs', 'xdg-cache'),
    tmp: join(runDir, 'tmp'),
    chromeHome: join(runDir, 'chromium-home'),
    workspace: join(runDir, 'workspace'),
    artifacts: runDir,
  };
  // Unix sockets (Chromium's singleton, VS Code's IPC) live in TMPDIR and paths over 107 bytes
  // fail; a deep checkout gets a private folder in the system temp dir instead, removed at the end.
  if (d.tmp.length > 60) {
    d.tmp = mkdtempSync(join(tmpdir(), 'rnnlab-'));
    const tmp = d.tmp;
    onCleanup(() => rmSync(tmp, { recursive: true, force: true }));
  }
  for (const p of Object.values(d)) mkdirSync(p, { recursive: true });
  return d;
}

/** The sample workspace is copied so the tests and `npm start` never modify the repo. */
export function copySampleWorkspace(dirs) {
  cpSync(join(repoRoot, 'media', 'sample'), dirs.workspace, { recursive: true });
  return dirs.workspace;
}

const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'files.hotExit': 'off',
  'window.restoreWindows': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/**
 * Starts code-server and waits for /healthz. `env` reaches the extension host; `settings` are
 * added to the quiet user settings; `extraArgs` go to code-server as they are (e.g. `--locale ko`).
 * Returns { url, port, stop }.
 */
export async function startCodeServer(paths, dirs, { env = {}, settings = {}, smokeTestDriver = true, quiet = true, port: wantedPort, extraArgs = [] } = {}) {
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  const port = wantedPort ?? (await freePort());
  const config = join(dirs.root, 'cs', 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    paths.codeServerEntry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--config', config,
  ];
  // Lets the page receive the extension tests' exit code and output (codeAutomationExit/Log).
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(...extraArgs);
  const logPath = join(dirs.root, 'code-server.log');
  const out = createWriteStream(logPath);
  const child = spawnGroup(paths.node, args, {
    cwd: dirs.workspace,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PATH: `${paths.nodeBin}:${process.env.PATH}`,
      HOME: dirs.home,
      XDG_CONFIG_HOME: dirs.xdgConfig,
      XDG_DATA_HOME: dirs.xdgData,
      XDG_CACHE_HOME: dirs.xdgCache,
      TMPDIR: dirs.tmp,
      // The panels load their test bundles, whose read-only hooks the UI tests may read.
      RNN_LAB_TEST_HOOKS: '1',
      ...env,
    },
  });
  groups.add(child);
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  if (!quiet) {
    child.stdout.pipe(process.stdout, { end: false });
    child.stderr.pipe(process.stderr, { end: false });
  }
  let exited = null;
  const exitedP = new Promise((resolve) => child.on('exit', (code, sig) => resolve((exited = code ?? sig))));
  const stop = async () => {
    if (exited !== null) return;
    killGroup(child, 'SIGTERM');
    const done = await Promise.race([exitedP.then(() => true), sleep(5000).then(() => false)]);
    if (!done) killGroup(child, 'SIGKILL');
    // Helpers code-server forked into the same group go too, even if the leader already left.
    killGroup(child, 'SIGKILL');
    groups.delete(child);
    out.end();
  };
  onCleanup(stop);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited !== null) {
      throw new Error(`code-server exited (${exited}) before it was healthy; see ${logPath}:\n${tail(logPath)}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`code-server not healthy after 90 s; see ${logPath}:\n${tail(logPath)}`);
    await sleep(250);
  }
  return { url, port, stop, logPath, exited: exitedP };
}

function tail(file, n = 30) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}

/** Workbench URL that loads the repo as the extension under development (and optionally the tests). */
// The workbench only honours extensionDevelopmentPath/extensionTestsPath in a built VS Code when
// code-server runs with the smoke-test driver, so every caller starts it that way.
export function workbenchUrl(server, folder, { testsPath, openFile } = {}) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(repoRoot)]];
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  if (openFile) payload.push(['openFile', remote(openFile)]);
  return `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export async function launchChromium(dirs) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (Debian package chromium)`);
  // playwright-core puts Chromium's profile in os.tmpdir(); keep it in the run folder.
  process.env.TMPDIR = dirs.tmp;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    env: {
      ...process.env,
      HOME: dirs.chromeHome,
      XDG_CONFIG_HOME: join(dirs.chromeHome, '.config'),
      XDG_CACHE_HOME: join(dirs.chromeHome, '.cache'),
      TMPDIR: dirs.tmp,
    },
  });
  onCleanup(async () => {
    await Promise.race([browser.close().catch(() => {}), sleep(5000)]);
  });
  return browser;
}

/** A page in a context of its own (fresh browser storage: no editors restored from a previous page). */
export async function newPage(browser, dirs, viewport = { width: 1600, height: 1000 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('pageerror', (e) => writeFileSync(join(dirs.root, 'page-errors.log'), `${e.stack ?? e}\n`, { flag: 'a' }));
  return page;
}
