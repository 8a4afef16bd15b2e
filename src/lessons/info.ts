// The lesson's part of a run description, and its check: a panel's saved state (after a reload)
// carries it back, and the webview's view report is checked the same way.
import { exactKeys, fail, isObject, nonNegativeInteger } from '../shared/check';
import type { LessonInfo, PanelView } from '../shared/protocol';
import type { Lesson } from './lesson';
import { LESSON_HEATMAPS, LESSON_SECTIONS, pick, type LessonHeatmap } from './names';
import { t } from '../core/l10n';

/** The words of `lesson` in `lang` (English where a translation is missing), as the panel shows them. */
export function lessonInfo(lesson: Lesson, lang: string): LessonInfo {
  return {
    summary: pick(lesson.summary, lang),
    notes: lesson.notes.map((n) => ({ epoch: n.epoch ?? null, text: pick(n.text, lang) })),
    ...(lesson.view.heatmap ? { heatmap: lesson.view.heatmap } : {}),
    ...(lesson.view.open ? { open: [...lesson.view.open] } : {}),
  };
}

function heatmap(v: unknown, where: string): LessonHeatmap {
  if (!(LESSON_HEATMAPS as readonly unknown[]).includes(v)) fail(t('{0} must be one of {1}', where, LESSON_HEATMAPS.join(', ')));
  return v as LessonHeatmap;
}

function sections(v: unknown, where: string): string[] {
  if (!Array.isArray(v) || v.some((s) => !(LESSON_SECTIONS as readonly unknown[]).includes(s))) fail(t('{0} must be an array of {1}', where, LESSON_SECTIONS.join(', ')));
  return [...(v as string[])];
}

export function checkLessonInfo(v: unknown, where: string): LessonInfo {
  if (!isObject(v)) fail(t('{0} must be an object', where));
  exactKeys(v, where, ['summary', 'notes'], ['heatmap', 'open']);
  if (typeof v.summary !== 'string') fail(t('{0}.summary must be a string', where));
  if (!Array.isArray(v.notes)) fail(t('{0}.notes must be an array', where));
  const notes = v.notes.map((n: unknown, i) => {
    if (!isObject(n)) fail(t('{0}.notes[{1}] must be an object', where, i));
    exactKeys(n, `${where}.notes[${i}]`, ['epoch', 'text']);
    if (typeof n.text !== 'string') fail(t('{0}.notes[{1}].text must be a string', where, i));
    return { epoch: n.epoch === null ? null : nonNegativeInteger(n.epoch, `${where}.notes[${i}].epoch`), text: n.text };
  });
  return {
    summary: v.summary,
    notes,
    ...(v.heatmap === undefined ? {} : { heatmap: heatmap(v.heatmap, `${where}.heatmap`) }),
    ...(v.open === undefined ? {} : { open: sections(v.open, `${where}.open`) }),
  };
}

export function checkPanelView(v: unknown, where: string): PanelView {
  if (!isObject(v)) fail(t('{0} must be an object', where));
  exactKeys(v, where, ['heatmap', 'open', 'epochsPerSecond']);
  const epochsPerSecond = nonNegativeInteger(v.epochsPerSecond, `${where}.epochsPerSecond`);
  return { heatmap: heatmap(v.heatmap, `${where}.heatmap`), open: sections(v.open, `${where}.open`), epochsPerSecond };
}
