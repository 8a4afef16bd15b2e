// Runs every test suite in order and ends with one summary line "N passed, N failed".
// Usage: node scripts/test.mjs [--only unit|webview|vscode|ui|ko|lint]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const onlyIdx = process.argv.indexOf('--only');
const only = onlyIdx >= 0 ? process.argv[onlyIdx + 1] : undefined;

let passed = 0;
let failed = 0;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: opts.capture ? 'pipe' : 'inherit', env: { ...process.env, ...(opts.env ?? {}) } });
  if (opts.capture) {
    process.stdout.write(r.stdout ?? '');
    process.stderr.write(r.stderr ?? '');
  }
  return r;
}

function files(dir, pattern) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out = [];
  for (const name of readdirSync(abs)) {
    const p = join(abs, name);
    if (statSync(p).isDirectory()) out.push(...files(join(dir, name), pattern));
    else if (pattern.test(name)) out.push(join(dir, name));
  }
  return out.sort();
}

/** A check that is not a test runner (build, type check, lint) counts as one test. */
function check(name, cmd, args) {
  console.log(`\n=== ${name}`);
  const r = run(cmd, args);
  if (r.status === 0) passed++;
  else {
    failed++;
    console.log(`FAILED: ${name}`);
  }
  return r.status === 0;
}

/** node --test output ends with "# pass N" / "# fail N"; count those. */
function nodeTests(name, testFiles) {
  console.log(`\n=== ${name} (${testFiles.length} files)`);
  if (testFiles.length === 0) return;
  const r = run(process.execPath, ['--test', '--test-reporter=tap', ...testFiles], { capture: true });
  const out = r.stdout ?? '';
  const p = Number(/^# pass (\d+)/m.exec(out)?.[1] ?? 0);
  const f = Number(/^# fail (\d+)/m.exec(out)?.[1] ?? 0);
  passed += p;
  failed += f;
  if (r.status !== 0 && f === 0) failed++;
}

const want = (suite) => !only || only === suite;

/**
 * A suite run by the real-VS-Code rig (scripts/vscode/*.mjs). Its output streams live; the counts
 * come back through a small JSON file because the rig's output is too long to buffer and parse.
 */
function rigSuite(name, script) {
  console.log(`\n=== ${name}`);
  const resultFile = join(root, 'out', `${name.split(' ')[0]}-result.json`);
  mkdirSync(dirname(resultFile), { recursive: true });
  rmSync(resultFile, { force: true });
  const r = run(process.execPath, [script, '--result', resultFile]);
  let counts = { passed: 0, failed: 0 };
  try {
    counts = JSON.parse(readFileSync(resultFile, 'utf8'));
  } catch {
    // no result file: the rig died before reporting
  }
  passed += counts.passed;
  failed += counts.failed;
  if (r.status !== 0 && counts.failed === 0) failed++;
}

if (!check('build', process.execPath, ['scripts/build.mjs'])) {
  console.log(`\ntests: ${passed} passed, ${failed} failed`);
  process.exit(1);
}
// Chromium (webview, vscode and ui suites) and, until code-server is cached, libkrb5-dev to compile it.
// As root they are installed with apt-get; otherwise this fails naming the packages to install.
if (want('webview') || want('vscode') || want('ui') || want('ko')) {
  check('setup: Debian chromium (+ libkrb5-dev) and code-server in the cache', process.execPath, [
    'scripts/vscode/install.mjs',
    ...(want('vscode') || want('ui') || want('ko') ? [] : ['--debian-only']),
  ]);
}
if (want('lint')) {
  check('eslint', process.execPath, ['node_modules/eslint/bin/eslint.js', '--max-warnings=0', '.']);
  check('typecheck: host, CLI and tests', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
  check('typecheck: core (no Node or DOM types)', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'src/core/tsconfig.json']);
  if (existsSync(join(root, 'webview/main.ts'))) check('typecheck: webview', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'webview/tsconfig.json']);
  check('typecheck: webview tests (browser and Node sides)', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'test/webview/tsconfig.json']);
}
if (want('unit')) nodeTests('unit tests', files('out/test/unit', /\.test\.js$/));
if (want('webview')) nodeTests('webview tests (headless Chromium)', files('out/test/webview', /\.test\.js$/));

if (want('vscode')) rigSuite('vscode integration suite (mocha in code-server\'s extension host)', 'scripts/vscode/test-suite.mjs');
if (want('ui')) rigSuite('ui scenarios (workbench driven by Chromium)', 'scripts/vscode/test-ui.mjs');
if (want('ko')) rigSuite('korean workbench (code-server --locale ko: palette and panel in Korean)', 'scripts/vscode/test-korean.mjs');

console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
