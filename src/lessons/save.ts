// "Save as Lesson": a run as a lesson file, so a teacher makes a lesson by doing it once. Every
// setting of the run is written out (not only those that differ from the defaults), so the lesson
// runs the same even if a later version changes a default; the BPTT mode is always explicit, so a
// long text keeps the mode it ran in (window mode, or what the teacher chose) on every machine.
import type { TrainConfig } from '../core/types';
import { LESSON_FORMAT, LESSON_VERSION, type Lesson, type LessonView, type Localized } from './lesson';

export interface SavedRun {
  title: Localized;
  summary: Localized;
  text: string;
  config: TrainConfig;
  printEvery: number;
  compare: boolean;
  view: LessonView;
  notes: Lesson['notes'];
  /** The weights file the run continued from, relative to the lesson (written beside it). */
  init?: string;
}

export function lessonFromRun(run: SavedRun): Lesson {
  const c = run.config;
  const config: Lesson['config'] = {
    ...(run.compare ? {} : { cell: c.cell }),
    activation: c.activation,
    hiddenSize: c.hiddenSize,
    epochs: c.epochs,
    learningRate: c.learningRate,
    optimizer: c.optimizer,
    'bptt.mode': c.mode.kind,
    ...(c.mode.kind === 'full' ? {} : { 'bptt.k': c.mode.k }),
    clip: c.clip,
    seed: c.seed,
    printEvery: run.printEvery,
  };
  return {
    format: LESSON_FORMAT,
    version: LESSON_VERSION,
    title: run.title,
    summary: run.summary,
    text: run.text,
    config,
    compare: run.compare,
    view: run.view,
    ...(run.init === undefined ? {} : { init: run.init }),
    notes: run.notes,
  };
}

/** The file's text: two-space JSON with a final newline, `$schema` first so editors find the schema. */
export function serializeLesson(lesson: Lesson, schemaUrl?: string): string {
  const out = schemaUrl ? { $schema: schemaUrl, ...lesson } : lesson;
  return `${JSON.stringify(out, null, 2)}\n`;
}
