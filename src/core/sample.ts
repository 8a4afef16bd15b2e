// Text generation from a weights file: feed a prefix, then draw each next character from
// softmax(y/temperature) (argmax at temperature 0).

import type { WeightsFile } from './weights';
import { Rng } from './rng';
import { Vocabulary, codePoints, describeChar } from './vocab';
import { TextError } from './errors';

export interface SampleOptions {
  prefix: string;
  /** Number of characters to generate after the prefix. */
  length: number;
  /** 0 means argmax. */
  temperature: number;
  seed: number;
}

/** Returns the prefix followed by `length` generated characters. */
export function sample(w: WeightsFile, o: SampleOptions): string {
  if (w.cell !== 'rnn') throw new TextError(`sampling from cell "${w.cell}" is not supported by this version`);
  const vocab = new Vocabulary(w.vocab);
  const prefix = codePoints(o.prefix);
  if (prefix.length === 0) throw new TextError('the prefix must have at least one character');
  const missing = vocab.missing(o.prefix);
  if (missing.length > 0) throw new TextError(`the prefix has characters the model does not know: ${missing.map(describeChar).join(', ')}`);
  if (!Number.isInteger(o.length) || o.length < 0) throw new TextError('length must be a non-negative integer');
  if (!Number.isFinite(o.temperature) || o.temperature < 0) throw new TextError('temperature must be a number ≥ 0');

  const H = w.hiddenSize;
  const V = vocab.size;
  const Wxh = w.params.W_xh.data;
  const Whh = w.params.W_hh.data;
  const Why = w.params.W_hy.data;
  const bh = w.params.b_h.data;
  const by = w.params.b_y.data;
  const relu = w.activation === 'relu';
  const rng = new Rng(o.seed);
  let h = new Float64Array(H);
  let next = new Float64Array(H);
  const y = new Float64Array(V);

  const stepFrom = (c: number) => {
    for (let j = 0; j < H; j++) next[j] = Wxh[c * H + j] + bh[j];
    for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) next[j] += h[i] * Whh[i * H + j];
    for (let j = 0; j < H; j++) next[j] = relu ? Math.max(0, next[j]) : Math.tanh(next[j]);
    [h, next] = [next, h];
    for (let v = 0; v < V; v++) {
      let s = by[v];
      for (let j = 0; j < H; j++) s += h[j] * Why[j * V + v];
      y[v] = s;
    }
  };

  const out = [...prefix];
  for (const ch of prefix) stepFrom(vocab.indexOf(ch));
  for (let n = 0; n < o.length; n++) {
    let pick = 0;
    if (o.temperature === 0) {
      for (let v = 1; v < V; v++) if (y[v] > y[pick]) pick = v;
    } else {
      let max = -Infinity;
      for (let v = 0; v < V; v++) max = Math.max(max, y[v] / o.temperature);
      let sum = 0;
      for (let v = 0; v < V; v++) sum += Math.exp(y[v] / o.temperature - max);
      let r = rng.uniform() * sum;
      pick = V - 1;
      for (let v = 0; v < V; v++) {
        r -= Math.exp(y[v] / o.temperature - max);
        if (r < 0) {
          pick = v;
          break;
        }
      }
    }
    out.push(vocab.chars[pick]);
    stepFrom(pick);
  }
  return out.join('');
}
