// How much the extension host's main thread suffers while a run trains. Starts the real worker
// (dist/worker.js) through the real WorkerBridge and TrainingRun (so epoch blocks pass the real
// store and stream), with a fake webview that serialises each message the way VS Code does for
// extensions targeting 1.57+ (JSON with typed arrays replaced by references, the buffers copied
// out) and acknowledges delivery, and prints figures. The compare workload runs three at once. Asserts nothing: it is for reading, e.g.
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
import { TextMap } from '../src/host/textMap';
import { paint, rowScale } from '../src/host/overlayPaint';
import { EditorOverlay } from '../src/panel/editorOverlay';

const root = join(__dirname, '..');
const workerPath = join(root, 'dist', 'worker.js');

interface Workload {
  name: string;
  text: string;
  /** One config per run trained at the same time (three for the compare panel). */
  configs: TrainConfig[];
  /** Stop the run after this long even if it has not finished. */
  maxMs: number;
  /** With the editor overlay following a playhead that plays at 60 epochs/s (10 playhead messages a second). */
  overlay?: boolean;
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
  binaryBytes: number;
  endState: RunState;
  /** Overlay repaints done, and the mean and worst time of one (paint + ranges + the decorations' serialisation). */
  paints: number;
  paintMeanMs: number;
  paintMaxMs: number;
}

/** A document's line starts, for positionAt as VS Code's extension host does it (a binary search). */
function lineStarts(text: string): Int32Array {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return Int32Array.from(starts);
}

function positionAt(starts: Int32Array, offset: number): { line: number; character: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

/** The first `lines` lines of the text as document offsets: what an editor of about 50 visible lines (plus margins) paints. */
function firstLines(starts: Int32Array, length: number, lines: number): { start: number; end: number }[] {
  return [{ start: 0, end: lines < starts.length ? starts[lines] : length }];
}

/**
 * The host side of the overlay as the extension runs it, with the editor replaced by what
 * setDecorations costs the extension host: Range objects from positionAt and their
 * serialisation to the renderer (JSON here). The playhead moves 6 epochs every 100 ms.
 */
function followWithOverlay(run: TrainingRun, text: string): { stop(): { paints: number; totalMs: number; maxMs: number } } {
  const starts = lineStarts(text);
  const visible = firstLines(starts, text.length, 70);
  let paints = 0;
  let totalMs = 0;
  let maxMs = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = -Infinity;
  const overlay = new EditorOverlay(
    {
      run: () => run,
      postState: () => undefined,
      repaint: () => {
        if (timer !== undefined) return;
        timer = setTimeout(() => {
          timer = undefined;
          last = performance.now();
          const p = overlay.paintFor(visible);
          if (p) {
            for (const flat of [...p.buckets, p.wrong]) {
              const ranges = [];
              for (let i = 0; i < flat.length; i += 2) ranges.push({ start: positionAt(starts, flat[i]), end: positionAt(starts, flat[i + 1]) });
              JSON.stringify(ranges);
            }
          }
          const ms = performance.now() - last;
          paints++;
          totalMs += ms;
          if (ms > maxMs) maxMs = ms;
        }, Math.max(0, last + 100 - performance.now()));
      },
    },
    { uri: 'bench:text', map: TextMap.build(text, [{ start: 0, end: text.length }]) },
  );
  let epoch = 0;
  const playhead = setInterval(() => {
    const store = run.store;
    if (!store || store.length === 0) return;
    epoch = Math.min(store.nextEpoch - 1, epoch + 6);
    const row = store.row('lastLossGradNorm', store.indexOf(epoch));
    overlay.setPlayhead(epoch, row ? rowScale(row) : null);
  }, 100);
  return {
    stop: () => {
      clearInterval(playhead);
      clearTimeout(timer);
      return { paints, totalMs, maxMs };
    },
  };
}

/** What VS Code's serializeWebviewMessage does: JSON for the structure, the typed arrays' buffers copied beside it. */
function serializeLikeVsCode(msg: unknown): { json: number; binary: number } {
  const buffers: ArrayBufferLike[] = [];
  const json = JSON.stringify(msg, (_k, v: unknown) => {
    if (ArrayBuffer.isView(v)) {
      let index = buffers.indexOf(v.buffer);
      if (index < 0) index = buffers.push(v.buffer) - 1;
      return { $$vscode_array_buffer_reference$$: true, index, view: { type: 9, byteLength: v.byteLength, byteOffset: v.byteOffset } };
    }
    return v;
  });
  let binary = 0;
  for (const b of buffers) binary += new Uint8Array(b).slice().byteLength;
  return { json: json.length, binary };
}

const ENDED: RunState[] = ['done', 'stopped', 'diverged', 'crashed'];

async function measure(w: Workload): Promise<Figures> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let messages = 0;
  let bytes = 0;
  let binaryBytes = 0;
  let firstEpochMs = NaN;
  let firstWebviewEpochMs = NaN;
  let ended = 0;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const t0 = performance.now();
  histogram.enable();

  const runs = w.configs.map((config, i) =>
    TrainingRun.start(
      { runId: `bench-${i}`, title: w.name, text: w.text, config, printEvery: 30, notes: [] },
      (events) => new WorkerBridge(workerPath, events),
      {
        post: (msg: HostToWebview) => {
          const size = serializeLikeVsCode(msg);
          bytes += size.json;
          binaryBytes += size.binary;
          messages++;
          if (msg.type === 'epochs' && Number.isNaN(firstWebviewEpochMs)) firstWebviewEpochMs = performance.now() - t0;
          // Delivered on the next turn, like an idle webview: the stream's backpressure path runs.
          return new Promise<void>((resolve) => setImmediate(resolve));
        },
        log: () => undefined,
        changed: (r) => {
          if (Number.isNaN(firstEpochMs) && (r.store?.length ?? 0) > 0) firstEpochMs = performance.now() - t0;
          if (ENDED.includes(r.state) && ++ended === runs.length) finish();
        },
      },
    ),
  );
  for (const run of runs) run.webviewDidLoad();
  const follower = w.overlay ? followWithOverlay(runs[0], w.text) : undefined;
  const cap = setTimeout(() => runs.forEach((run) => run.control('stop')), w.maxMs);
  await finished;
  clearTimeout(cap);
  const painted = follower?.stop() ?? { paints: 0, totalMs: 0, maxMs: 0 };
  const seconds = (performance.now() - t0) / 1000;
  histogram.disable();
  await Promise.all(runs.map((run) => run.dispose()));
  const ms = (ns: number) => ns / 1e6;
  return {
    lagP50: ms(histogram.percentile(50)),
    lagP99: ms(histogram.percentile(99)),
    lagMax: ms(histogram.max),
    firstEpochMs,
    firstWebviewEpochMs,
    epochs: runs.reduce((n, run) => n + (run.store?.length ?? 0), 0),
    seconds,
    messages,
    bytes,
    binaryBytes,
    endState: runs[0].state,
    paints: painted.paints,
    paintMeanMs: painted.paints ? painted.totalMs / painted.paints : 0,
    paintMaxMs: painted.maxMs,
  };
}

function print(w: Workload, f: Figures): void {
  const rows: [string, string][] = [
    ['end state', `${f.endState} after ${f.epochs} epochs in ${f.seconds.toFixed(2)} s`],
    ['event-loop lag p50 / p99 / max', `${f.lagP50.toFixed(2)} / ${f.lagP99.toFixed(2)} / ${f.lagMax.toFixed(2)} ms`],
    ['start → first epoch at host', `${f.firstEpochMs.toFixed(0)} ms`],
    ['start → first epoch at webview', `${f.firstWebviewEpochMs.toFixed(0)} ms`],
    ['messages/s to webview', `${(f.messages / f.seconds).toFixed(1)} (${f.messages} messages, ${(f.bytes / 1e6).toFixed(2)} MB JSON, ${(f.binaryBytes / 1e6).toFixed(1)} MB binary)`],
    ['epochs/s', (f.epochs / f.seconds).toFixed(1)],
  ];
  if (w.overlay) rows.push(['overlay repaints, mean / max', `${f.paints}, ${f.paintMeanMs.toFixed(3)} / ${f.paintMaxMs.toFixed(3)} ms`]);
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
  const gpl = readFileSync(join(root, 'bench', 'data', 'gpl3-5000.txt'), 'utf8');
  const workloads: Workload[] = [
    {
      name: `seed sentence, ${DEFAULT_CONFIG.cell} h${DEFAULT_CONFIG.hiddenSize}, full BPTT, 10,000 epochs`,
      text: SEED_SENTENCE,
      configs: [{ ...DEFAULT_CONFIG, epochs: 10_000 }],
      maxMs: 120_000,
    },
    {
      name: 'bench/data/gpl3-5000.txt, rnn h128, window K=25, up to 20 s',
      text: gpl,
      configs: [{ ...DEFAULT_CONFIG, hiddenSize: 128, epochs: 1000, mode: { kind: 'window', k: 25 } }],
      maxMs: 20_000,
    },
    {
      name: `compare panel: seed sentence, rnn + lstm + gru h${DEFAULT_CONFIG.hiddenSize} at once, full BPTT, 5,000 epochs each`,
      text: SEED_SENTENCE,
      configs: (['rnn', 'lstm', 'gru'] as const).map((cell) => ({ ...DEFAULT_CONFIG, cell, epochs: 5_000 })),
      maxMs: 120_000,
    },
    {
      name: 'compare panel: bench/data/gpl3-5000.txt, rnn + lstm + gru h128, window K=25, up to 20 s',
      text: gpl,
      configs: (['rnn', 'lstm', 'gru'] as const).map((cell) => ({ ...DEFAULT_CONFIG, cell, hiddenSize: 128, epochs: 1000, mode: { kind: 'window' as const, k: 25 } })),
      maxMs: 20_000,
    },
  ];
  // The editor overlay on the two single-run workloads: the same runs with it following the playhead.
  workloads.splice(1, 0, { ...workloads[0], name: `${workloads[0].name}, editor overlay on`, overlay: true });
  workloads.splice(3, 0, { ...workloads[2], name: `${workloads[2].name}, editor overlay on`, overlay: true });
  if (process.argv.includes('--overlay')) workloads.splice(4);
  console.log(`host-lag benchmark (node ${process.version}, ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  const idle = await baseline(2000);
  console.log(`\nidle baseline, 2 s without training\n  ${'event-loop lag p50 / p99 / max'.padEnd(32)} ${idle.p50.toFixed(2)} / ${idle.p99.toFixed(2)} / ${idle.max.toFixed(2)} ms`);
  for (const w of workloads) print(w, await measure(w));
  overlayPaintCost();
}

/** One repaint of a 1 MB selection: only the ~70 lines in view are painted, whatever the length. */
function overlayPaintCost(): void {
  const line = 'the quick brown fox jumps over the lazy dog, again and again and again! 😀\n';
  const text = line.repeat(Math.ceil(1_000_000 / line.length));
  let t = performance.now();
  const map = TextMap.build(text, [{ start: 0, end: text.length }]);
  const buildMs = performance.now() - t;
  t = performance.now();
  const ok = map.matches(text, text);
  const matchMs = performance.now() - t;
  const row = Float64Array.from({ length: 25 }, (_, i) => 10 ** (-i / 5));
  const starts = lineStarts(text);
  const n = 200;
  t = performance.now();
  let coloured = 0;
  for (let i = 0; i < n; i++) {
    const from = starts[(i * 997) % (starts.length - 80)];
    const p = paint({ map, text, layout: { positions: map.length - 1, window: 25 }, row, scale: { lo: -5, hi: 0 }, predicted: null, visible: [{ start: from, end: from + 70 * line.length }] });
    coloured = p.coloured;
  }
  const paintMs = (performance.now() - t) / n;
  console.log(`\neditor overlay on a ${(text.length / 1e6).toFixed(2)} M-unit selection (${map.length} characters, one emoji a line)`);
  console.log(`  ${'map build / check against doc'.padEnd(32)} ${buildMs.toFixed(1)} / ${matchMs.toFixed(1)} ms (${ok ? 'matches' : 'MISMATCH'})`);
  console.log(`  ${'one paint of 70 visible lines'.padEnd(32)} ${paintMs.toFixed(3)} ms (${coloured} characters coloured)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
