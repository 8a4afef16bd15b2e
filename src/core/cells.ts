import type { Activation, CellKind } from './types';
import { CellModel, GATES } from './model';
import type { Sequence } from './sequence';
import { sequenceCapacity } from './layout';
import { RnnSequence } from './rnn';
import { LstmSequence } from './lstm';
import { GruSequence } from './gru';

/** `sequenceSteps`: keep room in the model's memory for one Sequence of that many steps. */
export function createModel(cell: CellKind, V: number, H: number, activation: Activation, sequenceSteps = 0): CellModel {
  const reserve = sequenceSteps > 0 ? sequenceCapacity({ cell, H, V, G: GATES[cell] * H }, sequenceSteps) : 0;
  return new CellModel(cell, V, H, activation, reserve);
}

/** Buffers for running `model` over sequences of up to maxT steps. */
export function createSequence(model: CellModel, maxT: number): Sequence {
  switch (model.cell) {
    case 'rnn':
      return new RnnSequence(model, maxT);
    case 'lstm':
      return new LstmSequence(model, maxT);
    case 'gru':
      return new GruSequence(model, maxT);
  }
}
