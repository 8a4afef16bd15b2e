import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, Trainer } from '../../../src/core';
import { toTorchLayout, torchFileName } from '../../../src/weights/torchLayout';

function trained(cell: 'rnn' | 'lstm' | 'gru', activation: 'tanh' | 'relu' = 'tanh') {
  const t = new Trainer('hello world', { ...DEFAULT_CONFIG, cell, activation, hiddenSize: 3, epochs: 2 });
  while (!t.finished) t.runEpoch();
  return t.toWeights();
}

test('PyTorch names, shapes and orientations for each cell', () => {
  for (const [cell, module, G] of [['rnn', 'RNN', 3], ['lstm', 'LSTM', 12], ['gru', 'GRU', 9]] as const) {
    const w = trained(cell);
    const V = w.vocab.length;
    const t = toTorchLayout(w);
    assert.equal(t.module, module);
    assert.equal(t.input_size, V);
    assert.equal(t.hidden_size, 3);
    assert.deepEqual(t.rnn.weight_ih_l0.shape, [G, V]);
    assert.deepEqual(t.rnn.weight_hh_l0.shape, [G, 3]);
    assert.deepEqual(t.linear.weight.shape, [V, 3]);
    // weight_ih_l0[g][v] = W_xh[v][g]
    assert.equal(t.rnn.weight_ih_l0.data[2 * V + 1], w.params.W_xh.data[1 * G + 2]);
    assert.equal(t.rnn.weight_hh_l0.data[(G - 1) * 3 + 2], w.params.W_hh.data[2 * G + (G - 1)]);
    assert.equal(t.linear.weight.data[(V - 1) * 3 + 0], w.params.W_hy.data[0 * V + (V - 1)]);
    assert.deepEqual(t.rnn.bias_ih_l0.data, w.params.b_h.data);
    assert.deepEqual(t.linear.bias.data, w.params.b_y.data);
    const expectedHh = cell === 'gru' ? [0, 0, 0, 0, 0, 0, ...w.params.b_hn.data] : new Array(G).fill(0);
    assert.deepEqual(t.rnn.bias_hh_l0.data, expectedHh);
    assert.equal('nonlinearity' in t, cell === 'rnn');
  }
  assert.equal(toTorchLayout(trained('rnn', 'relu')).nonlinearity, 'relu');
});

test('the PyTorch file is named after the weights file', () => {
  assert.equal(torchFileName('rnn-hello-h20-e600.json'), 'rnn-hello-h20-e600.torch.json');
  assert.equal(torchFileName('m.torch.json'), 'm.torch.json');
  assert.equal(torchFileName('model'), 'model.torch.json');
});
