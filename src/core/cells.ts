import type { Activation, CellKind } from './types';
import { CellModel, GATES } from './model';
import type { Sequence } from './sequence';
import { sequenceCapacity } from './layout';
import { RnnSequence } from './rnn';
import { LstmSequence } from './lstm';
import { GruSequence } from './gru';
import type { KernelPartner } from './partner';

/**
 * `sequences`: the steps of each Sequence that will run on this model (a number for one). Every
 * Sequence lives in the model's memory, which cannot grow, so each needs its room kept here.
 * `partner`: a second thread for the training's parts (partner.ts); the arena is then shared.
 */
export function createModel(cell: CellKind, V: number, H: number, activation: Activation, sequences: number | readonly number[] = [], partner: KernelPartner | null = null): CellModel {
  const dims = { cell, H, V, G: GATES[cell] * H };
  let reserve = 0;
  for (const steps of typeof sequences === 'number' ? [sequences] : sequences) if (steps > 0) reserve += sequenceCapacity(dims, steps);
  return new CellModel(cell, V, H, activation, reserve, partner);
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
