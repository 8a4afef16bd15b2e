import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEXT_STORE_MAX_AGE_DAYS, TextStore, textKeyOf } from '../../../src/host/textStore';

function store(): { dir: string; texts: TextStore; logs: string[]; done(): void } {
  const root = mkdtempSync(join(tmpdir(), 'rnnlab-texts-'));
  const logs: string[] = [];
  return { dir: join(root, 'texts'), texts: new TextStore(join(root, 'texts'), (l) => logs.push(l)), logs, done: () => rmSync(root, { recursive: true, force: true }) };
}

test('a kept text loads back by its key, once per content; a changed or unknown file loads nothing', async () => {
  const s = store();
  try {
    const text = 'héllo 😀\r\n'.repeat(5000);
    const key = s.texts.keep(text);
    assert.equal(key, textKeyOf(text));
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.equal(s.texts.keep(text), key);
    assert.equal(await s.texts.load(key), text);
    assert.deepEqual(readdirSync(s.dir), [`${key}.txt`]);
    writeFileSync(join(s.dir, `${key}.txt`), text + 'x');
    assert.equal(await s.texts.load(key), undefined, 'a file changed on disk is not the trained text');
    assert.equal(await s.texts.load('0'.repeat(64)), undefined);
    assert.equal(await s.texts.load('../x'), undefined);
    assert.deepEqual(s.logs, []);
  } finally {
    s.done();
  }
});

test(`texts unused for ${TEXT_STORE_MAX_AGE_DAYS} days are pruned, newer ones and other files stay`, async () => {
  const s = store();
  try {
    const oldKey = s.texts.keep('old text');
    const newKey = s.texts.keep('new text');
    await s.texts.load(oldKey);
    await s.texts.load(newKey);
    writeFileSync(join(s.dir, 'notes.md'), 'not ours');
    const past = new Date(Date.now() - (TEXT_STORE_MAX_AGE_DAYS + 1) * 86_400_000);
    utimesSync(join(s.dir, `${oldKey}.txt`), past, past);
    utimesSync(join(s.dir, 'notes.md'), past, past);
    assert.equal(await s.texts.prune(), 1);
    assert.deepEqual(readdirSync(s.dir).sort(), [`${newKey}.txt`, 'notes.md'].sort());
  } finally {
    s.done();
  }
});
