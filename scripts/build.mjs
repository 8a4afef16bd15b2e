// Builds every target with esbuild: extension host, training worker, CLI, benchmark,
// the webview bundle (browser), and the test files (node). Targets whose entry does not
// exist yet are skipped, so a partial tree still builds.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, mkdirSync, chmodSync, rmSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

function files(dir, pattern) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out = [];
  for (const name of readdirSync(abs)) {
    const p = join(abs, name);
    if (statSync(p).isDirectory()) out.push(...files(join(dir, name), pattern));
    else if (pattern.test(name)) out.push(join(dir, name));
  }
  return out;
}

// The core's SIMD kernels: AssemblyScript → WebAssembly, imported by the core as bytes (binary
// loader below), so no target has to find a .wasm file at run time.
const wasmSource = 'src/core/wasm/assembly/kernels.ts';
const ascFlags = ['--optimizeLevel', '3', '--shrinkLevel', '0', '--runtime', 'stub', '--noAssert', '--importMemory', '--initialMemory', '1'];
function buildWasm(outFile, extra) {
  const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
  const r = spawnSync(process.execPath, [asc, wasmSource, '--outFile', outFile, ...ascFlags, ...extra], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`AssemblyScript compilation of the core kernels (${outFile}) failed`);
}
buildWasm('src/core/wasm/kernels.wasm', ['--enable', 'simd']);
// The same kernels on a shared memory (65,536 pages at most: any arena fits), which a second
// thread can run on too (src/core/partner.ts). A separate module because a memory's sharedness
// is part of its import type, and a shared memory needs SharedArrayBuffer, which browsers give
// only to cross-origin isolated pages.
buildWasm('src/core/wasm/kernels-shared.wasm', ['--enable', 'simd,threads', '--sharedMemory', '--maximumMemory', '65536']);

const nodeBase = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
  loader: { '.wasm': 'binary' },
};

/** @type {import('esbuild').BuildOptions[]} */
const targets = [];
const add = (entry, options) => {
  if (existsSync(join(root, entry))) targets.push({ entryPoints: [entry], ...options });
};

add('src/extension.ts', { ...nodeBase, outfile: 'dist/extension.js', external: ['vscode'], minify: production });
add('src/worker/trainWorker.ts', { ...nodeBase, outfile: 'dist/worker.js', minify: production });
add('src/worker/sampleWorker.ts', { ...nodeBase, outfile: 'dist/sampleWorker.js', minify: production });
add('src/worker/productWorker.ts', { ...nodeBase, outfile: 'dist/productWorker.js', minify: production });
add('src/worker/kernelWorker.ts', { ...nodeBase, outfile: 'dist/kernelWorker.js', minify: production });
add('src/cli/main.ts', { ...nodeBase, outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } });
add('bench/bench.ts', { ...nodeBase, outfile: 'dist/bench.js' });
add('bench/host-lag.ts', { ...nodeBase, outfile: 'dist/bench-host-lag.js' });
add('bench/inspect.ts', { ...nodeBase, outfile: 'dist/bench-inspect.js' });
add('bench/floor.ts', { ...nodeBase, outfile: 'dist/bench-floor.js' });
// The three panels' bundles (training, model, compare): same browser settings, own outputs.
const webviewBase = {
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  // Linked, not inline: an inline map tripled the bundle (3.2 MB) that every panel parses on open.
  sourcemap: production ? false : 'linked',
  // Always minified: the bundle every panel parses on open is half the size, and the test rig
  // measures the first epoch with what ships.
  minify: process.env.RNN_LAB_NO_MINIFY ? false : true,
  logLevel: 'warning',
  absWorkingDir: root,
  loader: { '.css': 'css' },
};
// Each bundle is built twice: X.js, which the extension ships, and X.test.js with the read-only
// hooks (window.__rnnLab…) that the webview tests and benchmarks read; the panels load the test
// bundle only when RNN_LAB_TEST_HOOKS=1 (the test rig sets it). A production build makes no test
// bundles and removes stale ones, so a VSIX never carries the hooks.
for (const [entry, name] of [
  ['webview/main.ts', 'webview'],
  ['webview/model/main.ts', 'model'],
  ['webview/compare/main.ts', 'compare'],
]) {
  add(entry, { ...webviewBase, outfile: `dist/webview/${name}.js`, define: { __TEST_HOOKS__: 'false' } });
  if (!production) add(entry, { ...webviewBase, outfile: `dist/webview/${name}.test.js`, define: { __TEST_HOOKS__: 'true' } });
}
if (production && existsSync(join(root, 'dist/webview'))) {
  for (const f of readdirSync(join(root, 'dist/webview'))) if (/\.test\.(js|css)(\.map)?$/.test(f)) rmSync(join(root, 'dist/webview', f));
}

// Tests: each file is its own bundle so a failing import shows up in that file only.
const testEntries = [
  ...files('test/unit', /\.test\.ts$/),
  ...files('test/integration', /\.ts$/),
  ...files('test/webview', /\.test\.ts$/),
];
if (testEntries.length > 0) {
  targets.push({
    ...nodeBase,
    entryPoints: testEntries,
    outdir: 'out',
    outbase: '.',
    external: ['vscode', 'mocha', 'playwright-core'],
  });
}

mkdirSync(join(root, 'dist'), { recursive: true });
if (watch) {
  const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log(`watching ${targets.length} targets`);
} else {
  const started = Date.now();
  await Promise.all(targets.map((t) => esbuild.build(t)));
  if (existsSync(join(root, 'dist/cli.js'))) chmodSync(join(root, 'dist/cli.js'), 0o755);
  console.log(`built ${targets.length} targets in ${Date.now() - started} ms (${relative(process.cwd(), root) || '.'})`);
}
