// `npm start`: builds, then opens RNN Lab in a real VS Code with the sample file.
// - A `code` CLI on PATH: desktop VS Code with --extensionDevelopmentPath=<repo>.
// - Otherwise: code-server (installed once into the cache, see scripts/vscode/install.mjs) on
//   127.0.0.1 with the repo loaded as the extension under development; prints the URL and runs
//   until Ctrl+C, which stops it and everything it started.
// Env: RNN_LAB_PORT (default 8080, or a free port when taken), RNN_LAB_USE_CODE_SERVER=1 to skip `code`.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { freePort, log, repoRoot, runOrThrow } from './vscode/common.mjs';

const SAMPLE = 'hello.txt';

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

function portFree(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function main() {
  runOrThrow(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')]);
  // A persistent folder (git-ignored) so layout and settings survive restarts; the sample is copied
  // once so edits made while playing never touch media/sample.
  const home = join(repoRoot, '.cache', 'start');
  const workspace = join(home, 'workspace');
  if (!existsSync(join(workspace, SAMPLE))) cpSync(join(repoRoot, 'media', 'sample'), workspace, { recursive: true });
  const sample = join(workspace, SAMPLE);

  if (onPath('code') && !process.env.RNN_LAB_USE_CODE_SERVER) {
    log('opening desktop VS Code (`code` on PATH) with the extension under development');
    runOrThrow('code', [`--extensionDevelopmentPath=${repoRoot}`, workspace, sample]);
    log(`select the text in ${SAMPLE}, then run "RNN Lab: Train RNN on Selection" (F1)`);
    return;
  }

  const { ensureInstalled } = await import('./vscode/install.mjs');
  const { runDirs, setInterruptExitCode, startCodeServer, workbenchUrl } = await import('./vscode/rig.mjs');
  setInterruptExitCode(0);
  const paths = await ensureInstalled({ needChromium: false });
  const dirs = runDirs(home);
  const wanted = Number(process.env.RNN_LAB_PORT || 8080);
  const port = (await portFree(wanted)) ? wanted : await freePort();
  // What a user runs: the shipped bundles, without the test hooks.
  const server = await startCodeServer(paths, dirs, { port, env: { RNN_LAB_TEST_HOOKS: '0' } });
  const url = workbenchUrl(server, workspace, { openFile: sample });
  console.log(`
RNN Lab is running in code-server (VS Code in the browser), extension loaded from ${repoRoot}.

  Open:  ${url}

  (bound to 127.0.0.1 only; from another machine: ssh -L ${port}:127.0.0.1:${port} <this host>)
  In ${SAMPLE}: select the text (Ctrl+A), press F1, run "RNN Lab: Train RNN on Selection".
  After \`npm run build\` (or with \`node scripts/build.mjs --watch\`), reload the page to pick up changes.
  Log: ${server.logPath}
  Ctrl+C stops code-server.
`);
  // Runs until Ctrl+C (handled by the rig: stops the process group) or until code-server exits.
  await server.exited;
  log('code-server exited');
}

main().catch((e) => {
  console.error(`npm start: ${e?.message ?? e}`);
  process.exit(1);
});
