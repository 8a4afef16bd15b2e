// How much the extension host's main thread suffers while a run trains. Starts the real worker
// (dist/worker.js) through the real WorkerBridge and TrainingRun (so epochs pass the real
// batcher and display thinning), with a fake webview that serialises each message like VS Code
// does and acknowledges delivery, and prints figures. Asserts nothing: it is for reading, e.g.
// before and after a change to the relay.
//
//   npm run bench:host
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { DEFAULT_CONFIG, SEED_SENTENCE, type TrainConfig } from '../src/core/types';
import type { HostToWebview, RunState } from '../src/shared/protocol';
import { TrainingRun } from '../src/host/run';
import { WorkerBridge } from '../src/host/workerBridge';

const root = join(__dirname, '..');
const workerPath = join(root, 'dist', 'worker.js');

interface Workload {
  name: string;
  text: string;
  config: TrainConfig;
  /** Stop the run after this long even if it has not finished. */
  maxMs: number;
}

interface Figures {
  lagP50: number;
  lagP99: number;
  lagMax: number;
  firstEpochMs: number;
  firstWebviewEpochMs: number;
  epochs: number;
  seconds: number;
  messages: number;
  bytes: number;
  endState: RunState;
}

const ENDED: RunState[] = ['done', 'stopped', 'diverged', 'crashed'];

async function measure(w: Workload): Promise<Figures> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let messages = 0;
  let bytes = 0;
  let firstEpochMs = NaN;
  let firstWebviewEpochMs = NaN;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const t0 = performance.now();
  histogram.enable();

  const run = TrainingRun.start(
    { runId: 'bench', title: w.name, text: w.text, config: w.config, printEvery: 30, notes: [] },
    (events) => new WorkerBridge(workerPath, events),
    {
      post: (msg: HostToWebview) => {
        // VS Code JSON-serialises what it posts to a webview; pay that cost here too.
        bytes += JSON.stringify(msg).length;
        messages++;
        if (msg.type === 'epochs' && Number.isNaN(firstWebviewEpochMs)) firstWebviewEpochMs = performance.now() - t0;
        // Delivered on the next turn, like an idle webview: the relay's backpressure path runs.
        return new Promise<void>((resolve) => setImmediate(resolve));
      },
      log: () => undefined,
      changed: (r) => {
        if (Number.isNaN(firstEpochMs) && r.history.length > 0) firstEpochMs = performance.now() - t0;
        if (ENDED.includes(r.state)) finish();
      },
    },
  );
  run.webviewDidLoad();
  const cap = setTimeout(() => run.control('stop'), w.maxMs);
  await finished;
  clearTimeout(cap);
  const seconds = (performance.now() - t0) / 1000;
  histogram.disable();
  await run.dispose();
  const ms = (ns: number) => ns / 1e6;
  return {
    lagP50: ms(histogram.percentile(50)),
    lagP99: ms(histogram.percentile(99)),
    lagMax: ms(histogram.max),
    firstEpochMs,
    firstWebviewEpochMs,
    epochs: run.history.length,
    seconds,
    messages,
    bytes,
    endState: run.state,
  };
}

function print(w: Workload, f: Figures): void {
  const rows: [string, string][] = [
    ['end state', `${f.endState} after ${f.epochs} epochs in ${f.seconds.toFixed(2)} s`],
    ['event-loop lag p50 / p99 / max', `${f.lagP50.toFixed(2)} / ${f.lagP99.toFixed(2)} / ${f.lagMax.toFixed(2)} ms`],
    ['start → first epoch at host', `${f.firstEpochMs.toFixed(0)} ms`],
    ['start → first epoch at webview', `${f.firstWebviewEpochMs.toFixed(0)} ms`],
    ['messages/s to webview', `${(f.messages / f.seconds).toFixed(1)} (${f.messages} messages, ${(f.bytes / 1e6).toFixed(1)} MB JSON)`],
    ['epochs/s', (f.epochs / f.seconds).toFixed(1)],
  ];
  console.log(`\n${w.name}`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(32)} ${v}`);
}

/** Lag of an idle event loop: on a busy machine this is the noise floor of the other figures. */
async function baseline(ms: number): Promise<{ p50: number; p99: number; max: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await new Promise((r) => setTimeout(r, ms));
  histogram.disable();
  return { p50: histogram.percentile(50) / 1e6, p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 };
}

async function main(): Promise<void> {
  const workloads: Workload[] = [
    {
      name: `seed sentence, ${DEFAULT_CONFIG.cell} h${DEFAULT_CONFIG.hiddenSize}, full BPTT, 10,000 epochs`,
      text: SEED_SENTENCE,
      config: { ...DEFAULT_CONFIG, epochs: 10_000 },
      maxMs: 120_000,
    },
    {
      name: 'bench/data/gpl3-5000.txt, rnn h128, window K=25, up to 20 s',
      text: readFileSync(join(root, 'bench', 'data', 'gpl3-5000.txt'), 'utf8'),
      config: { ...DEFAULT_CONFIG, hiddenSize: 128, epochs: 1000, mode: { kind: 'window', k: 25 } },
      maxMs: 20_000,
    },
  ];
  console.log(`host-lag benchmark (node ${process.version}, ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  const idle = await baseline(2000);
  console.log(`\nidle baseline, 2 s without training\n  ${'event-loop lag p50 / p99 / max'.padEnd(32)} ${idle.p50.toFixed(2)} / ${idle.p99.toFixed(2)} / ${idle.max.toFixed(2)} ms`);
  for (const w of workloads) print(w, await measure(w));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
