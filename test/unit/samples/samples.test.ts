import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_SENTENCE } from '../../../src/core/types';
import { checkTrainingText } from '../../../src/core';
import { findSample, SAMPLES, SAMPLES_DIR } from '../../../src/host/samples';
import { repoRoot } from '../../support/repoRoot';

const dir = join(repoRoot(), ...SAMPLES_DIR);

test('every sample in the list has its file, every file in media/samples is listed', () => {
  assert.deepEqual(readdirSync(dir).sort(), SAMPLES.map((s) => s.file).sort());
  assert.equal(new Set(SAMPLES.map((s) => s.id)).size, SAMPLES.length, 'ids are unique');
  for (const s of SAMPLES) assert.doesNotThrow(() => checkTrainingText(readFileSync(join(dir, s.file), 'utf8')), s.file);
});

test('the seed sample is exactly the seed sentence', () => {
  assert.equal(readFileSync(join(dir, findSample('seed')!.file), 'utf8'), SEED_SENTENCE);
  assert.equal(findSample('nope'), undefined);
});
