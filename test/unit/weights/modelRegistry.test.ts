import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, serializeWeights, Trainer } from '../../../src/core';
import { describeModel, ModelRegistry, type LoadedModel } from '../../../src/weights/modelRegistry';

const t = new Trainer('hello world', { ...DEFAULT_CONFIG, hiddenSize: 3, epochs: 2 });
t.runEpoch();
t.runEpoch();
const weights = t.toWeights();
const model = (id: string): LoadedModel => ({ id, name: id, location: id, weights, json: serializeWeights(weights) });

test('models are listed in order of last load; reloading a file replaces its entry', () => {
  const r = new ModelRegistry();
  let changes = 0;
  r.onDidChange(() => changes++);
  r.set(model('a'));
  r.set(model('b'));
  r.set(model('a'));
  assert.deepEqual(r.list().map((m) => m.id), ['b', 'a']);
  assert.equal(r.size, 2);
  r.delete('b');
  r.delete('nothing');
  assert.deepEqual(r.list().map((m) => m.id), ['a']);
  assert.equal(changes, 4);
  assert.equal(r.get('a')?.name, 'a');
});

test('a model is described by its architecture and how far it trained', () => {
  assert.equal(describeModel(weights), `rnn h3 · 8 characters · 2 epochs · loss ${t.last!.loss.toFixed(4)}`);
});
