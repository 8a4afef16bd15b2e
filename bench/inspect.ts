// `npm run bench:inspect`: how long one inspection takes — a forward pass with everything kept,
// the top 5 of every step, and connectivity of the last step — at the seed's size (H = 20,
// T = 45; target: well under a 16 ms frame) and at H = 256 on a 2,000-character window (target:
// under 200 ms), for each cell. Also the forward alone, one more connectivity row from a kept
// forward (what Trainer.connectivity costs when hovering over one epoch), and the gradient check
// at the seed's size. Replaying a past epoch (as gradMatrix does) comes on top and is not timed.
// Median of several runs after warm-up, with the range. Prints figures, asserts nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_CONFIG, InspectedSequence, SEED_SENTENCE, Trainer, inspectWeights, type CellKind, type WeightsFile } from '../src/core';
import { setProductPartner } from '../src/core/split';
import { startProductThread } from '../src/worker/productThread';

const gpl = readFileSync(join(__dirname, '..', 'bench', 'data', 'gpl3-5000.txt'), 'utf8');
const window2000 = [...gpl].slice(0, 2001).join('');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Warm up for `warmMs`, then time `runs` calls. */
function time(fn: () => void, runs: number, warmMs: number): string {
  const until = performance.now() + warmMs;
  do fn();
  while (performance.now() < until);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  const f = (x: number) => (x < 1 ? x.toFixed(3) : x.toFixed(1));
  return `${f(median(ms))} ms (${f(Math.min(...ms))}–${f(Math.max(...ms))})`;
}

function sequenceOf(w: WeightsFile, text: string): InspectedSequence {
  const ids = [...text].map((c) => w.vocab.indexOf(c));
  const T = ids.length - 1;
  const params = Object.fromEntries(Object.entries(w.params).map(([k, v]) => [k, v.data]));
  const net = { cell: w.cell, activation: w.activation, hiddenSize: w.hiddenSize, vocab: w.vocab, params };
  return new InspectedSequence(net, Int32Array.from(ids.slice(0, T)), Int32Array.from(ids.slice(1)), null, 0);
}

const cells: CellKind[] = ['rnn', 'lstm', 'gru'];
const sizes = [
  { label: 'seed  H=20  T=45  ', text: SEED_SENTENCE, hiddenSize: 20, runs: 50, warm: 500, target: 'target < 16 ms' },
  { label: 'large H=256 T=2000', text: window2000, hiddenSize: 256, runs: 7, warm: 1500, target: 'target < 200 ms' },
];
// Each size and cell in one thread, then (the large LSTM, the only inspection the core splits)
// again with the second thread of src/core/split.ts, as the training worker and the CLI run it.
const partner = startProductThread();
setProductPartner(null);
for (const size of sizes) {
  for (const cell of cells) {
    const trainer = new Trainer(size.text, { ...DEFAULT_CONFIG, cell, hiddenSize: size.hiddenSize, mode: { kind: 'window', k: 2000 }, epochs: 1 });
    const w = trainer.toWeights();
    const T = [...size.text].length - 1;
    const threads = size.hiddenSize === 256 && cell === 'lstm' ? [1, 2] : [1];
    for (const n of threads) {
      setProductPartner(n === 2 ? partner.partner : null);
      const whole = time(() => inspectWeights(w, size.text, { connectivity: T - 1 }), size.runs, size.warm);
      const forward = time(() => inspectWeights(w, size.text), size.runs, size.warm / 2);
      const kept = sequenceOf(w, size.text);
      const again = time(() => kept.connectivity(T - 1), size.runs, size.warm / 2);
      const check = size.hiddenSize === 20 ? `  gradcheck ${time(() => trainer.gradCheck(), 5, 300)}` : '';
      const label = threads.length > 1 ? `${cell} ${n} thread${n > 1 ? 's' : ''}` : cell;
      console.log(`${size.label} ${label.padEnd(4)}  inspection ${whole} (${size.target})  forward only ${forward}  connectivity from a kept forward ${again}${check}`);
    }
  }
}
void partner.stop();
