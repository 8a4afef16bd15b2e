// Runs the mocha integration suite (out/test/integration/suite) inside a real extension host:
// code-server + headless Chromium opening the workbench with the smoke-test driver payload.
// Ends with one line "vscode: N passed, N failed" that scripts/test.mjs counts.
// Env: RNN_LAB_GREP=<regexp> runs only matching tests; RNN_LAB_KEEP_RUN=1 keeps the run folder.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { makeRunDir, repoRoot, rmrf, runOrThrow, sleep, writeResult } from './common.mjs';
import { ensureInstalled } from './install.mjs';
import { cleanupAll, copySampleWorkspace, launchChromium, newPage, runDirs, startCodeServer, workbenchUrl } from './rig.mjs';

// The suite takes ~20 s warm; a hung extension host must not eat the CI budget.
const TIMEOUT_MS = Number(process.env.RNN_LAB_SUITE_TIMEOUT_MS || 8 * 60_000);
const RESULT_MARK = 'RNN_LAB_MOCHA_RESULT ';
// Workbench chatter of an offline code-server; kept in automation.log, not shown.
const NOISE = new RegExp(
  [
    '^Resolv(?:ing|ed) connection token',
    '^Creating a socket',
    '^\\[(?:reconnection-grace-time|Service Worker|AgentHost[^\\]]*|AccountPolicyGate)\\]',
    '^Updating additional builtin extensions cache',
    '^Creation of workbench contribution',
    "authentication provider '\\w+' to register",
    'ENOTFOUND',
  ].join('|'),
);

const testsEntry = join(repoRoot, 'out', 'test', 'integration', 'suite', 'index.js');

async function main() {
  if (!existsSync(testsEntry) || process.argv.includes('--build')) runOrThrow(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')]);
  if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) console.log('[rig] warning: dist/extension.js is missing, the extension cannot activate');
  const paths = await ensureInstalled();
  const dirs = runDirs(makeRunDir('vscode'));
  copySampleWorkspace(dirs);
  const started = Date.now();
  const server = await startCodeServer(paths, dirs, {
    smokeTestDriver: true,
    env: {
      RNN_LAB_TEST_ARTIFACTS: dirs.artifacts,
      RNN_LAB_TEST_WORKSPACE: dirs.workspace,
      ...(process.env.RNN_LAB_GREP ? { RNN_LAB_GREP: process.env.RNN_LAB_GREP } : {}),
    },
  });
  console.log(`[rig] code-server ${server.url} healthy in ${Date.now() - started} ms (run folder ${dirs.root})`);
  const browser = await launchChromium(dirs);
  const page = await newPage(browser, dirs);

  let result = null;
  let resolveExit;
  const exited = new Promise((r) => (resolveExit = r));
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    // Arguments arrive as console arguments (format string first), from the workbench and the extension host alike.
    const text = Array.isArray(args) ? format(...args) : String(args);
    writeFileSync(join(dirs.root, 'automation.log'), `[${type}] ${text}\n`, { flag: 'a' });
    const at = text.indexOf(RESULT_MARK);
    if (at >= 0) {
      try {
        result = JSON.parse(text.slice(at + RESULT_MARK.length).split('\n')[0]);
      } catch {
        // a garbled marker counts as no result
      }
      return;
    }
    if (!NOISE.test(text)) console.log(text);
  });
  page.on('crash', () => resolveExit('page crashed'));

  await page.goto(workbenchUrl(server, dirs.workspace, { testsPath: testsEntry }));
  const outcome = await Promise.race([
    exited,
    server.exited.then((code) => `code-server exited (${code})`),
    sleep(TIMEOUT_MS).then(() => `timeout after ${TIMEOUT_MS / 1000} s`),
  ]);
  if (outcome !== 0) {
    await page.screenshot({ path: join(dirs.root, 'workbench-at-failure.png') }).catch(() => {});
  }
  await cleanupAll();

  let passes = result?.passes ?? 0;
  let failures = result?.failures ?? 0;
  if (typeof outcome !== 'number') {
    console.log(`[rig] integration suite did not finish: ${outcome} (artifacts in ${dirs.root})`);
    failures += 1;
  } else if (outcome !== 0 && failures === 0) {
    // Exit code 1 without a mocha result: the suite failed to load or run.
    console.log(`[rig] extension tests exited with ${outcome} before reporting results (see ${dirs.root}/automation.log)`);
    failures += 1;
  }
  if (failures === 0 && !process.env.RNN_LAB_KEEP_RUN) rmrf(dirs.root);
  console.log(`[rig] suite took ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(`vscode: ${passes} passed, ${failures} failed`);
  writeResult(passes, failures);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (e) => {
    console.error(`[rig] ${e?.stack ?? e}`);
    await cleanupAll();
    console.log('vscode: 0 passed, 1 failed');
    writeResult(0, 1);
    process.exit(1);
  },
);
