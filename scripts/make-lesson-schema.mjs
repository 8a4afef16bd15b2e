// Writes schema/rnnlab-lesson.schema.ko.json, the lesson schema with Korean titles and descriptions,
// from its one source schema/rnnlab-lesson.schema.json and the Korean of its texts in
// l10n/schema.rnnlab-lesson.ko.json (English text → Korean). The structure exists once: the Korean
// file differs only in its `$id`, `title` and `description` strings. package.json's `jsonValidation`
// names the schema as "%schema.lesson.url%", which package.nls.ko.json resolves to the Korean file, so
// VS Code's editor shows the descriptions in the display language.
//
// Usage: node scripts/make-lesson-schema.mjs           rewrites the Korean schema
//        node scripts/make-lesson-schema.mjs --check   exit 1 if it is stale or a text lacks Korean
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = join(repoRoot, 'schema', 'rnnlab-lesson.schema.json');
const KOREAN = join(repoRoot, 'schema', 'rnnlab-lesson.schema.ko.json');
const TEXTS = join(repoRoot, 'l10n', 'schema.rnnlab-lesson.ko.json');

/** The schema's words: `title` and `description` strings that are keywords (not properties named so). */
function mapTexts(node, fn, parentKey) {
  if (Array.isArray(node)) return node.map((x) => mapTexts(x, fn, parentKey));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = (k === 'title' || k === 'description') && typeof v === 'string' && parentKey !== 'properties' ? fn(v) : mapTexts(v, fn, k);
  }
  return out;
}

/** Every title and description of the source schema, in document order. */
export function schemaTexts(schema = JSON.parse(readFileSync(SOURCE, 'utf8'))) {
  const found = [];
  mapTexts(schema, (s) => (found.push(s), s));
  return found;
}

/** { json, missing, unused }: the Korean schema's text, English texts without Korean, Korean entries no text uses. */
export function koreanSchema() {
  const schema = JSON.parse(readFileSync(SOURCE, 'utf8'));
  const korean = JSON.parse(readFileSync(TEXTS, 'utf8')).texts;
  const missing = [];
  const used = new Set();
  const translated = mapTexts(schema, (s) => {
    if (!Object.prototype.hasOwnProperty.call(korean, s)) {
      missing.push(s);
      return s;
    }
    used.add(s);
    return korean[s];
  });
  translated.$id = schema.$id.replace(/\.schema\.json$/, '.schema.ko.json');
  const unused = Object.keys(korean).filter((k) => !used.has(k));
  return { json: JSON.stringify(translated, null, 2) + '\n', missing, unused };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { json, missing, unused } = koreanSchema();
  for (const s of missing) console.log(`no Korean in l10n/schema.rnnlab-lesson.ko.json: ${JSON.stringify(s)}`);
  for (const s of unused) console.log(`l10n/schema.rnnlab-lesson.ko.json has Korean for a text the schema no longer has: ${JSON.stringify(s)}`);
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(KOREAN, 'utf8');
    } catch {
      // missing: stale
    }
    const stale = current !== json;
    if (stale) console.log('schema/rnnlab-lesson.schema.ko.json is stale: run node scripts/make-lesson-schema.mjs');
    process.exit(stale || missing.length + unused.length > 0 ? 1 : 0);
  }
  writeFileSync(KOREAN, json);
  console.log(`schema/rnnlab-lesson.schema.ko.json: ${schemaTexts().length} texts in Korean`);
  process.exit(missing.length + unused.length > 0 ? 1 : 0);
}
