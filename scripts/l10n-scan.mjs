// Finds the strings of src/ and webview/ that would reach the user without passing through the
// translation bundle, and the t() calls whose sentence the bundle lacks.
//
// What counts as "language": a string literal or template (its fixed parts) with two words of two
// or more letters separated by a space ("Export cancelled."), a template with two such words that
// only a substitution and punctuation separate ("Vocabulary (${n} characters)"), or a single capitalised word of
// three or more letters ("Pause"), or any literal with a word of two letters or more that ends up
// in a place the user reads (a "sink"), even through a ?:, ??, || or + or a template around it:
// assigned to textContent, innerText, title, placeholder, ariaLabel or label; the value of
// setAttribute('aria-label'|'title'|'placeholder'|'aria-valuetext', …); an argument of
// createTextNode, append, prepend or fillText; or an object property named title, label, ariaLabel,
// xTitle, yTitle, placeHolder, placeholder, prompt, description, detail, tooltip or hint.
// Such a literal passes when it is
//   - the first argument of a call to `t` (src/core/l10n.ts, webview/l10n.ts) or of `tKey`, which
//     marks a sentence of a table built at load time that is shown later through t(variable);
//   - part of an import/export or a type;
//   - an argument of a log line (`log`, `appendLine`, `console.*`): the output channel stays English;
//   - listed in l10n/not-language.json: reviewed literals that are not language (class names, key
//     names, the product name, the sample sentence), by file.
// Everything else is a bypass, and none is allowed: the unit test (test/unit/l10n/bundles.test.ts)
// and this script fail on any, and on not-language.json entries the sources no longer have.
// Every t() sentence must also be in l10n/bundle.l10n.json (node scripts/l10n-extract.mjs writes it)
// and have a Korean entry in l10n/bundle.l10n.ko.json, and every key of package.nls.json one in
// package.nls.ko.json: a new English string without Korean fails here too.
// Skipped files: src/cli (the CLI stays English), src/core/wasm (kernels), *.d.ts, webview/testHooks*.
//
// Usage: node scripts/l10n-scan.mjs          lists every bypass and every sentence or key without Korean (exit 1 if any)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ts = require('typescript');

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

const LANGUAGE = /[A-Za-z]{2,} [A-Za-z]{2,}|^[A-Z][a-z]{2,}[.…:!?]?$/;
/** In a template, two words with only a substitution and punctuation between them: "Vocabulary ({} characters)". */
const LANGUAGE_AROUND = /[A-Za-z]{2,}[^A-Za-z]*\s[^A-Za-z]*[A-Za-z]{2,}/;
const LOG_CALLS = new Set(['log', 'appendLine', 'error', 'warn', 'info', 'debug']);
const WORD = /[A-Za-z]{2,}/;
const SINK_PROPS = new Set(['textContent', 'innerText', 'title', 'placeholder', 'ariaLabel', 'label']);
const SINK_ATTRS = new Set(['aria-label', 'title', 'placeholder', 'aria-valuetext']);
const SINK_CALLS = new Set(['createTextNode', 'append', 'prepend', 'fillText']);
const SINK_KEYS = new Set(['title', 'label', 'ariaLabel', 'xTitle', 'yTitle', 'placeHolder', 'placeholder', 'prompt', 'description', 'detail', 'tooltip', 'hint']);

/** Whether the value `node` computes is shown to the user as it is (see the header). */
function inSink(node) {
  let child = node;
  let p = node.parent;
  // Climb through the expressions that pass a string on unchanged or joined.
  while (p && (ts.isConditionalExpression(p) || ts.isParenthesizedExpression(p) || ts.isTemplateSpan(p) || ts.isTemplateExpression(p) || (ts.isBinaryExpression(p) && [ts.SyntaxKind.PlusToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(p.operatorToken.kind)))) {
    if (ts.isConditionalExpression(p) && p.condition === child) return false;
    child = p;
    p = p.parent;
  }
  if (!p) return false;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === child && ts.isPropertyAccessExpression(p.left)) return SINK_PROPS.has(p.left.name.text);
  if (ts.isPropertyAssignment(p) && p.initializer === child) {
    const key = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : undefined;
    return key !== undefined && SINK_KEYS.has(key);
  }
  if (ts.isCallExpression(p) && p.arguments.includes(child)) {
    const name = calleeName(p);
    if (name === 'setAttribute') return p.arguments[1] === child && ts.isStringLiteral(p.arguments[0]) && SINK_ATTRS.has(p.arguments[0].text);
    return name !== undefined && SINK_CALLS.has(name);
  }
  return false;
}
const SKIP_DIRS = ['src/cli', 'src/core/wasm'];

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(join(repoRoot, dir))) {
    const rel = `${dir}/${name}`;
    if (SKIP_DIRS.includes(rel)) continue;
    if (statSync(join(repoRoot, rel)).isDirectory()) out.push(...sourceFiles(rel));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.startsWith('testHooks')) out.push(rel);
  }
  return out;
}

/** The fixed text of a literal; a template's substitutions become "{}". */
function literalText(node) {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => `{}${s.literal.text}`).join('');
  return undefined;
}

function calleeName(call) {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** `t(...)` or `tKey(...)`; `vscode.l10n.t` itself is only called where the translator is installed. */
function isTranslateCall(node) {
  if (!ts.isCallExpression(node)) return false;
  const name = calleeName(node);
  return name === 't' || name === 'tKey';
}

/** Whether `node` sits where it never reaches the user as language (see the header). */
function exempt(node) {
  for (let child = node, p = node.parent; p; child = p, p = p.parent) {
    if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isLiteralTypeNode(p) || ts.isTypeNode(p)) return true;
    if (ts.isCallExpression(p) && p.arguments.includes(child)) {
      if (isTranslateCall(p)) return p.arguments[0] === child || exemptInsideT(child);
      const name = calleeName(p);
      if (name && LOG_CALLS.has(name)) return true;
      if (ts.isPropertyAccessExpression(p.expression) && ts.isIdentifier(p.expression.expression) && p.expression.expression.text === 'console') return true;
    }
    // Only the literal itself and the expressions it is directly part of are looked through.
    if (ts.isBlock(p) || ts.isSourceFile(p)) return false;
  }
  return false;
}

/** An argument of t() other than the sentence is a value put into it: checked like any literal. */
function exemptInsideT() {
  return false;
}

/**
 * Every literal that looks like language and is not exempt: { file, line, text }.
 * `allowed` maps a file to the literals reviewed as not language.
 */
export function findBypasses(allowed = loadNotLanguage()) {
  const out = [];
  for (const file of [...sourceFiles('src'), ...sourceFiles('webview')]) {
    const src = ts.createSourceFile(file, readFileSync(join(repoRoot, file), 'utf8'), ts.ScriptTarget.ES2022, true);
    const ok = new Set(allowed[file] ?? []);
    const visit = (node) => {
      const text = literalText(node);
      const language = text !== undefined && (LANGUAGE.test(text) || (ts.isTemplateExpression(node) && LANGUAGE_AROUND.test(text)) || (WORD.test(text) && inSink(node)));
      if (language && !ok.has(text) && !exempt(node)) {
        out.push({ file, line: src.getLineAndCharacterOfPosition(node.getStart()).line + 1, text, start: node.getStart(), end: node.getEnd(), plain: !ts.isTemplateExpression(node) });
      }
      // A template's spans are visited too: a literal inside ${…} is its own string.
      ts.forEachChild(node, visit);
    };
    visit(src);
  }
  return out;
}

/** Every sentence given to t() as a literal, with where it is used: Map<sentence, file[]>. */
export function translatedSentences() {
  const used = new Map();
  for (const file of [...sourceFiles('src'), ...sourceFiles('webview')]) {
    const src = ts.createSourceFile(file, readFileSync(join(repoRoot, file), 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node) => {
      if (isTranslateCall(node) && node.arguments.length > 0) {
        const first = node.arguments[0];
        // t(variable) shows a sentence marked elsewhere with tKey() or passed in already translated.
        if (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) used.set(first.text, [...(used.get(first.text) ?? []), file]);
        else if (ts.isTemplateExpression(first)) used.set(`<a template, not a sentence> ${file}:${src.getLineAndCharacterOfPosition(first.getStart()).line + 1}`, [file]);
      }
      ts.forEachChild(node, visit);
    };
    visit(src);
  }
  return used;
}

export function loadNotLanguage() {
  return JSON.parse(readFileSync(join(repoRoot, 'l10n', 'not-language.json'), 'utf8')).files;
}

/** Bypasses grouped by file, each text once: the shape of l10n/not-language.json. */
export function byFile(bypasses) {
  const out = {};
  for (const b of bypasses) if (!(out[b.file] ?? []).includes(b.text)) (out[b.file] ??= []).push(b.text);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const found = findBypasses();
  for (const b of found) console.log(`${b.file}:${b.line} ${JSON.stringify(b.text)}`);
  const readJson = (...rel) => JSON.parse(readFileSync(join(repoRoot, ...rel), 'utf8'));
  const bundle = readJson('l10n', 'bundle.l10n.json');
  const sentences = [...translatedSentences().keys()];
  const missing = sentences.filter((k) => !(k in bundle));
  for (const k of missing) console.log(`not in l10n/bundle.l10n.json: ${JSON.stringify(k)}`);
  const korean = readJson('l10n', 'bundle.l10n.ko.json');
  const noKorean = sentences.filter((k) => !(k in korean));
  for (const k of noKorean) console.log(`no Korean in l10n/bundle.l10n.ko.json: ${JSON.stringify(k)}`);
  const nlsKorean = readJson('package.nls.ko.json');
  const noNlsKorean = Object.keys(readJson('package.nls.json')).filter((k) => !(k in nlsKorean));
  for (const k of noNlsKorean) console.log(`no Korean in package.nls.ko.json: ${JSON.stringify(k)}`);
  const present = byFile(findBypasses({}));
  const stale = Object.entries(loadNotLanguage()).flatMap(([file, texts]) => texts.filter((x) => !(present[file] ?? []).includes(x)).map((x) => `${file}: ${JSON.stringify(x)}`));
  for (const x of stale) console.log(`l10n/not-language.json lists what the sources no longer have: ${x}`);
  console.log(`${found.length} strings bypass the bundle; ${missing.length} t() sentences are missing from it; ${noKorean.length} sentences and ${noNlsKorean.length} package.nls keys lack Korean; ${stale.length} stale not-language entries (${relative(process.cwd(), repoRoot) || '.'})`);
  process.exit(found.length + missing.length + noKorean.length + noNlsKorean.length + stale.length > 0 ? 1 : 0);
}
