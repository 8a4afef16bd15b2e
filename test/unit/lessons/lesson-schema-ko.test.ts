// The lesson schema in Korean: schema/rnnlab-lesson.schema.ko.json is generated from the English
// schema and the Korean of its texts (scripts/make-lesson-schema.mjs), so it is the same schema
// with other words, and package.nls picks it for a Korean display language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import packageJson from '../../../package.json';
import { LESSONS_DIR, SHIPPED_LESSONS } from '../../../src/lessons/catalog';
import { repoRoot } from '../../support/repoRoot';

const root = repoRoot();
const readJson = (...rel: string[]): Record<string, unknown> => JSON.parse(readFileSync(join(root, ...rel), 'utf8')) as Record<string, unknown>;
interface Maker {
  koreanSchema(): { json: string; missing: string[]; unused: string[] };
  schemaTexts(schema?: unknown): string[];
}
const maker = (): Promise<Maker> => import(pathToFileURL(join(root, 'scripts', 'make-lesson-schema.mjs')).href) as Promise<Maker>;

/** The schema without its words: what validation depends on. */
function structure(v: unknown, parentKey?: string): unknown {
  if (Array.isArray(v)) return v.map((x) => structure(x, parentKey));
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([k, x]) => !((k === 'title' || k === 'description' || k === '$id') && typeof x === 'string' && parentKey !== 'properties')).map(([k, x]) => [k, structure(x, k)]));
}

test('the Korean lesson schema is what the script makes now: every text in Korean, no stale entry', async () => {
  const { koreanSchema } = await maker();
  const made = koreanSchema();
  assert.deepEqual(made.missing, [], 'texts without Korean in l10n/schema.rnnlab-lesson.ko.json');
  assert.deepEqual(made.unused, [], 'Korean entries for texts the schema no longer has');
  assert.equal(readFileSync(join(root, 'schema', 'rnnlab-lesson.schema.ko.json'), 'utf8'), made.json, 'run node scripts/make-lesson-schema.mjs');
});

test('it is the English schema with other words: same structure, every title and description Korean, its own $id', async () => {
  const { schemaTexts } = await maker();
  const en = readJson('schema', 'rnnlab-lesson.schema.json');
  const ko = readJson('schema', 'rnnlab-lesson.schema.ko.json');
  assert.deepEqual(structure(ko), structure(en));
  const texts = schemaTexts(ko);
  assert.equal(texts.length, schemaTexts(en).length);
  assert.ok(texts.length >= 20, `${texts.length} texts`);
  for (const s of texts) assert.match(s, /[\uac00-\ud7a3]/, `not Korean: ${s}`);
  assert.notEqual(ko.$id, en.$id);
  // Both accept the shipped lessons and refuse the same broken one.
  const checks = [en, ko].map((s) => new Ajv({ allErrors: true }).compile(s));
  for (const { file } of SHIPPED_LESSONS) {
    const lesson = JSON.parse(readFileSync(join(root, ...LESSONS_DIR, file), 'utf8')) as unknown;
    assert.deepEqual(checks.map((c) => c(lesson)), [true, true], file);
  }
  const broken = { format: 'rnn-lab.lesson', version: 1, title: 'T', summary: 'S', text: 'hi', config: { hiddenSize: 0 } };
  assert.deepEqual(checks.map((c) => c(broken)), [false, false]);
});

test('package.json names the lesson schema through package.nls: English by default, the Korean file in Korean', () => {
  const validation = (packageJson.contributes as unknown as { jsonValidation: { fileMatch: string; url: string }[] }).jsonValidation;
  const lesson = validation.find((v) => v.fileMatch === '*.rnnlab-lesson.json');
  assert.equal(lesson?.url, '%schema.lesson.url%');
  assert.equal(readJson('package.nls.json')['schema.lesson.url'], './schema/rnnlab-lesson.schema.json');
  assert.equal(readJson('package.nls.ko.json')['schema.lesson.url'], './schema/rnnlab-lesson.schema.ko.json');
});
