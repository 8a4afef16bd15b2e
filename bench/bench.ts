// `npm run bench`: times the training loop in-process on the two workloads of the core issue and
// prints epochs/s and GFLOP/s (median of several runs). It prints figures; it asserts nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_CONFIG, SEED_SENTENCE, Trainer, codePoints, type TrainConfig } from '../src/core';

interface Workload {
  name: string;
  text: string;
  config: TrainConfig;
  runs: number;
  /** The core issue's target for this workload, in ms, where it sets one. */
  targetMs?: number;
}

const gpl = readFileSync(join(__dirname, '..', 'bench', 'data', 'gpl3-5000.txt'), 'utf8');
const only = process.argv.slice(2);

const seed: TrainConfig = { ...DEFAULT_CONFIG };
const large: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 128, mode: { kind: 'window', k: 25 }, epochs: 5 };
const workloads: Workload[] = [
  { name: 'seed', text: SEED_SENTENCE, config: seed, runs: 9, targetMs: 60 },
  { name: 'large', text: gpl, config: large, runs: 5, targetMs: 1000 },
  { name: 'seed-truncate5', text: SEED_SENTENCE, config: { ...seed, mode: { kind: 'truncate', k: 5 } }, runs: 5 },
  { name: 'seed-lstm', text: SEED_SENTENCE, config: { ...seed, cell: 'lstm' }, runs: 5 },
  { name: 'seed-gru', text: SEED_SENTENCE, config: { ...seed, cell: 'gru' }, runs: 5 },
  { name: 'large-lstm', text: gpl, config: { ...large, cell: 'lstm' }, runs: 3 },
  { name: 'large-gru', text: gpl, config: { ...large, cell: 'gru' }, runs: 3 },
];

/**
 * Floating-point operations of one epoch, counting a multiply-add as 2: forward recurrence and
 * output layer, output backward (dW_hy and dh), recurrent backward (W_hh·da and dW_hh), and the
 * extra pass for ‖∂L_T/∂h_t‖. Truncation adds K recurrent steps per output instead of one.
 */
function flopsPerEpoch(w: Workload): number {
  const T = codePoints(w.text).length - 1;
  const H = w.config.hiddenSize;
  const G = H * { rnn: 1, lstm: 4, gru: 3 }[w.config.cell];
  const V = new Set(codePoints(w.text)).size;
  const k = w.config.mode.kind === 'truncate' ? w.config.mode.k : 1;
  // forward h·W_hh, output layer; backward dh·W_hyᵀ and dW_hy; K steps of dz·W_hhᵀ; dW_hh; the ‖∂L_T/∂h‖ pass
  const perStep = 2 * H * G + 2 * H * V + 4 * H * V + 2 * H * G * k + 2 * H * G + 2 * H * G;
  return T * perStep;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const ratio: Record<string, number> = {};
console.log(`node ${process.version}, ${process.arch}; ${only.length ? only.join(', ') : 'all workloads'}`);
for (const w of workloads) {
  if (only.length > 0 && !only.includes(w.name)) continue;
  const times: number[] = [];
  let last = 0;
  const run = (): number => {
    const t0 = performance.now();
    const trainer = new Trainer(w.text, w.config);
    while (!trainer.finished) last = trainer.runEpoch().loss;
    return performance.now() - t0;
  };
  // Untimed runs first, at least one and until 1.5 s have passed: V8 optimises the JS (the σ_max
  // solver, the per-epoch report) and tiers the WebAssembly up over the first thousands of epochs,
  // and the figures below are for the loop once that is done. The cold first run is printed too.
  const cold = run();
  let warmups = 1;
  for (let spent = cold; spent < 1500 && warmups < 8; warmups++) spent += run();
  for (let r = 0; r < w.runs; r++) times.push(run());
  const ms = median(times);
  ratio[w.name] = ms;
  const epochs = w.config.epochs;
  const gflops = (flopsPerEpoch(w) * epochs) / (ms / 1000) / 1e9;
  console.log(
    `${w.name.padEnd(15)} ${ms.toFixed(1).padStart(8)} ms median of ${w.runs} after ${warmups} warm-up runs  (min ${Math.min(...times).toFixed(1)} ms, cold first run ${cold.toFixed(0)} ms)  ` +
      `${(epochs / (ms / 1000)).toFixed(1).padStart(8)} epochs/s  ${gflops.toFixed(2)} GFLOP/s  final loss ${last.toFixed(6)}` +
      (w.targetMs ? `  (target ≤ ${w.targetMs} ms: ${ms <= w.targetMs ? 'met' : 'missed'})` : ''),
  );
}

if (ratio.large && ratio['large-lstm']) console.log(`large-lstm / large = ${(ratio['large-lstm'] / ratio.large).toFixed(2)}× (the LSTM does about 4× the RNN's work per step)`);
