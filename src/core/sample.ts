// Text generation from a weights file: feed a prefix, then draw each next character from
// softmax(y/temperature) (argmax at temperature 0).

import type { WeightsFile } from './weights';
import { Rng } from './rng';
import { Vocabulary, codePoints, describeChar } from './vocab';
import { TextError } from './errors';
import { createModel, createSequence } from './cells';
import { t } from './l10n';

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
  const vocab = new Vocabulary(w.vocab);
  const prefix = codePoints(o.prefix);
  if (prefix.length === 0) throw new TextError(t('the prefix must have at least one character'));
  const missing = vocab.missing(o.prefix);
  if (missing.length > 0) throw new TextError(t('the prefix has characters the model does not know: {0}', missing.map(describeChar).join(', ')));
  if (!Number.isInteger(o.length) || o.length < 0) throw new TextError(t('length must be a non-negative integer'));
  if (!Number.isFinite(o.temperature) || o.temperature < 0) throw new TextError(t('temperature must be a number ≥ 0'));

  const V = vocab.size;
  // One step at a time through the same forward code that trained the model.
  const model = createModel(w.cell, V, w.hiddenSize, w.activation, 1);
  for (const p of model.params) p.w.set(w.params[p.name].data);
  const seq = createSequence(model, 1);
  const state = new Float64Array(model.stateSize);
  const input = new Int32Array(1);
  const unusedTarget = new Int32Array(1);
  const stepFrom = (c: number) => {
    input[0] = c;
    seq.forward(input, unusedTarget, 1, state);
    seq.finalState(state);
  };
  const rng = new Rng(o.seed);
  const p = seq.probs;
  const weights = new Float64Array(V);

  const out = [...prefix];
  for (const ch of prefix) stepFrom(vocab.indexOf(ch));
  for (let n = 0; n < o.length; n++) {
    let pick = 0;
    if (o.temperature === 0) {
      for (let v = 1; v < V; v++) if (p[v] > p[pick]) pick = v;
    } else {
      // softmax(y/T) = p^(1/T) / Σ p^(1/T), computed from log p to stay finite.
      let max = -Infinity;
      for (let v = 0; v < V; v++) max = Math.max(max, Math.log(p[v]) / o.temperature);
      let sum = 0;
      for (let v = 0; v < V; v++) {
        weights[v] = Math.exp(Math.log(p[v]) / o.temperature - max);
        sum += weights[v];
      }
      let r = rng.uniform() * sum;
      pick = V - 1;
      for (let v = 0; v < V; v++) {
        r -= weights[v];
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
