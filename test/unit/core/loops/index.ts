// The JS reference sequences (see ./sequence.ts): the same interface as src/core's, plain loops.
import type { CellModel } from '../../../../src/core/model';
import type { Sequence } from './sequence';
import { RnnSequence } from './rnn';
import { LstmSequence } from './lstm';
import { GruSequence } from './gru';

export type { Sequence as ReferenceSequence } from './sequence';

/** The step-by-step JS sequence of `model`'s cell, reading its w and adding into its dw. */
export function createReferenceSequence(model: CellModel, maxT: number): Sequence {
  switch (model.cell) {
    case 'rnn':
      return new RnnSequence(model, maxT);
    case 'lstm':
      return new LstmSequence(model, maxT);
    case 'gru':
      return new GruSequence(model, maxT);
  }
}
