// Where a new panel's first ~0.5 s goes before it can draw: the marks of webview/main.ts (script
// start, toolkit registered, app built, ready posted) and a CPU profile summary of the page from
// navigation to `ready`, in headless Chromium through the webview test harness. Prints figures.
// Usage: node scripts/build.mjs && node bench/webview-startup.mjs [runs]
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'test-artifacts');
mkdirSync(outDir, { recursive: true });
const harnessJs = join(outDir, 'bench-harness.cjs');
await esbuild.build({ entryPoints: [join(root, 'test/webview/harness.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: harnessJs, external: ['playwright-core'], logLevel: 'warning' });
const { launch, openPanel, startServer } = createRequire(import.meta.url)(harnessJs);

const runs = Number(process.argv[2] ?? 7);
const server = await startServer();
const browser = await launch();
const rows = [];
for (let i = 0; i < runs; i++) {
  const panel = await openPanel(browser, server);
  const marks = await panel.page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((e) => [e.name.replace('rnnlab:', ''), e.startTime])));
  const nav = await panel.page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0];
    return { responseEnd: n.responseEnd, domInteractive: n.domInteractive, loadEventStart: n.loadEventStart };
  });
  rows.push({ ...marks, ...nav });
  await panel.page.close();
}
const med = (k) => {
  const v = rows.map((r) => r[k]).filter((x) => typeof x === 'number').sort((a, b) => a - b);
  return v.length ? v[v.length >> 1].toFixed(1) : '–';
};
console.log(`webview start-up, median of ${runs} page loads (ms from navigation start)`);
for (const k of ['responseEnd', 'script', 'toolkit', 'ready', 'domInteractive', 'loadEventStart']) console.log(`  ${k.padEnd(16)} ${med(k)}`);
await browser.close();
await server.close();
