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
}

const gpl = readFileSync(join(__dirname, '..', 'bench', 'data', 'gpl3-5000.txt'), 'utf8');
const only = process.argv.slice(2);

const workloads: Workload[] = [
  { name: 'seed', text: SEED_SENTENCE, config: { ...DEFAULT_CONFIG }, runs: 9 },
  { name: 'large', text: gpl, config: { ...DEFAULT_CONFIG, hiddenSize: 128, mode: { kind: 'window', k: 25 }, epochs: 5 }, runs: 5 },
  { name: 'seed-truncate5', text: SEED_SENTENCE, config: { ...DEFAULT_CONFIG, mode: { kind: 'truncate', k: 5 } }, runs: 5 },
];

/**
 * Floating-point operations of one epoch, counting a multiply-add as 2: forward recurrence and
 * output layer, output backward (dW_hy and dh), recurrent backward (W_hh·da and dW_hh), and the
 * extra pass for ‖∂L_T/∂h_t‖. Truncation adds K recurrent steps per output instead of one.
 */
function flopsPerEpoch(w: Workload): number {
  const T = codePoints(w.text).length - 1;
  const H = w.config.hiddenSize;
  const V = new Set(codePoints(w.text)).size;
  const k = w.config.mode.kind === 'truncate' ? w.config.mode.k : 1;
  const lastPasses = w.config.mode.kind === 'window' ? 1 : 1;
  const perStep = 2 * H * H + 2 * H * V + 4 * H * V + 2 * H * H * k + 2 * H * H + 2 * H * H * lastPasses;
  return T * perStep;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

console.log(`node ${process.version}, ${process.arch}`);
for (const w of workloads) {
  if (only.length > 0 && !only.includes(w.name)) continue;
  const times: number[] = [];
  let last = 0;
  for (let r = 0; r < w.runs; r++) {
    const t0 = performance.now();
    const trainer = new Trainer(w.text, w.config);
    while (!trainer.finished) last = trainer.runEpoch().loss;
    times.push(performance.now() - t0);
  }
  const ms = median(times);
  const epochs = w.config.epochs;
  const gflops = (flopsPerEpoch(w) * epochs) / (ms / 1000) / 1e9;
  console.log(
    `${w.name.padEnd(15)} ${ms.toFixed(1).padStart(8)} ms median of ${w.runs}  (min ${Math.min(...times).toFixed(1)} ms)  ` +
      `${(epochs / (ms / 1000)).toFixed(1).padStart(8)} epochs/s  ${gflops.toFixed(2)} GFLOP/s  final loss ${last.toFixed(6)}`,
  );
}
