// A weights file rewritten with PyTorch's parameter names and orientations, so loading it into
// torch.nn.RNN / LSTM / GRU plus torch.nn.Linear is a plain load_state_dict with no mapping to
// get wrong. The mapping is the README's: matrices transposed (PyTorch multiplies column
// vectors), b_h as bias_ih_l0, and bias_hh_l0 zero except the GRU's b_hn in its last block.
import type { TensorJson } from '../core/types';
import type { WeightsFile } from '../core';
import { GATES } from '../core/model';

export const TORCH_FORMAT = 'rnn-lab.torch';

export interface TorchExport {
  format: typeof TORCH_FORMAT;
  version: 1;
  /** The torch.nn class to build: RNN, LSTM or GRU, with batch_first=True. */
  module: 'RNN' | 'LSTM' | 'GRU';
  /** torch.nn.RNN's `nonlinearity`; absent for LSTM and GRU. */
  nonlinearity?: 'tanh' | 'relu';
  input_size: number;
  hidden_size: number;
  /** Index i of the one-hot input and of the output logits is vocab[i]. */
  vocab: string[];
  /** state_dict of the recurrent module. */
  rnn: Record<'weight_ih_l0' | 'weight_hh_l0' | 'bias_ih_l0' | 'bias_hh_l0', TensorJson>;
  /** state_dict of torch.nn.Linear(hidden_size, input_size). */
  linear: Record<'weight' | 'bias', TensorJson>;
}

/** rows×cols row-major → its cols×rows transpose, row-major. */
function transposed(t: TensorJson): TensorJson {
  const [rows, cols] = t.shape;
  const data = new Array<number>(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[c * rows + r] = t.data[r * cols + c];
  return { shape: [cols, rows], data };
}

export function toTorchLayout(w: WeightsFile): TorchExport {
  const H = w.hiddenSize;
  const G = GATES[w.cell] * H;
  const p = w.params;
  const biasHh = new Array<number>(G).fill(0);
  if (w.cell === 'gru') p.b_hn.data.forEach((x, j) => (biasHh[2 * H + j] = x));
  const out: TorchExport = {
    format: TORCH_FORMAT,
    version: 1,
    module: w.cell === 'rnn' ? 'RNN' : w.cell === 'lstm' ? 'LSTM' : 'GRU',
    input_size: w.vocab.length,
    hidden_size: H,
    vocab: [...w.vocab],
    rnn: {
      weight_ih_l0: transposed(p.W_xh),
      weight_hh_l0: transposed(p.W_hh),
      bias_ih_l0: { shape: [G], data: [...p.b_h.data] },
      bias_hh_l0: { shape: [G], data: biasHh },
    },
    linear: {
      weight: transposed(p.W_hy),
      bias: { shape: [w.vocab.length], data: [...p.b_y.data] },
    },
  };
  if (w.cell === 'rnn') out.nonlinearity = w.activation;
  return out;
}

/** e.g. "rnn-hello-h20-e600.json" → "rnn-hello-h20-e600.torch.json". */
export function torchFileName(weightsName: string): string {
  return weightsName.replace(/(\.torch)?\.json$/i, '') + '.torch.json';
}
