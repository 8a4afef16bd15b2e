// Runs the UI test (out/test/integration/ui/train.ui.js) against a real workbench: code-server with
// the extension under development, driven by headless Chromium. Screenshots go to
// test-artifacts/ui/. Ends with "ui: N passed, N failed".
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { log, makeRunDir, repoRoot, rmrf, runOrThrow, sleep, writeResult } from './common.mjs';
import { ensureInstalled } from './install.mjs';
import { cleanupAll, copySampleWorkspace, launchChromium, newPage, runDirs, startCodeServer, workbenchUrl } from './rig.mjs';

const SAMPLE = 'hello.txt';
const TIMEOUT_MS = Number(process.env.RNN_LAB_UI_TIMEOUT_MS || 6 * 60_000);
const uiEntry = join(repoRoot, 'out', 'test', 'integration', 'ui', 'train.ui.js');

async function main() {
  if (!existsSync(uiEntry) || process.argv.includes('--build')) runOrThrow(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')]);
  const paths = await ensureInstalled();
  const dirs = runDirs(makeRunDir('ui'));
  const workspace = copySampleWorkspace(dirs);
  const screenshotsDir = join(repoRoot, 'test-artifacts', 'ui');
  rmrf(screenshotsDir);
  mkdirSync(screenshotsDir, { recursive: true });
  const started = Date.now();
  const server = await startCodeServer(paths, dirs);
  log(`code-server ${server.url} healthy in ${Date.now() - started} ms (run folder ${dirs.root})`);
  const browser = await launchChromium(dirs);
  const page = await newPage(browser, dirs);
  await page.goto(workbenchUrl(server, workspace));

  // The file has no trailing newline: Control+A selects exactly the sentence the seed trains on.
  const sentence = readFileSync(join(workspace, SAMPLE), 'utf8');
  const test = createRequire(import.meta.url)(uiEntry);
  let ok = false;
  try {
    // Every step has its own bounded wait; this caps the sum so a wedged workbench fails in minutes.
    const checked = await Promise.race([
      test.run({ page, screenshotsDir, fileName: SAMPLE, sentence, epochs: 600, log: (m) => log(`ui: ${m}`) }),
      sleep(TIMEOUT_MS).then(() => {
        throw new Error(`UI test still running after ${TIMEOUT_MS / 1000} s`);
      }),
      server.exited.then((code) => {
        throw new Error(`code-server exited (${code}) during the UI test`);
      }),
    ]);
    for (const c of checked) console.log(`  ✔ ${c}`);
    ok = true;
  } catch (e) {
    console.log(`  ✘ ${e?.message ?? e}`);
    await page.screenshot({ path: join(screenshotsDir, 'failure.png') }).catch(() => {});
  }
  await cleanupAll();
  if (ok && !process.env.RNN_LAB_KEEP_RUN) rmrf(dirs.root);
  log(`ui test took ${Math.round((Date.now() - started) / 1000)} s; screenshots in ${screenshotsDir}`);
  console.log(`ui: ${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
  writeResult(ok ? 1 : 0, ok ? 0 : 1);
  return ok ? 0 : 1;
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
