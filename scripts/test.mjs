// Runs every test suite in order and ends with one summary line "N passed, N failed".
// Usage: node scripts/test.mjs [--only unit|webview|vscode|lint]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
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

if (!check('build', process.execPath, ['scripts/build.mjs'])) {
  console.log(`\ntests: ${passed} passed, ${failed} failed`);
  process.exit(1);
}
if (want('lint')) {
  check('typecheck: host, CLI and tests', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
  check('typecheck: core (no Node or DOM types)', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'src/core/tsconfig.json']);
  if (existsSync(join(root, 'webview/main.ts'))) check('typecheck: webview', process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'webview/tsconfig.json']);
}
if (want('unit')) nodeTests('unit tests', files('out/test/unit', /\.test\.js$/));

console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
