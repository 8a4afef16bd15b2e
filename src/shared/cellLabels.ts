// How each cell is named on screen, in the host's messages and in both panels.
import type { CellKind } from '../core/types';

export const CELL_LABELS: Readonly<Record<CellKind, string>> = { rnn: 'RNN', lstm: 'LSTM', gru: 'GRU' };
