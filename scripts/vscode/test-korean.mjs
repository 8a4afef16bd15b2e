// The workbench in Korean: code-server started with `--locale ko`, the extension under development,
// and the checks a user would see — a command title in the palette and the training panel's headings
// are Korean, the Get Started walkthrough's PyTorch page is the Korean one, and hovering a field of a
// lesson file shows the Korean schema's description (both files named through package.nls.ko.json).
// Screenshots go to test-artifacts/ko/ and are kept. Ends with "ko: N passed, N failed".
//
// No Korean language pack can be downloaded here, and without one VS Code resolves `--locale ko` to
// English (measured: the palette stayed English and vscode.env.language was "en"). VS Code picks a
// display language from the language-pack cache `languagepacks.json` in its user-data folder, so this
// script writes one entry for "ko" whose translation of VS Code itself is an empty file. The
// workbench's own menus therefore stay English, but VS Code resolves the language to "ko": extensions
// get `vscode.env.language === 'ko'`, their package.nls.ko.json and their l10n/bundle.l10n.ko.json,
// exactly as with the real language pack (MS-CEINTL.vscode-language-pack-ko).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { log, makeRunDir, repoRoot, rmrf, writeResult } from './common.mjs';
import { ensureInstalled } from './install.mjs';
import { cleanupAll, copySampleWorkspace, launchChromium, newPage, runDirs, startCodeServer, workbenchUrl } from './rig.mjs';

const SAMPLE = 'hello.txt';
const TRAIN_TITLE_KO = 'RNN Lab: 선택 영역으로 RNN 학습';
/** Headings of the training panel that must be Korean (from l10n/bundle.l10n.ko.json). */
const HEADINGS_KO = ['시간을 거스르는 기울기', '예측', '손실', '왜 소실되는가'];
/** The walkthrough's title and its PyTorch step (package.nls.ko.json), and the Korean page's heading (media/walkthrough/pytorch.ko.md). */
const WALKTHROUGH_KO = 'RNN Lab으로 기울기 소실 지켜보기';
const PYTORCH_STEP_KO = 'PyTorch에서 열기';
const PYTORCH_PAGE_KO = 'PyTorch에서 가중치 열기';
/** A lesson file of the workspace, without `$schema` (which VS Code would prefer to the contributed association). */
const LESSON_FILE = 'hover.rnnlab-lesson.json';
/** The Korean schema's description of `compare` (schema/rnnlab-lesson.schema.ko.json). */
const COMPARE_KO = 'RNN, LSTM, GRU를 나란히 학습합니다';

async function waitFor(what, fn, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn().catch((e) => ({ error: e.message }));
    if (last && !last.error && last !== false) return last;
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs / 1000} s (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The language-pack cache entry that makes "ko" a display language (see the header). */
function writeKoreanDisplayLanguage(dirs) {
  const pack = join(dirs.root, 'ko-display-language');
  mkdirSync(pack, { recursive: true });
  const translations = join(pack, 'main.i18n.json');
  writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  const entry = { hash: 'rnn-lab-ko-1', extensions: [{ extensionIdentifier: { id: 'rnn-lab-test.ko-display-language' }, version: '1.0.0' }], translations: { vscode: translations }, label: '한국어' };
  writeFileSync(join(dirs.userData, 'languagepacks.json'), JSON.stringify({ ko: entry }, null, 2));
}

async function main() {
  const started = Date.now();
  const paths = await ensureInstalled();
  const dirs = runDirs(makeRunDir('ko'));
  const workspace = copySampleWorkspace(dirs);
  writeFileSync(join(workspace, LESSON_FILE), `${JSON.stringify({ format: 'rnn-lab.lesson', version: 1, title: 'T', summary: 'S', text: 'hello world', compare: false }, null, 2)}\n`);
  writeKoreanDisplayLanguage(dirs);
  const shots = join(repoRoot, 'test-artifacts', 'ko');
  rmrf(shots);
  mkdirSync(shots, { recursive: true });

  const server = await startCodeServer(paths, dirs, { extraArgs: ['--locale', 'ko'], settings: { 'rnnLab.playback.epochsPerSecond': 0 } });
  const browser = await launchChromium(dirs);
  const page = await newPage(browser, dirs, { width: 1440, height: 900 });
  await page.goto(workbenchUrl(server, workspace));
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label*="${SAMPLE}"]`).first();
  await row.waitFor({ state: 'visible', timeout: 90_000 });
  log(`workbench ready in ${Date.now() - started} ms`);

  let passed = 0;
  let failed = 0;
  const checkStep = async (name, fn) => {
    try {
      const detail = await fn();
      console.log(`  ✔ ${name}${detail ? `: ${detail}` : ''}`);
      passed++;
    } catch (e) {
      console.log(`  ✘ ${name}: ${e?.message ?? e}`);
      failed++;
      await page.screenshot({ path: join(shots, `failure-${name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
    }
  };

  await checkStep('palette lists the Korean command title', async () => {
    const lines = page.locator('.editor-instance .monaco-editor .view-lines', { hasText: 'hello world' }).first();
    await row.click();
    await lines.waitFor({ timeout: 30_000 });
    // A freshly started extension host may not list the command yet: reopen the palette until it does.
    const label = await waitFor('the Korean title in the palette', async () => {
      await page.keyboard.press('Escape');
      await lines.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('>선택 영역으로 RNN');
      const hit = page.locator('.quick-input-widget .monaco-list-row .label-name', { hasText: TRAIN_TITLE_KO }).first();
      await hit.waitFor({ state: 'visible', timeout: 3_000 });
      return hit.textContent();
    });
    await page.screenshot({ path: join(shots, 'korean-palette.png') });
    if (label !== TRAIN_TITLE_KO) throw new Error(`palette row reads ${JSON.stringify(label)}`);
    await page.locator('.quick-input-widget .monaco-list-row', { has: page.locator('.label-name', { hasText: TRAIN_TITLE_KO }) }).first().click();
    return label;
  });

  await checkStep('training panel headings and status are Korean', async () => {
    const frame = await waitFor('the training panel', async () => {
      for (const f of page.frames()) {
        if (f === page.mainFrame() || f.isDetached()) continue;
        if (await f.evaluate(() => globalThis.document.querySelector('#app h1') !== null).catch(() => false)) return f;
      }
      return false;
    });
    const seen = await waitFor('Korean headings and a finished run', async () => {
      const r = await frame.evaluate(() => {
        const doc = globalThis.document;
        return {
          lang: doc.documentElement.lang,
          headings: [...doc.querySelectorAll('h2')].map((h) => h.textContent?.trim() ?? ''),
          status: doc.body.innerText.includes('완료'),
        };
      });
      return r.lang === 'ko' && r.status && r.headings.length > 0 ? r : false;
    }, 120_000);
    const missing = HEADINGS_KO.filter((h) => !seen.headings.some((x) => x.startsWith(h)));
    await page.screenshot({ path: join(shots, 'korean-panel.png') });
    if (missing.length > 0) throw new Error(`headings ${JSON.stringify(seen.headings)} lack ${JSON.stringify(missing)}`);
    return `lang=${seen.lang}; ${seen.headings.join(' | ')}`;
  });

  await checkStep('the walkthrough shows the Korean PyTorch page', async () => {
    await page.keyboard.press('Escape');
    await waitFor('the walkthrough in the picker', async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('>Welcome: Open Walkthrough');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Open Walkthrough' }).first().click({ timeout: 5_000 });
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: WALKTHROUGH_KO }).first().click({ timeout: 5_000 });
      return true;
    });
    const step = page.locator('.gettingStartedContainer .getting-started-step', { hasText: PYTORCH_STEP_KO }).first();
    await step.waitFor({ state: 'visible', timeout: 30_000 });
    await step.click();
    // The Markdown page is drawn in a webview: find the frame that shows it.
    const shown = await waitFor('the PyTorch page', async () => {
      for (const f of page.frames()) {
        if (f === page.mainFrame() || f.isDetached()) continue;
        const text = await f.evaluate(() => globalThis.document.body?.innerText ?? '').catch(() => '');
        if (text.includes('torch.nn.functional')) return text;
      }
      return false;
    });
    await page.screenshot({ path: join(shots, 'korean-walkthrough.png') });
    const heading = shown.split('\n').find((l) => l.trim().length > 0)?.trim();
    if (heading !== PYTORCH_PAGE_KO) throw new Error(`the page starts with ${JSON.stringify(heading)}`);
    return heading;
  });

  await checkStep('a lesson file\'s hover shows the Korean schema description', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(LESSON_FILE);
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: LESSON_FILE }).first().click({ timeout: 10_000 });
    const key = page.locator('.editor-instance .monaco-editor .view-line span', { hasText: '"compare"' }).last();
    await key.waitFor({ state: 'visible', timeout: 30_000 });
    // The JSON language server starts on the first JSON file: hover again until the description comes.
    const hover = page.locator('.monaco-hover:not(.hidden)');
    const text = await waitFor('the schema description in the hover', async () => {
      await page.mouse.move(0, 0);
      await key.hover();
      await hover.first().waitFor({ state: 'visible', timeout: 3_000 }).catch(() => {});
      const t = (await hover.first().innerText({ timeout: 1_000 }).catch(() => '')).trim();
      return t.includes('RNN') ? t : false;
    }, 90_000);
    await page.screenshot({ path: join(shots, 'korean-lesson-hover.png') });
    if (!text.includes(COMPARE_KO)) throw new Error(`the hover reads ${JSON.stringify(text)}`);
    return text.split('\n')[0];
  });

  await cleanupAll();
  if (failed === 0 && !process.env.RNN_LAB_KEEP_RUN) rmrf(dirs.root);
  log(`Korean workbench run took ${Math.round((Date.now() - started) / 1000)} s; screenshots in ${shots}`);
  console.log(`ko: ${passed} passed, ${failed} failed`);
  writeResult(passed, failed);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (e) => {
    console.error(`[rig] ${e?.stack ?? e}`);
    await cleanupAll();
    console.log('ko: 0 passed, 1 failed');
    writeResult(0, 1);
    process.exit(1);
  },
);
