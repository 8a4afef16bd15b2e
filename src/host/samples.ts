// The sample texts shipped in media/samples/, described for the quick pick. Pure so the list is
// unit-tested against the folder (every entry has its file, every file its entry). The words are
// marked with tKey and translated where they are shown (commands/openSample.ts).

import { tKey } from '../core/l10n';

export interface SampleText {
  id: string;
  label: string;
  description: string;
  detail: string;
  /** File name in media/samples/. */
  file: string;
}

export const SAMPLES_DIR = ['media', 'samples'] as const;

export const SAMPLES: readonly SampleText[] = [
  {
    id: 'seed',
    label: tKey('Seed sentence'),
    description: 'hello world! nice to meet you! i love iron-man',
    detail: tKey('The classic 46-character sentence: every cell learns it within the default 600 epochs.'),
    file: 'seed.txt',
  },
  {
    id: 'long-dependency',
    label: tKey('Long dependency: recall a cue 37–61 steps later'),
    description: tKey('A or B, then .-.-.-, then X or Y after the colon'),
    detail: tKey('Each line starts with A or B, then a filler alternating . and -; after the colon it must be X for A and Y for B. Gaps of 3–25 steps teach the rule; on the twelve long ones (37, 49, 61 steps), with the default settings (seed 1), the LSTM and the GRU keep the cue and the RNN guesses (1380 characters: trains in window mode, K = 25).'),
    file: 'long-dependency.txt',
  },
];

export function findSample(id: string): SampleText | undefined {
  return SAMPLES.find((s) => s.id === id);
}
