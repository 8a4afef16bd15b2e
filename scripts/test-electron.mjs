// `npm run test:vscode`: the same mocha integration suite through @vscode/test-electron, i.e. in a
// desktop VS Code that it downloads into .vscode-test/. For machines that can reach Microsoft's
// update server (and have a display or xvfb-run on Linux); where they cannot, it says so and stops
// instead of hanging. RNN_LAB_VSCODE=/path/to/code uses an installed VS Code and skips the download.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeRunDir, repoRoot, rmrf } from './vscode/common.mjs';

const UPDATE_HOST = 'https://update.code.visualstudio.com/api/releases/stable';

async function reachable(url, timeoutMs) {
  try {
    const res = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? null : `HTTP ${res.status}`;
  } catch (e) {
    return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(e);
  }
}

async function main() {
  const testsPath = join(repoRoot, 'out', 'test', 'integration', 'suite', 'index.js');
  if (!existsSync(testsPath)) throw new Error(`${testsPath} is missing: run \`node scripts/build.mjs\` first`);
  const vscodeExecutablePath = process.env.RNN_LAB_VSCODE || undefined;
  if (!vscodeExecutablePath) {
    const problem = await reachable(UPDATE_HOST, 15_000);
    if (problem) {
      throw new Error(
        `cannot download VS Code (${UPDATE_HOST}: ${problem}).\n` +
          '  This runner needs Microsoft\'s update server or an installed VS Code (RNN_LAB_VSCODE=/path/to/code).\n' +
          '  Offline, run the same suite in code-server instead: npm run test:integration',
      );
    }
  }
  const { runTests } = await import('@vscode/test-electron');
  const runDir = makeRunDir('electron');
  const workspace = join(runDir, 'workspace');
  cpSync(join(repoRoot, 'media', 'sample'), workspace, { recursive: true });
  mkdirSync(join(runDir, 'user-data'), { recursive: true });
  const code = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: testsPath,
    extensionTestsEnv: { RNN_LAB_TEST_ARTIFACTS: runDir, RNN_LAB_TEST_WORKSPACE: workspace },
    // Idle timeout of the download, so a stalled connection fails instead of hanging.
    timeout: 60_000,
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      `--user-data-dir=${join(runDir, 'user-data')}`,
      `--extensions-dir=${join(runDir, 'extensions')}`,
    ],
  });
  if (code === 0) rmrf(runDir);
  return code;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`test:vscode: ${e?.message ?? e}`);
    process.exit(1);
  },
);
