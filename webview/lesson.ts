// A lesson's words in the panel: its summary (a small, safe subset of Markdown, built as DOM
// nodes, never as HTML) and its notes, each shown once the playhead has reached its epoch. The
// newest note passed is marked, so a learner watching the film sees what to look at now.
import { LESSON_SECTIONS } from '../src/lessons/names';
import type { LessonInfo, PanelView } from '../src/shared/protocol';
import { t } from './l10n';

/** `code`, **bold** and *emphasis* inside one paragraph. */
function inline(text: string, into: HTMLElement): void {
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*]+)\*/g;
  let at = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m.index > at) into.append(text.slice(at, m.index));
    const el = document.createElement(m[1] !== undefined ? 'code' : m[2] !== undefined ? 'strong' : 'em');
    el.textContent = m[1] ?? m[2] ?? m[3];
    into.append(el);
    at = m.index + m[0].length;
  }
  if (at < text.length) into.append(text.slice(at));
}

/** Paragraphs split by blank lines; a block whose lines start with "- " is a list. */
export function renderMarkdown(markdown: string): DocumentFragment {
  const out = document.createDocumentFragment();
  for (const block of markdown.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    if (lines.every((l) => /^\s*[-*] /.test(l))) {
      const ul = document.createElement('ul');
      for (const l of lines) {
        const li = document.createElement('li');
        inline(l.replace(/^\s*[-*] /, ''), li);
        ul.append(li);
      }
      out.append(ul);
    } else {
      const p = document.createElement('p');
      inline(lines.join(' '), p);
      out.append(p);
    }
  }
  return out;
}

export class LessonView {
  readonly element = document.createElement('section');
  private readonly summary = document.createElement('div');
  private readonly list = document.createElement('ol');
  private notes: { epoch: number | null; el: HTMLLIElement }[] = [];
  private shownKey = '';

  constructor() {
    this.element.id = 'lesson';
    this.element.className = 'lesson';
    this.element.setAttribute('aria-label', t('Lesson'));
    this.summary.className = 'lesson-summary';
    this.list.className = 'lesson-notes';
    this.list.setAttribute('aria-live', 'polite');
    this.element.append(this.summary, this.list);
    this.element.hidden = true;
  }

  /** Shows the run's lesson, or hides the view for a run without one. */
  set(lesson: LessonInfo | undefined): void {
    this.summary.textContent = '';
    this.list.textContent = '';
    this.notes = [];
    this.shownKey = '';
    this.element.hidden = !lesson;
    if (!lesson) return;
    this.summary.append(renderMarkdown(lesson.summary));
    // In epoch order, notes without an epoch first: the list reads as the film goes.
    const sorted = [...lesson.notes].sort((a, b) => (a.epoch ?? -1) - (b.epoch ?? -1));
    for (const n of sorted) {
      const li = document.createElement('li');
      li.className = 'lesson-note';
      if (n.epoch !== null) {
        const at = document.createElement('span');
        at.className = 'lesson-note-epoch';
        at.textContent = `#${n.epoch}`;
        li.append(at, ' ');
      }
      li.append(n.text);
      if (n.epoch !== null) li.dataset.epoch = String(n.epoch);
      li.hidden = true;
      this.list.append(li);
      this.notes.push({ epoch: n.epoch, el: li });
    }
    this.update(null);
  }

  /** The playhead is at `epoch` (null before any): notes up to it are shown, the newest marked. */
  update(epoch: number | null): void {
    let current = -1;
    this.notes.forEach((n, i) => {
      if (n.epoch === null || (epoch !== null && n.epoch <= epoch)) current = i;
    });
    const key = String(current);
    if (key === this.shownKey) return;
    this.shownKey = key;
    this.notes.forEach((n, i) => {
      n.el.hidden = i > current;
      n.el.classList.toggle('current', i === current);
    });
  }

  /** The notes on screen now (tests read them). */
  visibleNotes(): string[] {
    return this.notes.filter((n) => !n.el.hidden).map((n) => n.el.textContent ?? '');
  }
}

/** The folding sections a lesson can name (the first screen's are always open). */
interface FoldingSection {
  id: string;
  open: boolean;
}

const SECTION_PREFIX = 'sec-';

/** Applies a lesson's first view (heatmap rows, open sections) to the panel's prefs and sections. */
export function applyLessonView(lesson: LessonInfo, prefs: { gradKey: string; collapsed: string[] }, sections: readonly FoldingSection[]): void {
  if (lesson.heatmap) prefs.gradKey = lesson.heatmap;
  if (!lesson.open) return;
  const open = new Set(lesson.open.map((s) => SECTION_PREFIX + s));
  const collapsed: string[] = [];
  for (const s of sections) {
    if (!LESSON_SECTION_IDS.includes(s.id)) continue;
    s.open = open.has(s.id);
    if (!s.open) collapsed.push(s.id);
  }
  prefs.collapsed = collapsed;
}

const LESSON_SECTION_IDS: readonly string[] = LESSON_SECTIONS.map((s) => SECTION_PREFIX + s);

/** What the panel shows now, in a lesson's terms. */
export function reportedView(prefs: { gradKey: string }, sections: readonly FoldingSection[], speed: number | 'live', rate: number): PanelView {
  return {
    heatmap: prefs.gradKey as PanelView['heatmap'],
    open: sections.filter((s) => LESSON_SECTION_IDS.includes(s.id) && s.open).map((s) => s.id.slice(SECTION_PREFIX.length)),
    epochsPerSecond: speed === 'live' ? 0 : Math.max(1, Math.round(rate * speed)),
  };
}
