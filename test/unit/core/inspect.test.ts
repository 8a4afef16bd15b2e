// Trainer.inspect and inspectWeights against independent computations: the cells' training
// forward, a plain-Python forward/backward (inspect_reference.py), PyTorch's nn.RNN / nn.LSTM /
// nn.GRU with autograd (inspect_torch.py, skipped with a message when torch is missing), and a
// window-mode replay built from separate trainers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_CONFIG,
  INSPECT_MAX_STEPS,
  SEED_SENTENCE,
  TextError,
  Trainer,
  inspectWeights,
  serializeWeights,
  type Inspection,
  type TrainConfig,
  type WeightsFile,
} from '../../../src/core';
import { createModel, createSequence } from '../../../src/core/cells';
import { Vocabulary } from '../../../src/core/vocab';
import { repoRoot } from '../../support/repoRoot';

const root = repoRoot();
mkdirSync(join(root, 'test-artifacts'), { recursive: true });
const work = mkdtempSync(join(root, 'test-artifacts', 'inspect-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// Spaces, a line break, an accent and an emoji: code points on both sides.
const TEXT = 'hello world! nice to meet you!\ni love iron-man, café 😀 ok';

const CASES: { name: string; config: Partial<TrainConfig> }[] = [
  { name: 'rnn tanh', config: { cell: 'rnn', hiddenSize: 9 } },
  { name: 'rnn relu', config: { cell: 'rnn', activation: 'relu', hiddenSize: 16, learningRate: 0.003 } },
  { name: 'lstm', config: { cell: 'lstm', hiddenSize: 7 } },
  { name: 'gru', config: { cell: 'gru', hiddenSize: 7 } },
];

/** A model trained a little, so that no weight is at its initial value. */
function trained(config: Partial<TrainConfig>, epochs = 15): Trainer {
  const t = new Trainer(TEXT, { ...DEFAULT_CONFIG, learningRate: 0.01, clip: 1, epochs: epochs + 5, ...config });
  for (let i = 0; i < epochs; i++) t.runEpoch();
  assert.equal(t.diverged, false);
  return t;
}

/** max|a − b| / max|b|: the error relative to the array's own scale. */
function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'lengths differ');
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

function flat(rows: number[][]): number[] {
  return rows.flat();
}

function writeCase(name: string, w: WeightsFile, text: string): { weights: string; text: string } {
  const base = join(work, name.replace(/\W+/g, '-'));
  writeFileSync(`${base}.json`, serializeWeights(w));
  writeFileSync(`${base}.txt`, text);
  return { weights: `${base}.json`, text: `${base}.txt` };
}

function runPython(python: string, script: string, args: string[]): { status: number | null; out: string; err: string } {
  const r = spawnSync(python, [join(root, 'test', 'unit', 'core', script), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : null;
// Debian's python3-torch installs for the system interpreter, which may not be the first python3 on PATH.
const torchPython = ['/usr/bin/python3', 'python3'].find((p) => (p.startsWith('/') ? existsSync(p) : python) && spawnSync(p, ['-c', 'import torch']).status === 0) ?? null;
const torchSkip = torchPython ? false : 'PyTorch is not installed (apt-get install -y python3-torch; npm test installs it when run as root)';

for (const c of CASES) {
  test(`${c.name}: inspect's h (and c, gates) equal the training forward; its loss is the next epoch's reported loss`, () => {
    const t = trained(c.config);
    const r = t.inspect(t.epochsDone, { top: 3 });
    const w = t.toWeights();
    const vocab = new Vocabulary(w.vocab);
    const ids = vocab.encode(TEXT);
    const T = ids.length - 1;
    const model = createModel(w.cell, vocab.size, w.hiddenSize, w.activation, T);
    for (const p of model.params) p.w.set(w.params[p.name].data);
    const seq = createSequence(model, T);
    seq.forward(ids.subarray(0, T), ids.subarray(1), T, null);
    const H = w.hiddenSize;
    assert.equal(r.steps, T);
    assert.ok(relError(r.h, seq.hs.subarray(H, (T + 1) * H)) <= 1e-12);
    const next = t.runEpoch();
    assert.ok(Math.abs(r.loss - next.loss) <= 1e-12 * next.loss, `inspect ${r.loss} vs epoch ${next.loss}`);
    // The likeliest character of each step is the epoch's prediction.
    const predicted = [...next.predicted].slice(1);
    for (let s = 0; s < T; s++) assert.equal(r.vocab[r.top.ids[s * 3]], predicted[s], `step ${s}`);
  });

  test(`${c.name}: h, gates, c, probabilities and connectivity equal a plain Python forward/backward to 1e-12`, { skip: python ? false : 'python3 is not installed' }, () => {
    const t = trained(c.config);
    const w = t.toWeights();
    const files = writeCase(`ref-${c.name}`, w, TEXT);
    const src = 40;
    const r = inspectWeights(w, TEXT, { top: w.vocab.length, connectivity: src });
    const py = runPython(python!, 'inspect_reference.py', [files.weights, files.text, String(src)]);
    assert.equal(py.status, 0, py.err);
    const ref = JSON.parse(py.out);
    assert.ok(relError(r.h, flat(ref.h)) <= 1e-12, 'h');
    assert.deepEqual(r.gateNames, Object.keys(ref.gates));
    for (const g of r.gateNames) assert.ok(relError(r.gates![g], flat(ref.gates[g])) <= 1e-12, `gate ${g}`);
    if (w.cell === 'lstm') assert.ok(relError(r.c!, flat(ref.c)) <= 1e-12, 'c');
    else assert.equal(r.c, null);
    assert.ok(Math.abs(r.loss - ref.loss) <= 1e-12 * ref.loss, 'loss');
    // top with k = V lists every probability: in order, it is the reference's row sorted.
    const V = w.vocab.length;
    for (let s = 0; s < r.steps; s++) {
      const p: number[] = ref.p[s];
      const got = Array.from(r.top.p.subarray(s * V, (s + 1) * V));
      assert.ok(relError(got, [...p].sort((a, b) => b - a)) <= 1e-12, `top of step ${s}`);
      for (let i = 0; i < V; i++) assert.ok(Math.abs(p[r.top.ids[s * V + i]] - got[i]) <= 1e-12 * p[r.top.ids[s]] + 1e-300, `top id ${i} of step ${s}`);
      assert.ok(Math.abs(r.targetP[s] - p[r.targets[s]]) <= 1e-12 * p[r.targets[s]]);
    }
    const conn = r.connectivity!;
    assert.equal(conn.t, src);
    assert.equal(conn.values.length, src + 1);
    assert.ok(relError(conn.values, ref.connectivity) <= 1e-12, 'connectivity');
    // Each entry on its own too, down to where the gradient has vanished a millionfold.
    const top = Math.max(...ref.connectivity);
    ref.connectivity.forEach((v: number, k: number) => {
      if (v > 1e-6 * top) assert.ok(Math.abs(conn.values[k] - v) <= 1e-10 * v, `connectivity[${k}]: ${conn.values[k]} vs ${v}`);
    });
  });

  test(`${c.name}: h and connectivity equal PyTorch's nn.${c.config.cell!.toUpperCase()} with autograd to 1e-12`, { skip: torchSkip }, () => {
    const t = trained(c.config);
    const w = t.toWeights();
    const files = writeCase(`torch-${c.name}`, w, TEXT);
    const src = 33;
    const r = inspectWeights(w, TEXT, { connectivity: src });
    const py = runPython(torchPython!, 'inspect_torch.py', [files.weights, files.text, String(src)]);
    assert.equal(py.status, 0, py.err);
    const ref = JSON.parse(py.out);
    assert.ok(relError(r.h, flat(ref.h)) <= 1e-12, `h: ${relError(r.h, flat(ref.h))}`);
    assert.ok(relError(r.connectivity!.values, ref.connectivity) <= 1e-12, `connectivity: ${relError(r.connectivity!.values, ref.connectivity)}`);
    assert.ok(Math.abs(r.loss - ref.loss) <= 1e-12 * ref.loss, 'loss');
    if (w.cell === 'lstm') {
      const H = w.hiddenSize;
      assert.ok(relError(r.c!.subarray((r.steps - 1) * H), ref.cLast) <= 1e-12, 'final c');
    }
  });
}

test('top: k likeliest per step, in decreasing order, each row\'s probabilities summing to at most 1 (exactly 1 with k = V)', () => {
  const t = trained({ cell: 'lstm', hiddenSize: 8 });
  const V = t.vocab.size;
  const five = t.inspect(t.epochsDone);
  const all = t.inspect(t.epochsDone, { top: 1000 });
  assert.equal(five.top.k, 5);
  assert.equal(all.top.k, V, 'k is capped at the vocabulary');
  for (let s = 0; s < five.steps; s++) {
    let sum = 0;
    for (let i = 0; i < 5; i++) {
      sum += five.top.p[s * 5 + i];
      if (i > 0) assert.ok(five.top.p[s * 5 + i] <= five.top.p[s * 5 + i - 1]);
      assert.equal(five.top.ids[s * 5 + i], all.top.ids[s * V + i]);
    }
    assert.ok(sum <= 1 + 1e-15);
    let total = 0;
    for (let i = 0; i < V; i++) total += all.top.p[s * V + i];
    assert.ok(Math.abs(total - 1) <= 1e-12);
    assert.deepEqual(new Set(all.top.ids.subarray(s * V, (s + 1) * V)).size, V, 'each character once');
  }
});

test('ties keep vocabulary order: a zero output layer gives every character the same probability', () => {
  const t = new Trainer('abcab', { ...DEFAULT_CONFIG, epochs: 1 });
  const w = t.toWeights();
  w.params.W_hy.data.fill(0);
  w.params.b_y.data.fill(0);
  const r = inspectWeights(w, 'abca', { top: 3 });
  assert.deepEqual(Array.from(r.top.ids.subarray(0, 3)), [0, 1, 2]);
  for (const p of r.top.p) assert.equal(p, 1 / 3);
});

test('a past epoch is replayed exactly: the same inspection now as when it was live', () => {
  const t = new Trainer(SEED_SENTENCE, { ...DEFAULT_CONFIG, cell: 'gru', epochs: 30 });
  const live: Record<number, Inspection> = {};
  while (!t.finished) {
    if (t.epochsDone === 4 || t.epochsDone === 17) live[t.epochsDone] = t.inspect(t.epochsDone, { connectivity: 44 });
    t.runEpoch();
  }
  for (const e of [4, 17]) {
    const again = t.inspect(e, { connectivity: 44 });
    assert.deepEqual(again, live[e]);
  }
  assert.notDeepEqual(live[4].h, live[17].h);
  assert.throws(() => t.inspect(31), RangeError);
  assert.throws(() => t.inspect(30, { connectivity: 45 }), RangeError);
});

test('window mode: the window holding the position, the epoch-start weights, and the state that epoch carried into it', () => {
  const K = 8;
  const config: TrainConfig = { ...DEFAULT_CONFIG, cell: 'lstm', hiddenSize: 6, mode: { kind: 'window', k: K }, learningRate: 0.02, epochs: 10 };
  const t = new Trainer(SEED_SENTENCE, config);
  for (let i = 0; i < 6; i++) t.runEpoch();
  const epoch = 3;
  const r = t.inspect(epoch, { position: 3 * K + 2, connectivity: 5 });
  assert.equal(r.start, 3 * K);
  assert.equal(r.steps, K);

  // Independently: the epoch-start weights from a fresh run, then the weights after each of the
  // epoch's windows from trainers on the text up to that window's end (same init, one epoch),
  // and the carried state from forwards of the training code with those weights.
  const fresh = new Trainer(SEED_SENTENCE, config);
  for (let i = 0; i < epoch; i++) fresh.runEpoch();
  const start = fresh.toWeights();
  const chars = [...SEED_SENTENCE];
  const vocab = new Vocabulary(start.vocab);
  const ids = vocab.encode(SEED_SENTENCE);
  const weightsAfter = (windows: number): WeightsFile => {
    if (windows === 0) return start;
    const prefix = chars.slice(0, windows * K + 1).join('');
    const part = new Trainer(prefix, { ...config, epochs: 1 }, start);
    part.runEpoch();
    return part.toWeights();
  };
  let state = new Float64Array(12);
  for (let j = 0; j < 3; j++) {
    const w = weightsAfter(j);
    const model = createModel('lstm', vocab.size, 6, 'tanh', K);
    for (const p of model.params) p.w.set(w.params[p.name].data);
    const seq = createSequence(model, K);
    seq.forward(ids.subarray(j * K, (j + 1) * K), ids.subarray(j * K + 1), K, state);
    state = new Float64Array(12);
    seq.finalState(state);
  }
  assert.ok(relError(r.initialState!, state) <= 1e-12, 'carried state');
  // With that state and the epoch-start weights, the window's forward is inspectWeights' from that state.
  const model = createModel('lstm', vocab.size, 6, 'tanh', K);
  for (const p of model.params) p.w.set(start.params[p.name].data);
  const seq = createSequence(model, K);
  seq.forward(ids.subarray(3 * K, 4 * K), ids.subarray(3 * K + 1), K, state);
  assert.ok(relError(r.h, seq.hs.subarray(6, (K + 1) * 6)) <= 1e-12, 'h of the window');
  // The first window starts from zeros; a position past the text is refused.
  assert.equal(t.inspect(epoch, { position: K - 1 }).initialState, null);
  assert.throws(() => t.inspect(epoch, { position: 45 }), RangeError);
});

test('mid-epoch (window mode, paused between windows): the current epoch is inspected from its start', () => {
  const config: TrainConfig = { ...DEFAULT_CONFIG, mode: { kind: 'window', k: 10 }, epochs: 5 };
  const a = new Trainer(SEED_SENTENCE, config);
  a.runEpoch();
  const before = a.inspect(1, { position: 25 });
  a.advance();
  a.advance();
  assert.ok(a.midEpoch);
  assert.deepEqual(a.inspect(1, { position: 25 }), before);
  const b = new Trainer(SEED_SENTENCE, config);
  b.runEpoch();
  b.advance();
  assert.deepEqual(b.inspect(1, { position: 25 }), before);
});

test('inspectWeights: the text limits, unknown characters and bad options each get one line', () => {
  const w = new Trainer(SEED_SENTENCE, { ...DEFAULT_CONFIG, epochs: 1 }).toWeights();
  const long = 'hello '.repeat(Math.ceil((INSPECT_MAX_STEPS + 2) / 6));
  assert.throws(() => inspectWeights(w, long), (e: Error) => e instanceof TextError && /at most 10000 steps/.test(e.message));
  const big = new Trainer(SEED_SENTENCE, { ...DEFAULT_CONFIG, hiddenSize: 1000, epochs: 1 }).toWeights();
  assert.throws(() => inspectWeights(big, 'hello '.repeat(200)), (e: Error) => e instanceof TextError && /1000 steps \(got 1199\)/.test(e.message));
  assert.throws(() => inspectWeights(w, 'hello WORLD'), (e: Error) => e instanceof TextError && /"W" \(U\+0057\)/.test(e.message));
  assert.throws(() => inspectWeights(w, 'h'), TextError);
  assert.throws(() => inspectWeights(w, 'hello', { top: 0 }), RangeError);
  assert.throws(() => inspectWeights(w, 'hello', { connectivity: 4 }), RangeError);
  assert.equal(inspectWeights(w, 'hello', { connectivity: 3 }).connectivity!.values.length, 4);
});
