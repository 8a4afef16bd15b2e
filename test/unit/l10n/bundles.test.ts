// The Korean translation covers exactly what the English source has, with the same placeholders,
// and no string of src/ or webview/ reaches the user without going through the bundle
// (scripts/l10n-scan.mjs says precisely what that means).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../support/repoRoot';
import { bundleTranslator, formatMessage, setTranslator, t } from '../../../src/core/l10n';
import { checkTrainingText, TextError } from '../../../src/core';
import { divergenceMessage } from '../../../src/core/loop';
import { renderWebviewHtml } from '../../../src/panel/html';
import { readSettings } from '../../../src/settings';
import { parsePersistedRun } from '../../../src/shared/persist';
import { parseTrainArgs } from '../../../src/shared/validate';
import { parseContinueArgs } from '../../../src/weights/continueOptions';
import { parseGenerateArgs } from '../../../src/weights/generateOptions';

const root = repoRoot();
const readJson = <T>(rel: string): T => JSON.parse(readFileSync(join(root, rel), 'utf8')) as T;
type Strings = Record<string, string>;

interface Bypass {
  file: string;
  line: number;
  text: string;
}
interface Scanner {
  findBypasses(allowed?: Record<string, string[]>): Bypass[];
  translatedSentences(): Map<string, string[]>;
  loadNotLanguage(): Record<string, string[]>;
  byFile(b: Bypass[]): Record<string, string[]>;
}
// The scanner is the same module the command line uses; it needs the TypeScript compiler at run time.
const scanner = (): Promise<Scanner> => import(pathToFileURL(join(root, 'scripts', 'l10n-scan.mjs')).href) as Promise<Scanner>;

const HANGUL = /[\uac00-\ud7a3]/;
/** {0}, {1}… as a sorted list: a translation may move them, never drop or invent one. */
const placeholders = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort();
/** Settings links (#rnnLab.x#) and code spans of the settings texts, which must survive translation. */
const settingLinks = (s: string) => (s.match(/#rnnLab\.[\w.]+#/g) ?? []).sort();

function sameKeys(en: Strings, ko: Strings, what: string): void {
  const missing = Object.keys(en).filter((k) => !(k in ko));
  const stale = Object.keys(ko).filter((k) => !(k in en));
  assert.deepEqual(missing, [], `${what}: keys without a Korean entry`);
  assert.deepEqual(stale, [], `${what}: Korean keys the English no longer has`);
}

/** A manifest value that names a file of the extension (a walkthrough page, a schema) rather than text. */
const FILE_PATH = /^(\.\/)?[\w-]+(\/[\w.-]+)+\.(md|json)$/;

function translated(en: Strings, ko: Strings, what: string): void {
  for (const [key, english] of Object.entries(en)) {
    const korean = ko[key];
    if (FILE_PATH.test(english)) {
      // Its Korean is the Korean file: another file, which exists (the unit tests of its area check its content).
      assert.ok(FILE_PATH.test(korean) && korean !== english && existsSync(join(root, korean)), `${what} ${JSON.stringify(key)}: the Korean entry ${JSON.stringify(korean)} is another file that exists`);
      continue;
    }
    assert.deepEqual(placeholders(korean), placeholders(english), `${what} ${JSON.stringify(key)}: placeholders differ`);
    assert.deepEqual(settingLinks(korean), settingLinks(english), `${what} ${JSON.stringify(key)}: settings links differ`);
    // Text with English words in it must have been translated, not copied.
    // (Code, settings links, dotted field names like training.config and math are not words.)
    if (/[a-z]{3,}/.test(english.replace(/\{\d+\}|`[^`]*`|#rnnLab\.[\w.]+#|\w+(\.\w+)+|[‖∂_]\S*/g, ''))) {
      assert.match(korean, HANGUL, `${what} ${JSON.stringify(key)}: the Korean entry is not Korean: ${JSON.stringify(korean)}`);
    }
  }
}

test('package.nls.ko.json translates every key of package.nls.json, and package.json uses exactly those keys', () => {
  const en = readJson<Strings>('package.nls.json');
  const ko = readJson<Strings>('package.nls.ko.json');
  sameKeys(en, ko, 'package.nls');
  translated(en, ko, 'package.nls');
  const manifest = readFileSync(join(root, 'package.json'), 'utf8');
  const used = [...new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]))].sort();
  assert.deepEqual(used, Object.keys(en).sort(), 'the %keys% of package.json are the keys of package.nls.json');
});

test('package.json has no user-facing text left outside package.nls.json', () => {
  const pkg = readJson<{ description: string; contributes: Record<string, unknown> }>('package.json');
  const found: string[] = [];
  const visit = (v: unknown, path: string) => {
    if (typeof v === 'string') {
      if (/(^|\.)(title|category|description|markdownDescription|altText|enumDescriptions\.\d+)$/.test(path) && !/^%[^%]+%$/.test(v)) found.push(`${path}: ${v}`);
    } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${path}.${i}`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, path ? `${path}.${k}` : k);
  };
  visit({ description: pkg.description, contributes: pkg.contributes }, '');
  assert.deepEqual(found, []);
});

test('l10n/bundle.l10n.json is exactly the t() sentences of src/ and webview/, and the Korean bundle covers it', async () => {
  const { translatedSentences } = await scanner();
  const en = readJson<Strings>('l10n/bundle.l10n.json');
  const ko = readJson<Strings>('l10n/bundle.l10n.ko.json');
  const used = [...translatedSentences().keys()];
  assert.deepEqual(used.filter((k) => k.startsWith('<')), [], 't() is given a template instead of a sentence with {0} placeholders');
  assert.deepEqual(Object.keys(en).sort(), used.sort(), 'node scripts/l10n-extract.mjs rewrites the source bundle');
  for (const [k, v] of Object.entries(en)) assert.equal(v, k, 'the source bundle maps each sentence to itself');
  sameKeys(en, ko, 'bundle.l10n');
  translated(en, ko, 'bundle.l10n');
});

test('no string of src/ or webview/ reaches the user without the bundle, except reviewed non-language; that list has no stale entries', async () => {
  const { findBypasses, loadNotLanguage, byFile } = await scanner();
  const notLanguage = loadNotLanguage();
  const all = findBypasses({});
  const unlisted = all.filter((b) => !(notLanguage[b.file] ?? []).includes(b.text));
  assert.deepEqual(
    unlisted.map((b) => `${b.file}:${b.line} ${JSON.stringify(b.text)}`),
    [],
    'wrap these in t() (src: src/core/l10n.ts, webview: webview/l10n.ts), run node scripts/l10n-extract.mjs and add the Korean to l10n/bundle.l10n.ko.json',
  );
  const present = byFile(all);
  const stale = Object.entries(notLanguage).flatMap(([file, texts]) => texts.filter((x) => !(present[file] ?? []).includes(x)).map((x) => `${file}: ${JSON.stringify(x)}`));
  assert.deepEqual(stale, [], 'l10n/not-language.json lists strings the sources no longer have');
});

test('node scripts/l10n-scan.mjs passes on the sources: every sentence and manifest key has Korean', () => {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'l10n-scan.mjs')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^0 strings bypass the bundle; 0 t\(\) sentences are missing from it; 0 sentences and 0 package.nls keys lack Korean/m);
});

test('the scanner catches a message shown without t(), and lets a t() sentence through', async () => {
  // Checked on the real sources: a known converted call passes and a known class-name literal is flagged without its allowlist.
  const { findBypasses } = await scanner();
  const raw = findBypasses({});
  assert.ok(raw.some((b) => b.file === 'webview/app.ts' && b.text === 'chart compact'), 'an unlisted non-t literal is reported');
  // Words that only a substitution separates count too (the model panel's old "Vocabulary (${n} characters)").
  assert.ok(raw.some((b) => b.file === 'src/core/format.ts' && b.text === '#{}, Loss: {}, Acc: {}, Test_string: "{}"'), 'a template with words around its substitutions is reported');
  assert.ok(!raw.some((b) => b.text === 'Open a file and select the text to train on.'), 'a t() sentence is not reported');
});

test('with the Korean bundle installed, core and host messages come out in Korean; without it, in English', () => {
  const ko = readJson<Strings>('l10n/bundle.l10n.ko.json');
  const message = (): string => {
    try {
      checkTrainingText('');
    } catch (err) {
      if (err instanceof TextError) return err.message;
      throw err;
    }
    return 'no error';
  };
  try {
    setTranslator(bundleTranslator(ko));
    assert.equal(message(), ko['The text is empty: select some text to train on.']);
    assert.match(message(), HANGUL);
    const bad = readSettings((key) => (key === 'hiddenSize' ? 0 : undefined));
    assert.ok(!bad.ok);
    assert.match(bad.ok ? '' : bad.error, /rnnLab\.hiddenSize.*1 이상인 정수/);
    assert.equal(t('Training diverged at epoch {0}: {1}. Try a lower learning rate or enable gradient clipping.', 12, 'x'), '12 에폭에서 학습이 발산했습니다: x. 학습률을 낮추거나 기울기 클리핑을 켜 보세요.');
    // The persisted-state validator, the lesson info's checks and the automation arguments, once the list of strings left English.
    assert.deepEqual(parsePersistedRun({}), { ok: false, error: 'state.version은 2이어야 합니다 (다른 빌드가 저장한 상태입니다)' });
    assert.deepEqual(parseGenerateArgs({ prefix: 3 }), { ok: false, error: 'prefix는 문자열이어야 합니다' });
    assert.deepEqual(parseTrainArgs([]), { ok: false, error: '인수는 { text?, config? } 꼴의 객체여야 합니다' });
    assert.deepEqual(parseContinueArgs({ text: 1 }), { ok: false, error: 'argument.text는 문자열이어야 합니다' });
  } finally {
    setTranslator(undefined);
  }
  assert.equal(message(), 'The text is empty: select some text to train on.');
  assert.deepEqual(parsePersistedRun({}), { ok: false, error: 'state.version must be 2 (a state saved by another build)' });
  assert.deepEqual(parseContinueArgs([]), { ok: false, error: 'the argument must be an object { weightsUri?, text?, config? }' });
});

test('the webview tells an untrained divergence by its phrase "before any update" in either language', () => {
  // webview/status.ts gives no learning-rate advice when the core's message has the phrase (or its translation).
  const ko = readJson<Strings>('l10n/bundle.l10n.ko.json');
  const context = { untrained: true, cell: 'rnn' as const, activation: 'relu' as const, sigmaMaxWhh: 2.83, steps: 45 };
  for (const [bundle, phrase] of [[undefined, 'before any update'], [ko, ko['before any update']]] as const) {
    try {
      setTranslator(bundle ? bundleTranslator(bundle) : undefined);
      assert.ok(divergenceMessage(0, 4972, context).includes(phrase), `untrained message has ${phrase}`);
      assert.ok(!divergenceMessage(7, 4972).includes(phrase), `a trained run's message lacks ${phrase}`);
      assert.ok(!divergenceMessage(0, 4972, { ...context, untrained: false }).includes(phrase));
    } finally {
      setTranslator(undefined);
    }
  }
});

test('formatMessage fills {n} like vscode.l10n.t and leaves other braces alone', () => {
  assert.equal(formatMessage('{1} before {0}, {0} again; h_{t−1} and {2} stay', ['a', 3]), '3 before a, a again; h_{t−1} and {2} stay');
  assert.equal(bundleTranslator({ 'x {0}': 'y {0}' })('x {0}', [1]), 'y 1');
  assert.equal(bundleTranslator({})('not there {0}', [1]), 'not there 1');
});

test('the panel page carries the display language and the bundle, and a bundle cannot close the script early', () => {
  const html = renderWebviewHtml({ cspSource: 's', scriptUri: 's/a.js', styleUri: 's/a.css', nonce: 'n', title: 'T', l10n: { language: 'ko', bundle: { Loss: '손실 </script><script>alert(1)</script>' } } });
  assert.match(html, /<html lang="ko">/);
  const blob = /<script type="application\/json" id="rnn-lab-l10n">([^<]*)<\/script>/.exec(html);
  assert.ok(blob, 'the JSON blob is one script element with no "<" inside');
  assert.deepEqual(JSON.parse(blob[1]), { language: 'ko', bundle: { Loss: '손실 </script><script>alert(1)</script>' } });
  const english = renderWebviewHtml({ cspSource: 's', scriptUri: 's/a.js', styleUri: 's/a.css', nonce: 'n', title: 'T' });
  assert.match(english, /<html lang="en">/);
});
