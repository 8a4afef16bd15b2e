// The plain sentence under the vanishing view, from the epoch's numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { two, whySentence, type WhyInput } from '../../../webview/whyText';

const rnn: WhyInput = { cell: 'rnn', activation: 'tanh', epoch: 599, steps: 45, shrinkPerStep: 0.8912, reach1pct: 38, sigmaMax: 2.94, slopeMean: 0.3114, maxBound: 0.9243 };

test('the RNN sentence names the shrink, the reach and the bound', () => {
  assert.equal(
    whySentence(rnn),
    'Epoch 599: going back one step multiplies the last output’s gradient by 0.89 on average; 1 % of it is left 38 steps back. σ_max(W_hh) = 2.9, but tanh′ averages 0.31 here, so no step can amplify it by more than 0.92.',
  );
});

test('a bound above 1, a gradient that grows, no 1 % point, and ReLU are said as such', () => {
  const s = whySentence({ ...rnn, activation: 'relu', shrinkPerStep: 1.3, reach1pct: null, sigmaMax: 0.7, maxBound: 1.6 });
  assert.match(s, /by 1\.3 on average: it grows going back/);
  assert.match(s, /more than 1 % of it is still there 44 steps back, at the first character/);
  assert.match(s, /σ_max\(W_hh\) = 0\.7, and ReLU′/);
  assert.match(s, /can amplify it by up to 1\.6\.$/);
  assert.match(whySentence({ ...rnn, maxBound: 1.2 }), /up to 1\.2 — yet on average it still shrinks\.$/);
});

test('the LSTM and GRU sentences explain their gates instead of W_hh', () => {
  assert.match(whySentence({ ...rnn, cell: 'lstm', slopeMean: 0.93, maxBound: null }), /forget gate, not through W_hh: each step multiplies it by f_t, which averages 0\.93 here/);
  assert.match(whySentence({ ...rnn, cell: 'gru', slopeMean: 0.6, maxBound: null }), /update gate z_t .* z averages 0\.6 here/);
  assert.match(whySentence({ ...rnn, shrinkPerStep: null }), /zero or undefined here/);
  assert.match(whySentence({ ...rnn, steps: 1 }), /one step/);
});

test('two significant digits, exponents for the extremes', () => {
  assert.deepEqual([two(0.8912), two(2.94), two(38), two(1e-7), two(123456), two(0)], ['0.89', '2.9', '38', '1.0e-7', '1.2e+5', '0']);
});
