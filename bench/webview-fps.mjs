// Frame rate of the webview while it receives a 10,000-epoch × 200-timestep run in blocks, every
// epoch with its rows (column blocks of typed arrays, as the host forwards them), and the page's
// JS heap after it.
// Prints figures only (no pass/fail): timing on a shared machine is not a test. Besides fps it
// prints the panel's own main-thread work per drawn frame, which load on the machine distorts less.
// Usage: node scripts/build.mjs && node bench/webview-fps.mjs
// It drives the emitted dist/webview bundle in headless Chromium through the test harness.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'test-artifacts');
mkdirSync(outDir, { recursive: true });
const harnessJs = join(outDir, 'bench-harness.cjs');
await esbuild.build({
  entryPoints: [join(root, 'test/webview/harness.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: harnessJs,
  external: ['playwright-core'],
  logLevel: 'warning',
});
const { launch, openPanel, startServer } = createRequire(import.meta.url)(harnessJs);
// The harness serves the test bundle, whose hooks this reads; build it first (node scripts/build.mjs).

const EPOCHS = 10_000;
const STEPS = 200;
const scenarios = [
  { name: 'worker-paced (a block every 25 ms): 25 epochs every 25 ms', batch: 25, everyMs: 25 },
  { name: 'flood: 100 epochs every 16 ms', batch: 100, everyMs: 16 },
  { name: 'burst: 1,000 epochs every 100 ms', batch: 1000, everyMs: 100 },
];

/**
 * The recorded run played back as a film at 16× of 60 epochs a second (960 a second): fps while
 * the playhead walks from the first epoch to the last with every view following it.
 */
async function playback(panel) {
  await panel.send({ type: 'state', runId: 'bench', state: 'done' });
  await panel.page.locator('#sel-speed').click();
  await panel.page.locator('#sel-speed vscode-option', { hasText: '16×' }).click();
  // The toolkit's dropdown reports its change a moment later, and a new speed starts playing:
  // wait for it, so that it cannot land after Home and turn the Play click below into a pause.
  await panel.page.waitForFunction(() => window.__rnnLab.playback().speed === 16);
  await panel.page.locator('#scrubber').focus();
  await panel.page.keyboard.press('Home');
  await panel.page.waitForFunction(() => !window.__rnnLab.playback().playing && window.__rnnLab.selected() === 0);
  const r = await panel.page.evaluate(
    (epochs) =>
      new Promise((done) => {
        const hook = window.__rnnLab;
        const work0 = hook.frameWork();
        let frames = 0;
        let maxGap = 0;
        const start = performance.now();
        let last = start;
        document.querySelector('#btn-play').click();
        const tick = (now) => {
          frames++;
          maxGap = Math.max(maxGap, now - last);
          last = now;
          if (hook.selected() >= epochs - 1) {
            const work = hook.frameWork();
            done({ frames, ms: now - start, maxGap, workMs: (work.totalMs - work0.totalMs) / Math.max(1, work.frames - work0.frames), workMax: work.maxMs, speed: hook.playback().speed });
            return;
          }
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    EPOCHS,
  );
  console.log(
    `playback at ${r.speed}× of 60 epochs/s over the recorded ${EPOCHS} × ${STEPS} run: ${((r.frames * 1000) / r.ms).toFixed(1)} fps over ${(r.ms / 1000).toFixed(1)} s ` +
      `(longest gap ${r.maxGap.toFixed(0)} ms); panel work ${r.workMs.toFixed(1)} ms per frame (worst ${r.workMax.toFixed(0)} ms)`,
  );
}

const load = (await import('node:os')).loadavg()[0];
console.log(`load average ${load.toFixed(2)} on ${(await import('node:os')).cpus().length} CPUs`);
const server = await startServer('RNN Lab: fps bench');
const browser = await launch();
try {
  for (const sc of scenarios) {
    const panel = await openPanel(browser, server);
    const chars = Array.from({ length: STEPS + 1 }, (_, i) => 'abcdefghij klmnopqrstuvwxyz.'[i % 28]);
    const run = {
      runId: 'bench', title: 'bench', text: chars.join(''), textLength: chars.length, firstEpoch: 0, steps: STEPS, stepLabels: chars.slice(0, STEPS), printEvery: 100, notes: [],
      config: { cell: 'rnn', activation: 'tanh', hiddenSize: 20, epochs: EPOCHS, learningRate: 0.001, optimizer: 'adam', clip: 0, mode: { kind: 'full' }, seed: 1 },
    };
    await panel.send({ type: 'init', run, history: [], droppedRows: 0, state: 'running', restored: false, epochsPerSecond: 0 });
    await panel.frames();
    // CPU time of the renderer's main thread: unlike wall time it is not inflated by other
    // processes competing for the CPU, so it says whether a free core would keep 30 fps.
    const cdp = await panel.page.context().newCDPSession(panel.page);
    await cdp.send('Performance.enable');
    const threadTime = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN;
    let cpu0 = NaN;
    const started = panel.page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => ok(undefined))));
    await started;
    cpu0 = await threadTime();
    const r = await panel.page.evaluate(
      ({ run, epochs, steps, batch, everyMs }) =>
        new Promise((done) => {
          // Generated up front (as the blocks the host forwards) so the measurement covers the panel, not the generator.
          const blocks = [];
          const text = run.text;
          for (let first = 0; first < epochs; first += batch) {
            const count = Math.min(batch, epochs - first);
            const b = {
              first, count, steps, params: [],
              scalars: { loss: new Float64Array(count), accuracy: new Float64Array(count), sigmaMaxWhh: new Float64Array(count), shrinkPerStep: new Float64Array(count), reach1pct: new Float64Array(count) },
              clipped: new Uint8Array(count), paramGradNorm: new Float64Array(0), rowEpochs: Int32Array.from({ length: count }, (_, i) => i),
              rows: { gradNorm: new Float64Array(count * steps), lastLossGradNorm: new Float64Array(count * steps), activationSlope: new Float64Array(count * steps), stepBound: new Float64Array(count * (steps - 1)) },
              predicted: new Array(count).fill(text),
            };
            for (let i = 0; i < count; i++) {
              const n = first + i;
              b.scalars.loss[i] = 3 * Math.exp(-n / 2000) + 0.05;
              b.scalars.accuracy[i] = Math.min(1, n / 8000);
              b.scalars.sigmaMaxWhh[i] = 0.8 + n / epochs;
              b.scalars.shrinkPerStep[i] = 0.9;
              b.scalars.reach1pct[i] = 40;
              for (let t = 0; t < steps; t++) {
                const g = Math.exp(-(steps - 1 - t) * (0.02 + n / epochs / 10)) * (1 + 0.1 * Math.sin(n + t));
                b.rows.gradNorm[i * steps + t] = g;
                b.rows.lastLossGradNorm[i * steps + t] = g * Math.exp(-(steps - 1 - t) * 0.03);
                b.rows.activationSlope[i * steps + t] = 0.5;
                if (t < steps - 1) b.rows.stepBound[i * (steps - 1) + t] = 0.9;
              }
            }
            blocks.push(b);
          }
          const hook = window.__rnnLab;
          const work0 = hook.frameWork();
          let frames = 0;
          let maxGap = 0;
          let last = performance.now();
          const start = last;
          let sent = 0;
          let feeding = true;
          const timer = setInterval(() => {
            const block = blocks[sent++];
            window.postMessage({ type: 'epochs', runId: run.runId, block, droppedRows: 0 }, '*');
            if (sent >= blocks.length) clearInterval(timer);
          }, everyMs);
          const tick = (now) => {
            frames++;
            maxGap = Math.max(maxGap, now - last);
            last = now;
            if (feeding && hook.epochs() >= epochs) {
              feeding = false;
              const ms = now - start;
              const work = hook.frameWork();
              const drawn = work.frames - work0.frames;
              done({ frames, ms, fps: (frames * 1000) / ms, maxGap, drawn, workMs: (work.totalMs - work0.totalMs) / Math.max(1, drawn), workMax: work.maxMs, rows: hook.rowsKept(), rowBytes: hook.rowBytes() });
              return;
            }
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        }),
      { run, epochs: EPOCHS, steps: STEPS, batch: sc.batch, everyMs: sc.everyMs },
    );
    const cpu = (await threadTime()) - cpu0;
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
    console.log(
      `${sc.name}: ${r.fps.toFixed(1)} fps over ${(r.ms / 1000).toFixed(1)} s (${r.frames} frames, longest gap ${r.maxGap.toFixed(0)} ms); ` +
        `panel work ${r.workMs.toFixed(1)} ms per drawn frame (${r.drawn} drawn, worst ${r.workMax.toFixed(0)} ms); ` +
        `main-thread CPU ${(cpu * 1000).toFixed(0)} ms = ${((cpu * 1000) / r.frames).toFixed(1)} ms per frame (${(r.frames / cpu).toFixed(0)} fps if CPU-bound on a free core); ` +
        `every row delivered: ${r.rows} of ${EPOCHS} epochs; JS heap after the run ${(heap / 1e6).toFixed(0)} MB + ${(r.rowBytes / 1e6).toFixed(0)} MB of rows in typed arrays`,
    );
    if (sc === scenarios[scenarios.length - 1]) await playback(panel);
    await panel.page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
