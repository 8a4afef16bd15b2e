// The lessons shipped in media/lessons/, listed by "RNN Lab: Open Lesson…" when no file is given.
// Pure so a unit test holds the list to the folder (every entry has its file, every file its entry).

export const LESSONS_DIR = ['media', 'lessons'] as const;

export interface ShippedLesson {
  id: string;
  /** File name in media/lessons/. */
  file: string;
}

export const SHIPPED_LESSONS: readonly ShippedLesson[] = [
  { id: 'gradients-vanish', file: '1-gradients-vanish.rnnlab-lesson.json' },
  { id: 'gradients-explode', file: '2-gradients-explode.rnnlab-lesson.json' },
  { id: 'truncated-bptt', file: '3-truncated-bptt.rnnlab-lesson.json' },
  { id: 'memory', file: '4-memory-rnn-lstm-gru.rnnlab-lesson.json' },
  { id: 'saturation', file: '5-saturation.rnnlab-lesson.json' },
];

export function findLesson(id: string): ShippedLesson | undefined {
  return SHIPPED_LESSONS.find((l) => l.id === id);
}
