// `npm run bench:floor`: the least time one window-mode epoch of a 1 MB selection can take on this
// CPU, against what it takes. The floor counts only the multiply-adds of the training's matrix
// products at the machine's measured peak for f64x2 multiply-then-add (no loads, stores, exp or
// tanh), plus Adam's square roots and divisions at their measured peak. It prints figures; it
// asserts nothing. Issue "Hardening" asks for the first epoch on screen within 2 s; this says how
// much of that the epoch alone needs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_CONFIG, Trainer, type TrainConfig } from '../src/core';

const root = join(__dirname, '..');

interface Peak {
  mulAdd(n: number): number;
  sqrtDiv(n: number): number;
}

/** bench/assembly/peak.ts through the same compiler and SIMD flag as the core's kernels. */
function compilePeak(): Peak {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-lab-peak-'));
  try {
    const out = join(dir, 'peak.wasm');
    const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
    const r = spawnSync(process.execPath, [asc, join(root, 'bench', 'assembly', 'peak.ts'), '--outFile', out, '--optimizeLevel', '3', '--runtime', 'stub', '--noAssert', '--enable', 'simd'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`compiling bench/assembly/peak.ts failed: ${r.stderr}`);
    // The project's lib has no WebAssembly types (the core declares what it uses in src/core/wasm/arena.ts).
    const wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (m: object, imports: object) => { exports: unknown } } }).WebAssembly;
    return new wasm.Instance(new wasm.Module(readFileSync(out)), {}).exports as Peak;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Best of three, per second, of `work(n)` doing `perCall(n)` operations. */
function rate(work: (n: number) => number, n: number, perCall: number): number {
  work(n / 100);
  let best = 0;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    work(n);
    best = Math.max(best, perCall / ((performance.now() - t) / 1000));
  }
  return best;
}

/** The long-selection UI scenario's text: the GPL excerpt of bench/data, printable ASCII, repeated to `bytes`. */
function longText(bytes: number): string {
  const base = readFileSync(join(root, 'bench', 'data', 'gpl3-5000.txt'), 'utf8').replace(/[^\x20-\x7e\n]/g, ' ');
  let s = '';
  while (s.length < bytes) s += base;
  return s.slice(0, bytes);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  const peak = compilePeak();
  // Vector operations (one f64x2 multiply or add) per second; a multiply-add of two lanes is two of them, so this is also multiply-adds per second.
  const vecOps = rate((n) => peak.mulAdd(n), 2e8, 16 * 2e8);
  // Square root and division pairs per second, counted per lane (element).
  const sqrtDivs = rate((n) => peak.sqrtDiv(n), 2e7, 8 * 2 * 2e7);

  const text = longText(1_000_000);
  const config: TrainConfig = { ...DEFAULT_CONFIG, epochs: 3, mode: { kind: 'window', k: 25 } };
  const trainer = new Trainer(text, config);
  const H = config.hiddenSize;
  const V = trainer.toWeights().vocab.length;
  const K = 25;
  const N = text.length - 1;
  const windows = Math.ceil(N / K);
  const params = V * H + H * H + H + H * V + V;
  // Per step: h_{t−1}·W_hh, h_t·W_hy, ∂L/∂y_t·W_hyᵀ, dW_hy, dW_hh and ∂L/∂a_t·W_hhᵀ.
  const macs = N * (3 * H * V + 3 * H * H);
  const floorMac = macs / vecOps;
  const floorAdam = (windows * params) / sqrtDivs;

  const epochs: number[] = [];
  for (let e = 0; e < 3; e++) {
    const t = performance.now();
    let m = null;
    while (!m) m = trainer.advance();
    epochs.push((performance.now() - t) / 1000);
  }
  const measured = median(epochs);
  const floor = floorMac + floorAdam;
  console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, one thread`);
  console.log(`peak f64x2 multiply-then-add: ${(vecOps / 1e9).toFixed(2)} G vector ops/s (= G multiply-adds/s); sqrt then divide: ${(sqrtDivs / 1e9).toFixed(3)} G elements/s`);
  console.log(`1 MB selection (${N.toLocaleString('en')} steps, vocabulary ${V}), rnn h${H}, window ${K}: ${windows.toLocaleString('en')} updates of ${params.toLocaleString('en')} parameters`);
  console.log(`  matrix products: ${(macs / 1e9).toFixed(2)} G multiply-adds → at least ${floorMac.toFixed(2)} s at peak`);
  console.log(`  Adam: ${((windows * params) / 1e6).toFixed(0)} M square roots and divisions → at least ${floorAdam.toFixed(2)} s at peak`);
  console.log(`  floor ${floor.toFixed(2)} s (exp, tanh, loads and stores counted as free); measured epochs ${epochs.map((s) => s.toFixed(2)).join(' / ')} s, median ${measured.toFixed(2)} s = floor × ${(measured / floor).toFixed(2)}`);
}

main();
