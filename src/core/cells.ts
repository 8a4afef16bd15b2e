import type { Activation, CellKind } from './types';
import { CellModel } from './model';
import type { Sequence } from './sequence';
import { RnnSequence } from './rnn';
import { LstmSequence } from './lstm';
import { GruSequence } from './gru';

export function createModel(cell: CellKind, V: number, H: number, activation: Activation): CellModel {
  return new CellModel(cell, V, H, activation);
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
