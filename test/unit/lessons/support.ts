// Loads a shipped lesson with its text the way the extension does (text file relative to the lesson).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LESSONS_DIR, findLesson } from '../../../src/lessons/catalog';
import { lessonRun, parseLesson, type Lesson } from '../../../src/lessons/lesson';
import type { RunPlan, RunSettings } from '../../../src/settings';
import { repoRoot } from '../../support/repoRoot';

export interface LoadedLesson {
  lesson: Lesson;
  text: string;
  settings: RunSettings;
  plan: RunPlan;
}

export function lessonPath(id: string): string {
  const entry = findLesson(id);
  assert.ok(entry, `lesson ${id} is listed`);
  return join(repoRoot(), ...LESSONS_DIR, entry.file);
}

export function loadLesson(id: string): LoadedLesson {
  const path = lessonPath(id);
  const parsed = parseLesson(readFileSync(path, 'utf8'));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  const lesson = parsed.value;
  const text = typeof lesson.text === 'string' ? lesson.text : readFileSync(join(dirname(path), lesson.text.file), 'utf8');
  const run = lessonRun(lesson, text);
  assert.ok(run.ok, run.ok ? '' : run.error);
  return { lesson, text, settings: run.settings, plan: run.plan };
}
