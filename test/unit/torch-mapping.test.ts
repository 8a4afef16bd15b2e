// The README's PyTorch mapping, checked without PyTorch: scripts/torch_mapping_check.py applies
// the mapping and evaluates PyTorch's documented RNN/LSTM/GRU equations in plain Python; its
// mean cross-entropy must equal RNN Lab's own loss for the same exported weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG, serializeWeights, Trainer, type WeightsFile } from '../../src/core';
import type { Activation, CellKind, TrainConfig } from '../../src/core/types';
import { createModel, createSequence } from '../../src/core/cells';
import { Vocabulary } from '../../src/core/vocab';
import { toTorchLayout } from '../../src/weights/torchLayout';
import { repoRoot } from '../support/repoRoot';

const root = repoRoot();
const script = join(root, 'scripts', 'torch_mapping_check.py');
const python = spawnSync('python3', ['--version']).status === 0;
// Spaces, a line break, an accent and an emoji: the vocabulary is by code point on both sides.
const TEXT = 'hello world! nice to meet you!\ni love iron-man, café 😀 ok';

/** A fresh forward pass over the whole text with the core's own cell code. */
function coreLoss(w: WeightsFile, text: string): number {
  const vocab = new Vocabulary(w.vocab);
  const ids = vocab.encode(text);
  const N = ids.length - 1;
  const model = createModel(w.cell, vocab.size, w.hiddenSize, w.activation, N);
  for (const p of model.params) p.w.set(w.params[p.name].data);
  const seq = createSequence(model, N);
  return seq.forward(ids.subarray(0, N), ids.subarray(1), N, null).lossSum / N;
}

// ReLU gets H = 16: with fewer units its He-initialised W_hh blows the hidden state up over
// this text's 57 steps, the first epoch diverges and there would be no trained model to check.
const cases: { cell: CellKind; activation: Activation; optimizer: TrainConfig['optimizer']; hiddenSize: number }[] = [
  { cell: 'rnn', activation: 'tanh', optimizer: 'adam', hiddenSize: 7 },
  { cell: 'rnn', activation: 'relu', optimizer: 'momentum', hiddenSize: 16 },
  { cell: 'lstm', activation: 'tanh', optimizer: 'adam', hiddenSize: 7 },
  { cell: 'gru', activation: 'tanh', optimizer: 'rmsprop', hiddenSize: 7 },
];

for (const c of cases) {
  test(`PyTorch's ${c.cell.toUpperCase()}${c.cell === 'rnn' ? ` (${c.activation})` : ''} equations with the README mapping give RNN Lab's loss to 1e-12`, { skip: python ? false : 'python3 is not installed' }, () => {
    const config: TrainConfig = { ...DEFAULT_CONFIG, ...c, epochs: 12, learningRate: 0.01, clip: 1 };
    const trainer = new Trainer(TEXT, config);
    const initialLoss = trainer.runEpoch().loss;
    while (!trainer.finished) trainer.runEpoch();
    assert.equal(trainer.diverged, false);
    const weights = trainer.toWeights();

    const dir = join(root, 'test-artifacts', `torch-mapping-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const weightsPath = join(dir, `${c.cell}-${c.activation}.json`);
    const textPath = join(dir, `${c.cell}-${c.activation}.txt`);
    writeFileSync(weightsPath, serializeWeights(weights));
    writeFileSync(textPath, TEXT);
    const printed = execFileSync('python3', [script, weightsPath, textPath], { encoding: 'utf8' }).trim();
    const torchLoss = Number(printed);
    assert.ok(Number.isFinite(torchLoss), `the script printed ${JSON.stringify(printed)}`);
    // "Export Weights for PyTorch" writes the mapped tensors itself; the script reads them as they are.
    const torchPath = join(dir, `${c.cell}-${c.activation}.torch.json`);
    writeFileSync(torchPath, JSON.stringify(toTorchLayout(weights)));
    const fromTorchFile = Number(execFileSync('python3', [script, torchPath, textPath], { encoding: 'utf8' }).trim());
    assert.equal(fromTorchFile, torchLoss, 'the PyTorch-layout export and the mapped weights file disagree');

    // What RNN Lab reports for these weights: the loss of the next epoch (measured before its update).
    const reported = new Trainer(TEXT, { ...weights.training!.config!, mode: { kind: 'full' }, epochs: 1 }, weights).runEpoch().loss;
    const fresh = coreLoss(weights, TEXT);
    assert.equal(fresh, reported);
    assert.ok(Math.abs(torchLoss - reported) <= 1e-12, `PyTorch mapping ${torchLoss} vs RNN Lab ${reported} (difference ${torchLoss - reported})`);
    // Training moved the weights: a mapping that ignored a parameter would not match by luck.
    assert.ok(reported < initialLoss - 0.05, `loss ${reported} after training vs ${initialLoss} at the start`);
    rmSync(dir, { recursive: true, force: true });
  });
}

test('the check script refuses a wrong number of arguments', { skip: python ? false : 'python3 is not installed' }, () => {
  const r = spawnSync('python3', [script], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /Usage/);
});
