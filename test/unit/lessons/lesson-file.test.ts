// The lesson file format: the JSON Schema and the parser agree on the shipped lessons, every bad
// field gets one line naming it, a lesson's settings never come from the user's, and a saved run
// reads back as the same run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import packageJson from '../../../package.json';
import { DEFAULT_CONFIG, SEED_SENTENCE } from '../../../src/core';
import { LESSONS_DIR, SHIPPED_LESSONS } from '../../../src/lessons/catalog';
import { LESSON_SETTING_KEYS, lessonLanguage, lessonRun, parseLesson, pick, validateLesson } from '../../../src/lessons/lesson';
import { lessonFromRun, serializeLesson } from '../../../src/lessons/save';
import { settingSchema } from '../../../src/settings';
import { repoRoot } from '../../support/repoRoot';
import { loadLesson } from './support';

const root = repoRoot();
const schema = JSON.parse(readFileSync(join(root, 'schema', 'rnnlab-lesson.schema.json'), 'utf8'));
const schemaCheck = new Ajv({ allErrors: true }).compile(schema);

const minimal = { format: 'rnn-lab.lesson', version: 1, title: 'T', summary: 'S', text: 'hello world' };

test('every file in media/lessons is listed, every listed lesson exists, and both the schema and the parser accept it', () => {
  const files = readdirSync(join(root, ...LESSONS_DIR)).filter((f) => f.endsWith('.rnnlab-lesson.json')).sort();
  assert.deepEqual(SHIPPED_LESSONS.map((l) => l.file).sort(), files);
  assert.ok(files.length >= 5);
  for (const { file } of SHIPPED_LESSONS) {
    const json = JSON.parse(readFileSync(join(root, ...LESSONS_DIR, file), 'utf8'));
    assert.ok(schemaCheck(json), `${file}: ${JSON.stringify(schemaCheck.errors)}`);
    const parsed = validateLesson(json);
    assert.ok(parsed.ok, `${file}: ${parsed.ok ? '' : parsed.error}`);
  }
});

test('every shipped lesson has its words in English and Korean, and notes within its epochs', () => {
  for (const { id } of SHIPPED_LESSONS) {
    const { lesson, settings } = loadLesson(id);
    for (const [where, words] of [['title', lesson.title], ['summary', lesson.summary], ...lesson.notes.map((n, i) => [`notes[${i}]`, n.text] as const)] as const) {
      assert.equal(typeof words, 'object', `${id}: ${where} is given per language`);
      assert.ok(typeof words === 'object' && words.en && words.ko, `${id}: ${where} has en and ko`);
      assert.match(pick(words, 'ko'), /[\uac00-\ud7a3]/, `${id}: ${where}.ko is Korean`);
      assert.notEqual(pick(words, 'en'), pick(words, 'ko'));
    }
    for (const n of lesson.notes) if (n.epoch !== undefined) assert.ok(n.epoch < settings.config.epochs, `${id}: note at epoch ${n.epoch} within ${settings.config.epochs} epochs`);
  }
});

test('the schema declares every lesson setting with the type and range of its package.json declaration', () => {
  const props = schema.properties.config.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(props).sort(), [...LESSON_SETTING_KEYS].sort());
  for (const key of LESSON_SETTING_KEYS) {
    const declared = settingSchema(key) as unknown as Record<string, unknown>;
    for (const field of ['type', 'enum', 'minimum', 'maximum', 'exclusiveMinimum']) assert.deepEqual(props[key][field], declared[field], `${key}.${field}`);
  }
  const speed = (packageJson.contributes.configuration.properties as unknown as Record<string, { minimum: number; maximum: number }>)['rnnLab.playback.epochsPerSecond'];
  assert.equal(schema.properties.view.properties.epochsPerSecond.maximum, speed.maximum);
});

test('each bad field gets one line that names it, and the schema refuses the same files', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ ...minimal, format: 'rnn-lab.weights' }, /^format must be "rnn-lab\.lesson" \(got "rnn-lab\.weights"\)$/],
    [{ ...minimal, version: 2 }, /^version 2 is newer than this RNN Lab reads \(1\): update the extension$/],
    [{ ...minimal, title: '' }, /^title must not be empty$/],
    [{ ...minimal, title: { ko: '제목' } }, /^title: missing field "en"$/],
    [{ ...minimal, summary: { en: 'x', fr: 'y' } }, /^summary: unexpected field "fr"$/],
    [{ ...minimal, text: 42 }, /^text must be the training text itself or \{ "file": "path relative to the lesson" \}$/],
    [{ ...minimal, text: { file: '/etc/passwd' } }, /^text\.file must be a path relative to the lesson file/],
    [{ ...minimal, config: { hiddenSize: 5000 } }, /^config\.hiddenSize must be an integer ≤ 1024 \(got 5000\)$/],
    [{ ...minimal, config: { learningRate: 0 } }, /^config\.learningRate must be a number > 0 \(got 0\)$/],
    [{ ...minimal, config: { 'bptt.mode': 'sideways' } }, /^config\.bptt\.mode must be one of "full", "truncate", "window" \(got "sideways"\)$/],
    [{ ...minimal, config: { hidden: 20 } }, /^config: unknown setting "hidden" \(settings: cell, /],
    [{ ...minimal, config: { 'playback.epochsPerSecond': 5 } }, /^config: unknown setting "playback\.epochsPerSecond" \(the playback speed goes in view\.epochsPerSecond\)$/],
    [{ ...minimal, config: { seed: 1.5 } }, /^config\.seed must be an integer \(got 1\.5\)$/],
    [{ ...minimal, compare: 'yes' }, /^compare must be true/],
    [{ ...minimal, compare: true, config: { cell: 'gru' } }, /^config\.cell must be left out when compare is true/],
    [{ ...minimal, view: { heatmap: 'loss' } }, /^view\.heatmap must be one of "gradNorm", /],
    [{ ...minimal, view: { epochsPerSecond: -1 } }, /^view\.epochsPerSecond must be an integer ≥ 0 \(got -1\)$/],
    [{ ...minimal, view: { open: ['why', 'nowhere'] } }, /^view\.open\[1\] must be one of accuracy, why, /],
    [{ ...minimal, view: { zoom: 2 } }, /^view: unexpected field "zoom"$/],
    [{ ...minimal, init: 'https://example.com/w.json' }, /^init must be a path relative to the lesson file/],
    [{ ...minimal, compare: true, init: 'w.json' }, /^init must be left out when compare is true/],
    [{ ...minimal, notes: [{ epoch: -3, text: 'x' }] }, /^notes\[0\]\.epoch must be a non-negative integer \(got -3\)$/],
    [{ ...minimal, notes: [{ text: { en: 'a' } }, { when: 3, text: 'b' }] }, /^notes\[1\]: unexpected field "when"$/],
    [{ ...minimal, teacher: 'me' }, /^lesson: unexpected field "teacher"$/],
  ];
  for (const [value, message] of cases) {
    const parsed = validateLesson(value);
    assert.ok(!parsed.ok, `refused: ${JSON.stringify(value)}`);
    assert.match(parsed.error, message);
    assert.ok(!parsed.error.includes('\n'), 'one line');
    // The cross-field rules (a cell with compare, a too new version) are the parser's alone.
    const crossField = /compare is true|newer/.test(parsed.error);
    if (!crossField) assert.ok(!schemaCheck(value), `the schema refuses it too: ${JSON.stringify(value)}`);
  }
  assert.match((parseLesson('{"format": ') as { error: string }).error, /^not JSON: /);
  assert.ok(validateLesson(minimal).ok && schemaCheck(minimal));
});

test('a lesson runs with its config over the defaults, whatever the user has set', () => {
  const run = lessonRun({ config: { hiddenSize: 8, 'bptt.mode': 'truncate', 'bptt.k': 5 }, view: { epochsPerSecond: 0 } }, SEED_SENTENCE);
  assert.ok(run.ok);
  assert.deepEqual(run.plan.config, { ...DEFAULT_CONFIG, hiddenSize: 8, mode: { kind: 'truncate', k: 5 } });
  assert.equal(run.settings.epochsPerSecond, 0);
  // A long text switches to window mode unless the lesson chose the mode.
  const long = 'ab'.repeat(300);
  const defaults = lessonRun({ config: {}, view: {} }, long);
  assert.ok(defaults.ok && defaults.plan.config.mode.kind === 'window' && defaults.plan.notes.length === 1);
  const chosen = lessonRun({ config: { 'bptt.mode': 'full' }, view: {} }, long);
  assert.ok(chosen.ok && chosen.plan.config.mode.kind === 'full');
});

test('the words follow VS Code\'s display language, with English as the fallback', () => {
  assert.equal(lessonLanguage('ko'), 'ko');
  assert.equal(lessonLanguage('ko-KR'), 'ko');
  assert.equal(lessonLanguage('de'), 'en');
  assert.equal(pick({ en: 'Hello', ko: '안녕' }, 'ko'), '안녕');
  assert.equal(pick({ en: 'Hello' }, 'ko'), 'Hello');
  assert.equal(pick('Same', 'ko'), 'Same');
});

test('Save as Lesson writes a lesson that the parser reads back as the same run', () => {
  const config = { ...DEFAULT_CONFIG, hiddenSize: 12, learningRate: 0.02, optimizer: 'rmsprop' as const, mode: { kind: 'truncate' as const, k: 7 }, clip: 2, seed: 9, epochs: 50 };
  for (const compare of [false, true]) {
    const lesson = lessonFromRun({ title: 'Mine', summary: 'What to see', text: SEED_SENTENCE, config, printEvery: 10, compare, view: { heatmap: 'gradNorm', epochsPerSecond: 30, open: ['why'] }, notes: [{ epoch: 5, text: 'here' }] });
    const json = serializeLesson(lesson, '../schema/rnnlab-lesson.schema.json');
    assert.ok(schemaCheck(JSON.parse(json)), JSON.stringify(schemaCheck.errors));
    const back = parseLesson(json);
    assert.ok(back.ok, back.ok ? '' : back.error);
    assert.equal(back.value.compare, compare);
    assert.deepEqual(back.value.view, { heatmap: 'gradNorm', epochsPerSecond: 30, open: ['why'] });
    const run = lessonRun(back.value, SEED_SENTENCE);
    assert.ok(run.ok);
    assert.deepEqual(run.plan.config, compare ? { ...config, cell: DEFAULT_CONFIG.cell } : config);
    assert.equal(run.settings.printEvery, 10);
  }
});
